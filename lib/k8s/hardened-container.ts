/**
 * Adds one hardened container to a cdk8s-plus workload: resources from cpu/memoryMiB, probes from
 * healthCheck, an emptyDir per writable path (optionally seeded from the image), secrets as
 * secretKeyRef env vars or read-only files, and the security context.
 */
import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DEFAULT_CPU, DEFAULT_MEMORY_MIB } from '../core';
import { toDnsLabel } from './names';
import { DEFAULT_SECRETS_MOUNT_PATH, DEFAULT_WRITABLE_PATH_SIZE_MIB, SecureContainerProps } from './props';
import { NumericUser, closeContainerGaps, containerSecurityContext, nonRootUser } from './security-context';

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
  /** The pod-level user, never root: what a seeding init container runs as when its container runs as root. */
  readonly podUser: NumericUser;
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
  // The pod level is always RuntimeDefault: a container that asks for another profile gets it alone.
  const seccomp = options.seccompProfile !== undefined && options.seccompProfile !== 'RuntimeDefault' ? options.seccompProfile : undefined;
  const location = { podSpecPath: POD_SPEC_PATH, init: false, index: workload.containers.length - 1 };
  closeContainerGaps(ApiObject.of(workload), location, options.capabilities?.add, seccomp);

  (options.writablePaths ?? []).forEach((path, index) => {
    const volumeName = uniqueVolumeName(context.volumeNames, `${name}-${path}`);
    const volume = kplus.Volume.fromEmptyDir(scope, `${context.idPrefix}Writable-${index}`, volumeName, {
      sizeLimit: Size.mebibytes(options.writablePathSizeMiB ?? DEFAULT_WRITABLE_PATH_SIZE_MIB),
    });
    container.mount(path, volume);
    if (options.copyFromImage?.includes(path)) addSeedContainer(context, { image: options.image, path, volumeName, volume, user, resources });
  });

  if (asFiles) mountSecretFiles(context, name, container, options);

  (options.hostPathMounts ?? []).forEach((mount, index) => {
    const volumeName = uniqueVolumeName(context.volumeNames, `${name}-host-${mount.hostPath}`);
    const volume = kplus.Volume.fromHostPath(scope, `${context.idPrefix}HostPath-${index}`, volumeName, { path: mount.hostPath });
    container.mount(mount.mountPath, volume, { readOnly: mount.readOnly ?? true });
  });
  return container;
}

/** What a seeding init container copies, and for which container. */
interface Seed {
  readonly image: string;
  readonly path: string;
  readonly volumeName: string;
  readonly volume: kplus.Volume;
  /** The container's user. */
  readonly user: NumericUser;
  readonly resources: kplus.ContainerResources;
}

/**
 * Adds the init container that copies `path` from the image into its empty volume. `cp` needs none of
 * the weakenings its container may be exempted for, so it gets every secure default (the exemptions
 * name the container, not its copy). It runs as the container's user, so the copies belong to the uid
 * that later writes them. Where that user is root, it runs as the pod's non-root user instead: reading
 * the image's files needs no root (a file only root may read fails the copy, and the pod, loudly), and
 * the copies stay readable by the root container, which is the only container that asked for root.
 */
function addSeedContainer(context: HardenedContainerContext, seed: Seed): void {
  const { workload } = context;
  const init = workload.addInitContainer({
    name: seedContainerName(seed.volumeName),
    image: seed.image,
    // `path/.` copies the directory's content, hidden files included, in GNU and busybox cp.
    command: ['cp', '-R', `${seed.path}/.`, `${SEED_PATH}/`],
    resources: seed.resources,
    securityContext: containerSecurityContext(nonRootUser(seed.user, context.podUser), {}),
  });
  init.mount(SEED_PATH, seed.volume);
  // No seccomp profile of its own: the pod's applies, not one its container asked for.
  closeContainerGaps(ApiObject.of(workload), { podSpecPath: POD_SPEC_PATH, init: true, index: workload.initContainers.length - 1 }, []);
}

function seedContainerName(volumeName: string): string {
  return toDnsLabel(`copy-${volumeName}`);
}

/**
 * The init containers `addHardenedContainer` would add for `copyFromImage` (the path each copies, its
 * name), given the volume names used so far: checked against the pod's containers before anything is added.
 */
export function seedContainerNames(context: Pick<HardenedContainerContext, 'volumeNames'>, name: string, options: SecureContainerProps): { path: string; name: string }[] {
  if (!options.copyFromImage?.length) return [];
  const used = new Set(context.volumeNames);
  const seeds: { path: string; name: string }[] = [];
  for (const path of options.writablePaths ?? []) {
    const volumeName = uniqueVolumeName(used, `${name}-${path}`);
    if (options.copyFromImage.includes(path)) seeds.push({ path, name: seedContainerName(volumeName) });
  }
  return seeds;
}

/**
 * Init containers of `seeds` that would share a name (a name is cut to 63 characters, which can cut off
 * what tells two volumes apart): Kubernetes rejects a pod with two containers of one name.
 */
