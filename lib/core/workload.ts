import { EXEMPTION_KEYS, Exemption } from './exemption';
import { keyList, unknownKeyProblems } from './known-keys';
import { LINUX_CAPABILITIES } from './linux-capabilities';
import { shown } from './shown';

export { shown };

/** How the platform checks the container is healthy. */
export interface HealthCheck {
  /**
   * An HTTP path on the container port (or on `port`): the load balancer's health check on ECS, liveness
   * and readiness probes on Kubernetes.
   * @default - no HTTP check
   */
  readonly path?: string;
  /**
   * A command run inside the container (the image must contain it: distroless images have no curl).
   * @default - no command check
   */
  readonly command?: readonly string[];
  /**
   * An HTTP path for the Kubernetes liveness (and startup) probe alone, when restarting should depend on
   * less than serving does: `/health/live` beside a `path` of `/health/ready`, so that a database outage
   * takes pods out of the Service without restarting every one of them. Served on the same port as `path`.
   * ECS has no HTTP container check: there the load balancer's check on `path` decides, and a
   * `livenessPath` only warns.
   * @default - `path`
   */
  readonly livenessPath?: string;
  /**
   * The port `path` is served on, when it is not the container port: a management port (Keycloak and
   * Quarkus serve health on 9000, Spring Boot on its `management.server.port`). Nothing else reaches it:
   * on ECS the target group checks it and the security group admits it from the load balancer only; on
   * Kubernetes the kubelet probes it from the node, and neither the Service nor the NetworkPolicy opens it.
   * @default - the container port
   */
  readonly port?: number;
  /**
   * How long the process may take to start, in seconds, before failed checks count: a Kubernetes
   * startup probe (checked every 10 seconds), and on ECS the container check's start period and the
   * service's health check grace period. At most 300, the longest start period ECS takes.
   * @default - failed checks count from the start (Kubernetes restarts a container after 3)
   */
  readonly startPeriodSeconds?: number;
  /**
   * Seconds between two checks, 5 to 300: the liveness and readiness probes' period on Kubernetes (a
   * startup probe keeps 10), the load balancer's and the container check's interval on ECS.
   * @default - each target's own: 10 on Kubernetes, 30 on ECS
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds one check may take before it counts as failed, 2 to 60 and less than the interval: a JVM on a
   * quarter of a vCPU can take longer than Kubernetes' default second while it collects garbage.
   * @default - each target's own: 1 on Kubernetes, 5 on ECS
   */
  readonly timeoutSeconds?: number;
}

/** The longest start period ECS takes for a container health check. */
export const MAX_START_PERIOD_SECONDS = 300;

/** A numeric user and group. */
export interface UserSpec {
  readonly uid: number;
  /** @default - the same as uid */
  readonly gid?: number;
}

/** Linux capabilities to add (every one needs an exemption of DROP_ALL_CAPABILITIES). */
export interface CapabilitiesSpec {
  /** Names without the CAP_ prefix, e.g. `SYS_PTRACE`. @default - none */
  readonly add?: readonly string[];
}

/**
 * Settings of one container shared by both targets. Every security setting defaults to the secure
 * value; weakening one needs an exemption of its control.
 */
export interface SecureContainerOptions {
  /** The port the process listens on. @default - none (a worker) */
  readonly containerPort?: number;
  /** vCPUs (ECS 1024 units = 1 vCPU, Kubernetes 1 = 1000m). @default 0.25 */
  readonly cpu?: number;
  /** Memory in MiB, the hard limit. @default 512 */
  readonly memoryMiB?: number;
  /** Absolute paths the process writes to; each gets its own ephemeral volume. @default - none */
  readonly writablePaths?: readonly string[];
  /** Plain environment variables; secret-looking names are rejected unless exempted. @default - none */
  readonly environment?: { readonly [name: string]: string };
  /**
   * What the container runs: on Kubernetes its `command` (replacing the image's ENTRYPOINT), on ECS its
   * `Command` (replacing the image's CMD; an ENTRYPOINT wrapper still runs). @default - the image's
   */
  readonly command?: readonly string[];
  /** Health check. @default - none */
  readonly healthCheck?: HealthCheck;
  /** The user to run as. @default - the security policy's default user, else 65532:65532 */
  readonly user?: UserSpec;
  /** Weakens READ_ONLY_ROOT_FILESYSTEM when false. @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** Weakens DROP_ALL_CAPABILITIES when capabilities are added. @default - drop ALL, add none */
  readonly capabilities?: CapabilitiesSpec;
  /** Weakens NOT_PRIVILEGED when true. @default false */
  readonly privileged?: boolean;
  /** Weakens NO_PRIVILEGE_ESCALATION when true. @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Weakens SECCOMP_RUNTIME_DEFAULT when 'Unconfined'. @default 'RuntimeDefault' */
  readonly seccompProfile?: 'RuntimeDefault' | 'Unconfined';
  /** Exemptions for this container (sidecars) or the whole service (main container). @default - none */
  readonly exemptions?: readonly Exemption[];
}

