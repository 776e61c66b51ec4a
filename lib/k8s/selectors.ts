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
  if (selector === undefined || selector === null || typeof selector !== 'object') return true;
  const matchLabels = selector.matchLabels ?? {};
  for (const key of Object.keys(matchLabels)) {
    if (labels[key] !== matchLabels[key]) return false;
  }
  const expressions: unknown = selector.matchExpressions ?? [];
  // A selector the API server would reject selects nothing: expressions that are not a list of objects, values not a list.
  if (!Array.isArray(expressions)) return false;
  for (const written of expressions as unknown[]) {
    if (typeof written !== 'object' || written === null) return false;
    const expression = written as { readonly key: string; readonly operator: unknown; readonly values?: unknown };
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    if (!Array.isArray(values)) return false;
    switch (expression.operator) {
      case 'In': if (!has || !values.includes(labels[expression.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[expression.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      // An operator the API server would reject selects nothing.
      default: return false;
    }
  }
  return true;
}

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
