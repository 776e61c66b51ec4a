/**
 * Reads pod-bearing Kubernetes objects (plain JSON, as synthesized or as parsed from YAML) into the
 * target-neutral WorkloadPosture. A pure function over data: no cdk8s, so the same reader serves
 * the construct, chart-wide checks, the cdk8s CLI plugin and YAML written by hand or by helm.
 *
 * It translates and never judges: every level that sets a value is recorded (pod and container,
 * legacy annotations included) and the rules in core decide.
 */
import {
  ConfinementSetting, ContainerPosture, Exemption, HostAccessSetting, Observed, PlainSetting, ResourceBounds, UserSetting, VolumePosture,
  WorkloadPosture,
} from '../core';
import { podLabels } from './controller-labels';
import { readPlainEnvironment, readSecretNames, secretVolumeNames } from './environment-reading';
import { readRecordedExemptions } from './exemptions-annotation';
import { readPublicExposure } from './exposure';
import { isRoute } from './gateway-routes';
import { itemLocation, unpackLists } from './lists';
import { readIngress } from './network-policy-reading';
import { Json, PodTemplate, asArray, asRecord, isRecord, isSet, namespaceOf, objectName } from './objects';
import { ephemeralClaim, hostBinding, namedClaim, readStatefulSetClaims } from './persistent-volumes';
import { readPlainMetadata } from './plain-metadata';
import { podContextFinder } from './pod-context';
import { isPodBearing, podTemplate } from './pod-templates';
import { isTokenSecret, readServiceAccountToken } from './service-account-token';
import { volumeMounters } from './volume-mounts';

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
  /** The file each object was read from, for objects of several files read together (as one app). */
  readonly files?: readonly (string | undefined)[];
}

/** How `readWorkloadsAt` reads, beyond what `readWorkloads` takes. */
interface WorkloadReading extends ReadWorkloadsOptions {
  /**
   * Whether every exemption must be recorded both on the workload and on its pod template, as a
   * SecureService records them (one missing from either is a problem); otherwise either may record it.
   */
  readonly exemptionsOnBoth?: boolean;
}

/**
 * Reads every pod-bearing object among `objects`, and among the items of every List (`kind: List` and
 * `*List` kinds, nested ones too), as `kubectl apply` creates them. NetworkPolicies, ServiceAccounts,
 * Services, Ingresses, Gateway API routes and ConfigMaps among the same objects are taken into account
 * (ingress isolation, API token mounting, exposure outside the cluster, variables from `envFrom`).
 */
export function readWorkloads(objects: readonly unknown[], options: ReadWorkloadsOptions = {}): KubernetesWorkload[] {
  const unpacked = unpackLists(objects);
  const all = unpacked.objects;
  // Each workload is read with only the objects that can apply to it: linear in objects.
  const contextOf = podContextFinder(all);
  const read: KubernetesWorkload[] = [];
  for (let i = 0; i < all.length; i++) {
    const object = all[i];
    if (!isPodBearing(object)) continue;
    const origin = unpacked.origins ? unpacked.origins[i] : i;
    read.push(readWorkload(all, object, contextOf(object), origin, unpacked.prefixes ? unpacked.prefixes[i] : '', options));
  }
  return read;
}

/** The objects read from one file. */
export interface ObjectsOfFile {
  readonly file: string;
  readonly objects: readonly unknown[];
}

/**
 * `readWorkloads` over the objects of several files read together, as one app: a NetworkPolicy,
 * Service or ServiceAccount in one file applies to the pods of a workload in another, as in the
 * cluster. Each workload comes with the file that holds it.
 */
export function readWorkloadsOfFiles<F extends ObjectsOfFile>(files: readonly F[]): { readonly workload: KubernetesWorkload; readonly file: F }[] {
  const holder = files.flatMap((f) => f.objects.map(() => f));
  const workloads = readWorkloads(files.flatMap((f) => f.objects), {
    files: holder.map((f) => f.file),
    locations: files.flatMap((f) => f.objects.map((_, i) => `${f.file}#${i}`)),
  });
  return workloads.map((workload) => ({ workload, file: holder[workload.index] }));
}

