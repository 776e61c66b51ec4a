/**
 * YAML files read as the tool that deploys them reads them: Kubernetes manifests as kubectl does (YAML
 * 1.1, go-yaml's rules), a CloudFormation template as CloudFormation does (YAML 1.1, short-form
 * intrinsics). Anything either would read otherwise, and any tag or warning the parser could not
 * resolve, is bad input: the message names the file and line.
 */
import { Document, LineCounter, Node, ParseOptions, isMap, isNode, isScalar, parseAllDocuments, visit } from 'yaml';
import { CLOUDFORMATION_YAML_OPTIONS, cloudFormationYamlProblems } from './cloudformation-yaml';
import { indentGoYamlContinuations } from './go-yaml-continuations';
import { InputError } from './input-error';
import { KUBECTL_YAML_OPTIONS, kubectlYamlProblems } from './kubectl-yaml';

/** One document of a YAML file, with where it is for messages. */
export interface YamlDocument {
  readonly value: unknown;
  /** `document 2` */
  readonly label: string;
  readonly line?: number;
  /** The line of item `index` of the document's `items` (a `kind: List`). */
  readonly itemLine: (index: number) => number | undefined;
}

const CLOUDFORMATION_TAGS = 'use a short form CloudFormation defines (!Ref, !GetAtt, !Sub, !If ...) or write the function out';

interface Parsed {
  readonly documents: Document.Parsed[];
  readonly lineCounter: LineCounter;
  /** The text parsed: the file's, or the file's as `parseAsKubectl` makes it readable as kubectl reads it. */
  readonly text: string;
}

/** The documents of a YAML file: a CloudFormation template's, or Kubernetes objects'. */
export function parseYaml(file: string, text: string): YamlDocument[] {
  refuseOtherLineBreaks(file, text);
  refuseNotPrintable(file, text);
  refuseInnerByteOrderMarks(file, text);
  const manifests = parseAsKubectl(text);
  // Which reader applies is told by the shape, which both read alike; only then do errors count.
  const template = isTemplate(manifests.documents);
  const parsed = template ? parse(text, CLOUDFORMATION_YAML_OPTIONS) : manifests;
  if (!template) refuseOtherDocumentSplits(file, manifests.text, parsed);
  for (const document of parsed.documents) refuseUnreadable(file, parsed, document, template);
  return parsed.documents.map((document, d) => ({
    value: toJs(file, document),
    label: `document ${d + 1}`,
    line: lineOf(parsed, document.contents),
    itemLine: (index: number) => lineOf(parsed, document.getIn(['items', index], true) as Node | undefined),
  }));
}

/** Fails (InputError, with the line) on what the reader of the file would not read, or read otherwise. */
function refuseUnreadable(file: string, parsed: Parsed, document: Document.Parsed, template: boolean): void {
  const reader = template ? 'CloudFormation' : 'kubectl';
  const [error] = document.errors;
  // A value the reader refuses (kubectl's infinity, say) is not invalid YAML.
  const kind = error?.code === 'TAG_RESOLVE_FAILED' ? `cannot be read as ${reader} reads it` : 'invalid YAML';
  if (error) throw InputError.unread({ file, line: error.linePos?.[0].line, reason: `${kind} (${firstLine(error.message)})` });
  const [warning] = document.warnings;
  if (warning) {
    const reason = `cannot be read as ${reader} reads it (${firstLine(warning.message)}); ${template ? CLOUDFORMATION_TAGS : 'remove the tag'}`;
    throw InputError.unread({ file, line: warning.linePos?.[0].line, reason });
  }
  const [problem] = (template ? cloudFormationYamlProblems : kubectlYamlProblems)(document);
  if (problem) throw InputError.unread({ file, line: lineOf(parsed, problem.node), reason: problem.message });
}

// YAML 1.1 ends a line at each of these, as kubectl's go-yaml and CloudFormation read it; YAML 1.2, and
// this parser, only at \n and \r\n. A file with one reads otherwise here: `hostPID: true` after a comment
// that one of them ends, say, would be a comment here and a setting for kubectl.
const YAML_11_LINE_BREAKS = /\r(?!\n)|[\u0085\u2028\u2029]/;
const LINE_BREAK_NAMES: Record<string, string> = { '\r': 'a carriage return without a line feed', '\u0085': 'U+0085 (next line)', '\u2028': 'U+2028 (line separator)', '\u2029': 'U+2029 (paragraph separator)' };

function refuseOtherLineBreaks(file: string, text: string): void {
  const found = YAML_11_LINE_BREAKS.exec(text);
  if (!found) return;
  throw InputError.unread({
    file,
    line: lineAt(text, found.index),
    reason: `${LINE_BREAK_NAMES[found[0]]}, which kubectl and CloudFormation (YAML 1.1) read as a line break and YAML 1.2 does not, `
      + 'so what follows it cannot be read as they read it; end lines with \\n (or \\r\\n), and write the character escaped in a double-quoted string where it is text '
      + '(cdk8s writes it as it is: take it out of the value)',
  });
}

// Outside YAML's printable set: go-yaml refuses the file ("control characters are not allowed"), this parser reads it.
const NOT_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;

function refuseNotPrintable(file: string, text: string): void {
  const found = NOT_PRINTABLE.exec(text);
  if (!found) return;
  const hex = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  throw InputError.unread({
    file,
    line: lineAt(text, found.index),
    reason: `U+${hex}, a control character YAML does not allow in a file: kubectl refuses the file (and CloudFormation the template); `
      + `where it is text, write it escaped in a double-quoted string (\\u${hex}), otherwise remove it`,
  });
}

