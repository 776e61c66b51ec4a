import { readFileSync, statSync } from 'fs';
import { UnreadInput, describeUnreadInput } from '../core';
import { filesBelow, firstVisit, visited } from './find-files';
import { InputError } from './input-error';
import { DecodedText, STANDARD_INPUT, decodeText, looksLikeJson } from './input-text';
import { JsonStreamValue, jsonStreamValues } from './json-stream';
import { YamlDocument, parseYaml } from './yaml-documents';
import { asListItem, isKubernetesList } from '../k8s/lists';
import { isRecord } from '../k8s/objects';
import { isPodBearing } from '../k8s/pod-templates';

/** A CloudFormation template read from a file. */
export interface CloudFormationInput {
  readonly kind: 'cloudformation';
  readonly file: string;
  readonly template: { readonly Resources: Record<string, unknown> };
}

/** The Kubernetes objects of one file (every document; `List` items unpacked). */
export interface KubernetesInput {
  readonly kind: 'kubernetes';
  readonly file: string;
  readonly objects: readonly Record<string, unknown>[];
}

export type Input = CloudFormationInput | KubernetesInput;

export { InputError } from './input-error';

/** What a scan found: the inputs, and what it could not read. */
export interface ScannedInputs {
  readonly inputs: Input[];
  /**
   * Files and documents that could not be read, and paths where nothing was found to read: the report on
   * `inputs` is incomplete, so the CLI lists them in it and exits with 2.
   */
  readonly problems: UnreadInput[];
}

/**
 * Reads templates and manifests from files and directories, and fails (InputError) on anything it
 * cannot read. See `scanInputs`.
 */
export function readInputs(paths: readonly string[]): Input[] {
  const { inputs, problems } = scanInputs(paths, () => readFileSync(0));
  if (problems.length > 0) throw new InputError(problems.map(describeUnreadInput).join('\n'));
  return inputs;
}

/** The path that names standard input, as for `kubectl apply -f -`. */
export const STANDARD_INPUT_PATH = '-';

/**
 * Reads templates and manifests from files and directories (following symbolic links), and Kubernetes
 * manifests from standard input (`-`, read with `readStandardInput`). A file named
 * explicitly must be readable and hold a template or Kubernetes objects (else InputError). In
 * directories, JSON and YAML that is neither is passed over (cdk.out's manifest.json, tree.json, asset
 * manifests, package.json, Helm's Chart.yaml), unless it holds a workload the CLI cannot read (a
 * pod-bearing kind without apiVersion, an ECS task definition outside a template): that, invalid JSON
 * or YAML, and documents among Kubernetes objects that are not objects, are problems; so is a directory
 * with nothing to read at all (`dist/` before `cdk8s synth`).
 */
export function scanInputs(paths: readonly string[], readStandardInput: () => Buffer): ScannedInputs {
  const scan: ScannedInputs = { inputs: [], problems: [] };
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === STANDARD_INPUT_PATH) addRead(scan, readFromStandardInput(readStandardInput));
    else if (isDirectory(path)) scanDirectory(path, seen, scan);
    else if (firstVisit(path, seen)) addRead(scan, readFile(path, true));
  }
  return scan;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw InputError.unread({ file: path, reason: 'no such file or directory' });
  }
}

const NOTHING_FOUND = 'found no CloudFormation template or Kubernetes manifest to check (is it the right directory, and was the app synthesized?)';

// A directory given twice (or through a link) is read once, and is not empty the second time.
function scanDirectory(directory: string, seen: Set<string>, scan: ScannedInputs): void {
  const again = visited(directory, seen);
  const before = scan.inputs.length + scan.problems.length;
  for (const file of filesBelow(directory, seen, scan.problems)) addRead(scan, readFoundFile(file));
  if (!again && scan.inputs.length + scan.problems.length === before) scan.problems.push({ file: directory, reason: NOTHING_FOUND });
}

function addRead(scan: ScannedInputs, read: FileRead): void {
  if (read.input) scan.inputs.push(read.input);
  scan.problems.push(...read.problems);
}

interface FileRead {
  readonly input?: Input;
  readonly problems: UnreadInput[];
}

/** One parsed document, or one item of a `kind: List`, with where it is for messages. */
interface Item {
  readonly value: unknown;
  /** `document 2`, `document 1, items[3]` */
  readonly label: string;
  readonly line?: number;
}

/** A parsed document; YAML knows the line of each item of a `kind: List`. */
type ParsedDocument = Item & Partial<Pick<YamlDocument, 'itemLine'>>;