/**
 * `readWorkloads` for a caller that already knows which objects to read and, for each, which
 * NetworkPolicies, ServiceAccounts, Services, Ingresses and routes among `objects` can apply to its pods
 * (positions, as `podContextFinder` returns them): SecureService checks find them while gathering the
 * objects. Lists are not unpacked: a SecureService's objects are cdk8s L1s, whose kind no patch changes.
 * @internal
 */
export function readWorkloadsAt(
  objects: readonly unknown[], workloads: readonly number[], contextOf: (index: number) => readonly number[], options: WorkloadReading = {},
): KubernetesWorkload[] {
  const read: KubernetesWorkload[] = [];
  for (const index of workloads) {
    const object = objects[index];
    if (isPodBearing(object)) read.push(readWorkload(objects, object, contextOf(index), index, '', options));
  }
  return read;
}

/**
 * Reads one pod-bearing object: `index` is the position of the object given (the List that holds it,
 * for an item), `prefix` how the List names the item (`List/legacy items[0] `, else '').
 */
function readWorkload(
  objects: readonly unknown[], object: Json, context: readonly number[], index: number, prefix: string, options: WorkloadReading,
): KubernetesWorkload {
  const name = `${prefix}${objectName(object)}`;
  const given = options.locations?.[index] ?? (options.file !== undefined ? `${options.file}#${index}` : undefined);
  const location = given === undefined ? name : prefix === '' ? given : itemLocation(given, prefix);
  const template = podTemplate(object);
  const networkPolicies: Json[] = [];
  const serviceAccounts: Json[] = [];
  const services: Json[] = [];
  const ingresses: Json[] = [];
  const routes: Json[] = [];
  const configMaps: Json[] = [];
  const tokenSecrets: Json[] = [];
  const claims: Json[] = [];
  const persistentVolumes: Json[] = [];
  for (const i of context) {
    const other = objects[i] as Json;
    if (other.kind === 'NetworkPolicy') networkPolicies.push(other);
    else if (other.kind === 'PersistentVolumeClaim') claims.push(other);
    else if (other.kind === 'PersistentVolume') persistentVolumes.push(other);
    else if (isTokenSecret(other)) tokenSecrets.push(other);
    else if (other.kind === 'ServiceAccount') serviceAccounts.push(other);
    else if (other.kind === 'Service') services.push(other);
    else if (other.kind === 'Ingress') ingresses.push(other);
    else if (other.kind === 'ConfigMap') configMaps.push(other);
    else if (isRoute(other)) routes.push(other);
  }
  const posture = readPosture(object, template, {
    name,
    location,
    file: options.files?.[index] ?? options.file,
    networkPolicies,
    serviceAccounts,
    services,
    ingresses,
    routes,
    configMaps,
    tokenSecrets,
    claims,
    persistentVolumes,
  });
  const metadataAnnotations = { annotations: object.metadata?.annotations, at: 'metadata.annotations' };
  const sets = template.metaPath === 'metadata' ? [metadataAnnotations]
    : [metadataAnnotations, { annotations: template.metadata.annotations, at: `${template.metaPath}.annotations` }];
  const recorded = readRecordedExemptions(name, sets, options.exemptionsOnBoth ?? false);
  return { posture, exemptions: recorded.exemptions, problems: recorded.problems, index };
}

interface ReadContext {
  readonly name: string;
  readonly location: string;
  readonly file?: string;
  readonly networkPolicies: readonly Json[];
  readonly serviceAccounts: readonly Json[];
  readonly services: readonly Json[];
  readonly ingresses: readonly Json[];
  readonly routes: readonly Json[];
  /** The ConfigMaps the containers take variables from (`envFrom`, `configMapKeyRef`). */
  readonly configMaps: readonly Json[];
  /** The ServiceAccount token Secrets the pod uses. */
  readonly tokenSecrets: readonly Json[];
  /** The PersistentVolumeClaims the pod's volumes name, and the PersistentVolumes their claims bind or may be bound to. */
  readonly claims: readonly Json[];
  readonly persistentVolumes: readonly Json[];
}

