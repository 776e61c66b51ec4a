/** Whether a pod gets Kubernetes API credentials: the automounted token, or a projected one it mounts. */
import { Observed } from '../core';
import { Json, asArray, asRecord, isSet, objectName } from './objects';
import { sameNamespace } from './selectors';

// A token is mounted when automounting is on, or when a container mounts a projected serviceAccountToken.
export function readServiceAccountToken(
  spec: Json, specPath: string, namespace: string | undefined, serviceAccounts: readonly Json[],
): Observed<boolean> {
  const automount = readAutomount(spec, specPath, namespace, serviceAccounts);
  return automount.value ? automount : projectedTokenMount(spec, specPath) ?? automount;
}

// The pod's own setting wins; else the ServiceAccount's (when it is among the objects); else Kubernetes mounts the token.
function readAutomount(spec: Json, specPath: string, namespace: string | undefined, serviceAccounts: readonly Json[]): Observed<boolean> {
  if (typeof spec.automountServiceAccountToken === 'boolean') {
    return { value: spec.automountServiceAccountToken, at: `${specPath}.automountServiceAccountToken` };
  }
  const accountName = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  const account = serviceAccounts.find((sa) => sa.metadata?.name === accountName && sameNamespace(sa.metadata?.namespace, namespace));
  if (account && typeof account.automountServiceAccountToken === 'boolean') {
    return { value: account.automountServiceAccountToken, at: `${objectName(account)} automountServiceAccountToken` };
  }
  return { value: true, at: `${specPath}.automountServiceAccountToken (unset: Kubernetes mounts the token${account ? '' : ` of ServiceAccount ${accountName}`})` };
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
