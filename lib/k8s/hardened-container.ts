/**
 * Adds one hardened container to a cdk8s-plus workload: resources from cpu/memoryMiB, probes from
 * healthCheck, an emptyDir per writable path (optionally seeded from the image), secrets as
 * secretKeyRef env vars or read-only files, and the security context.
 */
import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DEFAULT_CPU, DEFAULT_MEMORY_MIB } from '../core';
import { toDnsLabel } from './names';
import { DEFAULT_SECRETS_MOUNT_PATH, DEFAULT_WRITABLE_PATH_SIZE_MIB, SecureContainerProps } from './props';
import { NumericUser, closeContainerGaps, containerSecurityContext } from './security-context';

const POD_SPEC_PATH = '/spec/template/spec';
const SEED_PATH = '/secure-service/seed';

/** What a hardened container needs to know about the service it belongs to. */
export interface HardenedContainerContext {
  /** Where child constructs (volumes) are created. */
  readonly scope: Construct;
  /**
   * Starts the ids of this container's child constructs: empty for the main container, `Sidecar-<name>-`
   * for a sidecar. Ids never contain the service's name: every service's children then have the same
   * ids, and the objects V8 keeps them in share hidden classes instead of growing new ones per service.
   */
  readonly idPrefix: string;
  readonly workload: kplus.Deployment;
  /** The service's seccomp profile (pod level); containers asking for another one get their own. */
  readonly podSeccomp: 'RuntimeDefault' | 'Unconfined';
  /** Volume names already used in the pod. */
  readonly volumeNames: Set<string>;
}

/** Adds `options` as container `name` (hardened) to the workload; returns the cdk8s-plus container. */
export function addHardenedContainer(
  context: HardenedContainerContext, name: string, options: SecureContainerProps, user: NumericUser,
): kplus.Container {
  const { scope, workload } = context;
  const port = options.containerPort;
  const resources = resourcesOf(options);
  const securityContext = containerSecurityContext(user, options);
  const asFiles = options.secretsAsFiles === true;

  const container = workload.addContainer({
    name,
    image: options.image,
    command: options.command ? [...options.command] : undefined,
    ports: port !== undefined ? [{ number: port, hostPort: options.hostPort }] : undefined,
    envVariables: environmentOf(context, options, asFiles),
    resources,
    securityContext,
    ...probesOf(options),
  });
  const seccomp = options.seccompProfile !== undefined && options.seccompProfile !== context.podSeccomp ? options.seccompProfile : undefined;
  const location = { podSpecPath: POD_SPEC_PATH, init: false, index: workload.containers.length - 1 };
  closeContainerGaps(ApiObject.of(workload), location, options.capabilities?.add, seccomp);

  (options.writablePaths ?? []).forEach((path, index) => {
    const volumeName = uniqueVolumeName(context.volumeNames, `${name}-${path}`);
    const volume = kplus.Volume.fromEmptyDir(scope, `${context.idPrefix}Writable-${index}`, volumeName, {
      sizeLimit: Size.mebibytes(options.writablePathSizeMiB ?? DEFAULT_WRITABLE_PATH_SIZE_MIB),
    });
    container.mount(path, volume);
    if (options.copyFromImage?.includes(path)) {
      const init = workload.addInitContainer({
        name: toDnsLabel(`copy-${volumeName}`),
        image: options.image,
        // `path/.` copies the directory's content, hidden files included, in GNU and busybox cp.
        command: ['cp', '-R', `${path}/.`, `${SEED_PATH}/`],
        resources,
        securityContext,
      });
      init.mount(SEED_PATH, volume);
      closeContainerGaps(ApiObject.of(workload), { podSpecPath: POD_SPEC_PATH, init: true, index: workload.initContainers.length - 1 }, [], seccomp);
    }
  });

  if (asFiles) mountSecretFiles(context, name, container, options);

  (options.hostPathMounts ?? []).forEach((mount, index) => {
    const volumeName = uniqueVolumeName(context.volumeNames, `${name}-host-${mount.hostPath}`);
    const volume = kplus.Volume.fromHostPath(scope, `${context.idPrefix}HostPath-${index}`, volumeName, { path: mount.hostPath });
    container.mount(mount.mountPath, volume, { readOnly: mount.readOnly ?? true });
  });
  return container;
}