type HostNamespace = 'network' | 'pid' | 'ipc';
const HOST_NAMESPACES: readonly { readonly field: string; readonly namespace: HostNamespace }[] = [
  { field: 'hostNetwork', namespace: 'network' }, { field: 'hostPID', namespace: 'pid' }, { field: 'hostIPC', namespace: 'ipc' },
];

/** What every container of a pod is read against, read once per pod. */
interface PodLevel {
  readonly securityContext: Json;
  readonly securityContextPath: string;
  readonly annotations: Json;
  readonly annotationsPath: string;
  /** The names of the pod's volumes that carry a Secret (its own, or projected). */
  readonly secretVolumes: ReadonlySet<unknown>;
  /** The ConfigMaps of the app the containers may take variables from (`envFrom`). */
  readonly configMaps: readonly Json[];
  /** The template's metadata: the downward API gives containers its annotations and labels. */
  readonly metadata: Json;
}

// Checks run once per synthesis, mostly before V8 optimizes them, where every intermediate array,
// closure and iterator costs: the reader is written as plain loops that build the posture directly.
function readPosture(object: Json, template: PodTemplate, context: ReadContext): WorkloadPosture {
  const { spec, specPath } = template;
  const namespace = namespaceOf(object);
  const labels = podLabels(object, template.metadata);
  const pod: PodLevel = {
    securityContext: asRecord(spec.securityContext),
    securityContextPath: `${specPath}.securityContext`,
    annotations: asRecord(template.metadata.annotations),
    annotationsPath: `${template.metaPath}.annotations`,
    secretVolumes: secretVolumeNames(spec),
    configMaps: context.configMaps,
    metadata: template.metadata,
  };
  const containers: ContainerPosture[] = [];
  readContainers(spec.initContainers, `${specPath}.initContainers`, true, pod, containers);
  readContainers(spec.containers, `${specPath}.containers`, false, pod, containers);
  const hostNamespaces: Observed<HostNamespace>[] = [];
  for (const ns of HOST_NAMESPACES) {
    if (spec[ns.field] === true) hostNamespaces.push({ value: ns.namespace, at: `${specPath}.${ns.field}` });
  }
  return {
    platform: 'kubernetes',
    name: context.name,
    location: context.location,
    file: context.file,
    volumes: readVolumes(object, spec, specPath, namespace, context),
    hostNamespaces,
    hostAccess: readHostAccess(spec, specPath),
    serviceAccountToken: readServiceAccountToken(spec, specPath, namespace, context.serviceAccounts, context.tokenSecrets),
    publicIp: readPublicExposure(labels, namespace, context.services, context.ingresses, context.routes),
    ingress: readIngress(template, labels, namespace, context.networkPolicies),
    plainSettings: readPlainMetadata(object, template),
    containers,
  };
}

/** The volume sources Kubernetes knows (core/v1 VolumeSource); the API server drops any other field. */
const KUBERNETES_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral',
  'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim',
  'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
]);

// Every source a volume sets is judged, as the API server reads it: null is unset and fields it does not
// know are dropped, so neither `emptyDir: null` nor `efs` (an ECS kind) can hide a hostPath beside it.
function readVolumes(object: Json, spec: Json, specPath: string, namespace: string | undefined, context: ReadContext): VolumePosture[] {
  const volumes = asArray(spec.volumes);
  const mounters = volumeMounters(spec, specPath);
  const read: VolumePosture[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const volume = asRecord(volumes[i]);
    const name = String(volume.name ?? `#${i}`);
    const at = `${specPath}.volumes[${i}]`;
    const mountedBy = mounters.get(name);
    const before = read.length;
    for (const key of Object.keys(volume)) {
      if (!KUBERNETES_VOLUME_SOURCES.has(key) || !isSet(volume[key])) continue;
      const binding = claimBinding(key, volume, namespace, context);
      read.push(binding !== undefined ? { name, kind: 'hostPath', at: `${at}.${key} (${binding})`, mountedBy } : { name, kind: key, at, mountedBy });
    }
    // A volume without a source is made an emptyDir by the API server.
    if (read.length === before) read.push({ name, kind: 'emptyDir', at, mountedBy });
  }
  readStatefulSetClaims(object, context.persistentVolumes, mounters, read);
  return read;
}

