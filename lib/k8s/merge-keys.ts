/**
 * Keys `<<` in the JSON of objects cdk8s writes. cdk8s writes such a key unquoted, so kubectl (YAML 1.1)
 * reads it as a merge key and merges its value into the map: `securityContext: { '<<': { privileged: true } }`
 * deploys a privileged container. The checks read the JSON, where it is an unknown key, so it is refused.
 * Manifests read from files (the CLI, the cdk8s plugin) have their merge keys applied when parsed.
 */

/** The key YAML 1.1 reads as a merge key when it is written unquoted. */
export const MERGE_KEY = '<<';

/** Deeper than Kubernetes objects nest; the bound keeps a cycle finite. */
const MAX_DEPTH = 100;

/** One problem per key `<<` in `json`, naming `name` and where the key is. */
export function mergeKeyProblems(json: unknown, name: string): string[] {
  // Every object the checks read is walked: paths are built only for the rare one that has such a key.
  if (!hasMergeKey(json, 0)) return [];
  const paths: string[] = [];
  findMergeKeys(json, '', paths, 0);
  return paths.map((path) => `${name}: key "<<" at ${path || 'the top level'}: cdk8s writes it unquoted, as a YAML merge key, so kubectl `
    + 'merges its value into that map, which the checks read as an unknown key; write the keys out in the map itself');
}

function hasMergeKey(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasMergeKey(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (key === MERGE_KEY || hasMergeKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function findMergeKeys(value: unknown, path: string, found: string[], depth: number): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) findMergeKeys(value[i], `${path}[${i}]`, found, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === MERGE_KEY) found.push(path);
    findMergeKeys((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, found, depth + 1);
  }
}