/** The service definition shared by both targets: spread one object into either. */
export interface SecureServiceSpec extends SecureContainerOptions {
  /** How many copies run. @default 1 */
  readonly replicas?: number;
}

/** The props of SecureContainerOptions: a target adds its own to judge a props object's keys. */
export const CONTAINER_OPTION_KEYS = keyList<SecureContainerOptions>({
  containerPort: true,
  cpu: true,
  memoryMiB: true,
  writablePaths: true,
  environment: true,
  command: true,
  healthCheck: true,
  user: true,
  readOnlyRootFilesystem: true,
  capabilities: true,
  privileged: true,
  allowPrivilegeEscalation: true,
  seccompProfile: true,
  exemptions: true,
});
/** The props of SecureServiceSpec. */
export const SERVICE_SPEC_KEYS = [...CONTAINER_OPTION_KEYS, ...keyList<Omit<SecureServiceSpec, keyof SecureContainerOptions>>({ replicas: true })];
const HEALTH_CHECK_KEYS = keyList<HealthCheck>({
  path: true, command: true, livenessPath: true, port: true, startPeriodSeconds: true, intervalSeconds: true, timeoutSeconds: true,
});
const USER_KEYS = keyList<UserSpec>({ uid: true, gid: true });
const CAPABILITIES_KEYS = keyList<CapabilitiesSpec>({ add: true });

export const DEFAULT_CPU = 0.25;
export const DEFAULT_MEMORY_MIB = 512;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A plain variable's name as Kubernetes validates it (ECS takes any): images read dotted ones (Elasticsearch's discovery.type).
const PLAIN_ENV_NAME = /^[-._A-Za-z][-._A-Za-z0-9]*$/;
/** The shared props that weaken a control when true: JSON and JavaScript callers can pass the string 'true'. */
const BOOLEAN_PROPS = ['readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation'] as const;


/** Knows which values are placeholders for later (CDK tokens) and must not be checked now. */
export type IsUnresolved = (value: unknown) => boolean;
const neverUnresolved: IsUnresolved = () => false;

/**
 * Problems with the shared props, each naming the prop, the value received and the fix. Security
 * settings are not judged here: the final output is, by `evaluate`. Wrong shapes (a string where a
 * list belongs, null where an object does) are reported alone: the other checks read inside them.
 */
