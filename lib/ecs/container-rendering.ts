/**
 * Renders one container with the secure defaults. Weakening options are rendered exactly as asked
 * (never dropped or fixed up): the final-template check then asks for their exemption.
 */
import { Duration, aws_ecs as ecs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_CPU, DEFAULT_MEMORY_MIB, HealthCheck, ResolvedSecurityPolicy, SecureContainerOptions, imageReferenceProblem, shown } from '../core';
import { FARGATE_ADDABLE_CAPABILITY } from './fargate-compatibility';
import { cpuUnits } from './fargate-sizes';
import { EcsContainerOptions, SecureLaunchType } from './props';

/** The writable paths the SSM agent needs for ECS Exec with a read-only root filesystem. */
export const ECS_EXEC_WRITABLE_PATHS: readonly string[] = ['/managed-agents', '/var/lib/amazon/ssm', '/var/log/amazon/ssm'];

/** What every container of one service shares. */
export interface RenderContext {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly launchType: SecureLaunchType;
  readonly policy: ResolvedSecurityPolicy;
  readonly logGroup: logs.ILogGroup;
  readonly enableExecuteCommand: boolean;
  /** Task volume names already used: paths that read alike (`/a-b`, `/a.b`) must not share a volume. */
  readonly volumeNames: Set<string>;
}

/** One container to render. */
export interface ContainerToRender extends SecureContainerOptions, EcsContainerOptions {
  readonly name: string;
  readonly essential?: boolean;
  readonly firelens?: ecs.FirelensConfig;
}

/**
 * Problems with options the launch type cannot run; they are rejected, never rendered, because
 * CloudFormation would accept them and the deployment would fail later.
 */
export function launchTypeProblems(options: SecureContainerOptions, launchType: SecureLaunchType, prefix = ''): string[] {
  const problems: string[] = [];
  // ECS takes no seccomp option at all (dockerSecurityOptions accepts no-new-privileges, apparmor:,
  // label: and credentialspec: only): the Docker default profile always applies.
  if (options.seccompProfile === 'Unconfined') {
    problems.push(`${prefix}seccompProfile cannot be 'Unconfined' on ECS, found: 'Unconfined'; ECS always applies the Docker default seccomp profile, remove seccompProfile`);
  }
  if (launchType !== SecureLaunchType.FARGATE) return problems;
  if (options.privileged === true) {
    problems.push(`${prefix}privileged cannot be true on Fargate, found: true; remove it, or use launchType EC2 with an exemption of NOT_PRIVILEGED and one of NO_PRIVILEGE_ESCALATION (a privileged container can escalate)`);
  }
  for (const capability of options.capabilities?.add ?? []) {
    if (capability !== FARGATE_ADDABLE_CAPABILITY) {
      problems.push(`${prefix}capabilities.add can only hold ${FARGATE_ADDABLE_CAPABILITY} on Fargate, found: ${JSON.stringify(capability)}; remove it, or use launchType EC2`);
    }
  }
  if (options.allowPrivilegeEscalation === true) {
    problems.push(`${prefix}allowPrivilegeEscalation cannot be set on Fargate, found: true; Fargate has no no-new-privileges option (dropping ALL capabilities is what stops escalation there), remove it or use launchType EC2`);
  }
  return problems;
}

/**
 * The problem with an image that is neither a ContainerImage nor an image reference (core's check,
 * which the Kubernetes target uses too): ECS would accept '' or 'envoy proxy:1' and the task would fail to pull.
 */
export function imageProblems(image: unknown, prefix = '', isUnresolved: (value: unknown) => boolean = () => false): string[] {
  if (isContainerImage(image) || isUnresolved(image)) return [];
  if (typeof image !== 'string') {
    return [`${prefix}image must be an image reference such as 'ghcr.io/acme/api:1.4.2' or an ecs.ContainerImage, found: ${JSON.stringify(image)}`];
  }
  const problem = imageReferenceProblem(image);
  return problem ? [`${prefix}${problem}`] : [];
}

// Duck-typed: a ContainerImage from another copy of aws-cdk-lib is not an instance of ours.
function isContainerImage(image: unknown): boolean {
  return typeof image === 'object' && image !== null && typeof (image as { bind?: unknown }).bind === 'function';
}

const SECRET_FACTORIES = 'ecs.Secret.fromSecretsManager(...) or ecs.Secret.fromSsmParameter(...)';

/**
 * Problems with the shape of `secrets`: an object of variable names to ecs.Secret values. The Kubernetes
 * shape (`{ secretName, key }`, from a spec spread into either target), an ARN or a list would otherwise
 * reach `grantRead` and crash with a TypeError, or be spread into the names '0', '1'...
 */