// A claim the volume names, or one its ephemeral template creates, may be bound to a PersistentVolume of the node's filesystem.
function claimBinding(key: string, volume: Json, namespace: string | undefined, context: ReadContext): string | undefined {
  if (context.persistentVolumes.length === 0) return undefined;
  if (key === 'persistentVolumeClaim') return claimedHostBinding(asRecord(volume[key]).claimName, namespace, context);
  return key === 'ephemeral' ? hostBinding(ephemeralClaim(volume, namespace), context.persistentVolumes) : undefined;
}

// A claim written twice may be either one (`kubectl apply` keeps the one it applies last): each is followed.
function claimedHostBinding(claimName: unknown, namespace: string | undefined, context: ReadContext): string | undefined {
  const named = context.claims.filter((c) => c.metadata?.name === claimName);
  if (named.length <= 1) return hostBinding(namedClaim(claimName, namespace, named), context.persistentVolumes);
  for (const claim of named) {
    const binding = hostBinding(namedClaim(claimName, namespace, [claim]), context.persistentVolumes);
    if (binding !== undefined) return binding;
  }
  return undefined;
}

function readContainers(list: unknown, path: string, init: boolean, pod: PodLevel, into: ContainerPosture[]): void {
  const containers = asArray(list);
  for (let i = 0; i < containers.length; i++) into.push(readContainer(asRecord(containers[i]), `${path}[${i}]`, init, pod));
}

