/**
 * Problems with the Kubernetes-only props, each naming the prop, the value received and the fix.
 * Shared props are checked by core (`validateServiceSpec`, `validateContainerOptions`); security
 * settings are not judged here at all: the final output is, by the core rules.
 */
import {
  CONTAINER_OPTION_KEYS, SERVICE_SPEC_KEYS, SecureContainerOptions, SecureServiceSpec, booleanProblem, containerShapeProblems, imageReferenceProblem,
  isPlainObject, secretNameProblems, shown, validateContainerOptions, validateServiceSpec,
} from '../core';
import { dns1035LabelProblem, dnsLabelProblem, isDnsSubdomain, labelProblems } from './names';
import {
  DEFAULT_SECRETS_MOUNT_PATH, HostPathMount, KubernetesContainerOpts, NetworkPeer, SecretKeyReference, SecureContainerProps, SecureServiceOpts,
  SecureServiceProps,
} from './props';
import { keyList, unknownKeyProblems } from '../core/known-keys';
import { PROPS_NAMED_ELSEWHERE } from '../core/props-named-elsewhere';

/** The selector label every object of a service carries; users cannot set it through `labels`. */
export const NAME_LABEL = 'app.kubernetes.io/name';

const KUBERNETES_CONTAINER_KEYS = keyList<KubernetesContainerOpts>({
  secrets: true, secretsAsFiles: true, secretsMountPath: true, copyFromImage: true, writablePathSizeMiB: true, hostPort: true, hostPathMounts: true,
});
const SERVICE_PROP_KEYS = [
  ...SERVICE_SPEC_KEYS, ...KUBERNETES_CONTAINER_KEYS,
  ...keyList<Omit<SecureServiceProps, keyof SecureServiceSpec | keyof KubernetesContainerOpts>>({
    image: true,
    name: true,
    namespace: true,
    labels: true,
    allowFrom: true,
    servicePort: true,
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
    automountServiceAccountToken: true,
  }),
];
const SIDECAR_PROP_KEYS = [...CONTAINER_OPTION_KEYS, ...KUBERNETES_CONTAINER_KEYS, ...keyList<Pick<SecureContainerProps, 'image'>>({ image: true })];
const SECRET_REFERENCE_KEYS = keyList<SecretKeyReference>({ secretName: true, key: true });
const HOST_PATH_MOUNT_KEYS = keyList<HostPathMount>({ hostPath: true, mountPath: true, readOnly: true });
const NETWORK_PEER_KEYS = keyList<NetworkPeer>({ podLabels: true, namespaceLabels: true });

// ecs.SecureService's own props, which a definition shared between the targets may carry: what Kubernetes does instead.
const ONLY_ON_ECS = 'a prop of ecs.SecureService only';
const ECS_PROPS: Readonly<Record<string, string>> = {
  ...PROPS_NAMED_ELSEWHERE,
  launchType: `${ONLY_ON_ECS}; on Kubernetes the cluster's nodes run the pods`,
  logRetention: `${ONLY_ON_ECS}; on Kubernetes the node keeps the containers' output, and a cluster logging agent ships it`,
  logging: `${ONLY_ON_ECS}; on Kubernetes the node keeps the containers' output, and a cluster logging agent ships it`,
  enableExecuteCommand: `${ONLY_ON_ECS}; on Kubernetes use kubectl exec, which RBAC governs`,
  ...Object.fromEntries(['cluster', 'vpc', 'vpcSubnets', 'containerName', 'listener', 'essential', 'firelens']
    .map((key) => [key, `${ONLY_ON_ECS}; leave it out of what k8s.SecureService gets`])),
  // cdk8s-plus options the service does not take: set on what it renders, and still judged.
  resources: 'the service sets requests and limits, equal, from cpu and memoryMiB: use those',
  ...Object.fromEntries(['args', 'ports', 'imagePullSecrets', 'annotations', 'imagePullPolicy', 'terminationGracePeriodSeconds',
    'nodeSelector', 'tolerations', 'volumes', 'envFrom', 'strategy', 'serviceAccountName', 'workingDir', 'initContainers']
    .map((key) => [key, 'set it with a JSON patch on the Deployment (ApiObject.of(svc.deployment).addJsonPatch(...)), or through '
      + 'the cdk8s-plus objects where they take it after construction (svc.deployment.addInitContainer, containers[0].addPort): the checks judge the result'])),
};

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

