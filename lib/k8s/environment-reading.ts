/**
 * Where a container's environment comes from, as the Kubernetes reader judges it: plain values and
 * ConfigMaps (plain text, not a secret store: SECRETS_NOT_IN_ENVIRONMENT) and Secrets (variables from
 * secret keys, whole Secrets, mounted secret volumes).
 */
import { PlainVariable } from '../core';
import { Json, asArray, asRecord, isSet } from './objects';

/** The names of the ConfigMaps some container of the pod takes variables from: every key (`envFrom`) or one (`configMapKeyRef`). */
export function envConfigMapNames(spec: Json): Set<unknown> {
  const names = new Set<unknown>();
  for (const list of [spec.initContainers, spec.containers]) {
    for (const c of asArray(list)) {
      for (const from of asArray(asRecord(c).envFrom)) {
        const ref = asRecord(from).configMapRef;
        if (isSet(ref)) names.add(asRecord(ref).name);
      }
      for (const e of asArray(asRecord(c).env)) {
        const ref = asRecord(asRecord(e).valueFrom).configMapKeyRef;
        if (isSet(ref)) names.add(asRecord(ref).name);
      }
    }
  }
  return names;
}

/**
 * Values written in the manifest, values from a ConfigMap, and the pod's own annotations and labels
 * (`podMetadata`, the template's): plain text every way, not a secret store.
 */
export function readPlainEnvironment(c: Json, path: string, configMaps: readonly Json[], podMetadata: Json): PlainVariable[] {
  const env = asArray(c.env);
  const plain: PlainVariable[] = [];
  for (let i = 0; i < env.length; i++) {
    const variable = asRecord(env[i]);
    const configMapKey = asRecord(variable.valueFrom).configMapKeyRef;
    if (isSet(configMapKey)) {
      const { name, key } = asRecord(configMapKey);
      // The value, when the ConfigMap is among the objects read: a password in it is as plain as one written here.
      for (const value of configMapValues(configMaps, name, key)) {
        plain.push({ name: String(variable.name), at: `${path}.env[${i}].valueFrom.configMapKeyRef`, source: `ConfigMap ${JSON.stringify(name)}`, value });
      }
    } else if (isSet(asRecord(variable.valueFrom).fieldRef)) {
      const field = podMetadataField(asRecord(asRecord(variable.valueFrom).fieldRef).fieldPath, podMetadata);
      if (field) plain.push({ name: String(variable.name), at: `${path}.env[${i}].valueFrom.fieldRef`, source: field.source, value: field.value });
    } else if (isSet(variable.value) && !isSet(variable.valueFrom)) {
      plain.push({ name: String(variable.name), at: `${path}.env[${i}]`, value: typeof variable.value === 'string' ? variable.value : undefined });
    }
  }
  readEnvFromConfigMaps(c, path, configMaps, plain);
  return plain;
}

// The downward API subscripts only annotations and labels, written `metadata.annotations['<key>']` (quotes as here).
const POD_METADATA_FIELD = /^metadata\.(annotations|labels)\['([^]*)'\]$/;

// A variable from one of the pod's annotations or labels is as plain as the manifest that writes it; its
// other fields (name, namespace, IPs, node) hold no secret.
function podMetadataField(fieldPath: unknown, podMetadata: Json): { readonly source: string; readonly value?: string } | undefined {
  const match = typeof fieldPath === 'string' ? POD_METADATA_FIELD.exec(fieldPath) : null;
  if (match === null) return undefined;
  const [, kind, key] = match;
  const value = asRecord(podMetadata[kind])[key];
  return { source: `the pod's ${kind === 'labels' ? 'label' : 'annotation'} ${JSON.stringify(key)}`, value: typeof value === 'string' ? value : undefined };
}

// `envFrom: configMapRef` makes every key of the ConfigMap a variable (with the prefix, if any). Only a
// ConfigMap among the objects read can be judged: one created elsewhere has keys no manifest here shows.
/**
 * The values `key` has in the ConfigMaps named `name`, each once; [undefined] when none is among the
 * objects. A ConfigMap written twice under one name may be either: `kubectl apply` keeps the one it applies last.
 */
function configMapValues(configMaps: readonly Json[], name: unknown, key: unknown): (string | undefined)[] {
  const values: (string | undefined)[] = [];
  for (const configMap of configMaps) {
    const value = configMap.metadata?.name === name ? asRecord(configMap.data)[String(key)] : undefined;
    if (typeof value === 'string' && !values.includes(value)) values.push(value);
  }
  return values.length > 0 ? values : [undefined];
}

function readEnvFromConfigMaps(c: Json, path: string, configMaps: readonly Json[], plain: PlainVariable[]): void {
  const envFrom = asArray(c.envFrom);
  for (let i = 0; i < envFrom.length; i++) {
    const from = asRecord(envFrom[i]);
    if (!isSet(from.configMapRef)) continue;
    const name = asRecord(from.configMapRef).name;
    const prefix = typeof from.prefix === 'string' ? from.prefix : '';
    for (const configMap of configMaps) {
      if (configMap.metadata?.name !== name) continue;
      const data = asRecord(configMap.data);
      for (const key of Object.keys(data)) {
        const value = data[key];
        plain.push({ name: `${prefix}${key}`, at: `${path}.envFrom[${i}].configMapRef`, source: `ConfigMap ${JSON.stringify(name)}`, value: typeof value === 'string' ? value : undefined });
      }
    }
  }
}

/** Where the container gets Secret data: variables from secret keys, whole Secrets, mounted secret volumes. */
export function readSecretNames(c: Json, secretVolumes: ReadonlySet<unknown>): string[] {
  const names: string[] = [];
  for (const e of asArray(c.env)) {
    const variable = asRecord(e);
    if (isSet(asRecord(variable.valueFrom).secretKeyRef)) names.push(String(variable.name));
  }
  for (const from of asArray(c.envFrom)) {
    const ref = asRecord(from).secretRef;
    if (isSet(ref)) names.push(`envFrom secret ${asRecord(ref).name}`);
  }
  for (const m of asArray(c.volumeMounts)) {
    const mount = asRecord(m);
    if (secretVolumes.has(mount.name)) names.push(String(mount.mountPath));
  }
  return names;
}

/** The names of the pod's volumes that carry a Secret (its own, or projected). */
export function secretVolumeNames(spec: Json): Set<unknown> {
  const names = new Set<unknown>();
  for (const v of asArray(spec.volumes)) {
    const volume = asRecord(v);
    const projectsSecret = asArray(asRecord(volume.projected).sources).some((s) => isSet(asRecord(s).secret));
    if (isSet(volume.secret) || projectsSecret) names.add(volume.name);
  }
  return names;
}