export function validateContainerOptions(options: SecureContainerOptions, prefix = '', isUnresolved = neverUnresolved): string[] {
  const shapes = containerShapeProblems(options, prefix, isUnresolved);
  if (shapes.length > 0) return shapes;
  const problems: string[] = [];
  // The message is built only for a bad value: this runs for every service and sidecar.
  const check = (value: unknown, ok: boolean, message: () => string) => {
    if (value !== undefined && !ok && !isUnresolved(value)) problems.push(`${prefix}${message()}`);
  };
  const { containerPort, cpu, memoryMiB, user } = options;

  check(containerPort, Number.isInteger(containerPort) && containerPort! >= 1 && containerPort! <= 65535,
    () => `containerPort must be a whole number from 1 to 65535, found: ${shown(containerPort)}; to serve port 80, listen on 8080 and map 80 in the load balancer or Service`);
  check(cpu, typeof cpu === 'number' && cpu > 0 && Number.isFinite(cpu), () => `cpu must be a positive number of vCPUs (e.g. 0.25), found: ${shown(cpu)}`);
  check(memoryMiB, Number.isInteger(memoryMiB) && memoryMiB! >= 6, () => `memoryMiB must be a whole number of MiB, at least 6, found: ${shown(memoryMiB)}`);
  if (user !== undefined && user.uid === undefined) {
    problems.push(`${prefix}user.uid is required when user is set, found: ${shown(user)}; e.g. { uid: 10001, gid: 10001 }, or leave user out for the policy's default user`);
  } else if (user !== undefined) {
    check(user.uid, isUserId(user.uid), () => `user.uid must be a whole number from 0 to ${MAX_USER_ID}, found: ${shown(user.uid)}; names cannot be verified, use the numeric uid (e.g. 65532)`);
    check(user.gid, isUserId(user.gid), () => `user.gid must be a whole number from 0 to ${MAX_USER_ID}, found: ${shown(user.gid)}; use the numeric gid (e.g. 65532)`);
  }
  for (const prop of BOOLEAN_PROPS) {
    const value: unknown = options[prop];
    check(value, typeof value === 'boolean', () => booleanProblem(prop, value)!);
  }
  problems.push(...writablePathProblems(options.writablePaths ?? [], prefix));
  const environment = options.environment ?? {};
  for (const name of Object.keys(environment)) {
    const value: unknown = environment[name];
    if (!PLAIN_ENV_NAME.test(name)) {
      problems.push(`${prefix}environment name must be letters, digits, '_', '-' and '.', not starting with a digit (${PLAIN_ENV_NAME}), found: ${JSON.stringify(name)}`);
    }
    if (typeof value !== 'string') problems.push(`${prefix}environment.${name} must be a string, found: ${shown(value)}`);
  }
  for (const capability of options.capabilities?.add ?? []) {
    problems.push(...capabilityProblems(capability, prefix));
  }
  problems.push(...healthCheckProblems(options.healthCheck, prefix, isUnresolved));
  // Kubernetes probes the path on the container's port, a load balancer checks it there: without a port, it checks nothing.
  if (options.healthCheck?.path !== undefined && containerPort === undefined && options.healthCheck.port === undefined) {
    problems.push(`${prefix}healthCheck.path needs a containerPort to be checked on, found: path ${shown(options.healthCheck.path)} without containerPort; `
      + 'set containerPort (Kubernetes also probes healthCheck.port alone), or use healthCheck.command');
  }
  check(options.seccompProfile, ['RuntimeDefault', 'Unconfined'].includes(options.seccompProfile!),
    () => `seccompProfile must be 'RuntimeDefault' or 'Unconfined', found: ${JSON.stringify(options.seccompProfile)}`);
  return problems;
}

/** The problem with a prop that must be a boolean, or undefined. */
export function booleanProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const fix = value === 'true' || value === 'false' ? `write ${value} without quotes` : 'write true or false';
  return `${prop} must be true or false, found: ${shown(value)}; ${fix}`;
}

/**
 * Problems with the shape of the shared props: lists, objects and a command that JavaScript callers and
 * JSON configs can get wrong (a string spreads into characters, null crashes a read). Checked before
 * anything reads inside them.
 */