function readContainer(c: Json, path: string, init: boolean, pod: PodLevel): ContainerPosture {
  const sc = asRecord(c.securityContext);
  const scPath = `${path}.securityContext`;
  const name = String(c.name ?? path);

  const users: Observed<UserSetting>[] = [];
  const runAsNonRoot: Observed<boolean>[] = [];
  readUser(pod.securityContext, pod.securityContextPath, users, runAsNonRoot);
  readUser(sc, scPath, users, runAsNonRoot);

  const capabilities = asRecord(sc.capabilities);
  return {
    name,
    init,
    image: typeof c.image === 'string' ? { value: c.image, at: `${path}.image` } : undefined,
    users,
    runAsNonRoot,
    supplementaryGroups: readSupplementaryGroups(pod.securityContext, pod.securityContextPath),
    readOnlyRootFilesystem: { value: booleanOrUndefined(sc.readOnlyRootFilesystem), at: `${scPath}.readOnlyRootFilesystem` },
    capabilitiesAdded: asArray(capabilities.add).map((value, i) => ({ value: String(value), at: `${scPath}.capabilities.add[${i}]` })),
    capabilitiesDropped: { value: asArray(capabilities.drop).map(String), at: `${scPath}.capabilities.drop` },
    privileged: { value: booleanOrUndefined(sc.privileged), at: `${scPath}.privileged` },
    confinement: readConfinement(pod, name, sc, scPath),
    allowPrivilegeEscalation: { value: booleanOrUndefined(sc.allowPrivilegeEscalation), at: `${scPath}.allowPrivilegeEscalation` },
    seccompProfiles: readSeccomp(pod, name, sc, scPath),
    seccompWhenUnset: 'Unconfined',
    hostPorts: readHostPorts(c, path),
    plainEnvironment: readPlainEnvironment(c, path, pod.configMaps, pod.metadata),
    commandLine: readCommandLines(c, path),
    plainSettings: readHttpRequests(c, path),
    secretNames: readSecretNames(c, pod.secretVolumes),
    resources: readResources(c, path),
  };
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

/**
 * Every command line a container runs, each argument with where it is: its own, its probes' and its hooks'.
 * Plain loops that build a path only for a list that is there: this runs for every container of the app.
 */
function readCommandLines(c: Json, path: string): Observed<string>[] {
  const lines: Observed<string>[] = [];
  addArguments(lines, c.command, path, '.command');
  addArguments(lines, c.args, path, '.args');
  for (const probe of PROBES) {
    const exec = isRecord(c[probe]) ? (c[probe] as Json).exec : undefined;
    if (isRecord(exec)) addArguments(lines, exec.command, path, `.${probe}.exec.command`);
  }
  const lifecycle = c.lifecycle;
  for (const hook of isRecord(lifecycle) ? HOOKS : []) {
    const exec = isRecord(lifecycle[hook]) ? (lifecycle[hook] as Json).exec : undefined;
    if (isRecord(exec)) addArguments(lines, exec.command, path, `.lifecycle.${hook}.exec.command`);
  }
  return lines;
}

const HTTP_REQUEST_FIX = 'an HTTP probe or hook cannot read a Secret: probe an endpoint that needs no credential, '
  + 'or use an exec probe that reads the credential from a mounted Secret file';

/**
 * What the kubelet sends with the container's HTTP probes and hooks, written in the manifest: each header
 * (`httpGet.httpHeaders`, judged by name and value) and the path (a query string's `?password=`, judged by value).
 */
function readHttpRequests(c: Json, path: string): PlainSetting[] | undefined {
  let settings: PlainSetting[] | undefined;
  const add = (handler: unknown, field: string, what: string) => {
    const httpGet = isRecord(handler) && isRecord(handler.httpGet) ? handler.httpGet : undefined;
    if (typeof httpGet?.path === 'string' && httpGet.path.includes('?')) {
      (settings ??= []).push({
        kind: `HTTP path of the ${what}`,
        name: httpGet.path.split('?')[0],
        value: httpGet.path,
        at: `${path}${field}.httpGet.path`,
        fix: HTTP_REQUEST_FIX,
      });
    }
    const written = httpGet ? asArray(httpGet.httpHeaders) : [];
    for (let i = 0; i < written.length; i++) {
      const header = asRecord(written[i]);
      const name = String(header.name);
      (settings ??= []).push({
        kind: `HTTP header of the ${what}`,
        name,
        meaningfulName: name,
        value: typeof header.value === 'string' ? header.value : undefined,
        at: `${path}${field}.httpGet.httpHeaders[${i}].value`,
        fix: HTTP_REQUEST_FIX,
      });
    }
  };
  for (const probe of PROBES) add(c[probe], `.${probe}`, probe);
  if (isRecord(c.lifecycle)) for (const hook of HOOKS) add(c.lifecycle[hook], `.lifecycle.${hook}`, `${hook} hook`);
  return settings;
}

function addArguments(lines: Observed<string>[], value: unknown, path: string, field: string): void {
  if (!Array.isArray(value)) return;
  for (let i = 0; i < value.length; i++) lines.push({ value: String(value[i]), at: `${path}${field}[${i}]` });
}

// The user, group and runAsNonRoot one level (pod or container) sets.
function readUser(context: Json, at: string, users: Observed<UserSetting>[], runAsNonRoot: Observed<boolean>[]): void {
  if (isSet(context.runAsUser) || isSet(context.runAsGroup)) {
    users.push({ value: { uid: userValue(context.runAsUser), gid: userValue(context.runAsGroup) }, at });
  }
  if (isSet(context.runAsNonRoot)) runAsNonRoot.push({ value: context.runAsNonRoot === true, at: `${at}.runAsNonRoot` });
}

/** The groups the pod adds to every container's process: fsGroup (volume ownership) and supplementalGroups. */
function readSupplementaryGroups(podContext: Json, at: string): Observed<number | string>[] {
  const groups: Observed<number | string>[] = [];
  const fsGroup = userValue(podContext.fsGroup);
  if (fsGroup !== undefined) groups.push({ value: fsGroup, at: `${at}.fsGroup` });
  asArray(podContext.supplementalGroups).forEach((group, i) => {
    const value = userValue(group);
    if (value !== undefined) groups.push({ value, at: `${at}.supplementalGroups[${i}]` });
  });
  return groups;
}

function readHostPorts(c: Json, path: string): Observed<number>[] {
  const ports = asArray(c.ports);
  const hostPorts: Observed<number>[] = [];
  for (let i = 0; i < ports.length; i++) {
    const hostPort = asRecord(ports[i]).hostPort;
    if (isSet(hostPort) && Number(hostPort) !== 0) hostPorts.push({ value: Number(hostPort), at: `${path}.ports[${i}].hostPort` });
  }
  return hostPorts;
}

// Pod Security Standards baseline settings short of privileged: /proc mount type, SELinux options at
// both levels, AppArmor as a field at both levels or as the legacy per-container annotation.
function readConfinement(pod: PodLevel, container: string, sc: Json, scPath: string): Observed<ConfinementSetting>[] {
  const settings: Observed<ConfinementSetting>[] = [];
  if (isSet(sc.procMount)) settings.push({ value: { kind: 'procMount', value: String(sc.procMount) }, at: `${scPath}.procMount` });
  readLevelConfinement(pod.securityContext, pod.securityContextPath, settings);
  readLevelConfinement(sc, scPath, settings);
  const annotationKey = `container.apparmor.security.beta.kubernetes.io/${container}`;
  const annotation = pod.annotations[annotationKey];
  if (isSet(annotation)) settings.push({ value: { kind: 'appArmor', value: String(annotation) }, at: `${pod.annotationsPath}["${annotationKey}"]` });
  return settings;
}

const SELINUX_FIELDS: readonly { readonly field: string; readonly kind: 'seLinuxType' | 'seLinuxUser' | 'seLinuxRole' }[] = [
  { field: 'type', kind: 'seLinuxType' }, { field: 'user', kind: 'seLinuxUser' }, { field: 'role', kind: 'seLinuxRole' },
];

// SELinux options and the AppArmor field of one level (pod or container); both are rarely set.
function readLevelConfinement(context: Json, at: string, settings: Observed<ConfinementSetting>[]): void {
  if (isSet(context.seLinuxOptions)) {
    const seLinux = asRecord(context.seLinuxOptions);
    for (const { field, kind } of SELINUX_FIELDS) {
      if (isSet(seLinux[field])) settings.push({ value: { kind, value: String(seLinux[field]) }, at: `${at}.seLinuxOptions.${field}` });
    }
  }
  if (isSet(context.appArmorProfile)) {
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
function readSeccomp(pod: PodLevel, container: string, sc: Json, scPath: string): Observed<string>[] {
  const { annotations, annotationsPath } = pod;
  const profiles: Observed<string>[] = [];
  const podAnnotation = legacySeccomp(annotations['seccomp.security.alpha.kubernetes.io/pod']);
  if (podAnnotation) profiles.push({ value: podAnnotation, at: `${annotationsPath}["seccomp.security.alpha.kubernetes.io/pod"]` });
  const podSeccomp = pod.securityContext.seccompProfile;
  if (isSet(podSeccomp)) profiles.push({ value: String(asRecord(podSeccomp).type), at: `${pod.securityContextPath}.seccompProfile.type` });
  const containerKey = `container.seccomp.security.alpha.kubernetes.io/${container}`;
  const containerAnnotation = legacySeccomp(annotations[containerKey]);
  if (containerAnnotation) profiles.push({ value: containerAnnotation, at: `${annotationsPath}["${containerKey}"]` });
  if (isSet(sc.seccompProfile)) profiles.push({ value: String(asRecord(sc.seccompProfile).type), at: `${scPath}.seccompProfile.type` });
  return profiles;
}

function readResources(c: Json, path: string): ResourceBounds {
  const resources = asRecord(c.resources);
  const requests = asRecord(resources.requests);
  const limits = asRecord(resources.limits);
  return {
    cpuRequest: quantity(requests.cpu, path, 'requests.cpu'),
    cpuLimit: quantity(limits.cpu, path, 'limits.cpu'),
    memoryRequest: quantity(requests.memory, path, 'requests.memory'),
    memoryLimit: quantity(limits.memory, path, 'limits.memory'),
  };
}

function quantity(value: unknown, path: string, field: string): Observed<string> | undefined {
  return isSet(value) ? { value: String(value), at: `${path}.resources.${field}` } : undefined;
}

function userValue(value: unknown): number | string | undefined {
  if (!isSet(value)) return undefined;
  return typeof value === 'number' ? value : String(value);
}

function booleanOrUndefined(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}
