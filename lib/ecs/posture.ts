/**
 * Reads the FINAL CloudFormation template back into target-neutral postures: one WorkloadPosture per
 * AWS::ECS::TaskDefinition, with what its log groups say and what everything that runs it (services,
 * task sets, EventBridge rules and schedules, pipes, in any template of the app) and their security
 * groups say. A pure function over template JSON (no aws-cdk-lib), so it sees raw overrides and resources other code
 * created, and the CLI can run it on any cdk.out template.
 */
import {
  CommandArgument, ContainerPortPosture, ContainerPosture, Exemption, HostAccessSetting, IngressPosture, Observed, Platform, PortOpening, UserSetting,
  WorkloadPosture,
} from '../core';
import { AppLinks, RUNNER_SHAPES, Runner, appLinks, runnerVariables } from './app-links';
import { noNewPrivileges, readSecurityOptions, seccompProfile, unknownKey } from './docker-settings';
import { fromLoadBalancerOf, healthCheckPorts } from './health-check-ports';
import { readLogging } from './log-groups';
import { parameterReferences, readPlainEnvironment, secretPart } from './plain-environment';
import { readPlainSettings, readTaskTexts } from './plain-settings';
import {
  AppIndex, CfnResourceJson, CfnTemplate, Json, TemplatePlace, TemplateScope, asArray, at, atIn, isObject, literalBoolean, literalNumber,
  literalString, indexTemplate, referencedResource, resolveList, resolveText, singleTemplateApp,
} from './template-values';
import { containerName, readDevices, readVolume, volumeMounters } from './volume-reading';

/** The metadata key of the task definition that records its exemptions. */
export const EXEMPTIONS_METADATA_KEY = 'secure-service:exemptions';

/** One task definition read from a template. */
export interface EcsWorkload {
  readonly logicalId: string;
  /** Logical ids of the AWS::ECS::Service resources of its own template that run it. */
  readonly serviceLogicalIds: readonly string[];
  readonly posture: WorkloadPosture;
  /** The exemptions recorded in `Metadata["secure-service:exemptions"]`. */
  readonly exemptions: readonly Exemption[];
  /** Problems reading the recorded exemptions (not a list of objects). */
  readonly exemptionReadProblems: readonly string[];
}

/** How to name what was read. */
export interface ReadOptions {
  /** The file the template came from, recorded in each posture. @default - none */
  readonly file?: string;
  /** A name a person recognises for a logical id, e.g. its construct path. @default - `aws:cdk:path` metadata, else the logical id */
  readonly nameOf?: (logicalId: string) => string | undefined;
  /**
   * Every template of the app (`indexApp`), with each stack's account and region when known: references
   * to other templates (exports, nested stacks) are followed, and services, scheduled tasks and ingress
   * rules in other templates count. `cfnTemplate` must be one of its templates.
   * @default - the template alone, deploying to `account` and `region`
   */
  readonly app?: AppIndex;
  /** The account the template deploys to, when no `app` is given. @default - unknown */
  readonly account?: string;
  /** The region the template deploys to, when no `app` is given. @default - unknown */
  readonly region?: string;
  /**
   * The text of the file asset that deploys to an S3 ARN, where the cloud assembly holds it
   * (`fileAssetsBeside`): an environment file's variables are then judged one by one.
   * @default - none: every variable of an environment file is unknown
   */
  readonly fileAsset?: (s3Arn: string) => string | undefined;
}

/** Every task definition of the template, as postures (an `indexTemplate` index is used as it is). */
export function readEcsWorkloads(cfnTemplate: CfnTemplate, options: ReadOptions = {}): EcsWorkload[] {
  const template = indexTemplate(cfnTemplate);
  const alone = () => singleTemplateApp(template, { label: options.file, account: options.account, region: options.region });
  const app = options.app?.scopeOf(template) ? options.app : alone();
  const scope = app.scopeOf(template)!;
  const links = appLinks(app);
  return template.ofType('AWS::ECS::TaskDefinition').map(([logicalId, resource]) => {
    const runners = links.runners.get(scope)?.get(logicalId) ?? [];
    const { exemptions, problems } = readExemptions(resource);
    return {
      logicalId,
      serviceLogicalIds: runners.filter((r) => r.scope === scope && r.type === 'AWS::ECS::Service').map((r) => r.logicalId),
      posture: readWorkload({ app, scope, links, fileAsset: options.fileAsset }, logicalId, resource, runners, options),
      exemptions,
      exemptionReadProblems: problems,
    };
  });
}

