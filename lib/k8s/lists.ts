/** Kubernetes Lists (`kind: List`, `DeploymentList`, ...), unpacked into their items as `kubectl apply` does. */
import { Json, isRecord, objectName } from './objects';

// An item is found at its List's location, then by its place in the List: `app.yaml#1 items[0]`. The
// prefix starts with the outermost List's name, which the List's location already points at.
export function itemLocation(listLocation: string, prefix: string): string {
  return `${listLocation} ${prefix.slice(prefix.indexOf(' ') + 1).trimEnd()}`;
}

/**
 * Whether `object` is a List `kubectl apply` unpacks: any object with an `items` array, whatever its kind
 * (kubectl decodes such a document as a list, applies its items and drops the rest of it).
 */
export function isKubernetesList(object: unknown): object is Json & { items: unknown[] } {
  return isRecord(object) && Array.isArray(object.items);
}

/**
 * An item as kubectl reads it: one that names neither its kind nor its apiVersion (each missing, null,
 * empty or not text: apimachinery's `len(GetKind()) == 0 && len(GetAPIVersion()) == 0`) takes the List's
 * apiVersion and its kind without the `List` suffix (an item of a `ServiceList` is a Service).
 */
export function asListItem(list: Json, item: unknown): unknown {
  if (!isRecord(item) || isNamed(item.kind) || isNamed(item.apiVersion)) return item;
  const kind = typeof list.kind === 'string' ? list.kind.replace(/List$/, '') : list.kind;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = item;
  return { apiVersion: list.apiVersion, kind, ...rest };
}

function isNamed(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** Objects with every List replaced by its items, and where each item came from. */
export interface UnpackedObjects {
  readonly objects: readonly unknown[];
  /** For each object, the position of the object given that holds it; undefined when there was no List (each is its own). */
  readonly origins?: readonly number[];
  /** For each object, how its Lists name it (`List/legacy items[0] `), '' for an object given as such; undefined when there was no List. */
  readonly prefixes?: readonly string[];
}

/**
 * Replaces every List among `objects` by its items, depth-first (a List in a List too), as `kubectl
 * apply` does. Without a List, `objects` itself is returned.
 */
export function unpackLists(objects: readonly unknown[]): UnpackedObjects {
  let lists = false;
  for (let i = 0; i < objects.length && !lists; i++) lists = isKubernetesList(objects[i]);
  if (!lists) return { objects };
  const into: Unpacking = { objects: [], origins: [], prefixes: [] };
  const enclosing = new Set<unknown>();
  for (let i = 0; i < objects.length; i++) addUnpacked(objects[i], i, '', enclosing, into);
  return into;
}

interface Unpacking {
  readonly objects: unknown[];
  readonly origins: number[];
  readonly prefixes: string[];
}

function addUnpacked(object: unknown, origin: number, prefix: string, enclosing: Set<unknown>, into: Unpacking): void {
  // A List that holds itself (YAML aliases can) is unpacked once.
  if (!isKubernetesList(object) || enclosing.has(object)) {
    into.objects.push(object);
    into.origins.push(origin);
    into.prefixes.push(prefix);
    return;
  }
  enclosing.add(object);
  const listName = `${prefix}${objectName(object)}`;
  object.items.forEach((item, i) => addUnpacked(asListItem(object, item), origin, `${listName} items[${i}] `, enclosing, into));
  enclosing.delete(object);
}
