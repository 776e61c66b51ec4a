/**
 * Whether a pod gets Kubernetes API credentials: the automounted token, a projected one it mounts, or
 * the long-lived token of a ServiceAccount token Secret it mounts or reads into a variable.
 */
import { Observed } from '../core';
import { serviceAccountRejection } from './object-validity';
import { Json, asArray, asRecord, isSet, objectName } from './objects';
import { certainlySameNamespace, sameNamespace } from './selectors';

/** Whether `object` is a Secret Kubernetes fills with a ServiceAccount's long-lived token. */
export function isTokenSecret(object: Json): boolean {
  return object.kind === 'Secret' && object.type === 'kubernetes.io/service-account-token';
}

// A token is mounted when automounting is on, or when a container mounts a projected serviceAccountToken or uses a token Secret.
export function readServiceAccountToken(
  spec: Json, specPath: string, namespace: string | undefined, serviceAccounts: readonly Json[], tokenSecrets: readonly Json[] = [],
): Observed<boolean> {
  const automount = readAutomount(spec, specPath, namespace, serviceAccounts);
  return automount.value ? automount : projectedTokenMount(spec, specPath) ?? tokenSecretUse(spec, specPath, namespace, tokenSecrets) ?? automount;
}

/**
 * Every Secret the pod's containers can read, by name, and where: a mounted secret volume or projected
 * secret source, a variable's `secretKeyRef`, an `envFrom` `secretRef`.
 */
export function secretUses(spec: Json, specPath: string): { readonly name: unknown; readonly at: string }[] {
  const uses: { name: unknown; at: string }[] = [];
  asArray(spec.volumes).forEach((v, i) => {
    const volume = asRecord(v);
    const mount = mountOf(spec, volume.name);
    if (!mount) return;
    if (isSet(volume.secret)) uses.push({ name: asRecord(volume.secret).secretName, at: `${specPath}.volumes[${i}].secret (mounted ${mount})` });
    asArray(asRecord(volume.projected).sources).forEach((source, j) => {
      const secret = asRecord(source).secret;
      if (isSet(secret)) uses.push({ name: asRecord(secret).name, at: `${specPath}.volumes[${i}].projected.sources[${j}].secret (mounted ${mount})` });
    });
  });
  for (const [listKey, list] of [['initContainers', spec.initContainers], ['containers', spec.containers]] as const) {
    asArray(list).forEach((c, i) => {
      const container = asRecord(c);
      asArray(container.env).forEach((e, k) => {
        const ref = asRecord(asRecord(e).valueFrom).secretKeyRef;
        if (isSet(ref)) uses.push({ name: asRecord(ref).name, at: `${specPath}.${listKey}[${i}].env[${k}].valueFrom.secretKeyRef` });
      });
      asArray(container.envFrom).forEach((from, k) => {
        const ref = asRecord(from).secretRef;
        if (isSet(ref)) uses.push({ name: asRecord(ref).name, at: `${specPath}.${listKey}[${i}].envFrom[${k}].secretRef` });
      });
    });
  }
  return uses;
}

// The first use of a token Secret of the pod's namespace: the same API credentials as the automounted token, and they never expire.
function tokenSecretUse(spec: Json, specPath: string, namespace: string | undefined, tokenSecrets: readonly Json[]): Observed<boolean> | undefined {
  if (tokenSecrets.length === 0) return undefined;
  for (const use of secretUses(spec, specPath)) {
    const secret = tokenSecrets.find((s) => s.metadata?.name === use.name && sameNamespace(s.metadata?.namespace, namespace));
    if (secret) return { value: true, at: `${use.at}, ${objectName(secret)} of type kubernetes.io/service-account-token` };
  }
  return undefined;
}

// The pod's own setting wins; else the ServiceAccount's (when it is among the objects); else Kubernetes mounts the token.
function readAutomount(spec: Json, specPath: string, namespace: string | undefined, serviceAccounts: readonly Json[]): Observed<boolean> {
  if (typeof spec.automountServiceAccountToken === 'boolean') {
    return { value: spec.automountServiceAccountToken, at: `${specPath}.automountServiceAccountToken` };
  }
  const accountName = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  // Only an account certainly in the pods' namespace is theirs: another namespace's `default` says nothing
  // of their own. One the API server rejects is never created, so it says nothing either.
  const named = serviceAccounts.filter((sa) => sa.metadata?.name === accountName && certainlySameNamespace(sa.metadata?.namespace, namespace));
  const account = named.find((sa) => serviceAccountRejection(sa, true) === undefined);
  if (account && typeof account.automountServiceAccountToken === 'boolean') {
    const off = account.automountServiceAccountToken === false;
    return (off ? twinThatMounts(account, namespace, serviceAccounts) : undefined)
      ?? { value: account.automountServiceAccountToken, at: `${objectName(account)} automountServiceAccountToken` };
  }
  const rejected = account ? '' : named.map((sa) => `; ${objectName(sa)} is rejected by the API server: ${serviceAccountRejection(sa, true)}`).join('');
  return { value: true, at: `${specPath}.automountServiceAccountToken (unset: Kubernetes mounts the token${account ? '' : ` of ServiceAccount ${accountName}`}${rejected})` };
}

/**
 * Another ServiceAccount of the same name that may be the pods' and does not turn automounting off:
 * written twice, `kubectl apply` keeps the one it applies last, so the pods may get that one.
 */
function twinThatMounts(account: Json, namespace: string | undefined, serviceAccounts: readonly Json[]): Observed<boolean> | undefined {
  // One the API server rejects is never created, so it replaces nothing.
  const twin = serviceAccounts.find((sa) => sa !== account && sa.metadata?.name === account.metadata?.name
    && sameNamespace(sa.metadata?.namespace, namespace) && sa.automountServiceAccountToken !== false
    && serviceAccountRejection(sa, false) === undefined);
  if (!twin) return undefined;
  const setting = typeof twin.automountServiceAccountToken === 'boolean' ? `${twin.automountServiceAccountToken}` : 'unset: Kubernetes mounts the token';
  return {
    value: true,
    at: `${objectName(twin)} automountServiceAccountToken (${setting}; the ServiceAccount is written twice, and kubectl apply keeps the one it applies last)`,
  };
}

// The first projected serviceAccountToken source a container mounts: the same API credentials as the automounted token.
function projectedTokenMount(spec: Json, specPath: string): Observed<boolean> | undefined {
  const volumes = asArray(spec.volumes);
  for (let i = 0; i < volumes.length; i++) {
    const volume = asRecord(volumes[i]);
    const sources = asArray(asRecord(volume.projected).sources);
    for (let j = 0; j < sources.length; j++) {
      if (!isSet(asRecord(sources[j]).serviceAccountToken)) continue;
      const mount = mountOf(spec, volume.name);
      if (mount) return { value: true, at: `${specPath}.volumes[${i}].projected.sources[${j}].serviceAccountToken (mounted ${mount})` };
    }
  }
  return undefined;
}

// Where a container of the pod mounts the volume `name`: "at /path by container 'app'".
function mountOf(spec: Json, name: unknown): string | undefined {
  for (const list of [spec.initContainers, spec.containers]) {
    for (const c of asArray(list)) {
      for (const m of asArray(asRecord(c).volumeMounts)) {
        const mount = asRecord(m);
        if (mount.name === name) return `at ${mount.mountPath} by container '${asRecord(c).name}'`;
      }
    }
  }
  return undefined;
}
