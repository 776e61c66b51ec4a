/**
 * Keys a caller may set, and the problems with the ones they may not: a misspelled prop (`allowfrom`,
 * `writeablePaths`, an exemption's `expiry`) would otherwise be dropped without a word, and with it
 * the restriction or the limit it was meant to set.
 */
import { shown } from './shown';

/** Every key of T, each once: the build fails when a key of T is missing here, or one is not T's. */
export type EveryKeyOf<T> = { readonly [K in keyof Required<T>]: true };

/** The keys of an `EveryKeyOf` table, as a list. */
export function keyList<T>(keys: EveryKeyOf<T>): readonly string[] {
  return Object.keys(keys);
}

/**
 * One problem per key of `value` not among `known`, naming it, its value, the known key it most
 * likely meant and every key there is. `what` names the object: 'a prop of k8s.SecureService'. A key
 * set to undefined sets nothing, so it is no problem (`{ ...defaults, extra: undefined }`). A key of
 * `elsewhere` (another target's prop, spread from a shared object) is explained by its entry instead.
 */
export function unknownKeyProblems(
  value: object, known: readonly string[], what: string, prefix = '', elsewhere: Readonly<Record<string, string>> = {},
): string[] {
  const fields = value as Record<string, unknown>;
  return Object.keys(value).filter((key) => !known.includes(key) && fields[key] !== undefined).map((key) => {
    if (Object.prototype.hasOwnProperty.call(elsewhere, key)) return `${prefix}${key} is not ${what}, found: ${shown(fields[key])}; ${elsewhere[key]}`;
    const closest = closestName(key, known);
    const hint = closest ? `did you mean ${closest}? ` : '';
    return `${prefix}${key} is not ${what}, found: ${shown(fields[key])}; ${hint}the known ones are ${known.join(', ')}`;
  });
}

/** The name among `names` a typo of `name` most likely meant: at most 3 edits away, ignoring case. */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const known of names) {
    const distance = editDistance(name.toLowerCase(), known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time (names are short). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