function resourcesOf(options: SecureContainerProps): kplus.ContainerResources {
  const millis = Math.round((options.cpu ?? DEFAULT_CPU) * 1000);
  const memory = options.memoryMiB ?? DEFAULT_MEMORY_MIB;
  return {
    cpu: { request: kplus.Cpu.millis(millis), limit: kplus.Cpu.millis(millis) },
    memory: { request: Size.mebibytes(memory), limit: Size.mebibytes(memory) },
  };
}

function probesOf(options: SecureContainerProps): Pick<kplus.ContainerProps, 'liveness' | 'readiness'> {
  const check = options.healthCheck;
  if (check?.path !== undefined) {
    return {
      liveness: kplus.Probe.fromHttpGet(check.path, { port: options.containerPort }),
      readiness: kplus.Probe.fromHttpGet(check.path, { port: options.containerPort }),
    };
  }
  if (check?.command !== undefined) {
    return { liveness: kplus.Probe.fromCommand([...check.command]), readiness: kplus.Probe.fromCommand([...check.command]) };
  }
  return {};
}

function environmentOf(context: HardenedContainerContext, options: SecureContainerProps, asFiles: boolean): { [name: string]: kplus.EnvValue } {
  const env: { [name: string]: kplus.EnvValue } = {};
  const environment = options.environment ?? {};
  for (const name of Object.keys(environment)) env[name] = kplus.EnvValue.fromValue(environment[name]);
  if (asFiles) return env;
  const secrets = options.secrets ?? {};
  for (const name of Object.keys(secrets)) {
    const ref = secrets[name];
    env[name] = kplus.EnvValue.fromSecretValue({ secret: secretReference(context.scope, ref.secretName), key: ref.key });
  }
  return env;
}

// One volume per Secret; each key is mounted read-only as its own file (subPath), named like the variable.
function mountSecretFiles(context: HardenedContainerContext, name: string, container: kplus.Container, options: SecureContainerProps): void {
  const base = options.secretsMountPath ?? DEFAULT_SECRETS_MOUNT_PATH;
  const volumes = new Map<string, kplus.Volume>();
  const entries = Object.entries(options.secrets ?? {});
  for (const secretName of new Set(entries.map(([, ref]) => ref.secretName))) {
    const items: { [key: string]: kplus.PathMapping } = {};
    for (const [file, ref] of entries.filter(([, r]) => r.secretName === secretName)) items[ref.key] = { path: file };
    const volumeName = uniqueVolumeName(context.volumeNames, `${name}-secret-${secretName}`);
    const secret = secretReference(context.scope, secretName);
    const volume = kplus.Volume.fromSecret(context.scope, `${context.idPrefix}SecretVolume-${secretName}`, secret, { name: volumeName, items, defaultMode: 0o440 });
    volumes.set(secretName, volume);
  }
  for (const [file, ref] of entries) {
    container.mount(`${base.replace(/\/+$/, '')}/${file}`, volumes.get(ref.secretName)!, { subPath: file, readOnly: true });
  }
}

/**
 * The chart's one reference to the Secret `secretName`, shared by its services as a hand-written chart
 * would share it. A reference renders nothing; one construct per reference per service cost 1% of
 * synthesis at 100 services (every walk of the tree visits it).
 */
function secretReference(scope: Construct, secretName: string): kplus.ISecret {
  const chart = Chart.of(scope);
  const id = `SecureServiceSecret-${secretName}`;
  const existing = chart.node.tryFindChild(id);
  if (existing === undefined) return kplus.Secret.fromSecretName(chart, id, secretName);
  // By kind and name: a ConfigMap named like the Secret would render the same secretKeyRef, but is not one.
  const candidate = existing as Partial<kplus.ISecret>;
  if (candidate.resourceType !== 'secrets' || candidate.name !== secretName) {
    throw new Error(`${existing.node.path} is not a reference to the Secret '${secretName}', but SecureService keeps its reference to that Secret under this id; give that construct another id`);
  }
  return existing as kplus.ISecret;
}

function uniqueVolumeName(used: Set<string>, wanted: string): string {
  const base = toDnsLabel(wanted.replace(/[^A-Za-z0-9]+/g, '-')).slice(0, 58).replace(/-+$/, '') || 'volume';
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  used.add(name);
  return name;
}
