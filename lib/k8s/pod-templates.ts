/** Which Kubernetes kinds run pods, and where in each the pod template is. */
import { Json, PodTemplate, asRecord, isRecord } from './objects';

/** Kinds that carry a pod template, and where the template is. */
export const POD_TEMPLATE_PATHS: { readonly [kind: string]: string | undefined } = {
  Pod: '',
  Deployment: 'spec.template',
  StatefulSet: 'spec.template',
  DaemonSet: 'spec.template',
  ReplicaSet: 'spec.template',
  ReplicationController: 'spec.template',
  Job: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
};

// The same paths as keys, split once rather than for every workload read.
const POD_TEMPLATE_KEYS = new Map(Object.keys(POD_TEMPLATE_PATHS).map((kind) => [kind, POD_TEMPLATE_PATHS[kind]!.split('.').filter((key) => key !== '')]));

/** Whether `object` is a kind that runs pods. */
export function isPodBearing(object: unknown): object is Json {
  return isRecord(object) && typeof object.kind === 'string' && POD_TEMPLATE_PATHS[object.kind] !== undefined;
}

/** The pod template of a pod-bearing object, and where its metadata and spec are. */
export function podTemplate(object: Json): PodTemplate {
  const path = POD_TEMPLATE_PATHS[object.kind]!;
  if (path === '') {
    return { metadata: asRecord(object.metadata), spec: asRecord(object.spec), metaPath: 'metadata', specPath: 'spec' };
  }
  let template: unknown = object;
  for (const key of POD_TEMPLATE_KEYS.get(object.kind)!) template = isRecord(template) ? template[key] : undefined;
  const { metadata, spec } = asRecord(template);
  return { metadata: asRecord(metadata), spec: asRecord(spec), metaPath: `${path}.metadata`, specPath: `${path}.spec` };
}
