/**
 * YAML files read as the tool that deploys them reads them: Kubernetes manifests as kubectl does (YAML
 * 1.1, go-yaml's rules), a CloudFormation template as CloudFormation does (YAML 1.1, short-form
 * intrinsics). Anything either would read otherwise, and any tag or warning the parser could not
 * resolve, is bad input: the message names the file and line.
 */
import { Document, LineCounter, Node, ParseOptions, isMap, isScalar, parseAllDocuments } from 'yaml';
import { CLOUDFORMATION_YAML_OPTIONS, cloudFormationYamlProblems } from './cloudformation-yaml';
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
}

/** The documents of a YAML file: a CloudFormation template's, or Kubernetes objects'. */
export function parseYaml(file: string, text: string): YamlDocument[] {
  const manifests = parse(text, KUBECTL_YAML_OPTIONS);
  // Which reader applies is told by the shape, which both read alike; only then do errors count.
  const template = isTemplate(manifests.documents);
  const parsed = template ? parse(text, CLOUDFORMATION_YAML_OPTIONS) : manifests;
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

function parse(text: string, options: ParseOptions): Parsed {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...options, lineCounter });
  return { documents: Array.isArray(documents) ? documents : [], lineCounter };
}

// As readFile tells a template: the one document that is not empty, a map with a map of Resources.
function isTemplate(documents: readonly Document.Parsed[]): boolean {
  const present = documents.filter((d) => d.contents !== null && !(isScalar(d.contents) && d.contents.value === null));
  return present.length === 1 && isMap(present[0].contents) && isMap(present[0].contents.get('Resources', true));
}

// The parser's message ends with the line and column, and the text around them: the file's line says that.
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function lineOf(parsed: Parsed, node: Node | null | undefined): number | undefined {
  const range = node?.range;
  return range ? parsed.lineCounter.linePos(range[0]).line : undefined;
}

// A merge key whose value is not a map fails only here, when the values are built.
function toJs(file: string, document: Document.Parsed): unknown {
  try {
    return document.toJS();
  } catch (e) {
    throw InputError.unread({ file, reason: `invalid YAML (${(e as Error).message})` });
  }
}
