/**
 * Reads pod-bearing Kubernetes objects (plain JSON, as synthesized or as parsed from YAML) into the
 * target-neutral WorkloadPosture. A pure function over data: no cdk8s, so the same reader serves
 * the construct, chart-wide checks, the cdk8s CLI plugin and YAML written by hand or by helm.
 *
 * It translates and never judges: every level that sets a value is recorded (pod and container,
 * legacy annotations included) and the rules in core decide.
 */
import {
  ConfinementSetting, ContainerPortPosture, ContainerPosture, Exemption, HostAccessSetting, IngressPosture, Observed, PlainVariable,
  PortOpening, ResourceBounds, UserSetting, VolumePosture, WorkloadPosture,
} from '../core';
import { readRecordedExemptions } from './exemptions-annotation';
import { LabelSelectorJson, sameNamespace, selectorMatches } from './selectors';

type Json = Record<string, any>;

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

/** Whether `object` is a kind that runs pods. */
export function isPodBearing(object: unknown): object is Json {
  return isRecord(object) && typeof object.kind === 'string' && POD_TEMPLATE_PATHS[object.kind] !== undefined;
}

/** One pod-bearing object read back: its posture and the exemptions recorded on it. */
export interface KubernetesWorkload {
  readonly posture: WorkloadPosture;
  /** Exemptions recorded in the `secure-service.dev/exemptions` annotation. */
  readonly exemptions: readonly Exemption[];
  /** Why recorded exemptions could not be read (errors). */
  readonly problems: readonly string[];
  /** The object's position in the list given to `readWorkloads`. */
  readonly index: number;
}

/** Where the objects came from, for messages. */
export interface ReadWorkloadsOptions {
  /** One location per object (e.g. a construct path); default: the file, else the object's name. */
  readonly locations?: readonly (string | undefined)[];
  /** The file the objects were read from. */
  readonly file?: string;
}

/**
 * Reads every pod-bearing object among `objects`. NetworkPolicies and ServiceAccounts among the same
 * objects are taken into account (ingress isolation, API token mounting).
 */
export function readWorkloads(objects: readonly unknown[], options: ReadWorkloadsOptions = {}): KubernetesWorkload[] {
  // Each workload is read with only the policies and accounts that can apply to it: linear in objects.
  const contextOf = podContextFinder(objects);
  const workloads = objects.flatMap((object, index) => (isPodBearing(object) ? [index] : []));
  return readWorkloadsAt(objects, workloads, (index) => contextOf(objects[index]), options);
}

/**
 * `readWorkloads` for a caller that already knows which objects to read and, for each, which
 * NetworkPolicies and ServiceAccounts among `objects` can apply to its pods (positions, as
 * `podContextFinder` returns them): SecureService checks find both while gathering the objects.
 * @internal
 */
export function readWorkloadsAt(
  objects: readonly unknown[], workloads: readonly number[], contextOf: (index: number) => readonly number[], options: ReadWorkloadsOptions = {},
): KubernetesWorkload[] {
  return workloads.flatMap((index) => {
    const object = objects[index];
    if (!isPodBearing(object)) return [];
    const name = objectName(object);
    const location = options.locations?.[index] ?? (options.file !== undefined ? `${options.file}#${index}` : name);
    const template = podTemplate(object);
    const context = contextOf(index).map((i) => objects[i] as Json);
    const networkPolicies = context.filter((o) => o.kind === 'NetworkPolicy');
    const serviceAccounts = context.filter((o) => o.kind === 'ServiceAccount');
    const posture = readPosture(object, template, { name, location, file: options.file, networkPolicies, serviceAccounts });
    const metadataAnnotations = { annotations: object.metadata?.annotations, at: 'metadata.annotations' };
    const sets = template.metaPath === 'metadata' ? [metadataAnnotations]
      : [metadataAnnotations, { annotations: template.metadata.annotations, at: `${template.metaPath}.annotations` }];
    const recorded = readRecordedExemptions(name, sets);
    return [{ posture, exemptions: recorded.exemptions, problems: recorded.problems, index }];
  });
}