type ContainerInput = SecureContainerOptions & KubernetesContainerOpts & { readonly image?: unknown };
type ServiceInput = SecureServiceSpec & KubernetesContainerOpts & SecureServiceOpts & { readonly image?: unknown };

function isPort(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}


/**
 * Every problem with a service's own props. Wrong shapes are reported alone: the other checks read
 * inside them (a string spread into characters, null read as an object).
 */
export function servicePropsProblems(props: ServiceInput, name: string): string[] {
  const shapes = [
    ...unknownKeyProblems(props, SERVICE_PROP_KEYS, 'a prop of k8s.SecureService', '', ECS_PROPS),
    ...serviceShapeProblems(props), ...containerShapeProblems(props), ...kubernetesShapeProblems(props),
  ];
  if (shapes.length > 0) return shapes;
  return [...serviceOptsProblems(props, name), ...validateServiceSpec(props), ...kubernetesContainerProblems(props)];
}

/** The problems with a sidecar's wrong-shaped props: when there are any, they are reported alone (see `servicePropsProblems`). */
export function sidecarShapeProblems(options: SecureContainerProps, prefix: string): string[] {
  return [
    ...unknownKeyProblems(options, SIDECAR_PROP_KEYS, 'an option of addContainer', prefix, ECS_PROPS),
    ...containerShapeProblems(options, prefix), ...kubernetesShapeProblems(options, prefix),
  ];
}

/** Every problem with a sidecar's own props (not with its place in the pod); call after `sidecarShapeProblems` found none. */
export function sidecarPropsProblems(options: SecureContainerProps, prefix: string): string[] {
  return [...validateContainerOptions(options, prefix), ...kubernetesContainerProblems(options, prefix)];
}

/** Problems with the shape of the Kubernetes-only container props. */
function kubernetesShapeProblems(options: KubernetesContainerOpts, prefix = ''): string[] {
  const problems: string[] = [];
  const { secrets, copyFromImage, hostPathMounts } = options;
  if (secrets !== undefined && !isPlainObject(secrets)) {
    problems.push(`${prefix}secrets must be an object of variable names to Secret keys, found: ${JSON.stringify(secrets)}; e.g. { DB_PASSWORD: { secretName: 'db', key: 'password' } }, or leave it out`);
  } else {
    for (const name of Object.keys(secrets ?? {})) {
      if (!isPlainObject(secrets![name])) {
        problems.push(`${prefix}secrets.${name} must be an object with secretName and key, found: ${JSON.stringify(secrets![name])}; e.g. { secretName: 'db', key: 'password' }`);
      } else {
        problems.push(...unknownKeyProblems(secrets![name], SECRET_REFERENCE_KEYS, 'a field of a Secret key reference', `${prefix}secrets.${name}.`));
      }
    }
  }
  if (copyFromImage !== undefined && !Array.isArray(copyFromImage)) {
    const fix = typeof copyFromImage === 'string' ? `write ${JSON.stringify([copyFromImage])}` : "e.g. ['/var/cache/nginx']";
    problems.push(`${prefix}copyFromImage must be a list of paths from writablePaths, found: ${JSON.stringify(copyFromImage)}; ${fix}`);
  }
  if (hostPathMounts !== undefined && !Array.isArray(hostPathMounts)) {
    const fix = isPlainObject(hostPathMounts) ? `write [${JSON.stringify(hostPathMounts)}]` : "e.g. [{ hostPath: '/var/log', mountPath: '/host/log' }]";
    problems.push(`${prefix}hostPathMounts must be a list of mounts, found: ${JSON.stringify(hostPathMounts)}; ${fix}`);
  }
  (Array.isArray(hostPathMounts) ? hostPathMounts : []).forEach((mount: unknown, i) => {
    if (isPlainObject(mount)) problems.push(...unknownKeyProblems(mount, HOST_PATH_MOUNT_KEYS, 'a field of a host path mount', `${prefix}hostPathMounts[${i}].`));
  });
  return problems;
}

