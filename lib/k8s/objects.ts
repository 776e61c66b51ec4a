/** Kubernetes objects as plain JSON (synthesized, or parsed from YAML), read the way the API server reads them. */

export type Json = Record<string, any>;

/** `Kind/namespace/name`, or `Kind/name` without a namespace. */
export function objectName(object: Json): string {
  const namespace = namespaceOf(object);
  const name = object.metadata?.name ?? '<unnamed>';
  return `${object.kind}/${namespace !== undefined ? `${namespace}/` : ''}${name}`;
}

/**
 * An object's namespace, or undefined when it has none: left out, null or "" alike, as kubectl reads
 * them (it applies such an object to the namespace it is given).
 */
export function namespaceOf(object: Json): string | undefined {
  const namespace = namespaceAsRead(object.metadata?.namespace);
  return typeof namespace === 'string' ? namespace : undefined;
}

/**
 * A namespace value as kubectl reads it: `null` (YAML's empty value) and "" are no namespace, like one
 * left out. Any other value that is not a string is kept: the API server rejects the object, so it is no
 * namespace's.
 */
export function namespaceAsRead(namespace: unknown): unknown {
  return namespace === null || namespace === '' ? undefined : namespace;
}

/** Whether a field is set: Kubernetes reads null as unset. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A pod template as read from a pod-bearing object: its metadata and spec, and where they are. */
export interface PodTemplate {
  readonly metadata: Json;
  readonly spec: Json;
  readonly metaPath: string;
  readonly specPath: string;
}

/** The API group of an object: `apps` of `apps/v1`, `` for the core group (`v1`). */
export function apiGroup(object: Json): string {
  const version = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const slash = version.indexOf('/');
  return slash < 0 ? '' : version.slice(0, slash);
}