/**
 * Finds, among `objects`, those that can change how the pods of a workload are read: NetworkPolicies
 * that select them and the ServiceAccount they run as (the same matching as `readWorkloads`, without
 * judging the rest). Indexed by label and name, so a caller with many workloads passes each only its
 * own context instead of comparing every workload with every NetworkPolicy and ServiceAccount.
 * Returns positions in `objects`, ascending.
 * @internal
 */
export function podContextFinder(objects: readonly unknown[]): (workload: unknown) => number[] {
  const buckets = new Map<string, number[]>();
  const add = (key: string, index: number) => (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(index);
  objects.forEach((object, index) => {
    if (!isRecord(object)) return;
    if (object.kind === 'ServiceAccount') add(`sa\0${object.metadata?.name}`, index);
    if (object.kind !== 'NetworkPolicy') return;
    const matchLabels = asRecord(asRecord(asRecord(object.spec).podSelector).matchLabels);
    const firstKey = Object.keys(matchLabels)[0];
    // A policy can select the pods only if they carry its first matchLabels pair; without one, any pods.
    add(firstKey !== undefined ? `np\0${firstKey}=${matchLabels[firstKey]}` : 'np', index);
  });
  return (workload) => {
    if (!isPodBearing(workload)) return [];
    const namespace = typeof workload.metadata?.namespace === 'string' ? workload.metadata.namespace : undefined;
    const template = podTemplate(workload);
    const labels = asRecord(template.metadata.labels) as Record<string, string>;
    const accountName = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
    const candidates = new Set(buckets.get('np'));
    for (const key of Object.keys(labels)) buckets.get(`np\0${key}=${labels[key]}`)?.forEach((index) => candidates.add(index));
    buckets.get(`sa\0${accountName}`)?.forEach((index) => candidates.add(index));
    return [...candidates].sort((a, b) => a - b).filter((index) => {
      const other = objects[index] as Json;
      if (!sameNamespace(other.metadata?.namespace, namespace)) return false;
      if (other.kind === 'NetworkPolicy') return selectorMatches(asRecord(other.spec).podSelector as LabelSelectorJson | undefined, labels);
      return other.metadata?.name === accountName;
    });
  };
}

/** `Kind/namespace/name`, or `Kind/name` without a namespace. */
export function objectName(object: Json): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '<unnamed>';
  return `${object.kind}/${typeof namespace === 'string' ? `${namespace}/` : ''}${name}`;
}

interface PodTemplate {
  readonly metadata: Json;
  readonly spec: Json;
  readonly metaPath: string;
  readonly specPath: string;
}

function podTemplate(object: Json): PodTemplate {
  const path = POD_TEMPLATE_PATHS[object.kind]!;
  if (path === '') {
    return { metadata: asRecord(object.metadata), spec: asRecord(object.spec), metaPath: 'metadata', specPath: 'spec' };
  }
  const template = asRecord(path.split('.').reduce<any>((node, key) => (isRecord(node) ? node[key] : undefined), object));
  return { metadata: asRecord(template.metadata), spec: asRecord(template.spec), metaPath: `${path}.metadata`, specPath: `${path}.spec` };
}

interface ReadContext {
  readonly name: string;
  readonly location: string;
  readonly file?: string;
  readonly networkPolicies: readonly Json[];
  readonly serviceAccounts: readonly Json[];
}

type HostNamespace = 'network' | 'pid' | 'ipc';
const HOST_NAMESPACES: readonly { readonly field: string; readonly namespace: HostNamespace }[] = [
  { field: 'hostNetwork', namespace: 'network' }, { field: 'hostPID', namespace: 'pid' }, { field: 'hostIPC', namespace: 'ipc' },
];

