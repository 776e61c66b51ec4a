/**
 * Whether the API server would accept an object that protects pods, judged on what every object's
 * metadata must be and on a ServiceAccount's own fields. A rejected object is never created, while
 * `kubectl apply` goes on to create the pods: it protects nothing, and replaces nothing.
 */
import { isDnsLabel, isDnsSubdomain, labelProblems } from './names';
import { SERVICE_ACCOUNT, Shape, shapeProblems } from './object-shapes';
import { Json, asRecord, isSet } from './objects';

/** Why the API server cannot decode `object` as `shape` (a value of another type), or undefined. */
export function typeRejection(object: Json, shape: Shape): string | undefined {
  const { typeError } = shapeProblems(object, shape);
  return typeError === undefined ? undefined : rejectedType(typeError);
}

/**
 * Why kubectl's default strict field validation rejects `object`: a field its schema does not know, or
 * undefined. Applied with `--validate=false`, the object is created without the field.
 */
export function unknownFieldRejection(object: Json, shape: Shape): string | undefined {
  const { unknownField } = shapeProblems(object, shape);
  return unknownField === undefined ? undefined : rejectedField(unknownField, String(object.kind));
}

const rejectedType = (typeError: string) => `${typeError}, which the API server cannot decode`;
const rejectedField = (field: string, kind: string) => `${field} is not a field of ${kind}, which kubectl's default strict field validation rejects`;

/** Why the API server rejects an object's name, namespace or labels, or undefined when nothing here says it would. */
export function metadataRejection(object: Json): string | undefined {
  const metadata = asRecord(object.metadata);
  if (!isDnsSubdomain(metadata.name)) return `its name ${JSON.stringify(metadata.name)} is not a DNS-1123 subdomain`;
  // An empty namespace is none: kubectl applies the object to the namespace it is given.
  if (isSet(metadata.namespace) && metadata.namespace !== '' && !isDnsLabel(metadata.namespace)) {
    return `its namespace ${JSON.stringify(metadata.namespace)} is not a DNS-1123 label`;
  }
  return isSet(metadata.labels) ? labelProblems('metadata.labels', metadata.labels)[0] : undefined;
}

/**
 * Why a ServiceAccount is not created, or undefined when nothing here says so: the API server rejects it
 * (`strict` false), or kubectl's default strict field validation does too (`strict` true). What an account
 * turns off holds only if it is created however it is applied; a copy that may replace it counts unless it
 * is rejected however it is applied.
 */
export function serviceAccountRejection(account: Json, strict: boolean): string | undefined {
  // ServiceAccounts are served as v1 only: kubectl finds no other kind of that name ("no matches for kind").
  if (account.apiVersion !== 'v1') return `its apiVersion ${JSON.stringify(account.apiVersion)} does not serve ServiceAccounts (v1 does)`;
  const { typeError, unknownField } = shapeProblems(account, SERVICE_ACCOUNT);
  if (typeError !== undefined) return rejectedType(typeError);
  return metadataRejection(account) ?? (strict && unknownField !== undefined ? rejectedField(unknownField, 'ServiceAccount') : undefined);
}
