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

/**
 * Each annotation and label of `object`, of a CronJob's job template and of the pod template (a pod's own once),
 * judged by its value only:
 * their names are tools' settings, and a name that says `secret` (`checksum/secret`, Vault's
 * `agent-inject-secret-db`) mostly holds a digest or where the secret is kept. An annotation holding JSON
 * (Datadog's `ad.datadoghq.com/redis.instances`) is read as its texts, each also judged by its key (`password`).
 */
export function readPlainMetadata(object: Json, template: PodTemplate): PlainSetting[] {
  const settings: PlainSetting[] = [];
  const read = (metadata: Json, metaPath: string): void => {
    const annotations = asRecord(metadata.annotations);
    for (const name of Object.keys(annotations)) {
      const value = String(annotations[name]);
      const at = `${metaPath}.annotations["${name}"]`;
      const texts = jsonTexts(value);
      if (texts === undefined) {
        settings.push({ kind: 'annotation', name, at, value, fix: ANNOTATION_FIX });
        continue;
      }
      for (const text of texts) {
        settings.push({ kind: 'annotation', name: `${name}${text.path}`, at: `${at}${text.path}`, value: text.value, meaningfulName: text.key, fix: ANNOTATION_FIX });
      }
    }
    const labels = asRecord(metadata.labels);
    for (const name of Object.keys(labels)) settings.push({ kind: 'label', name, at: `${metaPath}.labels["${name}"]`, value: String(labels[name]), fix: LABEL_FIX });
  };
  read(asRecord(object.metadata), 'metadata');
  // A CronJob's Jobs carry the metadata of its jobTemplate.
  if (object.kind === 'CronJob') read(asRecord(asRecord(asRecord(object.spec).jobTemplate).metadata), 'spec.jobTemplate.metadata');
  if (template.metaPath !== 'metadata') read(template.metadata, template.metaPath);
  return settings;
}
