/**
 * The JSON shapes of the objects that protect pods (NetworkPolicies, ServiceAccounts), as the API server
 * decodes them. A value of another type (a string where a list belongs, a number as a label value) fails
 * decoding whatever kubectl asks for, so the object is never created. A field the schema does not know
 * fails it under kubectl's default strict field validation only (`--validate=false` drops the field).
 */
import { isRecord } from './objects';

/** A JSON type the API server decodes, or the fields of an object. `null` decodes as unset wherever it is. */
export type Shape = 'string' | 'boolean' | 'integer' | 'intOrString' | 'stringMap' | 'any' | { readonly list: Shape } | { readonly fields: Fields };
type Fields = { readonly [field: string]: Shape };

/** What decoding `value` as `shape` finds wrong: a type error, and the first field the shape does not know. */
export interface ShapeProblems {
  readonly typeError?: string;
  readonly unknownField?: string;
}

const OBJECT_META: Shape = {
  fields: {
    name: 'string',
    generateName: 'string',
    namespace: 'string',
    selfLink: 'string',
    uid: 'string',
    resourceVersion: 'string',
    generation: 'integer',
    creationTimestamp: 'any',
    deletionTimestamp: 'any',
    deletionGracePeriodSeconds: 'integer',
    labels: 'stringMap',
    annotations: 'stringMap',
    ownerReferences: { list: 'any' },
    finalizers: { list: 'string' },
    managedFields: { list: 'any' },
  },
};

const LABEL_SELECTOR: Shape = {
  fields: { matchLabels: 'stringMap', matchExpressions: { list: { fields: { key: 'string', operator: 'string', values: { list: 'string' } } } } },
};

const PEER: Shape = {
  fields: { podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR, ipBlock: { fields: { cidr: 'string', except: { list: 'string' } } } },
};
const PORT: Shape = { fields: { protocol: 'string', port: 'intOrString', endPort: 'integer' } };

/** networking.k8s.io/v1 NetworkPolicy. */
export const NETWORK_POLICY: Shape = {
  fields: {
    apiVersion: 'string',
    kind: 'string',
    metadata: OBJECT_META,
    spec: {
      fields: {
        podSelector: LABEL_SELECTOR,
        policyTypes: { list: 'string' },
        ingress: { list: { fields: { from: { list: PEER }, ports: { list: PORT } } } },
        egress: { list: { fields: { to: { list: PEER }, ports: { list: PORT } } } },
      },
    },
    status: 'any',
  },
};

const OBJECT_REFERENCE: Shape = {
  fields: { apiVersion: 'string', fieldPath: 'string', kind: 'string', name: 'string', namespace: 'string', resourceVersion: 'string', uid: 'string' },
};

/** v1 ServiceAccount. */
export const SERVICE_ACCOUNT: Shape = {
  fields: {
    apiVersion: 'string',
    kind: 'string',
    metadata: OBJECT_META,
    automountServiceAccountToken: 'boolean',
    imagePullSecrets: { list: { fields: { name: 'string' } } },
    secrets: { list: OBJECT_REFERENCE },
  },
};

/** What decoding `value` as `shape` finds wrong, with paths from `path`. */
export function shapeProblems(value: unknown, shape: Shape, path = ''): ShapeProblems {
  const found: { typeError?: string; unknownField?: string } = {};
  walk(value, shape, path, found);
  return found;
}

function walk(value: unknown, shape: Shape, path: string, found: { typeError?: string; unknownField?: string }): void {
  if (value === null || value === undefined || shape === 'any' || found.typeError) return;
  const wrong = (expected: string) => {
    found.typeError = `${path || 'the object'} is ${JSON.stringify(value)}, not ${expected}`;
  };
  if (shape === 'string' || shape === 'boolean') {
    if (typeof value !== shape) wrong(`a ${shape}`);
  } else if (shape === 'integer') {
    if (!Number.isInteger(value)) wrong('an integer');
  } else if (shape === 'intOrString') {
    if (typeof value !== 'string' && !Number.isInteger(value)) wrong('an integer or a string');
  } else if (shape === 'stringMap') {
    const bad = isRecord(value) ? Object.entries(value).find(([, v]) => v !== null && typeof v !== 'string') : undefined;
    if (!isRecord(value)) wrong('a map of strings');
    else if (bad) found.typeError = `${path}.${bad[0]} is ${JSON.stringify(bad[1])}, not a string`;
  } else if ('list' in shape) {
    if (!Array.isArray(value)) wrong('a list');
    else value.forEach((item, i) => walk(item, shape.list, `${path}[${i}]`, found));
  } else if (!isRecord(value)) {
    wrong('an object');
  } else {
    for (const [field, item] of Object.entries(value)) {
      const at = path === '' ? field : `${path}.${field}`;
      const fieldShape = shape.fields[field];
      if (fieldShape === undefined) found.unknownField ??= at;
      else walk(item, fieldShape, at, found);
    }
  }
}