/** Problems with the shape of the service-level Kubernetes-only props. */
function serviceShapeProblems(opts: SecureServiceOpts): string[] {
  const { allowFrom } = opts;
  if (allowFrom === undefined) return [];
  if (Array.isArray(allowFrom)) {
    return allowFrom.flatMap((peer: unknown, i) => (isPlainObject(peer) ? unknownKeyProblems(peer, NETWORK_PEER_KEYS, 'a field of a network peer', `allowFrom[${i}].`) : []));
  }
  const fix = isPlainObject(allowFrom) ? `write [${JSON.stringify(allowFrom)}]` : "e.g. [{ podLabels: { app: 'web' } }]";
  return [`allowFrom must be a list of peers, found: ${JSON.stringify(allowFrom)}; ${fix}, or leave allowFrom out to admit any peer on the service port`];
}

/** Problems with one container's Kubernetes-only props and the shared props Kubernetes reads differently. */
export function kubernetesContainerProblems(options: ContainerInput, prefix = ''): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(`${prefix}${message}`);
  const { image, containerPort, secrets = {}, writablePaths = [] } = options;

  const imageProblem = imageReferenceProblem(image);
  if (imageProblem) add(imageProblem);
  if (options.cpu !== undefined && typeof options.cpu === 'number' && options.cpu > 0 && options.cpu < 0.001) {
    add(`cpu must be at least 0.001 (1m) on Kubernetes, found: ${options.cpu}`);
  }
  // A number JavaScript writes in exponent form (1e+21) is no Kubernetes quantity.
  const quantities: [string, unknown][] = [['cpu', typeof options.cpu === 'number' ? Math.round(options.cpu * 1000) : undefined],
    ['memoryMiB', options.memoryMiB], ['writablePathSizeMiB', options.writablePathSizeMiB]];
  for (const [prop, value] of quantities) {
    if (typeof value === 'number' && String(value).includes('e')) add(`${prop} is too large to write as a Kubernetes quantity, found: ${shown(prop === 'cpu' ? options.cpu : value)}`);
  }
  problems.push(...secretNameProblems(Object.keys(secrets), options.environment, prefix));
  for (const name of Object.keys(secrets)) {
    const ref = secrets[name];
    if (!isDnsSubdomain(ref?.secretName)) {
      add(`secrets.${name}.secretName must be a Secret name (a DNS-1123 subdomain, e.g. 'db'), found: ${JSON.stringify(ref?.secretName)}`);
    }
    if (typeof ref?.key !== 'string' || !SECRET_KEY.test(ref.key)) {
      add(`secrets.${name}.key must be a key of the Secret (letters, digits, '-', '_' or '.'), found: ${JSON.stringify(ref?.key)}`);
    }
  }
  if (options.secretsMountPath !== undefined && (typeof options.secretsMountPath !== 'string' || !options.secretsMountPath.startsWith('/'))) {
    add(`secretsMountPath must be an absolute path, found: ${JSON.stringify(options.secretsMountPath)}; e.g. '/run/secrets'`);
  }
  for (const path of options.copyFromImage ?? []) {
    if (!writablePaths.includes(path)) {
      add(`copyFromImage lists a path that is not in writablePaths, found: ${JSON.stringify(path)}; add it to writablePaths too`);
    }
  }
  const size = options.writablePathSizeMiB;
  if (size !== undefined && !(Number.isInteger(size) && size >= 1)) {
    add(`writablePathSizeMiB must be a whole number of MiB, at least 1, found: ${shown(size)}`);
  }
  if (options.hostPort !== undefined) {
    if (!isPort(options.hostPort)) add(`hostPort must be a whole number from 1 to 65535, found: ${shown(options.hostPort)}`);
    if (containerPort === undefined) add(`hostPort needs a containerPort to bind, found: hostPort ${shown(options.hostPort)} without containerPort`);
  }
  const asFiles = booleanProblem('secretsAsFiles', options.secretsAsFiles);
  if (asFiles) add(asFiles);
  problems.push(...ignoredDependentProblems(options, prefix));
  (options.hostPathMounts ?? []).forEach((mount, i) => {
    if (typeof mount?.hostPath !== 'string' || !mount.hostPath.startsWith('/')) {
      add(`hostPathMounts[${i}].hostPath must be an absolute path, found: ${JSON.stringify(mount?.hostPath)}`);
    }
    if (typeof mount?.mountPath !== 'string' || !mount.mountPath.startsWith('/')) {
      add(`hostPathMounts[${i}].mountPath must be an absolute path, found: ${JSON.stringify(mount?.mountPath)}`);
    }
    const readOnly = booleanProblem(`hostPathMounts[${i}].readOnly`, mount?.readOnly);
    if (readOnly) add(readOnly);
  });
  problems.push(...mountPathProblems(options, prefix));
  if (options.privileged === true && options.allowPrivilegeEscalation !== true) {
    add('privileged: true needs allowPrivilegeEscalation: true as well (Kubernetes rejects a privileged container that forbids escalation), found: allowPrivilegeEscalation '
      + `${JSON.stringify(options.allowPrivilegeEscalation ?? false)}; set both, and exempt NOT_PRIVILEGED and NO_PRIVILEGE_ESCALATION`);
  }
  return problems;
}

