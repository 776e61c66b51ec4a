/**
 * The PersistentVolumes a pod's claims bind, or may be bound to, when the app holds them. A
 * PersistentVolume of the node's filesystem (`hostPath`, `local`) bound to a claim mounts the host as a
 * hostPath volume would: Pod Security Standards allow the claim, but not what it reaches.
 */
import { VolumePosture } from '../core';
import { Json, asArray, asRecord, isSet, namespaceOf, objectName } from './objects';
import { LabelSelectorJson, sameNamespace, selectorMatches } from './selectors';

/** A claim as the PersistentVolume controller binds it: one among the objects, or one created from a template. */
export interface ClaimToBind {
  /** The claim, or its template (`metadata`, `spec`); undefined for a claim not among the objects: its class is unknown. */
  readonly claim?: Json;
  readonly namespace: string | undefined;
  /** Whether a PersistentVolume's `claimRef.name` can be this claim's name (generated, for templates). */
  readonly isNamed: (name: unknown) => boolean;
  /** How messages name the claim. */
  readonly label: string;
  /** Whether a template creates the claim: its name is not in the pod's volume, so messages say which it is. */
  readonly fromTemplate: boolean;
}

/** The claims the pod's volumes name (`persistentVolumeClaim.claimName`). */
export function claimNames(spec: Json): Set<unknown> {
  const names = new Set<unknown>();
  for (const v of asArray(spec.volumes)) {
    const claim = asRecord(v).persistentVolumeClaim;
    if (isSet(claim)) names.add(asRecord(claim).claimName);
  }
  return names;
}

/** The claim a pod volume names (`persistentVolumeClaim`), the claim objects among `claims`. */
export function namedClaim(claimName: unknown, namespace: string | undefined, claims: readonly Json[]): ClaimToBind {
  const claim = claims.find((c) => c.metadata?.name === claimName && sameNamespace(c.metadata?.namespace, namespace));
  return { claim, namespace, isNamed: (name) => name === claimName, label: `claim ${JSON.stringify(claimName)}`, fromTemplate: false };
}

/** The claim a generic ephemeral volume creates for each pod from its `volumeClaimTemplate`, named `<pod>-<volume>`. */
export function ephemeralClaim(volume: Json, namespace: string | undefined): ClaimToBind {
  const suffix = `-${String(volume.name)}`;
  return {
    claim: asRecord(asRecord(volume.ephemeral).volumeClaimTemplate),
    namespace,
    // A controller's pods have generated names: any name ending in the volume's may be the claim's.
    isNamed: (name) => typeof name === 'string' && name.endsWith(suffix),
    label: `the pod's claim <pod>${suffix}`,
    fromTemplate: true,
  };
}

/** A claim a StatefulSet creates from a template: the template's name (the pod's volume), and where it is written. */
interface TemplateClaim {
  readonly name: string;
  readonly at: string;
  readonly claim: ClaimToBind;
}

/** The claims a StatefulSet creates for each pod from its `volumeClaimTemplates`, named `<template>-<statefulset>-<ordinal>`. */
function statefulSetClaims(workload: Json, namespace: string | undefined): TemplateClaim[] {
  if (workload.kind !== 'StatefulSet') return [];
  return asArray(asRecord(workload.spec).volumeClaimTemplates).map((t, i) => {
    const template = asRecord(t);
    const name = String(asRecord(template.metadata).name);
    const prefix = `${name}-${String(workload.metadata?.name)}-`;
    const isNamed = (claimName: unknown) => typeof claimName === 'string' && claimName.startsWith(prefix) && /^\d+$/.test(claimName.slice(prefix.length));
    return { name, at: `spec.volumeClaimTemplates[${i}]`, claim: { claim: template, namespace, isNamed, label: `each pod's claim ${prefix}<ordinal>`, fromTemplate: true } };
  });
}

/** The claims a workload's pods get from templates: of generic ephemeral volumes, and of a StatefulSet's `volumeClaimTemplates`. */
export function templateClaims(workload: Json, spec: Json): ClaimToBind[] {
  const namespace = namespaceOf(workload);
  const claims = asArray(spec.volumes).filter((v) => isSet(asRecord(v).ephemeral)).map((v) => ephemeralClaim(asRecord(v), namespace));
  return [...claims, ...statefulSetClaims(workload, namespace).map((c) => c.claim)];
}

