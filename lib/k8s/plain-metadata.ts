/**
 * The annotations and labels of a pod-bearing object and of its pod template: plain text to anyone who
 * can read the object or its pods (`kubectl get pod -o yaml`), where a secret could be written.
 */
import { PlainSetting } from '../core';
import { Json, PodTemplate, asRecord } from './objects';
import { jsonTexts } from '../core/json-texts';

const ANNOTATION_FIX = 'remove it from the annotations, which anyone who can read the pod sees in plain text (kubectl get pod -o yaml), '
  + 'and give the container the secret from a Kubernetes Secret (a SecureService: secrets)';
const LABEL_FIX = 'remove it from the labels, which anyone who can list the pods sees in plain text, '
  + 'and give the container the secret from a Kubernetes Secret (a SecureService: secrets)';

// Annotations that hold the object's own manifest as JSON (kubectl apply's, kapp's): judged as one value, not
// as settings, since the manifest's own annotations are read where they are.
const MANIFEST_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', 'kapp.k14s.io/original']);

/**
 * Each annotation and label of `object`, of a CronJob's job template and of the pod template (a pod's own once),
 * judged by its value; an annotation also by a name whose last word says it holds a secret (`password`, `token`).
 * Their names are mostly tools' settings, and one that says `secret` (`checksum/secret`, Vault's
 * `agent-inject-secret-db`) holds a digest or where the secret is kept. An annotation holding JSON
 * (Datadog's `ad.datadoghq.com/redis.instances`) is read as its texts, each also judged by its key (`password`).
 */
export function readPlainMetadata(object: Json, template: PodTemplate): PlainSetting[] {
  const settings: PlainSetting[] = [];
  const read = (metadata: Json, metaPath: string): void => {
    const annotations = asRecord(metadata.annotations);
    for (const name of Object.keys(annotations)) settings.push(...readAnnotation(name, String(annotations[name]), `${metaPath}.annotations["${name}"]`));
    const labels = asRecord(metadata.labels);
    for (const name of Object.keys(labels)) settings.push({ kind: 'label', name, at: `${metaPath}.labels["${name}"]`, value: String(labels[name]), fix: LABEL_FIX });
  };
  read(asRecord(object.metadata), 'metadata');
  // A CronJob's Jobs carry the metadata of its jobTemplate.
  if (object.kind === 'CronJob') read(asRecord(asRecord(asRecord(object.spec).jobTemplate).metadata), 'spec.jobTemplate.metadata');
  if (template.metaPath !== 'metadata') read(template.metadata, template.metaPath);
  return settings;
}

function readAnnotation(name: string, value: string, at: string): PlainSetting[] {
  const texts = MANIFEST_ANNOTATIONS.has(name) ? undefined : jsonTexts(value);
  if (texts !== undefined) {
    return texts.map((t) => ({ kind: 'annotation', name: name + t.path, at: at + t.path, value: t.value, meaningfulName: t.key, fix: ANNOTATION_FIX }));
  }
  // Judged by the last word of its name after its tool's `prefix/` (Elastic's hints, co.elastic.metrics/password).
  return [{ kind: 'annotation', name, at, value, meaningfulName: name.slice(name.lastIndexOf('/') + 1), judgedByLastWord: true, fix: ANNOTATION_FIX }];
}