export function secretsProblems(secrets: unknown, prefix = ''): string[] {
  if (secrets === undefined) return [];
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) {
    const fix = Array.isArray(secrets) && secrets.every((name) => typeof name === 'string')
      ? `give each name its secret, e.g. { ${secrets[0] ?? 'DB_PASSWORD'}: ecs.Secret.fromSecretsManager(secret) }`
      : 'e.g. { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret) }, or leave it out';
    return [`${prefix}secrets must be an object of variable names to ecs.Secret values, found: ${shownSecret(secrets)}; ${fix}`];
  }
  const entries = secrets as Record<string, unknown>;
  return Object.keys(entries).filter((name) => !isEcsSecret(entries[name])).map((name) =>
    `${prefix}secrets.${name} must be an ecs.Secret (${SECRET_FACTORIES}), found: ${shownSecret(entries[name])}; ${secretFix(entries[name])}`);
}

/** Why `logging` is not a log driver; duck-typed, as images and secrets are. */
export function loggingProblems(logging: unknown, prefix = ''): string[] {
  if (logging === undefined || (typeof logging === 'object' && logging !== null && typeof (logging as { bind?: unknown }).bind === 'function')) return [];
  return [`${prefix}logging must be an ecs.LogDriver (ecs.LogDrivers.firelens({ options: { Name: 'cloudwatch_logs', ... } }), ecs.LogDrivers.awsLogs(...)), `
    + `found: ${shown(logging)}; give a log driver, or leave logging out for awslogs to the service's log group`];
}

// Duck-typed, as images are: an ecs.Secret from another copy of aws-cdk-lib is not an instance of ours.
function isEcsSecret(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { grantRead?: unknown }).grantRead === 'function'
    && typeof (value as { arn?: unknown }).arn === 'string';
}

/**
 * A wrong secret as messages show it. A string that is neither an ARN nor a parameter path may be the
 * secret's value itself, which must not end up in build logs: only its length is shown.
 */
function shownSecret(value: unknown): string {
  if (typeof value === 'string' && !/^(arn:|\/)/.test(value)) return `a string of ${value.length} characters (not shown: it may be the secret itself)`;
  return shown(value);
}

/** A string as TypeScript source, in the project's single quotes. */
const quoted = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`;

function secretFix(value: unknown): string {
  const fields = typeof value === 'object' && value !== null ? value as Record<string, unknown> : {};
  if (typeof fields.secretName === 'string') {
    const field = typeof fields.key === 'string' ? `, ${quoted(fields.key)}` : '';
    return `this is the Kubernetes shape; on ECS write ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, 'Secret', ${quoted(fields.secretName)})${field})`;
  }
  if (typeof value === 'string' && value.includes(':secretsmanager:')) {
    return `wrap the ARN: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', ${quoted(value)}))`;
  }
  if (typeof value === 'string' && /^(arn:[^:]*:ssm:|\/)/.test(value)) {
    const name = value.startsWith('/') ? value : value.replace(/^arn:[^:]*:ssm:[^:]*:[^:]*:parameter\//, '');
    return `wrap the parameter: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Secret', { parameterName: ${quoted(name)} }))`;
  }
  if (typeof value === 'string') return 'a secret\'s value never goes in the props: store it in Secrets Manager and write ecs.Secret.fromSecretsManager(secret)';
  return 'e.g. ecs.Secret.fromSecretsManager(secret)';
}

/** Construct ids a task definition gives its own children; the execution role is created only with the first container that logs. */
const TASK_DEFINITION_CHILD_IDS: readonly string[] = ['Resource', 'TaskRole', 'ExecutionRole'];

/**
 * The problem when a container's name cannot be the id of the constructs rendered for it. A container
 * is a child of the task definition named after it (a FireLens log router a child of the service), and
 * its LinuxParameters a child of the service. The ids stay the container names rather than ids that
 * cannot collide, so that the construct paths of existing services do not change.
 */
export function constructIdProblems(
  service: Construct, taskDefinition: Construct | undefined, name: string, firelens: boolean, label: string,
): string[] {
  if (!firelens && TASK_DEFINITION_CHILD_IDS.includes(name)) {
    return [`${label} ${JSON.stringify(name)} is reserved: the task definition names its own constructs ${TASK_DEFINITION_CHILD_IDS.join(', ')}; choose another name`];
  }
  const ids: [Construct | undefined, string][] = [[firelens ? service : taskDefinition, name], [service, `${name}LinuxParameters`]];
  for (const [scope, id] of ids) {
    const taken = scope?.node.tryFindChild(id);
    if (taken) {
      return [`${label} ${JSON.stringify(name)} cannot be used: ${taken.node.path} already exists, and the container's constructs are named after it; choose another name`];
    }
  }
  return [];
}