export function containerShapeProblems(options: SecureContainerOptions, prefix = '', isUnresolved = neverUnresolved): string[] {
  const problems: string[] = [];
  const check = (prop: string, value: unknown, ok: (v: unknown) => boolean, shape: string, fix: string) => {
    if (value !== undefined && !isUnresolved(value) && !ok(value)) problems.push(`${prefix}${prop} must be ${shape}, found: ${shown(value)}; ${fix}`);
  };
  const { writablePaths, environment, user, healthCheck, capabilities, exemptions } = options;
  const command: unknown = options.command;
  check('writablePaths', writablePaths, Array.isArray, 'a list of absolute paths', wrapFix(writablePaths, "e.g. ['/tmp']"));
  check('command', command, isArgumentList, 'a non-empty list of non-empty arguments',
    typeof command === 'string' ? `write ${JSON.stringify(command.trim().split(/\s+/))}` : "e.g. ['node', 'server.js']");
  check('environment', environment, isPlainObject, 'an object of variable names to strings', "e.g. { LOG_LEVEL: 'info' }, or leave it out");
  check('user', user, isPlainObject, 'an object with a numeric uid', 'e.g. { uid: 10001, gid: 10001 }, or leave it out for the default user');
  check('healthCheck', healthCheck, isPlainObject, 'an object with path or command', "e.g. { path: '/healthz' }, or leave it out");
  check('capabilities', capabilities, isPlainObject, 'an object with add', "e.g. { add: ['NET_BIND_SERVICE'] }, or leave it out");
  if (isPlainObject(capabilities)) {
    check('capabilities.add', capabilities.add, Array.isArray, 'a list of capability names', wrapFix(capabilities.add, "e.g. ['NET_BIND_SERVICE']"));
  }
  check('exemptions', exemptions, Array.isArray, 'a list of exemptions', 'wrap the exemption in [ ]');
  if (Array.isArray(exemptions)) {
    exemptions.forEach((exemption: unknown, index) => check(`exemptions[${index}]`, exemption ?? null, isPlainObject,
      'an object with control and justification', "e.g. { control: Control.RUN_AS_NON_ROOT, justification: '...' }"));
  }
  for (const [prop, value, keys, what] of [
    ['user', user, USER_KEYS, 'a field of user'],
    ['healthCheck', healthCheck, HEALTH_CHECK_KEYS, 'a field of healthCheck'],
    ['capabilities', capabilities, CAPABILITIES_KEYS, 'a field of capabilities'],
  ] as const) {
    if (isPlainObject(value)) problems.push(...unknownKeyProblems(value, keys, what, `${prefix}${prop}.`));
  }
  (Array.isArray(exemptions) ? exemptions : []).forEach((exemption: unknown, index) => {
    if (isPlainObject(exemption)) problems.push(...unknownKeyProblems(exemption, EXEMPTION_KEYS, 'a field of an exemption', `${prefix}exemptions[${index}].`));
  });
  return problems;
}

/** The fix for a single value where a list belongs: the value in a list. */
function wrapFix(value: unknown, otherwise: string): string {
  return typeof value === 'string' || isPlainObject(value) ? `write [${shown(value)}]` : otherwise;
}

/** An object of named values (not null, not an array), as props and JSON settings must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isArgumentList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((argument) => typeof argument === 'string' && argument !== '');
}

/** Problems with the service-level props, then the main container's. */
export function validateServiceSpec(spec: SecureServiceSpec, isUnresolved = neverUnresolved): string[] {
  const problems: string[] = [];
  if (spec.replicas !== undefined && !isUnresolved(spec.replicas) && !(Number.isInteger(spec.replicas) && spec.replicas >= 0)) {
    problems.push(`replicas must be a whole number, 0 or more, found: ${shown(spec.replicas)}`);
  }
  return problems.concat(validateContainerOptions(spec, '', isUnresolved));
}

/** A user and group as numbers, both known. */
export interface NumericUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * `user` where its uid and gid are not 0, `fallback` (the policy's default user) where they are: who
 * a sidecar without a user of its own runs as, on both targets, so that one container's exempted root
 * user never becomes another's.
 */
export function nonRootUser(user: NumericUser, fallback: NumericUser): NumericUser {
  return { uid: user.uid !== 0 ? user.uid : fallback.uid, gid: user.gid !== 0 ? user.gid : fallback.gid };
}

/** Problems with a secret's name (secrets are injected as environment variables). */
export function secretNameProblems(names: readonly string[], environment: { readonly [name: string]: string } = {}, prefix = ''): string[] {
  // A wrong-shaped environment is reported by containerShapeProblems; it holds no names to collide with.
  const plain = isPlainObject(environment) ? environment : {};
  return names.flatMap((name) => {
    if (!ENV_NAME.test(name)) {
      const suggested = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1').toUpperCase();
      return [`${prefix}secrets name must be a valid environment variable name (${ENV_NAME}), found: ${JSON.stringify(name)}; `
        + `use letters, digits and _, e.g. ${JSON.stringify(suggested)}`];
    }
    if (name in plain) return [`${prefix}${name} is both in environment and in secrets; keep it in secrets only`];
    return [];
  });
}

function capabilityProblems(capability: string, prefix: string): string[] {
  if (typeof capability === 'string' && /^CAP_/i.test(capability)) {
    return [`${prefix}capabilities.add takes names without the CAP_ prefix, found: ${JSON.stringify(capability)}; use ${JSON.stringify(capability.slice(4).toUpperCase())}`];
  }
  if (!LINUX_CAPABILITIES.includes(capability)) {
    return [`${prefix}capabilities.add has an unknown capability, found: ${JSON.stringify(capability)}; use an upper-case Linux capability name such as SYS_PTRACE`];
  }
  return [];
}

/** The largest uid or gid Linux container runtimes and Kubernetes accept (runAsUser is an int32 there). */
export const MAX_USER_ID = 2147483647;

/** A whole number from `min` (0: root allowed) to MAX_USER_ID: a uid or gid a runtime accepts. */
export function isUserId(value: unknown, min = 0): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= MAX_USER_ID;
}

