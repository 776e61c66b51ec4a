/**
 * Kubernetes label selectors over plain JSON, as the API server reads them: used to find which
 * NetworkPolicies and Services apply to a pod template.
 */
import { namespaceAsRead } from './objects';

/** A label selector as written in a manifest (`matchLabels` and `matchExpressions`). */
export interface LabelSelectorJson {
  readonly matchLabels?: { readonly [key: string]: string };
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** Whether `selector` selects an object with `labels`; an empty selector selects everything. */
export function selectorMatches(selector: LabelSelectorJson | undefined, labels: { readonly [key: string]: string }): boolean {
  return selectorMatch(selector, labels, NO_KEYS) === 'yes';
}

/** Whether a selector selects pods: `maybe` where it turns on labels whose values the manifests do not give. */
export type Selected = 'yes' | 'no' | 'maybe';

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * How `selector` selects objects with `labels` and, of unknown value (perhaps absent), the labels `unknown`:
 * `no` as soon as one requirement fails, `maybe` when one turns on an unknown label.
 */
export function selectorMatch(
  selector: LabelSelectorJson | undefined, labels: { readonly [key: string]: string }, unknown: ReadonlySet<string>,
): Selected {
  if (selector === undefined || selector === null || typeof selector !== 'object') return 'yes';
  let selected: Selected = 'yes';
  const matchLabels = selector.matchLabels ?? {};
  for (const key of Object.keys(matchLabels)) {
    if (unknown.has(key)) selected = 'maybe';
    else if (labels[key] !== matchLabels[key]) return 'no';
  }
  const expressions: unknown = selector.matchExpressions ?? [];
  // A selector the API server would reject selects nothing: expressions that are not a list of objects, values not a list.
  if (!Array.isArray(expressions)) return 'no';
  for (const written of expressions as unknown[]) {
    if (typeof written !== 'object' || written === null) return 'no';
    const expression = written as { readonly key: string; readonly operator: unknown; readonly values?: unknown };
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    if (!Array.isArray(values)) return 'no';
    // An operator the API server would reject selects nothing.
    if (!OPERATORS.has(expression.operator)) return 'no';
    if (unknown.has(expression.key)) {
      selected = 'maybe';
      continue;
    }
    switch (expression.operator) {
      case 'In': if (!has || !values.includes(labels[expression.key])) return 'no'; break;
      case 'NotIn': if (has && values.includes(labels[expression.key])) return 'no'; break;
      case 'Exists': if (!has) return 'no'; break;
      default: if (has) return 'no'; // DoesNotExist
    }
  }
  return selected;
}

const OPERATORS: ReadonlySet<unknown> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * Whether two namespaces can be the same: equal, or one of them unset (an unset namespace is
 * decided at apply time, so it may be any). Takes them as written: `namespace: null` and "" are unset.
 */
export function sameNamespace(a: unknown, b: unknown): boolean {
  const x = namespaceAsRead(a);
  const y = namespaceAsRead(b);
  return x === undefined || y === undefined || x === y;
}

/**
 * Whether two namespaces are certainly the same: both set and equal, or both unset. An object that
 * protects pods (a NetworkPolicy, their ServiceAccount) counts only then: an unset namespace is decided
 * at apply time, so it may be another one.
 */
export function certainlySameNamespace(a: unknown, b: unknown): boolean {
  return namespaceAsRead(a) === namespaceAsRead(b);
}