// Pod and container settings are read level by level. Loops avoid destructuring tuples: checks run
// once per synthesis, mostly before V8 optimizes them, where each destructured tuple costs an iterator.
function readPosture(object: Json, template: PodTemplate, context: ReadContext): WorkloadPosture {
  const { spec, specPath } = template;
  const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : undefined;
  const containers = [
    ...asArray(spec.initContainers).map((c, i) => readContainer(asRecord(c), `${specPath}.initContainers[${i}]`, true, template)),
    ...asArray(spec.containers).map((c, i) => readContainer(asRecord(c), `${specPath}.containers[${i}]`, false, template)),
  ];
  const hostNamespaces = HOST_NAMESPACES.filter((ns) => spec[ns.field] === true)
    .map((ns): Observed<HostNamespace> => ({ value: ns.namespace, at: `${specPath}.${ns.field}` }));
  const volumes: VolumePosture[] = asArray(spec.volumes).map((v, i) => ({
    name: String(asRecord(v).name ?? `#${i}`),
    kind: Object.keys(asRecord(v)).find((key) => key !== 'name') ?? 'none',
    at: `${specPath}.volumes[${i}]`,
  }));
  return {
    platform: 'kubernetes',
    name: context.name,
    location: context.location,
    file: context.file,
    volumes,
    hostNamespaces,
    hostAccess: readHostAccess(spec, specPath),
    serviceAccountToken: readServiceAccountToken(spec, specPath, namespace, context.serviceAccounts),
    ingress: readIngress(template, namespace, context.networkPolicies),
    containers,
  };
}

function readContainer(c: Json, path: string, init: boolean, template: PodTemplate): ContainerPosture {
  const pod = asRecord(template.spec.securityContext);
  const podPath = `${template.specPath}.securityContext`;
  const sc = asRecord(c.securityContext);
  const scPath = `${path}.securityContext`;
  const name = String(c.name ?? path);

  const users: Observed<UserSetting>[] = [];
  const runAsNonRoot: Observed<boolean>[] = [];
  for (const { context, at } of [{ context: pod, at: podPath }, { context: sc, at: scPath }]) {
    if (context.runAsUser !== undefined || context.runAsGroup !== undefined) {
      users.push({ value: { uid: userValue(context.runAsUser), gid: userValue(context.runAsGroup) }, at });
    }
    if (context.runAsNonRoot !== undefined) runAsNonRoot.push({ value: context.runAsNonRoot === true, at: `${at}.runAsNonRoot` });
  }

  const capabilities = asRecord(sc.capabilities);
  return {
    name,
    init,
    image: typeof c.image === 'string' ? { value: c.image, at: `${path}.image` } : undefined,
    users,
    runAsNonRoot,
    readOnlyRootFilesystem: { value: booleanOrUndefined(sc.readOnlyRootFilesystem), at: `${scPath}.readOnlyRootFilesystem` },
    capabilitiesAdded: asArray(capabilities.add).map((value, i) => ({ value: String(value), at: `${scPath}.capabilities.add[${i}]` })),
    capabilitiesDropped: { value: asArray(capabilities.drop).map(String), at: `${scPath}.capabilities.drop` },
    privileged: { value: booleanOrUndefined(sc.privileged), at: `${scPath}.privileged` },
    confinement: readConfinement(template, name, pod, podPath, sc, scPath),
    allowPrivilegeEscalation: { value: booleanOrUndefined(sc.allowPrivilegeEscalation), at: `${scPath}.allowPrivilegeEscalation` },
    seccompProfiles: readSeccomp(template, name, pod, podPath, sc, scPath),
    seccompWhenUnset: 'Unconfined',
    hostPorts: asArray(c.ports).flatMap((p, i) => {
      const hostPort = asRecord(p).hostPort;
      return hostPort === undefined || hostPort === null || Number(hostPort) === 0 ? [] : [{ value: Number(hostPort), at: `${path}.ports[${i}].hostPort` }];
    }),
    plainEnvironment: asArray(c.env).flatMap((e, i): PlainVariable[] => {
      const variable = asRecord(e);
      return variable.value !== undefined && variable.valueFrom === undefined ? [{ name: String(variable.name), at: `${path}.env[${i}]` }] : [];
    }),
    secretNames: readSecretNames(c, template.spec),
    resources: readResources(c, path),
  };
}

// Pod Security Standards baseline settings short of privileged: /proc mount type, SELinux options at
// both levels, AppArmor as a field at both levels or as the legacy per-container annotation.
function readConfinement(
  template: PodTemplate, container: string, pod: Json, podPath: string, sc: Json, scPath: string,
): Observed<ConfinementSetting>[] {
  const settings: Observed<ConfinementSetting>[] = [];
  if (sc.procMount !== undefined) settings.push({ value: { kind: 'procMount', value: String(sc.procMount) }, at: `${scPath}.procMount` });
  readLevelConfinement(pod, podPath, settings);
  readLevelConfinement(sc, scPath, settings);
  const annotationKey = `container.apparmor.security.beta.kubernetes.io/${container}`;
  const annotation = asRecord(template.metadata.annotations)[annotationKey];
  if (annotation !== undefined) settings.push({ value: { kind: 'appArmor', value: String(annotation) }, at: `${template.metaPath}.annotations["${annotationKey}"]` });
  return settings;
}

