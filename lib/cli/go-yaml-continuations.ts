/**
 * go-yaml v2, with which kubectl reads YAML, does not look at the indentation of the lines inside a quoted
 * scalar or a flow collection (`[...]`, `{...}`) that spans lines; YAML 1.2, and this parser, end one at the
 * first line not indented past its parent. Multus' network annotations are written so:
 *
 *     k8s.v1.cni.cncf.io/networks: '[
 *     { "name": "macvlan-conf" }
 *     ]'
 *
 * go-yaml drops a continuation line's leading white space, so indenting such a line further changes nothing
 * it reads. Those lines are indented to the column where their scalar or collection starts, one at a time,
 * as far as this parser's own lexer then takes it: where the lexer ends it is where go-yaml does.
 */
import { CST, Parser } from 'yaml';

// Each round indents one scalar or collection and reads the text again; a file that needs more is left as it is (refused).
const MAX_ROUNDS = 1_000;

/** `text` with the continuation lines go-yaml reads and this parser would not indented, or undefined when none is. */
export function indentGoYamlContinuations(text: string): string | undefined {
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = indentOnce(current);
    if (next === 'unchanged') return current === text ? undefined : current;
    if (next === 'refused') return undefined;
    current = next;
  }
  return undefined;
}

type Round = string | 'unchanged' | 'refused';

// The first scalar or collection with lines to indent gets them, and the text is read again.
function indentOnce(text: string): Round {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
  for (const document of new Parser().parse(text)) {
    for (const token of valueTokens(document)) {
      const lines = linesToIndent(token, text, lineStarts);
      if (lines === 'refused') return 'refused';
      if (lines.length > 0) return indentLines(text, lines, column(token.offset, lineStarts));
    }
  }
  return 'unchanged';
}

type Spanning = CST.FlowScalar | CST.FlowCollection;

/** The quoted scalars and flow collections in value position (a multi-line key go-yaml refuses as this parser does). */
function* valueTokens(token: CST.Token): Generator<Spanning> {
  if (token.type === 'document' && token.value) yield* valueTokens(token.value);
  if (token.type === 'block-map' || token.type === 'block-seq') {
    for (const item of token.items) if (item.value) yield* valueTokens(item.value);
  }
  if (token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar' || token.type === 'flow-collection') yield token;
}

/**
 * The starts of the lines of `token` indented less than its column, and the line after it when the lexer
 * ended it there unclosed. 'refused' where go-yaml refuses the text too: a document marker at the start of
 * a line inside, an unclosed one at the end of the text, a tab at the start of a collection's line.
 */
function linesToIndent(token: Spanning, text: string, lineStarts: readonly number[]): number[] | 'refused' {
  const end = token.offset + CST.stringify(token).trimEnd().length;
  const inside = lineStarts.filter((start) => start > token.offset && start < end);
  const cut = isClosed(token) ? [] : lineStarts.filter((start) => start >= end && !isEmptyLine(text, start)).slice(0, 1);
  if (!isClosed(token) && cut.length === 0) return 'refused';
  const wanted = column(token.offset, lineStarts);
  const lines = [...inside, ...cut].filter((start) => leadingSpaces(text, start) < wanted && !isEmptyLine(text, start));
  for (const start of lines) {
    const line = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
    // kubectl splits the file at any line that starts with ---, and go-yaml ends a scalar at a document marker.
    if (/^(?:---|\.\.\.(?:\s|$))/.test(line)) return 'refused';
    if (token.type === 'flow-collection' && /^ *\t/.test(line)) return 'refused';
  }
  return lines;
}

function isClosed(token: Spanning): boolean {
  if (token.type === 'flow-collection') return token.end.some((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end');
  const quote = token.source[0];
  let i = 1;
  while (i < token.source.length) {
    const c = token.source[i];
    if (quote === '"' && c === '\\') i += 2;
    else if (quote === '\'' && c === '\'' && token.source[i + 1] === '\'') i += 2;
    else if (c === quote) return i === token.source.length - 1;
    else i++;
  }
  return false;
}

function column(offset: number, lineStarts: readonly number[]): number {
  let line = 0;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
  return offset - lineStarts[line];
}

function leadingSpaces(text: string, start: number): number {
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

function isEmptyLine(text: string, start: number): boolean {
  return text[start] === '\n' || text[start] === '\r' || start >= text.length;
}

function indentLines(text: string, starts: readonly number[], wanted: number): string {
  let result = '';
  let from = 0;
  for (const start of starts) {
    result += text.slice(from, start) + ' '.repeat(wanted - leadingSpaces(text, start));
    from = start;
  }
  return result + text.slice(from);
}