/** The app, the template being read, and what links the app's templates. */
interface Reading extends TemplatePlace {
  readonly links: AppLinks;
  readonly fileAsset?: (s3Arn: string) => string | undefined;
}

function readExemptions(resource: CfnResourceJson): { exemptions: Exemption[]; problems: string[] } {
  const recorded = resource.Metadata?.[EXEMPTIONS_METADATA_KEY];
  if (recorded === undefined) return { exemptions: [], problems: [] };
  if (!Array.isArray(recorded) || !recorded.every(isObject)) {
    return { exemptions: [], problems: [`Metadata["${EXEMPTIONS_METADATA_KEY}"] must be a list of exemptions, found: ${JSON.stringify(recorded)}`] };
  }
  return { exemptions: recorded as unknown as Exemption[], problems: [] };
}

function workloadName(logicalId: string, resource: CfnResourceJson, options: ReadOptions): string {
  const fromOption = options.nameOf?.(logicalId);
  if (fromOption) return fromOption;
  const cdkPath = resource.Metadata?.['aws:cdk:path'];
  return typeof cdkPath === 'string' ? cdkPath.replace(/\/Resource$/, '') : logicalId;
}

/** Where the tasks run, and, when a runner places a Fargate-compatible task definition on instances, which one does. */
interface Placement {
  readonly platform: Platform;
  readonly onInstancesBy?: string;
}

/**
 * Where the tasks run. On instances (EC2, or EXTERNAL) as soon as one runner may put them there: a
 * launch type that says so, or none (a capacity provider strategy, the cluster's default) or one only
 * known at deploy time (a parameter, a dynamic reference) for a task definition compatible with
 * instances, or that may be (a compatibility only known at deploy time). Judged as Fargate, they would be
 * spared what instances need (no-new-privileges).
 */
function placementOf(reading: Reading, props: Json, runners: readonly Runner[]): Placement {
  const compatibilities = asArray(props.RequiresCompatibilities).map(literalString);
  const instanceCompatible = compatibilities.some((c) => c === undefined || c === 'EC2' || c === 'EXTERNAL');
  const placing = runners.find((r) => {
    const launchType = literalString(r.launchType);
    return launchType === 'EC2' || launchType === 'EXTERNAL' || (launchType === undefined && instanceCompatible);
  });
  if (placing) return { platform: 'ecs-ec2', onInstancesBy: compatibilities.includes('FARGATE') ? placedBy(reading, placing) : undefined };
  return { platform: runners.some((r) => r.launchType === 'FARGATE') || compatibilities.includes('FARGATE') ? 'ecs-fargate' : 'ecs-ec2' };
}

/** Why a runner places the tasks on instances, for a task definition that could run on Fargate. */
function placedBy(reading: Reading, runner: Runner): string {
  const runs = `${RUNNER_SHAPES[runner.type].name} ${atIn(reading, runner.scope, runner.logicalId)} runs it`;
  if (runner.launchType === undefined) return `${runs} without a LaunchType: a capacity provider strategy or the cluster's default may place it on instances`;
  const launchType = literalString(runner.launchType);
  if (launchType !== undefined) return `${runs} with LaunchType ${launchType}`;
  return `${runs} with LaunchType ${JSON.stringify(runner.launchType)}, only known at deploy time: it may be EC2 (write the launch type in the app)`;
}

