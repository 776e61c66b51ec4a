import { readdirSync, readFileSync, statSync } from 'fs';
import { extname, join } from 'path';
import { parseAllDocuments } from 'yaml';

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

/** Input that cannot be read: the CLI exits with 2 and this message, which names the file (and line). */
export class InputError extends Error {}

const READABLE = ['.json', '.yaml', '.yml'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/**
 * Reads templates and manifests from files and directories. Files named explicitly must be readable and
 * hold a template or Kubernetes objects; in directories, other JSON (cdk.out's manifest.json,
 * tree.json, asset manifests) is passed over.
 */
export function readInputs(paths: readonly string[]): Input[] {
  return paths.flatMap((path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new InputError(`${path}: no such file or directory`);
    }
    if (!stats.isDirectory()) return [readFile(path, true)].filter((i): i is Input => i !== undefined);
    return filesBelow(path).map((file) => readFile(file, false)).filter((i): i is Input => i !== undefined);
  });
}

function filesBelow(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) || entry.name.startsWith('asset.') ? [] : filesBelow(path);
      return READABLE.includes(extname(entry.name)) ? [path] : [];
    });
}

function readFile(file: string, named: boolean): Input | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as Error).message})`);
  }
  const documents = extname(file) === '.json' ? [parseJson(file, text)] : parseYaml(file, text);
  const objects = documents.filter((d) => d !== null && d !== undefined);

  if (objects.length === 1 && isRecord(objects[0]) && isRecord(objects[0].Resources)) {
    return { kind: 'cloudformation', file, template: objects[0] as CloudFormationInput['template'] };
  }
  const kubernetes = objects.flatMap(unpackList);
  if (kubernetes.length > 0 && kubernetes.every(isKubernetesObject)) {
    return { kind: 'kubernetes', file, objects: kubernetes };
  }
  if (!named) return undefined;
  throw new InputError(`${file}: neither a CloudFormation template (no Resources) nor Kubernetes objects (apiVersion and kind in every document)`);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = errorPosition(message, text);
    const line = position !== undefined ? text.slice(0, position).split('\n').length : undefined;
    const token = /^Unexpected token '([\s\S]+?)'/.exec(message);
    const summary = token ? `unexpected ${JSON.stringify(token[1])}` : message.split('\n')[0];
    throw new InputError(`${file}${line ? `:${line}` : ''}: invalid JSON (${summary})`);
  }
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

function parseYaml(file: string, text: string): unknown[] {
  const documents = parseAllDocuments(text);
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      throw new InputError(`${file}:${error.linePos?.[0].line ?? '?'}: invalid YAML (${error.message.split('\n')[0]})`);
    }
  }
  return documents.map((d) => d.toJS());
}

function unpackList(object: unknown): unknown[] {
  return isRecord(object) && object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
}

function isKubernetesObject(object: unknown): object is Record<string, unknown> {
  return isRecord(object) && typeof object.apiVersion === 'string' && typeof object.kind === 'string';
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
