/**
 * Kubernetes YAML read as kubectl reads it. kubectl decodes manifests with sigs.k8s.io/yaml, which is
 * go-yaml v2: YAML 1.1, so merge keys (`<<`) apply and `yes`, `on` and `y` are true, numbers follow
 * go-yaml's rules (`0777` and `0o17` are octal, `_` may separate digits, `1:30` is text, not
 * sexagesimal) and timestamps stay text. What kubectl would read differently from us, or not at all,
 * is refused as bad input rather than guessed.
 */
import { Alias, Document, Node, Pair, ParseOptions, Scalar, ScalarTag, Tags, YAMLMap, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import { YamlProblem, tagsNamed } from './yaml-tags';
import { goYamlNumber } from '../k8s/go-yaml-numbers';

// Of the YAML 1.1 tags, those go-yaml resolves alike: maps, sequences, strings, null, booleans (y, yes,
// on ...) and merge keys. Numbers are go-yaml's own below; binary, sets, pairs and timestamps are not read.
const ALIKE = new Set(['map', 'seq', 'str', 'null', 'bool', 'merge'].map((name) => `tag:yaml.org,2002:${name}`));

// go-yaml resolves these, but kubectl then fails to convert them to JSON.
const INFINITY_OR_NAN: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  resolve: (text, onError) => {
    onError(`${text} is infinity or NaN, which kubectl cannot convert to JSON; quote it if it is text`);
    return text;
  },
};

// go-yaml tries a number for any plain scalar starting with a digit, a sign or a dot.
const GO_NUMBER: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+0-9.]/,
  resolve: (text, onError) => {
    const value = goYamlNumber(text);
    if (value === undefined) onError(`${text} is an integer beyond 2^53, which cannot be read exactly; quote it if it is text`);
    return value ?? text;
  },
};

/** Parse options that resolve scalars as go-yaml v2 does; explicit tags other than its own are left unresolved (warnings). */
export const KUBECTL_YAML_OPTIONS: ParseOptions & {
  version: '1.1'; resolveKnownTags: false; customTags: (tags: Tags) => Tags; uniqueKeys: false; keepSourceTokens: true;
} = {
  version: '1.1',
  resolveKnownTags: false,
  customTags: (tags) => [...tagsNamed(tags, (name) => ALIKE.has(name)), INFINITY_OR_NAN, GO_NUMBER],
  // A key given twice is refused below, named as kubectl reads keys (`on` and `yes` are one), not as the parser's error.
  uniqueKeys: false,
  // A double-quoted scalar's escapes are read from its source.
  keepSourceTokens: true,
};

/**
 * What in a document parsed with KUBECTL_YAML_OPTIONS kubectl would read otherwise: a `%YAML` version
 * other than 1.1, keys JSON cannot hold as kubectl converts them, keys given twice, merge keys that
 * go-yaml applies in document order where YAML (and we) let the map's own keys win, and what go-yaml v2
 * refuses where YAML 1.2 allows it (a `\/` escape, anchor names beyond letters, digits, `_` and `-`).
 */
export function kubectlYamlProblems(document: Document): YamlProblem[] {
  const problems: YamlProblem[] = [];
  if (document.directives?.yaml.explicit && document.directives.yaml.version !== '1.1') {
    problems.push({ node: document.contents ?? undefined, message: `%YAML ${document.directives.yaml.version}: kubectl reads YAML 1.1 only; remove the directive` });
  }
  visit(document, {
    Map: (_, map) => {
      problems.push(...anchorProblems(map), ...mapProblems(map, document));
    },
    Seq: (_, seq) => {
      problems.push(...anchorProblems(seq));
    },
    Scalar: (_, scalar) => {
      problems.push(...anchorProblems(scalar), ...escapeProblems(scalar));
    },
    Alias: (_, alias) => {
      problems.push(...anchorProblems(alias));
    },
  });
  return problems;
}

// go-yaml v2 names anchors with letters, digits, `_` and `-` only ("did not find expected alphabetic or numeric character").
const GO_YAML_ANCHOR = /^[0-9A-Za-z_-]+$/;

function anchorProblems(node: Node | Alias): YamlProblem[] {
  const name = isAlias(node) ? node.source : node.anchor;
  if (name === undefined || GO_YAML_ANCHOR.test(name)) return [];
  const what = isAlias(node) ? `alias *${name}` : `anchor &${name}`;
  return [{ node, message: `${what}: kubectl's go-yaml names anchors with letters, digits, _ and - only, and refuses the file; rename it` }];
}

/** `\/`, which YAML 1.2 reads as `/` and go-yaml v2 (YAML 1.1) refuses ("found unknown escape character"). */
function escapeProblems(scalar: Scalar): YamlProblem[] {
  const source = scalar.type === 'QUOTE_DOUBLE' && scalar.srcToken && 'source' in scalar.srcToken ? scalar.srcToken.source : '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue;
    if (source[i + 1] === '/') return [{ node: scalar, message: 'an escape \\/, which kubectl\'s go-yaml (YAML 1.1) does not know, and refuses the file; write / without the backslash' }];
    i++;
  }
  return [];
}

function mapProblems(map: YAMLMap, document: Document): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const own = new Set<string>();
  const keysSoFar = new Set<string>();
  for (const pair of map.items) {
    if (isMergeKey(pair)) {
      const merged = mergedKeys(pair.value, document);
      const overridden = [...merged].filter((key) => keysSoFar.has(key));
      if (overridden.length > 0) {
        problems.push({
          node: pair.key as Node,
          message: `merge key (<<) sets ${overridden.join(', ')} after the map set it: kubectl takes the merged value, YAML the map's own; `
            + 'put << first in the map, or remove the duplicate',
        });
      }
      merged.forEach((key) => keysSoFar.add(key));
      continue;
    }
    const key = jsonKey(pair.key);
    if (key === undefined) {
      problems.push({ node: pair.key as Node, message: 'a key that is not text, a boolean or an integer: kubectl cannot convert it to a JSON key; quote it' });
      continue;
    }
    if (own.has(key)) problems.push({ node: pair.key as Node, message: `key ${JSON.stringify(key)} is given twice (as kubectl reads the keys); keep one` });
    own.add(key);
    keysSoFar.add(key);
  }
  return problems;
}

function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === 'symbol';
}

/** The key as JSON names it once kubectl has converted it (`yes` and `true` are both "true"); undefined for what it cannot convert. */
function jsonKey(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const { value } = key;
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
}

/** The keys a merge key's value (a map, an alias of one, or a list of them) sets, its own merge keys applied. */
function mergedKeys(value: unknown, document: Document, depth = 0): Set<string> {
  const source = isAlias(value) ? value.resolve(document) : value;
  const keys = new Set<string>();
  // A merge source that is not a map fails when the document is built; the bound keeps any document finite.
  if (depth > 100) return keys;
  const maps = isSeq(source) ? source.items.map((item) => (isAlias(item) ? item.resolve(document) : item)) : [source];
  for (const map of maps) {
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const own = isMergeKey(pair) ? [...mergedKeys(pair.value, document, depth + 1)] : [jsonKey(pair.key)];
      own.forEach((key) => key !== undefined && keys.add(key));
    }
  }
  return keys;
}
