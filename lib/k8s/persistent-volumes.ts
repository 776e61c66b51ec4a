/**
 * The PersistentVolume behind a pod's claim, when the app holds both. A PersistentVolume of the node's
 * filesystem (`hostPath`, `local`) bound to the claim mounts the host as a hostPath volume would: Pod
 * Security Standards allow the claim, but not what it reaches.
 */
import { Json, asArray, asRecord, isSet } from './objects';
import { sameNamespace } from './selectors';

/** The claims the pod's volumes name (`persistentVolumeClaim.claimName`). */
export function claimNames(spec: Json): Set<unknown> {
  const names = new Set<unknown>();
  for (const v of asArray(spec.volumes)) {
    const claim = asRecord(v).persistentVolumeClaim;
    if (isSet(claim)) names.add(asRecord(claim).claimName);
  }
  return names;
}

/** The PersistentVolume the claim `name` of `namespace` binds: the one its claim names (`volumeName`), or one reserved for it (`claimRef`). */
export function boundVolume(name: unknown, namespace: string | undefined, claims: readonly Json[], volumes: readonly Json[]): Json | undefined {
  const claim = claims.find((c) => c.metadata?.name === name && sameNamespace(c.metadata?.namespace, namespace));
  const volumeName = asRecord(claim?.spec).volumeName;
  if (isSet(volumeName)) return volumes.find((pv) => pv.metadata?.name === volumeName);
  return volumes.find((pv) => {
    const ref = asRecord(asRecord(pv.spec).claimRef);
    return ref.name === name && sameNamespace(ref.namespace as string | undefined, namespace);
  });
}

/** The source of a PersistentVolume on the node's own filesystem (`hostPath`, `local`), if it is one. */
export function hostSource(volume: Json): string | undefined {
  const spec = asRecord(volume.spec);
  return ['hostPath', 'local'].find((source) => isSet(spec[source]));
}