function readWorkload(
  reading: Reading, logicalId: string, resource: CfnResourceJson, runners: readonly Runner[], options: ReadOptions,
): WorkloadPosture {
  const props: Json = resource.Properties ?? {};
  const { platform, onInstancesBy } = placementOf(reading, props, runners);
  const containerDefinitions = asArray(props.ContainerDefinitions);
  const mounters = volumeMounters(containerDefinitions, props.PidMode);
  return {
    platform,
    name: workloadName(logicalId, resource, options),
    location: logicalId,
    file: options.file,
    volumes: [
      ...asArray(props.Volumes).map((v, i) => readVolume(reading, v, at(logicalId, 'Properties', 'Volumes', i), mounters)),
      ...containerDefinitions.flatMap((c, i) => readDevices(isObject(c) ? c : {}, at(logicalId, 'Properties', 'ContainerDefinitions', i), i)),
    ],
    hostNamespaces: readHostNamespaces(props, logicalId),
    hostAccess: readSystemControls(reading, containerDefinitions, logicalId),
    networkMode: readNetworkMode(props, logicalId),
    publicIp: readPublicIp(reading, runners),
    ingress: readIngress(reading, runners, containerDefinitions),
    plainSettings: readTaskTexts(reading.app, reading.scope, props, at(logicalId, 'Properties')),
    // Variables the runners set through RunTask's container overrides are plain variables of the container too.
    containers: containerDefinitions.map((c, i) => {
      const container = readContainer(reading, isObject(c) ? c : {}, props, logicalId, i, onInstancesBy);
      const overridden = runnerVariables(reading.app, reading.scope, runners, isObject(c) ? c.Name : undefined);
      return overridden.length === 0 ? container : { ...container, plainEnvironment: [...container.plainEnvironment, ...overridden] };
    }),
  };
}

// Kernel parameters (docker --sysctl) a container sets, judged by the same safe list as a pod's sysctls.
function readSystemControls(reading: Reading, containerDefinitions: readonly unknown[], logicalId: string): Observed<HostAccessSetting>[] {
  return containerDefinitions.flatMap((c, i) => asArray(isObject(c) ? c.SystemControls : undefined).map((control, j) => ({
    // A name only known at deploy time reads `${...}`, which no safe name matches.
    value: { kind: 'sysctl' as const, value: resolveText(reading.app, reading.scope, isObject(control) ? control.Namespace : control) },
    at: `${at(logicalId, 'Properties', 'ContainerDefinitions', i)}.SystemControls[${j}]`,
  })));
}

// ECS defaults to bridge on EC2 when NetworkMode is absent; Fargate only runs awsvpc.
function readNetworkMode(props: Json, logicalId: string): Observed<string> {
  const path = at(logicalId, 'Properties', 'NetworkMode');
  if (props.NetworkMode === undefined) {
    return asArray(props.RequiresCompatibilities).includes('FARGATE') ? { value: 'awsvpc', at: path } : { value: 'bridge', at: `${path} (unset: bridge)` };
  }
  return { value: literalString(props.NetworkMode) ?? JSON.stringify(props.NetworkMode), at: path };
}

function readHostNamespaces(props: Json, logicalId: string): Observed<'network' | 'pid' | 'ipc'>[] {
  const found: Observed<'network' | 'pid' | 'ipc'>[] = [];
  if (literalString(props.NetworkMode) === 'host') found.push({ value: 'network', at: at(logicalId, 'Properties', 'NetworkMode') });
  for (const [key, namespace] of [['PidMode', 'pid'], ['IpcMode', 'ipc']] as const) {
    const mode = props[key];
    const path = at(logicalId, 'Properties', key);
    if (mode === undefined) continue;
    const literal = literalString(mode);
    // A mode only known at deploy time (a parameter, an Fn::Sub) may be host: nothing proves it is not.
    if (literal === undefined) found.push({ value: namespace, at: `${path} (${JSON.stringify(mode)}, only known at deploy time: it cannot be proven not to be host)` });
    else if (literal === 'host') found.push({ value: namespace, at: path });
  }
  return found;
}

function readPublicIp(reading: Reading, runners: readonly Runner[]): Observed<boolean> | undefined {
  const settings = runners.map((r) => {
    const assign = isObject(r.awsvpc) ? r.awsvpc.AssignPublicIp : undefined;
    // Anything but a literal DISABLED (absent means DISABLED) could give tasks a public address.
    const value = assign !== undefined && assign !== 'DISABLED';
    return { value, at: atIn(reading, r.scope, r.logicalId, 'Properties', ...r.awsvpcPath, 'AssignPublicIp') };
  });
  return settings.find((o) => o.value) ?? settings[0];
}

// CloudFormation writes protocols as names or numbers; -1 is every protocol.
const PROTOCOLS: { readonly [written: string]: string } = { 'tcp': 'TCP', '6': 'TCP', 'udp': 'UDP', '17': 'UDP', '-1': 'ALL' };