function healthCheckProblems(healthCheck: HealthCheck | undefined, prefix: string, isUnresolved: IsUnresolved): string[] {
  if (healthCheck === undefined) return [];
  const { path, command, livenessPath, port, startPeriodSeconds } = healthCheck;
  if ((path === undefined) === (command === undefined)) {
    return [`${prefix}healthCheck needs exactly one of path or command, found: ${JSON.stringify(healthCheck)}`];
  }
  const validStart = Number.isInteger(startPeriodSeconds) && startPeriodSeconds! >= 1 && startPeriodSeconds! <= MAX_START_PERIOD_SECONDS;
  if (startPeriodSeconds !== undefined && !validStart) {
    return [`${prefix}healthCheck.startPeriodSeconds must be a whole number of seconds from 1 to ${MAX_START_PERIOD_SECONDS} (the longest start period ECS takes), `
      + `found: ${shown(startPeriodSeconds)}; give the time the process takes to start, with some margin`];
  }
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    return [`${prefix}healthCheck.path must start with '/', found: ${JSON.stringify(path)}`];
  }
  if (livenessPath !== undefined && path === undefined) {
    return [`${prefix}healthCheck.livenessPath is an HTTP path beside healthCheck.path, found: livenessPath ${shown(livenessPath)} with a command check; `
      + 'leave livenessPath out, or check paths instead of the command'];
  }
  if (livenessPath !== undefined && (typeof livenessPath !== 'string' || !livenessPath.startsWith('/'))) {
    return [`${prefix}healthCheck.livenessPath must start with '/', found: ${JSON.stringify(livenessPath)}`];
  }
  if (port !== undefined && path === undefined) {
    return [`${prefix}healthCheck.port is the port healthCheck.path is served on, found: port ${shown(port)} with a command check, which runs inside the container; `
      + 'leave port out, or check a path on it instead of the command'];
  }
  if (port !== undefined && !isUnresolved(port) && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    return [`${prefix}healthCheck.port must be a whole number from 1 to 65535, found: ${shown(port)}; give the port the process serves healthCheck.path on`];
  }
  const timing = healthCheckTimingProblem(healthCheck);
  if (timing) return [`${prefix}${timing}`];
  if (command !== undefined && (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string' || c === ''))) {
    return [`${prefix}healthCheck.command must be a non-empty list of arguments, found: ${JSON.stringify(command)}; the image must contain the program (distroless images have no curl)`];
  }
  if (command !== undefined && (command[0] === 'CMD' || command[0] === 'CMD-SHELL')) {
    // ECS's own form: rendered as given, it would run a program named CMD-SHELL and never be healthy.
    return [`${prefix}healthCheck.command is the program and its arguments, without ECS's ${command[0]} (added where the target needs it), found: ${JSON.stringify(command)}; `
      + `drop ${JSON.stringify(command[0])}${command[0] === 'CMD-SHELL' ? ", and for a shell write ['sh', '-c', '...'] (the image must contain sh)" : ''}`];
  }
  return [];
}

// What both targets accept: ECS takes intervals of 5-300 seconds and container check timeouts of 2-60.
const INTERVAL_SECONDS = { min: 5, max: 300 };
const TIMEOUT_SECONDS = { min: 2, max: 60 };
// The shorter default interval of the two targets (Kubernetes' period): a timeout must stay below the interval in force.
const SHORTEST_DEFAULT_INTERVAL = 10;