/**
 * Props that only mean something with another one, set without it: the author asked for something
 * the output would not have (secrets as files at a path, a size for writable volumes).
 */
function ignoredDependentProblems(options: ContainerInput, prefix: string): string[] {
  const problems: string[] = [];
  const { secretsMountPath, secretsAsFiles, writablePathSizeMiB, writablePaths = [] } = options;
  // A secretsAsFiles that is not a boolean is booleanProblem's to report.
  if (secretsMountPath !== undefined && (secretsAsFiles === undefined || secretsAsFiles === false)) {
    const found = secretsAsFiles === undefined ? 'without secretsAsFiles' : 'with secretsAsFiles false';
    problems.push(`${prefix}secretsMountPath needs secretsAsFiles: true, found: secretsMountPath ${JSON.stringify(secretsMountPath)} ${found}; `
      + 'add secretsAsFiles: true to mount the secrets as files there, or remove secretsMountPath to keep them in environment variables');
  }
  if (writablePathSizeMiB !== undefined && writablePaths.length === 0) {
    problems.push(`${prefix}writablePathSizeMiB needs writablePaths to size, found: writablePathSizeMiB ${shown(writablePathSizeMiB)} without writablePaths; `
      + 'list the paths the process writes to in writablePaths, or remove writablePathSizeMiB');
  }
  return problems;
}

/**
 * Problems with paths mounted twice in one container (Kubernetes rejects the pod): writable paths, host
 * path mounts and secret files. Duplicates among writable paths are `writablePathProblems`' to report.
 */
function mountPathProblems(options: ContainerInput, prefix: string): string[] {
  const problems: string[] = [];
  const mountedBy = new Map<string, string>();
  const mount = (prop: string, path: unknown, report: boolean) => {
    if (typeof path !== 'string') return;
    const key = path.replace(/\/+$/, '');
    const first = mountedBy.get(key);
    if (first === undefined) mountedBy.set(key, prop);
    else if (report) problems.push(`${prefix}${prop} mounts ${JSON.stringify(path)}, which ${first} already mounts; a container can mount a path once, choose another path`);
  };
  (options.writablePaths ?? []).forEach((path, i) => mount(`writablePaths[${i}]`, path, false));
  (options.hostPathMounts ?? []).forEach((m, i) => mount(`hostPathMounts[${i}].mountPath`, m?.mountPath, true));
  if (options.secretsAsFiles === true) {
    const base = typeof options.secretsMountPath === 'string' ? options.secretsMountPath.replace(/\/+$/, '') : DEFAULT_SECRETS_MOUNT_PATH;
    for (const name of Object.keys(options.secrets ?? {})) mount(`secrets.${name} (a file, with secretsAsFiles)`, `${base}/${name}`, true);
  }
  return problems;
}

