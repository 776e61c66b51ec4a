/**
 * Rendered JSON copied into objects that share V8's hidden classes.
 *
 * cdk8s-plus-27 builds each object it renders with `{ ...result, [key]: value }`, and in a real app's
 * process V8 gives nearly every object built that way a hidden class of its own (at 300 services:
 * every metadata, pod template labels, probe and volume). V8 then reads each field of them through its
 * slowest path: about 150 ns, against 15 ns for an object whose hidden class it has seen before.
 * Copied once, key by key, objects with the same keys share hidden classes again, and what reads them
 * afterwards, the checks and cdk8s's YAML writer, reads at the usual speed (bench/PROFILING.md).
 */
import { MERGE_KEY, readOtherwise } from './kubectl-reading';

/** Deeper than Kubernetes objects nest: a rendering that goes deeper (a cycle) is kept as it is from there on. */
const MAX_DEPTH = 100;

/** A rendering's copy (`copyWithSharedShapes`), and whether kubectl may read some of it otherwise (`kubectl-reading.ts`). */
export interface SharedShapesCopy {
  readonly copy: unknown;
  /**
   * A key `<<`, or a key or text kubectl reads as a number, was copied, or an object was kept as it is
   * (not plain, or deeper than MAX_DEPTH), which the copy did not look into.
   */
  readonly mayBeReadOtherwise: boolean;
}

/**
 * A copy of `value` with the same keys in the same order and the same values: plain objects and arrays
 * are copied, anything else (strings, numbers, objects of a class) is kept as it is. Renderings are
 * trees (cdk8s and cdk8s-plus build every value afresh); an object that appears twice is copied twice.
 * The copy sees every key and text of the rendering, so it notes whether kubectl may read one otherwise:
 * an app whose objects hold none needs no second walk over all of them to know it.
 */
export function copyWithSharedShapes(value: unknown): SharedShapesCopy {
  const seen = { mayBeReadOtherwise: false };
  const copy = copied(value, 0, seen);
  return { copy, mayBeReadOtherwise: seen.mayBeReadOtherwise };
}

function copied(value: unknown, depth: number, seen: { mayBeReadOtherwise: boolean }): unknown {
  if (typeof value === 'string' && readOtherwise(value)) seen.mayBeReadOtherwise = true;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) {
    seen.mayBeReadOtherwise = true;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => copied(item, depth + 1, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    seen.mayBeReadOtherwise = true;
    return value;
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === MERGE_KEY || readOtherwise(key)) seen.mayBeReadOtherwise = true;
    copy[key] = copied(source[key], depth + 1, seen);
  }
  return copy;
}