// go-yaml skips a byte order mark at the start of any line, so `\ufeffspec:` is `spec:` to kubectl and an unknown key
// here; inside a value it refuses the file. Only the file's first character may be one (a file saved with a BOM).
function refuseInnerByteOrderMarks(file: string, text: string): void {
  const at = text.indexOf('\ufeff', 1);
  if (at < 0) return;
  throw InputError.unread({
    file,
    line: lineAt(text, at),
    reason: 'a byte order mark (U+FEFF) after the start of the file, which kubectl skips at the start of a line and refuses elsewhere, '
      + 'so what it is next to cannot be read as kubectl reads it (files saved with a BOM, joined); remove it',
  });
}

/**
 * kubectl splits a file into documents at each line that starts with `---` (apimachinery's YAMLReader),
 * stops at such a line with more than a comment after the `---`, and reads only the first YAML document
 * of each part (go-yaml): a document after a `...` end marker in the same part is dropped without a word,
 * with the NetworkPolicy or the settings it holds. Both are refused.
 */
function refuseOtherDocumentSplits(file: string, text: string, parsed: Parsed): void {
  const separators: number[] = [];
  for (const line of text.matchAll(/^---(.*)$/gm)) {
    const after = line[1].trim();
    if (after !== '' && !after.startsWith('#')) {
      throw InputError.unread({
        file,
        line: lineAt(text, line.index!),
        reason: `a document separator with ${JSON.stringify(after.length > 40 ? `${after.slice(0, 37)}...` : after)} after it: kubectl stops reading the file there (invalid Yaml document separator); `
          + 'put what follows --- on the next line',
      });
    }
    separators.push(line.index!);
  }
  // The documents come in order: the part of each is the number of separators before it. An empty one counts:
  // a part that opens with `...` is an error to go-yaml, and kubectl stops there.
  let part = 0;
  let lastPart: number | undefined;
  for (const document of parsed.documents) {
    const start = document.range[0];
    while (part < separators.length && separators[part] <= start) part++;
    if (part === lastPart) {
      throw InputError.unread({
        file,
        line: lineOf(parsed, document.contents) ?? lineAt(text, start),
        reason: 'a document that follows another without a --- line between them (after a ... end marker): kubectl splits documents only at ---, '
          + 'and drops this one or stops there; separate documents with ---',
      });
    }
    lastPart = part;
  }
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * The file parsed with kubectl's options; where that fails, with the lines of quoted scalars and flow
 * collections indented that go-yaml reads at any indentation (see `indentGoYamlContinuations`), if that reads.
 * kubectl splits documents at `---#comment` too, which YAML reads as text: a space is put after the dashes.
 */
function parseAsKubectl(fileText: string): Parsed {
  const text = fileText.replace(/^---#/gm, '--- #');
  const parsed = parse(text, KUBECTL_YAML_OPTIONS);
  if (!hasErrors(parsed)) return parsed;
  const indented = indentGoYamlContinuations(text);
  if (indented === undefined) return parsed;
  const reparsed = parse(indented, KUBECTL_YAML_OPTIONS);
  return hasErrors(reparsed) || hasKeyOverLines(reparsed) ? parsed : reparsed;
}

// go-yaml refuses a key over several lines (`{ "a\n b": c }`), which this parser reads in a flow collection.
function hasKeyOverLines(parsed: Parsed): boolean {
  let found = false;
  const lineAtOffset = (offset: number) => parsed.lineCounter.linePos(offset).line;
  for (const document of parsed.documents) {
    visit(document, {
      Pair: (_, pair) => {
        const range = isNode(pair.key) ? pair.key.range : undefined;
        if (range && lineAtOffset(range[0]) !== lineAtOffset(range[1])) found = true;
      },
    });
  }
  return found;
}

function hasErrors(parsed: Parsed): boolean {
  return parsed.documents.some((document) => document.errors.length > 0);
}

function parse(text: string, options: ParseOptions): Parsed {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...options, lineCounter });
  return { documents: Array.isArray(documents) ? documents : [], lineCounter, text };
}

// As readFile tells a template: the one document that is not empty, a map with a map of Resources and no apiVersion or kind.
function isTemplate(documents: readonly Document.Parsed[]): boolean {
  const present = documents.filter((d) => !isEmpty(d));
  const contents = present.length === 1 ? present[0].contents : undefined;
  return isMap(contents) && isMap(contents.get('Resources', true)) && !contents.has('apiVersion') && !contents.has('kind');
}

function isEmpty(document: Document.Parsed): boolean {
  return document.contents === null || (isScalar(document.contents) && document.contents.value === null);
}

// The parser's message ends with the line and column, and the text around them: the file's line says that.
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function lineOf(parsed: Parsed, node: Node | null | undefined): number | undefined {
  const range = node?.range;
  return range ? parsed.lineCounter.linePos(range[0]).line : undefined;
}

const MAX_ALIASES = 10_000;

// A merge key whose value is not a map fails only here, when the values are built.
function toJs(file: string, document: Document.Parsed): unknown {
  try {
    // go-yaml expands aliases without a fixed count (manifests with many `*ref`s are read); the bound still stops an alias bomb.
    return document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw InputError.unread({ file, reason: `invalid YAML (${(e as Error).message})` });
  }
}
