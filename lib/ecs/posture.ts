/**
 * Reads the FINAL CloudFormation template back into target-neutral postures: one WorkloadPosture per
 * AWS::ECS::TaskDefinition, with what its services, log groups and security groups say. A pure
 * function over template JSON (no aws-cdk-lib), so it sees raw overrides and resources other code
 * created, and the CLI can run it on any cdk.out template.
 */
import {
  ContainerPosture, Exemption, IngressPosture, LoggingPosture, Observed, Platform, PortOpening, UserSetting, VolumePosture,
  WorkloadPosture,
} from '../core';
import {
  CfnResourceJson, CfnTemplate, IndexedTemplate, Json, asArray, at, isObject, literalBoolean, literalNumber, literalString,
  indexTemplate, referencedLogicalId,
} from './template-values';

/** The metadata key of the task definition that records its exemptions. */
export const EXEMPTIONS_METADATA_KEY = 'secure-service:exemptions';

/** One task definition read from a template. */
export interface EcsWorkload {
  readonly logicalId: string;
  /** Logical ids of the AWS::ECS::Service resources that run it. */
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
}

/** Every task definition of the template, as postures (an `indexTemplate` index is used as it is). */
export function readEcsWorkloads(cfnTemplate: CfnTemplate, options: ReadOptions = {}): EcsWorkload[] {
  const template = indexTemplate(cfnTemplate);
  const servicesByTask = new Map<string, [string, CfnResourceJson][]>();
  for (const service of template.ofType('AWS::ECS::Service')) {
    const task = referencedLogicalId(service[1].Properties?.TaskDefinition);
    if (task !== undefined) (servicesByTask.get(task) ?? servicesByTask.set(task, []).get(task)!).push(service);
  }
  return template.ofType('AWS::ECS::TaskDefinition').map(([logicalId, resource]) => {
    const runBy = servicesByTask.get(logicalId) ?? [];
    const { exemptions, problems } = readExemptions(resource);
    return {
      logicalId,
      serviceLogicalIds: runBy.map(([id]) => id),
      posture: readWorkload(template, logicalId, resource, runBy, options),
      exemptions,
      exemptionReadProblems: problems,
    };
  });
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

function platformOf(props: Json, services: [string, CfnResourceJson][]): Platform {
  const compatibilities = asArray(props.RequiresCompatibilities);
  const launchTypes = services.map(([, s]) => s.Properties?.LaunchType);
  if (launchTypes.includes('FARGATE') || (compatibilities.includes('FARGATE') && !launchTypes.includes('EC2'))) return 'ecs-fargate';
  return 'ecs-ec2';
}

function readWorkload(
  template: IndexedTemplate, logicalId: string, resource: CfnResourceJson, services: [string, CfnResourceJson][], options: ReadOptions,
): WorkloadPosture {
  const props: Json = resource.Properties ?? {};
  const platform = platformOf(props, services);
  const containerDefinitions = asArray(props.ContainerDefinitions);
  return {
    platform,
    name: workloadName(logicalId, resource, options),
    location: logicalId,
    file: options.file,
    volumes: [
      ...asArray(props.Volumes).map((v, i) => readVolume(v, at(logicalId, 'Properties', 'Volumes', i))),
      ...containerDefinitions.flatMap((c, i) => readDevices(isObject(c) ? c : {}, at(logicalId, 'Properties', 'ContainerDefinitions', i))),
    ],
    hostNamespaces: readHostNamespaces(props, logicalId),
    networkMode: readNetworkMode(props, logicalId),
    publicIp: readPublicIp(services),
    ingress: readIngress(template, services, containerDefinitions),
    containers: containerDefinitions.map((c, i) => readContainer(template, isObject(c) ? c : {}, props, logicalId, i)),
  };
}

function readVolume(volume: unknown, path: string): VolumePosture {
  const v: Json = isObject(volume) ? volume : {};
  const name = typeof v.Name === 'string' ? v.Name : JSON.stringify(v.Name);
  let kind = 'ephemeral';
  if (isObject(v.Host) && v.Host.SourcePath !== undefined) {kind = 'hostPath';} else if (v.EFSVolumeConfiguration !== undefined) {kind = 'efs';} else if (v.FSxWindowsFileServerVolumeConfiguration !== undefined) {kind = 'fsxWindows';} else if (isObject(v.DockerVolumeConfiguration)) {
    // The local driver with `o: bind` mounts a host directory, whatever the volume is called.
    const opts = v.DockerVolumeConfiguration.DriverOpts;
    kind = isObject(opts) && /\br?bind\b/.test(String(opts.o ?? '')) ? 'hostPath' : 'dockerVolume';
  }
  return { name, kind, at: path };
}

// A host device is a host path the container reads and writes directly (docker --device).
function readDevices(container: Json, path: string): VolumePosture[] {
  const linux = isObject(container.LinuxParameters) ? container.LinuxParameters : {};
  return asArray(linux.Devices).map((device, i) => {
    const hostPath = isObject(device) ? device.HostPath : undefined;
    return { name: `device ${literalString(hostPath) ?? JSON.stringify(hostPath)}`, kind: 'hostPath', at: `${path}.LinuxParameters.Devices[${i}]` };
  });
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
  if (props.NetworkMode === 'host') found.push({ value: 'network', at: at(logicalId, 'Properties', 'NetworkMode') });
  if (props.PidMode === 'host') found.push({ value: 'pid', at: at(logicalId, 'Properties', 'PidMode') });
  if (props.IpcMode === 'host') found.push({ value: 'ipc', at: at(logicalId, 'Properties', 'IpcMode') });
  return found;
}

function readPublicIp(services: [string, CfnResourceJson][]): Observed<boolean> | undefined {
  const settings = services.map(([id, s]) => {
    const awsvpc = isObject(s.Properties?.NetworkConfiguration) ? s.Properties.NetworkConfiguration.AwsvpcConfiguration : undefined;
    const assign = isObject(awsvpc) ? awsvpc.AssignPublicIp : undefined;
    // Anything but a literal DISABLED (absent means DISABLED) could give tasks a public address.
    const value = assign !== undefined && assign !== 'DISABLED';
    return { value, at: at(id, 'Properties', 'NetworkConfiguration', 'AwsvpcConfiguration', 'AssignPublicIp') };
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
function opening(source: string, rule: Json, ruleAt: string): Observed<PortOpening> {
  const from = literalNumber(rule.FromPort);
  const to = literalNumber(rule.ToPort);
  return { value: { source, protocol: protocolOf(rule.IpProtocol), from: to === undefined ? undefined : from, to }, at: ruleAt };
}

/** What the services' security groups admit, as written; judged by the NETWORK_ISOLATION rule. */
function readIngress(template: IndexedTemplate, services: [string, CfnResourceJson][], containers: readonly unknown[]): IngressPosture | undefined {
  const groupIds = new Set<string>();
  const external: Observed<unknown>[] = [];
  for (const [serviceId, service] of services) {
    const awsvpc = isObject(service.Properties?.NetworkConfiguration) ? service.Properties.NetworkConfiguration.AwsvpcConfiguration : undefined;
    asArray(isObject(awsvpc) ? awsvpc.SecurityGroups : undefined).forEach((group, i) => {
      const id = referencedLogicalId(group);
      if (id !== undefined && template.Resources?.[id]?.Type === 'AWS::EC2::SecurityGroup') {
        groupIds.add(id);
      } else {
        external.push({ value: group, at: at(serviceId, 'Properties', 'NetworkConfiguration', 'AwsvpcConfiguration', 'SecurityGroups', i) });
      }
    });
  }
  const containerPorts = containers.flatMap((c) => asArray(isObject(c) ? c.PortMappings : undefined)).flatMap((m) => {
    const port = literalNumber(isObject(m) ? m.ContainerPort : undefined);
    return port === undefined ? [] : [{ protocol: protocolOf(isObject(m) && m.Protocol !== undefined ? m.Protocol : 'tcp'), port }];
  });
  // A group the template does not define (imported, or from another stack) may admit anything.
  if (external.length > 0) {
    const group = external[0];
    const unrestricted = { value: `security group ${JSON.stringify(group.value)} is not defined in this template, so what it admits cannot be checked`, at: group.at };
    return { unrestricted, openings: [], containerPorts };
  }
  if (groupIds.size === 0) return undefined;

  const openings: Observed<PortOpening>[] = [];
  for (const id of groupIds) {
    asArray(template.Resources?.[id]?.Properties?.SecurityGroupIngress).forEach((rule, i) => {
      openings.push(opening(`security group ${id}`, isObject(rule) ? rule : {}, at(id, 'Properties', 'SecurityGroupIngress', i)));
    });
  }
  for (const [id, ingress] of template.ofType('AWS::EC2::SecurityGroupIngress')) {
    const target = referencedLogicalId(ingress.Properties?.GroupId);
    if (target !== undefined && groupIds.has(target)) openings.push(opening(`security group ${target}`, ingress.Properties ?? {}, at(id, 'Properties')));
  }
  return { openings, containerPorts };
}

function readUser(value: unknown, path: string): Observed<UserSetting>[] {
  if (value === undefined) return [];
  // A user the template cannot tell (an intrinsic) reads as a name: nothing proves it is not root.
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const [uid, gid] = text.split(':', 2);
  const part = (p: string | undefined) => (p === undefined ? undefined : /^\d+$/.test(p) ? Number(p) : p);
  return [{ value: { uid: part(uid), gid: part(gid) }, at: path }];
}

function readLogging(template: IndexedTemplate, container: Json, path: string): LoggingPosture {
  const config = isObject(container.LogConfiguration) ? container.LogConfiguration : undefined;
  const driver = config ? literalString(config.LogDriver) : undefined;
  if (!config || driver === undefined) return {};
  const driverAt = `${path}.LogConfiguration.LogDriver`;
  if (driver !== 'awslogs') return { driver: { value: driver, at: driverAt } };

  const group = isObject(config.Options) ? config.Options['awslogs-group'] : undefined;
  const groupId = referencedLogicalId(group);
  const groupName = literalString(group);
  const [logicalId, resource] = groupId !== undefined
    ? [groupId, template.Resources?.[groupId]]
    : template.ofType('AWS::Logs::LogGroup').find(([, r]) => groupName !== undefined && r.Properties?.LogGroupName === groupName) ?? [];
  if (!logicalId || !resource || resource.Type !== 'AWS::Logs::LogGroup') {
    return { driver: { value: driver, at: driverAt }, retentionDays: { value: 'unknown', at: `${path}.LogConfiguration.Options.awslogs-group` } };
  }
  const retention = resource.Properties?.RetentionInDays;
  const retentionAt = at(logicalId, 'Properties', 'RetentionInDays');
  if (retention === undefined) return { driver: { value: driver, at: driverAt } };
  return { driver: { value: driver, at: driverAt }, retentionDays: { value: literalNumber(retention) ?? 'unknown', at: retentionAt } };
}

function observed<T>(value: T | undefined, path: string): Observed<T> | undefined {
  return value === undefined ? undefined : { value, at: path };
}

// Docker reads the options in order: a later no-new-privileges:false (or =false) switches it off again.
function noNewPrivileges(options: readonly string[]): boolean {
  const settings = options.filter((o) => /^no-new-privileges([=:].*)?$/.test(o));
  const last = settings[settings.length - 1];
  return last !== undefined && /^no-new-privileges([=:]true)?$/.test(last);
}

function readContainer(template: IndexedTemplate, c: Json, task: Json, logicalId: string, index: number): ContainerPosture {
  const path = at(logicalId, 'Properties', 'ContainerDefinitions', index);
  const linux = isObject(c.LinuxParameters) ? c.LinuxParameters : {};
  const capabilities = isObject(linux.Capabilities) ? linux.Capabilities : {};
  const securityOptions = asArray(c.DockerSecurityOptions).map((o) => literalString(o) ?? '');
  const seccomp = securityOptions.map((o, i) => ({ o, i })).filter(({ o }) => /^seccomp[=:]/i.test(o));
  const bridge = task.NetworkMode === 'bridge' || (task.NetworkMode === undefined && !asArray(task.RequiresCompatibilities).includes('FARGATE'));
  const taskCpu = literalString(task.Cpu) ?? (literalNumber(task.Cpu) !== undefined ? String(task.Cpu) : undefined);
  const containerCpu = literalNumber(c.Cpu) !== undefined && literalNumber(c.Cpu)! > 0 ? String(c.Cpu) : undefined;
  const memory = literalNumber(c.Memory) !== undefined ? String(c.Memory) : undefined;
  const reservation = literalNumber(c.MemoryReservation) !== undefined ? String(c.MemoryReservation) : undefined;

  return {
    name: typeof c.Name === 'string' ? c.Name : `#${index}`,
    init: false,
    image: observed(literalString(c.Image), `${path}.Image`),
    users: readUser(c.User, `${path}.User`),
    runAsNonRoot: [],
    readOnlyRootFilesystem: { value: literalBoolean(c.ReadonlyRootFilesystem), at: `${path}.ReadonlyRootFilesystem` },
    capabilitiesAdded: asArray(capabilities.Add).map((cap, i) => ({ value: literalString(cap) ?? JSON.stringify(cap), at: `${path}.LinuxParameters.Capabilities.Add[${i}]` })),
    capabilitiesDropped: { value: asArray(capabilities.Drop).map((cap) => literalString(cap) ?? JSON.stringify(cap)), at: `${path}.LinuxParameters.Capabilities.Drop` },
    privileged: { value: literalBoolean(c.Privileged) ?? (c.Privileged === undefined ? undefined : true), at: `${path}.Privileged` },
    // Every option that is not about no-new-privileges or seccomp is confinement for the rule to judge.
    confinement: securityOptions.flatMap((o, i) => (/^(no-new-privileges|seccomp)([=:]|$)/i.test(o) ? [] : [{
      value: { kind: 'dockerSecurityOption' as const, value: o },
      at: `${path}.DockerSecurityOptions[${i}]`,
    }])),
    allowPrivilegeEscalation: { value: noNewPrivileges(securityOptions) ? false : undefined, at: `${path}.DockerSecurityOptions` },
    seccompProfiles: seccomp.map(({ o, i }) => ({
      value: /^seccomp[=:]unconfined$/i.test(o) ? 'Unconfined' : 'Localhost',
      at: `${path}.DockerSecurityOptions[${i}]`,
    })),
    seccompWhenUnset: 'RuntimeDefault',
    hostPorts: !bridge && task.NetworkMode !== 'host' ? [] : asArray(c.PortMappings).flatMap((m, i) => {
      const hostPort = literalNumber(isObject(m) ? m.HostPort : undefined);
      return hostPort !== undefined && hostPort > 0 ? [{ value: hostPort, at: `${path}.PortMappings[${i}].HostPort` }] : [];
    }),
    plainEnvironment: asArray(c.Environment).map((e, i) => ({ name: String(isObject(e) ? e.Name : e), at: `${path}.Environment[${i}]` })),
    secretNames: asArray(c.Secrets).map((s) => String(isObject(s) ? s.Name : s)),
    resources: {
      cpuRequest: observed(containerCpu ?? taskCpu, containerCpu ? `${path}.Cpu` : at(logicalId, 'Properties', 'Cpu')),
      cpuLimit: observed(taskCpu ?? containerCpu, taskCpu ? at(logicalId, 'Properties', 'Cpu') : `${path}.Cpu`),
      memoryRequest: observed(reservation ?? memory, reservation ? `${path}.MemoryReservation` : `${path}.Memory`),
      memoryLimit: observed(memory, `${path}.Memory`),
    },
    logging: readLogging(template, c, path),
  };
}