function healthCheckTimingProblem({ intervalSeconds, timeoutSeconds }: HealthCheck): string | undefined {
  const within = (value: unknown, { min, max }: { min: number; max: number }) => (
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max);
  if (intervalSeconds !== undefined && !within(intervalSeconds, INTERVAL_SECONDS)) {
    return `healthCheck.intervalSeconds must be a whole number of seconds from ${INTERVAL_SECONDS.min} to ${INTERVAL_SECONDS.max}, found: ${shown(intervalSeconds)}`;
  }
  if (timeoutSeconds !== undefined && !within(timeoutSeconds, TIMEOUT_SECONDS)) {
    return `healthCheck.timeoutSeconds must be a whole number of seconds from ${TIMEOUT_SECONDS.min} to ${TIMEOUT_SECONDS.max}, found: ${shown(timeoutSeconds)}`;
  }
  const interval = intervalSeconds ?? SHORTEST_DEFAULT_INTERVAL;
  if (timeoutSeconds !== undefined && timeoutSeconds >= interval) {
    return `healthCheck.timeoutSeconds must be less than the interval, found: timeoutSeconds ${timeoutSeconds} with `
      + `${intervalSeconds === undefined ? `no intervalSeconds (Kubernetes checks every ${SHORTEST_DEFAULT_INTERVAL})` : `intervalSeconds ${intervalSeconds}`}; `
      + `set intervalSeconds above ${timeoutSeconds}, or a shorter timeout`;
  }
  return undefined;
}

/** Problems with writable paths: each must be absolute, normalised, not `/`, unique and not nested in another. */
export function writablePathProblems(paths: readonly string[], prefix = ''): string[] {
  const problems: string[] = [];
  paths.forEach((path, index) => {
    const label = `${prefix}writablePaths[${index}]`;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      problems.push(`${label} must be an absolute path, found: ${JSON.stringify(path)}; e.g. '/tmp'`);
    } else if (path === '/') {
      problems.push(`${label} cannot be '/': that makes the whole root filesystem writable; list the directories the process writes to`);
    } else if (normalisePath(path) !== path) {
      problems.push(`${label} must be normalised, found: ${JSON.stringify(path)}; use ${JSON.stringify(normalisePath(path))}`);
    } else if (paths.indexOf(path) !== index) {
      problems.push(`${label} is a duplicate of writablePaths[${paths.indexOf(path)}], found: ${JSON.stringify(path)}; list each path once`);
    } else {
      const parent = paths.find((other) => typeof other === 'string' && other !== path && path.startsWith(`${other}/`));
      if (parent) problems.push(`${label} ${JSON.stringify(path)} is inside writablePaths entry ${JSON.stringify(parent)}, which is already writable; remove it`);
    }
  });
  return problems;
}

function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** A port a container of the task or pod already listens on. */
export interface TakenPort {
  readonly container: string;
  readonly port: number;
  /** The prop that gave it, e.g. `healthCheck.port`. @default 'containerPort' */
  readonly prop?: string;
}

/**
 * The problem when a sidecar's port is already another container's: the containers of one task or
 * pod share one network namespace, so only one of them could bind it.
 */
export function portTakenProblems(options: Pick<SecureContainerOptions, 'containerPort' | 'healthCheck'>, taken: readonly TakenPort[], prefix = ''): string[] {
  return servedPorts(options).flatMap(({ prop, port }) => {
    const owner = taken.find((t) => t.port === port);
    const ownerPort = owner?.prop === undefined || owner.prop === 'containerPort' ? 'the port' : `the ${owner.prop}`;
    return owner ? [`${prefix}${prop} ${port} is already ${ownerPort} of container '${owner.container}'; `
      + 'containers of one task or pod share a network namespace, so choose another port'] : [];
  });
}

/** The ports a container listens on: its container port, and the health check's port when it is another. */
export function servedPorts(options: Pick<SecureContainerOptions, 'containerPort' | 'healthCheck'>): { prop: string; port: number }[] {
  const ports = options.containerPort === undefined ? [] : [{ prop: 'containerPort', port: options.containerPort }];
  const healthPort = options.healthCheck?.port;
  if (healthPort !== undefined && healthPort !== options.containerPort) ports.push({ prop: 'healthCheck.port', port: healthPort });
  return ports;
}