// A file found in a directory: what cannot be read there is a problem to report, not the end of the scan.
function readFoundFile(file: string): FileRead {
  try {
    return readFile(file, false);
  } catch (e) {
    if (e instanceof InputError) return { problems: [e.input ?? { file, reason: e.message }] };
    throw e;
  }
}

function readFile(file: string, named: boolean): FileRead {
  return readText(file, decodeText(readBytes(file, () => readFileSync(file))), named);
}

/**
 * Standard input holds what `helm template` or `kustomize build` print. A CloudFormation template is read
 * with the cloud assembly beside its file (the stack's environment, the acknowledgements CDK recorded,
 * nested templates, assets), which standard input cannot carry: it is refused, not judged without them.
 */
function readFromStandardInput(readStandardInput: () => Buffer): FileRead {
  const read = readText(STANDARD_INPUT, decodeText(readBytes(STANDARD_INPUT, readStandardInput)), true);
  if (read.input?.kind === 'cloudformation') {
    throw InputError.unread({
      file: STANDARD_INPUT,
      reason: 'is a CloudFormation template, which is read with the cloud assembly beside its file (the stack\'s environment, the '
        + 'acknowledgements CDK recorded, nested templates and assets); give the template\'s file or the cdk.out directory instead of -',
    });
  }
  return read;
}

function readBytes(file: string, read: () => Buffer): Buffer {
  try {
    return read();
  } catch (e) {
    throw InputError.unread({ file, reason: `cannot be read (${(e as Error).message})` });
  }
}

// JSON or YAML as kubectl tells them, by the content: a `.json` file may hold YAML, a `.yaml` file JSON.
function readText(file: string, { text, invalidUtf8AfterBom }: DecodedText, named: boolean): FileRead {
  const json = looksLikeJson(text);
  if (!json && invalidUtf8AfterBom) {
    throw InputError.unread({
      file,
      reason: 'bytes that are not UTF-8 after a UTF-8 byte order mark: kubectl reads them undecoded there, and its YAML parser refuses the file; '
        + 'save the file as UTF-8',
    });
  }
  const documents: ParsedDocument[] = json ? parseJsonDocuments(file, text) : parseYaml(file, text);
  const present = documents.filter((d) => d.value !== null && d.value !== undefined);

  if (present.length === 1 && isTemplate(present[0].value)) {
    return { input: { kind: 'cloudformation', file, template: present[0].value as CloudFormationInput['template'] }, problems: [] };
  }
  const items = present.flatMap(unpackList);
  const objects = items.filter((i) => isKubernetesObject(i.value));
  if (objects.length > 0) {
    // The objects are judged; a document beside them that is not one (a typo'd `apiversion`, a stray
    // `foo: bar`) would otherwise vanish, and with it perhaps the workload or NetworkPolicy it was meant to be.
    const strays = items.filter((i) => !isKubernetesObject(i.value));
    return {
      input: { kind: 'kubernetes', file, objects: objects.map((i) => i.value as Record<string, unknown>) },
      problems: strays.map((i) => at(file, i, `is not a Kubernetes object (${whyNotAnObject(i.value)}); the file's other objects were checked without it: fix or remove it`)),
    };
  }
  if (named) throw InputError.unread({ file, reason: 'neither a CloudFormation template (no Resources) nor Kubernetes objects (no document has apiVersion and kind)' });
  const workload = items.find((i) => describeWorkload(i.value) !== undefined);
  if (!workload) return { problems: [] };
  const why = `holds ${describeWorkload(workload.value)}, but the file was not read: ${whyNotAnObject(workload.value)}; fix it so it is a Kubernetes object or a CloudFormation template`;
  return { problems: [at(file, workload, why)] };
}

/**
 * A CloudFormation template: a map of Resources. One that also names an apiVersion or a kind is a Kubernetes
 * object or List whatever else it holds: kubectl applies it (a List's items, its other fields ignored), and
 * CloudFormation refuses a template with sections it does not define.
 */
function isTemplate(value: unknown): boolean {
  return isRecord(value) && isRecord(value.Resources) && value.apiVersion === undefined && value.kind === undefined;
}

function unpackList(document: ParsedDocument): Item[] {
  if (!isKubernetesList(document.value)) return [document];
  const list = document.value;
  return list.items.map((value, i) => ({ value: asListItem(list, value), label: `${document.label}, items[${i}]`, line: document.itemLine?.(i) }));
}

