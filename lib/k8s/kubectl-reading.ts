/**
 * Where kubectl reads the YAML cdk8s writes otherwise than the checks read its JSON. cdk8s writes YAML
 * 1.1 (`Yaml.stringify`), quoting only the text YAML 1.1 would read as something else; kubectl reads it
 * with go-yaml v2, which differs in two ways:
 * - a key `<<` is written unquoted, and kubectl reads it as a merge key: it merges its value into the
 *   map, so `securityContext: { '<<': { privileged: true } }` deploys a privileged container;
 * - text in Go's number forms that YAML 1.1 lacks (`0o7`, `0X1F`, `0B1`) is written unquoted, and kubectl
 *   reads a number: a NetworkPolicy port `'0o1'` is port 1, and a label `'0o7'` makes kubectl refuse the
 *   object, so a NetworkPolicy or ServiceAccount that protects the pods is never applied.
 * - U+0085 and U+007F to U+009F, U+2028, U+2029, U+FFFE and U+FFFF are written as they are: go-yaml reads
 *   the first three as line breaks (U+2028 in a plain value makes it refuse the object, U+0085 in a quoted
 *   one becomes a space) and refuses the others, which YAML does not allow in a file.
 * The checks read the JSON, so all of these are refused. Manifests read from files (the CLI, the cdk8s
 * plugin) are parsed as kubectl parses them (`lib/cli/kubectl-yaml.ts`, `lib/cli/yaml-documents.ts`).
 */
import { Yaml } from 'cdk8s';
import { goYamlNumber } from './go-yaml-numbers';

/** The key YAML 1.1 reads as a merge key when it is written unquoted. */
export const MERGE_KEY = '<<';

/** Deeper than Kubernetes objects nest; the bound keeps a cycle finite. */
const MAX_DEPTH = 100;

// Written by cdk8s as they are, and read otherwise or refused by go-yaml (see above).
const WRITTEN_UNREADABLE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/;

/** Whether kubectl reads `text`, a key or a value in what cdk8s writes, as a number. */
export function readAsNumber(text: string): boolean {
  const first = text.charCodeAt(0);
  // go-yaml tries a number only for a plain scalar that starts with a digit, a sign or a dot.
  const mayBeNumber = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  return mayBeNumber && goYamlNumber(text) !== text && writtenPlain(text);
}

// Asked of cdk8s's own writer, and only for text Go reads as a number: YAML 1.1 quotes most of it (0777, 0x1f, 1_000).
function writtenPlain(text: string): boolean {
  const written = Yaml.stringify(text);
  return written[0] !== '"' && written[0] !== '\'';
}

/** One problem per key `<<`, and per key or text kubectl reads as a number, in `json`, naming `name` and where each is. */
export function kubectlReadingProblems(json: unknown, name: string): string[] {
  // Every object the checks read may be walked: paths are built only for the rare one that needs them.
  if (!mayBeReadOtherwise(json, 0)) return [];
  const problems: string[] = [];
  findReadOtherwise(json, '', (problem) => problems.push(`${name}: ${problem}`), 0);
  return problems;
}

/** Whether kubectl reads `text`, a key or a value in what cdk8s writes, otherwise than the JSON has it, or refuses it. */
export function readOtherwise(text: string): boolean {
  return readAsNumber(text) || WRITTEN_UNREADABLE.test(text);
}

function mayBeReadOtherwise(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return readOtherwise(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayBeReadOtherwise(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (key === MERGE_KEY || readOtherwise(key) || mayBeReadOtherwise((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function findReadOtherwise(value: unknown, path: string, report: (problem: string) => void, depth: number): void {
  const at = path || 'the top level';
  if (typeof value === 'string' && WRITTEN_UNREADABLE.test(value)) report(`text at ${at} ${unreadableCharacter(value)}`);
  if (typeof value === 'string' && readAsNumber(value)) {
    report(`${JSON.stringify(value)} at ${at}: cdk8s writes this text unquoted, and kubectl reads it as ${numberRead(value)}: it refuses the object `
      + 'where text is needed, and elsewhere takes the number; write the number if that is meant, otherwise text that does not read as a number');
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) findReadOtherwise(value[i], `${path}[${i}]`, report, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === MERGE_KEY) {
      report(`key "<<" at ${at}: cdk8s writes it unquoted, as a YAML merge key, so kubectl merges its value into that map, which the checks read `
        + 'as an unknown key; write the keys out in the map itself');
    } else if (WRITTEN_UNREADABLE.test(key)) {
      report(`key ${JSON.stringify(key)} at ${at} ${unreadableCharacter(key)}`);
    } else if (readAsNumber(key)) {
      const number = goYamlNumber(key);
      const applied = number === undefined ? 'that number written out' : JSON.stringify(String(number));
      report(`key ${JSON.stringify(key)} at ${at}: cdk8s writes it unquoted, and kubectl reads it as ${numberRead(key)}, so the key it applies is ${applied}; `
        + 'write that key if it is meant, otherwise a key that does not read as a number');
    }
    findReadOtherwise((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, report, depth + 1);
  }
}

function unreadableCharacter(text: string): string {
  const code = text.charCodeAt(WRITTEN_UNREADABLE.exec(text)!.index);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const read = code === 0x85 || code === 0x2028 || code === 0x2029
    ? 'which kubectl reads as a line break: it refuses the object, or reads the text changed'
    : 'a character YAML does not allow in a file: kubectl refuses the file from this object on';
  return `holds ${hex}, written as it is by cdk8s, ${read}; take it out`;
}

function numberRead(text: string): string {
  const number = goYamlNumber(text);
  return number === undefined ? 'a number beyond 2^53' : `the number ${number}`;
}