const SELINUX_FIELDS: readonly { readonly field: string; readonly kind: 'seLinuxType' | 'seLinuxUser' | 'seLinuxRole' }[] = [
  { field: 'type', kind: 'seLinuxType' }, { field: 'user', kind: 'seLinuxUser' }, { field: 'role', kind: 'seLinuxRole' },
];

// SELinux options and the AppArmor field of one level (pod or container); both are rarely set.
function readLevelConfinement(context: Json, at: string, settings: Observed<ConfinementSetting>[]): void {
  if (context.seLinuxOptions !== undefined) {
    const seLinux = asRecord(context.seLinuxOptions);
    for (const { field, kind } of SELINUX_FIELDS) {
      if (seLinux[field] !== undefined) settings.push({ value: { kind, value: String(seLinux[field]) }, at: `${at}.seLinuxOptions.${field}` });
    }
  }
  if (context.appArmorProfile !== undefined) {
    settings.push({ value: { kind: 'appArmor', value: String(asRecord(context.appArmorProfile).type) }, at: `${at}.appArmorProfile.type` });
  }
}

// Windows hostProcess at either level, and every sysctl the pod sets.
function readHostAccess(spec: Json, specPath: string): Observed<HostAccessSetting>[] {
  const pod = asRecord(spec.securityContext);
  const access: Observed<HostAccessSetting>[] = [];
  if (asRecord(pod.windowsOptions).hostProcess === true) {
    access.push({ value: { kind: 'hostProcess', value: 'true' }, at: `${specPath}.securityContext.windowsOptions.hostProcess` });
  }
  for (const list of ['initContainers', 'containers']) {
    asArray(spec[list]).forEach((c, i) => {
      if (asRecord(asRecord(asRecord(c).securityContext).windowsOptions).hostProcess === true) {
        access.push({ value: { kind: 'hostProcess', value: 'true' }, at: `${specPath}.${list}[${i}].securityContext.windowsOptions.hostProcess` });
      }
    });
  }
  asArray(pod.sysctls).forEach((sysctl, i) => {
    access.push({ value: { kind: 'sysctl', value: String(asRecord(sysctl).name) }, at: `${specPath}.securityContext.sysctls[${i}]` });
  });
  return access;
}

const LEGACY_SECCOMP: { readonly [value: string]: string } = { 'runtime/default': 'RuntimeDefault', 'docker/default': 'RuntimeDefault', 'unconfined': 'Unconfined' };

function legacySeccomp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return LEGACY_SECCOMP[value] ?? (value.startsWith('localhost/') ? 'Localhost' : value);
}

// Outermost first, the field after the legacy annotation at each level (the field wins in Kubernetes).
function readSeccomp(template: PodTemplate, container: string, pod: Json, podPath: string, sc: Json, scPath: string): Observed<string>[] {
  const annotations = asRecord(template.metadata.annotations);
  const annotationsPath = `${template.metaPath}.annotations`;
  const profiles: Observed<string>[] = [];
  const podAnnotation = legacySeccomp(annotations['seccomp.security.alpha.kubernetes.io/pod']);
  if (podAnnotation) profiles.push({ value: podAnnotation, at: `${annotationsPath}["seccomp.security.alpha.kubernetes.io/pod"]` });
  if (pod.seccompProfile !== undefined) profiles.push({ value: String(asRecord(pod.seccompProfile).type), at: `${podPath}.seccompProfile.type` });
  const containerKey = `container.seccomp.security.alpha.kubernetes.io/${container}`;
  const containerAnnotation = legacySeccomp(annotations[containerKey]);
  if (containerAnnotation) profiles.push({ value: containerAnnotation, at: `${annotationsPath}["${containerKey}"]` });
  if (sc.seccompProfile !== undefined) profiles.push({ value: String(asRecord(sc.seccompProfile).type), at: `${scPath}.seccompProfile.type` });
  return profiles;
}