/** A problem with one document or List item: `file:line: document 2 is not ...`. */
function at(file: string, item: Item, what: string): UnreadInput {
  return { file, line: item.line, reason: `${item.label} ${what}` };
}

function whyNotAnObject(value: unknown): string {
  if (Array.isArray(value)) return 'it is a plain list; put the objects in a kind: List with items, or one per YAML document';
  if (!isRecord(value)) return `found: ${preview(value)}`;
  if (typeof value.kind === 'string' && typeof value.apiVersion !== 'string') return `kind ${value.kind} has no apiVersion, found keys: ${Object.keys(value).join(', ')}`;
  if (typeof value.apiVersion === 'string') return `apiVersion ${value.apiVersion} has no kind, found keys: ${Object.keys(value).join(', ')}`;
  return `it needs apiVersion and kind, found: ${preview(value)}`;
}

/** What workload a document that is not a Kubernetes object or template holds, if any: `a Deployment`. */
function describeWorkload(value: unknown): string | undefined {
  if (isPodBearing(value)) return `a ${value.kind}`;
  if (isRecord(value) && Array.isArray(value.containerDefinitions)) return 'an ECS task definition (containerDefinitions; the CLI reads task definitions from CloudFormation templates)';
  if (Array.isArray(value)) {
    const inside = value.find((v) => isPodBearing(v));
    if (inside) return `a ${inside.kind} in a plain list`;
  }
  return undefined;
}

function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** The values of a JSON file, each a document: kubectl reads a stream of them (see `jsonStreamValues`). */
function parseJsonDocuments(file: string, text: string): Item[] {
  return jsonStreamValues(text).map((value, i) => {
    const line = lineAt(text, value.start);
    if (value.text.startsWith('---')) {
      throw InputError.unread({
        file,
        line,
        reason: 'a --- between JSON objects: kubectl reads a file that starts with { as JSON, and stops there; '
          + 'write it all as YAML, or the objects one after another without ---',
      });
    }
    // Go's JSON decoder, which kubectl reads JSON with, refuses what is nested deeper.
    if (value.depth > MAX_JSON_DEPTH) throw InputError.unread({ file, line, reason: `JSON nested ${value.depth} deep, beyond the ${MAX_JSON_DEPTH} kubectl reads` });
    return { value: parseJson(file, text, value), label: `document ${i + 1}`, line };
  });
}

const MAX_JSON_DEPTH = 10_000;

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

// A number JavaScript reads as infinity (1e999) is one Go's JSON decoder refuses; only a long one can be.
const MAY_OVERFLOW = /\d{309}|[eE]\+?\d{3}/;
const INFINITY = 'a number beyond what a 64-bit float holds, which kubectl refuses; quote it if it is text';

function parseJson(file: string, text: string, value: JsonStreamValue): unknown {
  let overflow = false;
  const noteInfinity = (_: string, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) overflow = true;
    return v;
  };
  let parsed: unknown;
  try {
    parsed = MAY_OVERFLOW.test(value.text) ? JSON.parse(value.text, noteInfinity) : JSON.parse(value.text);
  } catch (e) {
    const message = (e as Error).message;
    const position = errorPosition(message, value.text);
    const line = position !== undefined ? lineAt(text, value.start + position) : undefined;
    const token = /^Unexpected token '([\s\S]+?)'/.exec(message);
    // The position is the value's, not the file's: the line says where.
    const summary = token ? `unexpected ${JSON.stringify(token[1])}` : message.split('\n')[0].replace(/ at position \d+(?: \(line \d+ column \d+\))?$/, '');
    throw InputError.unread({ file, line, reason: `invalid JSON (${summary})` });
  }
  if (overflow) throw InputError.unread({ file, line: lineAt(text, value.start), reason: INFINITY });
  return parsed;
}

/**
 * Where JSON.parse failed: V8 says "at position N", or quotes the text around the bad token (10
 * characters either side, with "..." where it cut), which is found again in the text.
 */
function errorPosition(message: string, text: string): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const quoted = /^Unexpected token [\s\S]*?, (\.\.\.)?"([\s\S]*?)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!quoted) return undefined;
  const start = text.indexOf(quoted[2]);
  return start < 0 ? undefined : start + (quoted[1] ? 10 : 0);
}

function isKubernetesObject(object: unknown): object is Record<string, unknown> {
  return isRecord(object) && typeof object.apiVersion === 'string' && typeof object.kind === 'string';
}

