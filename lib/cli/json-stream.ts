/**
 * A JSON file as kubectl's decoder reads it: a stream of values, one after another, with white space
 * between them or none (`jq '.items[]'` writes objects so). CloudFormation reads one value only; a
 * template is told by its shape afterwards.
 */

/** One value's text in the stream, where it starts, and how deep its brackets nest. */
export interface JsonStreamValue {
  readonly start: number;
  readonly text: string;
  readonly depth: number;
}

/**
 * The texts of the stream's values, for JSON.parse to read each. An object or array ends at its closing
 * bracket, `null` (a document kubectl skips) after its four letters; anything else (or brackets that never
 * close) runs to the end of the text, where JSON.parse then says what is wrong with it. An empty text is
 * one empty value, which JSON.parse refuses.
 */
export function jsonStreamValues(text: string): JsonStreamValue[] {
  const values: JsonStreamValue[] = [];
  let start = afterWhiteSpace(text, 0);
  do {
    const { end, depth } = valueEnd(text, start);
    values.push({ start, text: text.slice(start, end), depth });
    start = afterWhiteSpace(text, end);
  } while (start < text.length);
  return values;
}

function afterWhiteSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  return i;
}

function valueEnd(text: string, start: number): { end: number; depth: number } {
  if (text[start] === '{' || text[start] === '[') return closingBracketEnd(text, start);
  if (/^null(?![^\s{[])/.test(text.slice(start, start + 5))) return { end: start + 4, depth: 0 };
  return { end: text.length, depth: 0 };
}

/** Just after the bracket that closes the one at `start` (or the end of the text), counting brackets outside strings. */
function closingBracketEnd(text: string, start: number): { end: number; depth: number } {
  let depth = 0;
  let deepest = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = closingQuote(text, i);
    } else if (c === '{' || c === '[') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { end: i + 1, depth: deepest };
    }
  }
  return { end: text.length, depth: deepest };
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