function readSecretNames(c: Json, spec: Json): string[] {
  const names: string[] = [];
  for (const e of asArray(c.env)) {
    if (asRecord(asRecord(e).valueFrom).secretKeyRef !== undefined) names.push(String(asRecord(e).name));
  }
  for (const from of asArray(c.envFrom)) {
    const ref = asRecord(from).secretRef;
    if (ref !== undefined) names.push(`envFrom secret ${asRecord(ref).name}`);
  }
  const secretVolumes = new Set(asArray(spec.volumes).map(asRecord).filter((v) => v.secret !== undefined
    || asArray(asRecord(v.projected).sources).some((s) => asRecord(s).secret !== undefined)).map((v) => v.name));
  for (const mount of asArray(c.volumeMounts).map(asRecord)) {
    if (secretVolumes.has(mount.name)) names.push(String(mount.mountPath));
  }
  return names;
}

function readResources(c: Json, path: string): ResourceBounds {
  const resources = asRecord(c.resources);
  const quantity = (kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): Observed<string> | undefined => {
    const value = asRecord(resources[kind])[resource];
    return value === undefined || value === null ? undefined : { value: String(value), at: `${path}.resources.${kind}.${resource}` };
  };
  return {
    cpuRequest: quantity('requests', 'cpu'),
    cpuLimit: quantity('limits', 'cpu'),
    memoryRequest: quantity('requests', 'memory'),
    memoryLimit: quantity('limits', 'memory'),
  };
}

// The pod's own setting wins; else the ServiceAccount's (when it is among the objects); else Kubernetes mounts the token.
function readServiceAccountToken(spec: Json, specPath: string, namespace: string | undefined, serviceAccounts: readonly Json[]): Observed<boolean> {
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

/** The NetworkPolicies selecting the pods, as openings; judged by the NETWORK_ISOLATION rule. */
function readIngress(template: PodTemplate, namespace: string | undefined, networkPolicies: readonly Json[]): IngressPosture {
  const labels = asRecord(template.metadata.labels) as Record<string, string>;
  const containerPorts: ContainerPortPosture[] = asArray(template.spec.containers).flatMap((c) => asArray(asRecord(c).ports).map((p) => {
    const port = asRecord(p);
    return { protocol: String(port.protocol ?? 'TCP'), port: typeof port.containerPort === 'number' ? port.containerPort : undefined, name: port.name };
  }));
  const selecting = networkPolicies.filter((policy) => sameNamespace(policy.metadata?.namespace, namespace)
    && selectorMatches(asRecord(policy.spec).podSelector as LabelSelectorJson | undefined, labels)
    && policyTypes(asRecord(policy.spec)).includes('Ingress'));
  if (selecting.length === 0) {
    const unrestricted = { value: 'no NetworkPolicy with policyType Ingress selects the pods, so every port is open to every peer', at: `${template.metaPath}.labels` };
    return { unrestricted, openings: [], containerPorts };
  }
  const openings = selecting.flatMap((policy) => asArray(asRecord(policy.spec).ingress).flatMap((rule, i): Observed<PortOpening>[] => {
    const source = `${objectName(policy)} spec.ingress[${i}]`;
    const ports = asArray(asRecord(rule).ports).map(asRecord);
    // A rule without ports admits every port of every protocol.
    if (ports.length === 0) return [{ value: { source, protocol: 'ALL' }, at: source }];
    return ports.map((port, j) => ({ value: { source, ...portOpening(port) }, at: `${source}.ports[${j}]` }));
  }));
  return { openings, containerPorts };
}

function portOpening(port: Json): Omit<PortOpening, 'source'> {
  const protocol = String(port.protocol ?? 'TCP');
  if (port.port === undefined || port.port === null) return { protocol };
  const from = typeof port.port === 'string' && !/^\d+$/.test(port.port) ? port.port : Number(port.port);
  return { protocol, from, to: port.endPort === undefined ? undefined : Number(port.endPort) };
}

function policyTypes(spec: Json): string[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.map(String);
  return ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
}

function userValue(value: unknown): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? value : String(value);
}

function booleanOrUndefined(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