function protocolOf(written: unknown): string {
  const text = literalString(written) ?? (literalNumber(written) !== undefined ? String(written) : JSON.stringify(written));
  return PROTOCOLS[text.toLowerCase()] ?? text.toUpperCase();
}

/** An ingress rule as an opening; a port that is not a literal reads as every port. */
function opening(source: string, rule: Json, ruleAt: string, fromLoadBalancer = false): Observed<PortOpening> {
  const from = literalNumber(rule.FromPort);
  const to = literalNumber(rule.ToPort);
  const value = { source, protocol: protocolOf(rule.IpProtocol), from: to === undefined ? undefined : from, to };
  return { value: fromLoadBalancer ? { ...value, fromLoadBalancer } : value, at: ruleAt };
}

/** What the runners' security groups admit, as written; judged by the NETWORK_ISOLATION rule. */
function readIngress(reading: Reading, runners: readonly Runner[], containers: readonly unknown[]): IngressPosture | undefined {
  const groups = new Map<string, [TemplateScope, string, CfnResourceJson]>();
  let unrestricted: Observed<string> | undefined;
  let guarded = false;
  for (const runner of runners) {
    if (!isObject(runner.awsvpc)) continue;
    guarded = true;
    const groupsAt = atIn(reading, runner.scope, runner.logicalId, 'Properties', ...runner.awsvpcPath, 'SecurityGroups');
    const written = asArray(runner.awsvpc.SecurityGroups);
    if (written.length === 0) {
      // ECS and the schedulers then attach the VPC's default group, whose rules live outside the app.
      unrestricted ??= { value: `${RUNNER_SHAPES[runner.type].name} ${runner.logicalId} has no security group, so ECS attaches the VPC's default group, which cannot be checked`, at: groupsAt };
    }
    written.forEach((group, i) => {
      const found = referencedResource(reading.app, runner.scope, group);
      if (found?.resource.Type === 'AWS::EC2::SecurityGroup') {
        groups.set(`${found.scope.label}\0${found.logicalId}`, [found.scope, found.logicalId, found.resource]);
      } else {
        // A group the app does not define (imported, or a literal id) may admit anything.
        unrestricted ??= { value: `security group ${JSON.stringify(group)} is not defined in this template, so what it admits cannot be checked`, at: `${groupsAt}[${i}]` };
      }
    });
  }
  if (!guarded) return undefined;
  // An SDK call that adds ingress rules at run time may open the service's groups to anything.
  const call = reading.links.ingressCalls[0];
  if (call) {
    unrestricted ??= {
      value: `${call.name} ${call.logicalId} calls EC2 to change security group ingress, which may admit anything to any group of the app, so what it admits cannot be checked`,
      at: atIn(reading, call.scope, call.logicalId, 'Properties'),
    };
  }
  const mapped: ContainerPortPosture[] = containers.flatMap((c) => asArray(isObject(c) ? c.PortMappings : undefined)).flatMap((m) => {
    const port = literalNumber(isObject(m) ? m.ContainerPort : undefined);
    return port === undefined ? [] : [{ protocol: protocolOf(isObject(m) && m.Protocol !== undefined ? m.Protocol : 'tcp'), port }];
  });
  const healthOnly = healthCheckPorts(reading.app, runners).filter((port) => !mapped.some((m) => m.port === port && m.protocol === 'TCP'));
  const containerPorts = [...mapped, ...healthOnly.map((port) => ({ protocol: 'TCP', port, healthCheckOnly: true }))];
  if (unrestricted) return { unrestricted, openings: [], containerPorts };

  // Only a port a load balancer health-checks needs to know where an opening comes from.
  const fromLoadBalancer = healthOnly.length > 0 ? fromLoadBalancerOf(reading.app) : () => false;
  const openings: Observed<PortOpening>[] = [];
  for (const [scope, id, group] of groups.values()) {
    const source = scope === reading.scope ? `security group ${id}` : `security group ${id} of ${scope.label}`;
    asArray(group.Properties?.SecurityGroupIngress).forEach((rule, i) => {
      const written = isObject(rule) ? rule : {};
      openings.push(opening(source, written, atIn(reading, scope, id, 'Properties', 'SecurityGroupIngress', i), fromLoadBalancer(scope, written)));
    });
    for (const ingress of reading.links.ingress.get(scope)?.get(id) ?? []) {
      openings.push(opening(source, ingress.properties, atIn(reading, ingress.scope, ingress.logicalId, 'Properties'), fromLoadBalancer(ingress.scope, ingress.properties)));
    }
    // CloudFormation may resolve such a rule's GroupId to this group: nothing proves it does not. A rule
    // admitting this group itself is another group's (a database admitting the service): traffic from the
    // group is the service's own tasks, so counting it here would only flag that common pattern.
    for (const ingress of reading.links.unknownGroupIngress) {
      const from = referencedResource(reading.app, ingress.scope, ingress.properties.SourceSecurityGroupId);
      if (from?.scope === scope && from.logicalId === id) continue;
      const field = ingress.properties.GroupId === undefined ? 'GroupName' : 'GroupId';
      const groupIdAt = `${atIn(reading, ingress.scope, ingress.logicalId, 'Properties', field)} (${JSON.stringify(ingress.properties[field])})`;
      openings.push(opening(`an ingress rule whose group is only known at deploy time (it may be ${source})`, ingress.properties, groupIdAt));
    }
  }
  return { openings, containerPorts };
}

