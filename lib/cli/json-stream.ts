/**
 * A JSON file as kubectl's decoder reads it: a stream of values, one after another, with white space
 * between them or none (`jq '.items[]'` writes objects so). CloudFormation reads one value only; a
 * template is told by its shape afterwards.
 */

/** One value's text in the stream, and where it starts. */
export interface JsonStreamValue {
  readonly start: number;
  readonly text: string;
}

/**
 * The texts of the stream's values, for JSON.parse to read each. An object or array ends at its closing
 * bracket; anything else (or brackets that never close) runs to the end of the text, where JSON.parse then
 * says what is wrong with it. An empty text is one empty value, which JSON.parse refuses.
 */
export function jsonStreamValues(text: string): JsonStreamValue[] {
  const values: JsonStreamValue[] = [];
  let start = afterWhiteSpace(text, 0);
  do {
    const end = text[start] === '{' || text[start] === '[' ? closingBracketEnd(text, start) : undefined;
    values.push({ start, text: text.slice(start, end ?? text.length) });
    start = afterWhiteSpace(text, end ?? text.length);
  } while (start < text.length);
  return values;
}

function afterWhiteSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  return i;
}

/** Just after the bracket that closes the one at `start`, counting brackets outside strings. */
function closingBracketEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = closingQuote(text, i);
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