/** The user as ECS writes it: numeric `uid:gid`. */
export function userString(options: SecureContainerOptions, policy: ResolvedSecurityPolicy): string {
  const user = options.user ?? policy.defaultUser;
  return `${user.uid}:${user.gid ?? user.uid}`;
}

/** The writable paths of a container, with the ECS Exec ones added unless a listed path already covers them. */
export function effectiveWritablePaths(paths: readonly string[], enableExecuteCommand: boolean): string[] {
  const all = [...paths];
  if (!enableExecuteCommand) return all;
  for (const path of ECS_EXEC_WRITABLE_PATHS) {
    if (!all.some((p) => p === path || path.startsWith(`${p}/`))) all.push(path);
  }
  return all;
}

/**
 * A task volume name for a container's writable path, `app-var-lib-amazon-ssm`, made unique among
 * `used` (and added to it) with a numeric suffix.
 */
export function volumeName(container: string, path: string, used: Set<string> = new Set()): string {
  const base = `${container}-${path.slice(1).replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 250);
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  used.add(name);
  return name;
}

function dockerSecurityOptions(options: SecureContainerOptions, launchType: SecureLaunchType): string[] | undefined {
  // Fargate supports no docker security options; its protections come from dropping ALL capabilities.
  if (launchType === SecureLaunchType.FARGATE) return undefined;
  const result: string[] = [];
  if (options.allowPrivilegeEscalation !== true) result.push('no-new-privileges');
  return result.length > 0 ? result : undefined;
}

/** Adds the container to the task definition with the secure defaults, its writable paths and logging. */
export function renderContainer(scope: Construct, context: RenderContext, options: ContainerToRender): ecs.ContainerDefinition {
  const linuxParameters = new ecs.LinuxParameters(scope, `${options.name}LinuxParameters`, { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  if (options.capabilities?.add?.length) {
    linuxParameters.addCapabilities(...options.capabilities.add.map((c) => c as ecs.Capability));
  }
  const command = options.healthCheck?.command;
  const definition: ecs.ContainerDefinitionOptions = {
    containerName: options.name,
    image: typeof options.image === 'string' ? ecs.ContainerImage.fromRegistry(options.image) : options.image,
    essential: options.essential ?? true,
    command: options.command ? [...options.command] : undefined,
    user: userString(options, context.policy),
    readonlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
    privileged: options.privileged,
    linuxParameters,
    dockerSecurityOptions: dockerSecurityOptions(options, context.launchType),
    cpu: cpuUnits(options.cpu ?? DEFAULT_CPU),
    memoryLimitMiB: options.memoryMiB ?? DEFAULT_MEMORY_MIB,
    environment: options.environment ? { ...options.environment } : undefined,
    secrets: options.secrets ? { ...options.secrets } : undefined,
    portMappings: options.containerPort !== undefined ? [{ containerPort: options.containerPort, protocol: ecs.Protocol.TCP }] : undefined,
    healthCheck: command ? { command: ['CMD', ...command], startPeriod: startPeriodOf(options.healthCheck), ...checkTiming(options.healthCheck) } : undefined,
    logging: options.logging ?? ecs.LogDrivers.awsLogs({ logGroup: context.logGroup, streamPrefix: options.name }),
  };
  const container = options.firelens
    ? new ecs.FirelensLogRouter(scope, options.name, { ...definition, taskDefinition: context.taskDefinition, firelensConfig: options.firelens })
    : context.taskDefinition.addContainer(options.name, definition);

  for (const path of effectiveWritablePaths(options.writablePaths ?? [], context.enableExecuteCommand)) {
    // A task volume without a host path is task storage on Fargate and a Docker-managed directory on
    // EC2: ephemeral either way, and never tmpfs (Fargate has none).
    const name = volumeName(options.name, path, context.volumeNames);
    context.taskDefinition.addVolume({ name });
    container.addMountPoints({ containerPath: path, sourceVolume: name, readOnly: false });
  }
  return container;
}

/** The interval and timeout a health check gives, as the container check and the target group take them. */
export function checkTiming(healthCheck: HealthCheck | undefined): { interval?: Duration; timeout?: Duration } {
  const seconds = (value: number | undefined) => (value === undefined ? undefined : Duration.seconds(value));
  return { interval: seconds(healthCheck?.intervalSeconds), timeout: seconds(healthCheck?.timeoutSeconds) };
}

/** The container check's start period, when the health check gives one. */
export function startPeriodOf(healthCheck: HealthCheck | undefined): Duration | undefined {
  return healthCheck?.startPeriodSeconds === undefined ? undefined : Duration.seconds(healthCheck.startPeriodSeconds);
}