/** A container's EntryPoint, Command or health check command, each argument as text (deploy-time parts written as Fn::Sub writes them). */
function readArguments(reading: Reading, value: unknown, path: string): CommandArgument[] {
  return asArray(value).map((arg, i) => {
    const secretBy = isObject(arg) ? secretPart(reading.app, reading.scope, arg) : undefined;
    const parameters = isObject(arg) ? parameterReferences(reading.scope, arg) : [];
    return {
      value: resolveText(reading.app, reading.scope, arg),
      at: `${path}[${i}]`,
      ...(secretBy ? { secretBy } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
    };
  });
}

function readUser(value: unknown, path: string): Observed<UserSetting>[] {
  if (value === undefined) return [];
  // A user the template cannot tell (an intrinsic, a dynamic reference) reads as one name: nothing proves it is not root.
  const text = literalString(value);
  if (text === undefined) return [{ value: { uid: typeof value === 'string' ? value : JSON.stringify(value) }, at: `${path} (only known at deploy time)` }];
  const [uid, gid] = text.split(':', 2);
  const part = (p: string | undefined) => (p === undefined ? undefined : /^\d+$/.test(p) ? Number(p) : p);
  return [{ value: { uid: part(uid), gid: part(gid) }, at: path }];
}

function observed<T>(value: T | undefined, path: string): Observed<T> | undefined {
  return value === undefined ? undefined : { value, at: path };
}

/** Capabilities a container adds; a list only known at deploy time counts as one addition that may be any capability. */
function readAddedCapabilities(reading: Reading, added: unknown, path: string): Observed<string>[] {
  if (added === undefined) return [];
  const addAt = `${path}.LinuxParameters.Capabilities.Add`;
  const names = resolveList(reading.app, reading.scope, added);
  if (names === undefined) {
    return [{ value: resolveText(reading.app, reading.scope, added), at: `${addAt} (${JSON.stringify(added)}, only known at deploy time: it cannot be proven to add none)` }];
  }
  return names.map((name, i) => ({ value: name, at: `${addAt}[${i}]` }));
}

function readContainer(reading: Reading, c: Json, task: Json, logicalId: string, index: number, onInstancesBy?: string): ContainerPosture {
  const path = at(logicalId, 'Properties', 'ContainerDefinitions', index);
  const linux = isObject(c.LinuxParameters) ? c.LinuxParameters : {};
  const capabilities = isObject(linux.Capabilities) ? linux.Capabilities : {};
  const securityOptions = readSecurityOptions(reading, c.DockerSecurityOptions, path);
  const bridge = task.NetworkMode === 'bridge' || (task.NetworkMode === undefined && !asArray(task.RequiresCompatibilities).includes('FARGATE'));
  const taskCpu = literalString(task.Cpu) ?? (literalNumber(task.Cpu) !== undefined ? String(task.Cpu) : undefined);
  const containerCpu = literalNumber(c.Cpu) !== undefined && literalNumber(c.Cpu)! > 0 ? String(c.Cpu) : undefined;
  const memory = literalNumber(c.Memory) !== undefined ? String(c.Memory) : undefined;
  const reservation = literalNumber(c.MemoryReservation) !== undefined ? String(c.MemoryReservation) : undefined;

  return {
    name: containerName(c, index),
    init: false,
    // Parts only known at deploy time stay in the image as `${...}`; the IMAGE_PINNED rule tells them apart.
    image: c.Image === undefined ? undefined : { value: resolveText(reading.app, reading.scope, c.Image), at: `${path}.Image` },
    users: readUser(c.User, `${path}.User`),
    runAsNonRoot: [],
    readOnlyRootFilesystem: { value: literalBoolean(c.ReadonlyRootFilesystem), at: `${path}.ReadonlyRootFilesystem` },
    capabilitiesAdded: readAddedCapabilities(reading, capabilities.Add, path),
    capabilitiesDropped: { value: asArray(capabilities.Drop).map((cap) => literalString(cap) ?? JSON.stringify(cap)), at: `${path}.LinuxParameters.Capabilities.Drop` },
    privileged: { value: literalBoolean(c.Privileged) ?? (c.Privileged === undefined ? undefined : true), at: `${path}.Privileged` },
    // Every option that is not about no-new-privileges or seccomp is confinement for the rule to judge;
    // one whose key is only known at deploy time counts as each kind.
    confinement: securityOptions.filter(({ text }) => unknownKey(text) || !/^(no-new-privileges|seccomp)([=:]|$)/i.test(text)).map(({ text, at: optionAt }) => ({
      value: { kind: 'dockerSecurityOption' as const, value: text },
      at: optionAt,
    })),
    allowPrivilegeEscalation: {
      value: noNewPrivileges(securityOptions) ? false : undefined,
      at: `${path}.DockerSecurityOptions${onInstancesBy === undefined ? '' : ` (on instances: ${onInstancesBy})`}`,
    },
    seccompProfiles: securityOptions.filter(({ text }) => unknownKey(text) || /^seccomp[=:]/i.test(text)).map(({ text, at: optionAt }) => ({
      value: seccompProfile(text),
      at: optionAt,
    })),
    seccompWhenUnset: 'RuntimeDefault',
    hostPorts: !bridge && task.NetworkMode !== 'host' ? [] : asArray(c.PortMappings).flatMap((m, i) => {
      const hostPort = literalNumber(isObject(m) ? m.HostPort : undefined);
      return hostPort !== undefined && hostPort > 0 ? [{ value: hostPort, at: `${path}.PortMappings[${i}].HostPort` }] : [];
    }),
    plainEnvironment: readPlainEnvironment(reading.app, reading.scope, c, path, reading.fileAsset),
    plainSettings: readPlainSettings(reading.app, reading.scope, c, path),
    commandLine: [
      ...readArguments(reading, c.EntryPoint, `${path}.EntryPoint`), ...readArguments(reading, c.Command, `${path}.Command`),
      ...readArguments(reading, isObject(c.HealthCheck) ? c.HealthCheck.Command : undefined, `${path}.HealthCheck.Command`),
    ],
    secretNames: asArray(c.Secrets).map((s) => String(isObject(s) ? s.Name : s)),
    resources: {
      cpuRequest: observed(containerCpu ?? taskCpu, containerCpu ? `${path}.Cpu` : at(logicalId, 'Properties', 'Cpu')),
      // A container's Cpu is a relative share on Linux (Docker's CpuShares): only the task's Cpu is a quota.
      // On Windows it is the other way round: the container's Cpu is its limit, and ECS ignores the task's.
      cpuLimit: isWindows(task) ? observed(containerCpu, `${path}.Cpu`) : observed(taskCpu, at(logicalId, 'Properties', 'Cpu')),
      memoryRequest: observed(reservation ?? memory, reservation ? `${path}.MemoryReservation` : `${path}.Memory`),
      memoryLimit: observed(memory, `${path}.Memory`),
    },
    logging: readLogging(reading, c, path, task),
  };
}

/** Whether the task runs Windows containers (RuntimePlatform.OperatingSystemFamily WINDOWS_...). */
function isWindows(task: Json): boolean {
  const platform = isObject(task.RuntimePlatform) ? task.RuntimePlatform : {};
  return /^WINDOWS/.test(literalString(platform.OperatingSystemFamily) ?? '');
}
