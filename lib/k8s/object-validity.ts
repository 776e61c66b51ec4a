/**
 * Whether the API server would accept an object that protects pods, judged on what every object's
 * metadata must be and on a ServiceAccount's own fields. A rejected object is never created, while
 * `kubectl apply` goes on to create the pods: it protects nothing, and replaces nothing.
 */
import { isDnsLabel, isDnsSubdomain, labelProblems } from './names';
import { Json, asRecord, isSet } from './objects';

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

/** Why the API server rejects a ServiceAccount, or undefined when nothing here says it would. */
export function serviceAccountRejection(account: Json): string | undefined {
  // ServiceAccounts are served as v1 only: kubectl finds no other kind of that name ("no matches for kind").
  if (account.apiVersion !== 'v1') return `its apiVersion ${JSON.stringify(account.apiVersion)} does not serve ServiceAccounts (v1 does)`;
  if (isSet(account.automountServiceAccountToken) && typeof account.automountServiceAccountToken !== 'boolean') {
    return `its automountServiceAccountToken ${JSON.stringify(account.automountServiceAccountToken)} is not a boolean`;
  }
  return metadataRejection(account) ?? referenceListRejection(account, 'imagePullSecrets') ?? referenceListRejection(account, 'secrets');
}

// A list of references ({ name }), as the API server decodes them.
function referenceListRejection(account: Json, field: string): string | undefined {
  const list = account[field];
  if (!isSet(list)) return undefined;
  if (!Array.isArray(list) || !list.every((item) => item === null || (typeof item === 'object' && !Array.isArray(item)))) {
    return `its ${field} ${JSON.stringify(list)} is not a list of references ({ name: ... })`;
  }
  return undefined;
}