/** A StatefulSet's claim templates as the volumes they become, where one may reach the node's filesystem: other claims every profile allows. */
export function readStatefulSetClaims(
  workload: Json, volumes: readonly Json[], mounters: ReadonlyMap<string, readonly string[]>, into: VolumePosture[],
): void {
  if (volumes.length === 0) return;
  for (const { name, at, claim } of statefulSetClaims(workload, namespaceOf(workload))) {
    const binding = hostBinding(claim, volumes);
    if (binding !== undefined) into.push({ name, kind: 'hostPath', at: `${at} (${binding})`, mountedBy: mounters.get(name) });
  }
}

/**
 * How the claim reaches a PersistentVolume of the node's filesystem, for messages, or undefined: the one
 * it names (`volumeName`), else one reserved for it (`claimRef`), else one the controller may bind it to.
 */
export function hostBinding(claim: ClaimToBind, volumes: readonly Json[]): string | undefined {
  let weaker: string | undefined;
  for (const volume of volumes) {
    const source = hostSource(volume);
    const how = source === undefined ? undefined : howBound(claim, volume);
    if (how === undefined) continue;
    const reached = `${objectName(volume)}, spec.${source}`;
    // A claim the volume names, bound for certain, needs no more words: the volume says which claim.
    const text = how.definite && !claim.fromTemplate ? `bound to ${reached}` : `${claim.label} ${how.why} to ${reached}`;
    if (how.definite) return text;
    weaker ??= text;
  }
  return weaker;
}

/** Whether the claim binds, or may be bound to, `volume`; for the context of a workload's pods. */
export function mayBind(claim: ClaimToBind, volume: Json): boolean {
  return howBound(claim, volume) !== undefined;
}

/** The source of a PersistentVolume on the node's own filesystem (`hostPath`, `local`), if it is one. */
export function hostSource(volume: Json): string | undefined {
  const spec = asRecord(volume.spec);
  return ['hostPath', 'local'].find((source) => isSet(spec[source]));
}

// As the PersistentVolume controller binds: a claim naming a volume binds only that one; a volume whose
// claimRef names a claim binds only that one; otherwise an unbound claim takes an available volume of
// its storage class whose labels its selector matches. Size and access modes are not compared: either
// can be made to fit, and a finding on a volume that never binds costs less than a miss.
function howBound(bind: ClaimToBind, volume: Json): { readonly definite: boolean; readonly why: string } | undefined {
  const spec = asRecord(bind.claim?.spec);
  if (isSet(spec.volumeName)) return volume.metadata?.name === spec.volumeName ? { definite: true, why: 'is bound by its volumeName' } : undefined;
  const ref = asRecord(asRecord(volume.spec).claimRef);
  if (isSet(ref.name)) {
    const reserved = bind.isNamed(ref.name) && sameNamespace(ref.namespace as string | undefined, bind.namespace);
    return reserved ? { definite: true, why: "is bound by the volume's claimRef" } : undefined;
  }
  if (bind.claim === undefined) return undefined;
  const claimClass = storageClass(bind.claim);
  // A claim without a class gets the cluster's default one, which the app does not show: it may be any.
  if (claimClass !== undefined && claimClass !== (storageClass(volume) ?? '')) return undefined;
  if (!selectorMatches(spec.selector as LabelSelectorJson | undefined, asRecord(volume.metadata?.labels) as Record<string, string>)) return undefined;
  return { definite: false, why: claimClass === undefined ? "may be bound by the cluster's default storage class (it names none)" : `may be bound by storage class ${JSON.stringify(claimClass)}` };
}

/** The storage class of a claim or volume: the legacy beta annotation wins over the field, as in the controller. */
function storageClass(object: Json): string | undefined {
  const annotation = asRecord(asRecord(object.metadata).annotations)['volume.beta.kubernetes.io/storage-class'];
  if (typeof annotation === 'string') return annotation;
  const field = asRecord(object.spec).storageClassName;
  return typeof field === 'string' ? field : undefined;
}