/** The service-level props that weaken a control when true. */
const SERVICE_BOOLEAN_PROPS = ['hostNetwork', 'hostPID', 'hostIPC', 'automountServiceAccountToken'] as const;

/** Problems with the service-level Kubernetes-only props. */
export function serviceOptsProblems(opts: SecureServiceOpts & { readonly containerPort?: number }, name: string): string[] {
  const problems: string[] = [];
  const nameProp = opts.name === undefined ? 'name (the construct id, used as the name when the name prop is not set)' : 'name';
  const nameProblem = dnsLabelProblem(nameProp, name) ?? (opts.containerPort !== undefined ? dns1035LabelProblem(nameProp, name) : undefined);
  if (nameProblem) problems.push(nameProblem);
  for (const prop of SERVICE_BOOLEAN_PROPS) {
    const problem = booleanProblem(prop, opts[prop]);
    if (problem) problems.push(problem);
  }
  if (opts.namespace !== undefined) {
    const problem = dnsLabelProblem('namespace', opts.namespace);
    if (problem) problems.push(problem);
  }
  problems.push(...labelProblems('labels', opts.labels));
  if (opts.labels && NAME_LABEL in opts.labels) {
    problems.push(`labels cannot set ${NAME_LABEL}, found: ${JSON.stringify(opts.labels[NAME_LABEL])}; it selects the service's pods and is always the name, set name instead`);
  }
  if (opts.allowFrom?.length === 0) {
    // Kubernetes reads `from: []` as every source: the opposite of an empty list of allowed peers.
    problems.push('allowFrom cannot be empty, found: []; Kubernetes reads an empty list of peers as every source: '
      + 'leave allowFrom out to admit any peer on the service port, or list the peers');
  }
  if ((opts.allowFrom?.length ?? 0) > 0 && opts.containerPort === undefined) {
    problems.push(`allowFrom needs a containerPort to admit its peers to, found: allowFrom ${JSON.stringify(opts.allowFrom)} without containerPort; `
      + 'add the containerPort, or remove allowFrom (without a port nothing is admitted)');
  }
  (opts.allowFrom ?? []).forEach((peer, i) => {
    if (!peer || (peer.podLabels === undefined && peer.namespaceLabels === undefined)) {
      problems.push(`allowFrom[${i}] needs podLabels or namespaceLabels, found: ${JSON.stringify(peer)}; leave allowFrom out to admit any peer to the service port`);
    }
    // An empty selector selects everything: `namespaceLabels: {}` admits every namespace.
    for (const field of ['podLabels', 'namespaceLabels'] as const) {
      const selector = peer?.[field];
      if (selector !== undefined && typeof selector === 'object' && selector !== null && Object.keys(selector).length === 0) {
        problems.push(`allowFrom[${i}].${field} cannot be empty, found: {}; an empty selector admits every ${field === 'podLabels' ? 'pod' : 'namespace'}: list the labels, or leave ${field} out`);
      }
    }
    problems.push(...labelProblems(`allowFrom[${i}].podLabels`, peer?.podLabels), ...labelProblems(`allowFrom[${i}].namespaceLabels`, peer?.namespaceLabels));
  });
  if (opts.servicePort !== undefined) {
    if (!isPort(opts.servicePort)) problems.push(`servicePort must be a whole number from 1 to 65535, found: ${shown(opts.servicePort)}`);
    if (opts.containerPort === undefined) problems.push(`servicePort needs a containerPort to forward to, found: servicePort ${shown(opts.servicePort)} without containerPort`);
  }
  return problems;
}