export function seedNameClashes(seeds: readonly { path: string; name: string }[], prefix = ''): string[] {
  return seeds.flatMap((seed, i) => {
    const first = seeds.findIndex((other) => other.name === seed.name);
    return first === i ? [] : [`${prefix}copyFromImage ${JSON.stringify(seeds[first].path)} and ${JSON.stringify(seed.path)} need init containers of one name, `
      + `'${seed.name}' (copy-<container>-<path>, cut to 63 characters); give the service or container a shorter name, or the paths shorter ones`];
  });
}

function resourcesOf(options: SecureContainerProps): kplus.ContainerResources {
  const millis = Math.round((options.cpu ?? DEFAULT_CPU) * 1000);
  const memory = options.memoryMiB ?? DEFAULT_MEMORY_MIB;
  return {
    cpu: { request: kplus.Cpu.millis(millis), limit: kplus.Cpu.millis(millis) },
    memory: { request: Size.mebibytes(memory), limit: Size.mebibytes(memory) },
  };
}

// A startup probe checks this often; its failure threshold makes it wait the start period, and then allow
// as many failures as the liveness probe does (3, the default), as ECS counts retries after its start period.
const STARTUP_PERIOD_SECONDS = 10;
const FAILURES_AFTER_START = 3;

function probesOf(options: SecureContainerProps): Pick<kplus.ContainerProps, 'liveness' | 'readiness' | 'startup'> {
  const check = options.healthCheck;
  if (check === undefined || (check.path === undefined && check.command === undefined)) return {};
  const { path, command } = check;
  const timing: kplus.ProbeOptions = {
    periodSeconds: check.intervalSeconds === undefined ? undefined : Duration.seconds(check.intervalSeconds),
    timeoutSeconds: check.timeoutSeconds === undefined ? undefined : Duration.seconds(check.timeoutSeconds),
  };
  const probe = (probePath: string | undefined, more: kplus.ProbeOptions = timing) => (probePath !== undefined
    ? kplus.Probe.fromHttpGet(probePath, { port: check.port ?? options.containerPort, ...more })
    : kplus.Probe.fromCommand([...(command ?? [])], more));
  const livenessPath = check.livenessPath ?? path;
  // Until the startup probe succeeds, the kubelet runs neither of the others: a slow start is not a failure.
  // It checks what liveness checks: it is the liveness probe with more patience.
  const startup = check.startPeriodSeconds === undefined ? undefined : probe(livenessPath, {
    ...timing,
    periodSeconds: Duration.seconds(STARTUP_PERIOD_SECONDS),
    failureThreshold: Math.ceil(check.startPeriodSeconds / STARTUP_PERIOD_SECONDS) + FAILURES_AFTER_START,
  });
  return { liveness: probe(livenessPath), readiness: probe(path), ...(startup ? { startup } : {}) };
}

function environmentOf(context: HardenedContainerContext, options: SecureContainerProps, asFiles: boolean): { [name: string]: kplus.EnvValue } {
  const env: { [name: string]: kplus.EnvValue } = {};
  // Secrets first: Kubernetes expands `$(DB_PASSWORD)` in a value only from variables defined before it.
  const secrets = asFiles ? {} : options.secrets ?? {};
  for (const name of Object.keys(secrets)) {
    const ref = secrets[name];
    env[name] = kplus.EnvValue.fromSecretValue({ secret: secretReference(context.scope, ref.secretName), key: ref.key });
  }
  const environment = options.environment ?? {};
  for (const name of Object.keys(environment)) env[name] = kplus.EnvValue.fromValue(environment[name]);
  return env;
}

/**
 * One read-only volume per Secret, each key projected once, as a file named like the first variable that
 * reads it; every variable is mounted (subPath) at its own name. cdk8s-plus keys `items` by Secret key,
 * so two variables reading one key share its file: keyed by variable, one of them would lose its file.
 */
function mountSecretFiles(context: HardenedContainerContext, name: string, container: kplus.Container, options: SecureContainerProps): void {
  const base = (options.secretsMountPath ?? DEFAULT_SECRETS_MOUNT_PATH).replace(/\/+$/, '');
  const secrets = options.secrets ?? {};
  const itemsBySecret = new Map<string, { [key: string]: kplus.PathMapping }>();
  for (const variable of Object.keys(secrets)) {
    const { secretName, key } = secrets[variable];
    const items = itemsBySecret.get(secretName) ?? itemsBySecret.set(secretName, {}).get(secretName)!;
    items[key] ??= { path: variable };
  }
  const volumes = new Map<string, kplus.Volume>();
  for (const [secretName, items] of itemsBySecret) {
    const volumeName = uniqueVolumeName(context.volumeNames, `${name}-secret-${secretName}`);
    const secret = secretReference(context.scope, secretName);
    volumes.set(secretName, kplus.Volume.fromSecret(context.scope, `${context.idPrefix}SecretVolume-${secretName}`, secret, { name: volumeName, items, defaultMode: 0o440 }));
  }
  for (const variable of Object.keys(secrets)) {
    const { secretName, key } = secrets[variable];
    const file = itemsBySecret.get(secretName)![key].path;
    container.mount(`${base}/${variable}`, volumes.get(secretName)!, { subPath: file, readOnly: true });
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
