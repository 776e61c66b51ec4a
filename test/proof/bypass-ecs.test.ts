// The ECS bypass catalogue: ways to weaken a control AFTER construction (L1 overrides and deletions,
// Aspects, L2 escape hatches, raw containers, other code's resources, acknowledgements). Every row
// must fail synthesis naming its control, and pass with a valid exemption unless it is refused.
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  Aspects, Aws, CfnCondition, CfnMapping, CfnParameter, Duration, Fn, IAspect, Stack, Stage, Validations, aws_ec2 as ec2, aws_ecr as ecr,
  aws_ecs as ecs, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_logs as logs, aws_pipes as pipes,
  aws_scheduler as scheduler, aws_ssm as ssm, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks, custom_resources as cr,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Bypass, assertUniqueNames, describeRows, justified } from './bypass-support';
import { Control, Exemption, SecurityPolicy } from '../../lib/core';
import { SecureLaunchType, SecureService } from '../../lib/ecs';
import { API, fixture, reportedViolations, synth } from '../ecs/fixtures';

interface Built {
  readonly stack: ReturnType<typeof fixture>['stack'];
  readonly app: ReturnType<typeof fixture>['app'];
  readonly svc: SecureService;
  /** The task definition's L1. */
  readonly task: ecs.CfnTaskDefinition;
}

type EcsBypass = Bypass<Built> & {
  /** Runs on EC2 (settings Fargate cannot run at all are platform errors, not exemptible). */
  readonly ec2?: boolean;
  /** The row records its cover itself on what it creates, so the service gets none. */
  readonly recordsOwnExemptions?: boolean;
};

const TASK = 'Stack/Api/TaskDefinition';
const C0 = 'ContainerDefinitions.0';

function build(row: EcsBypass, exemptions: readonly Exemption[]): Built {
  const f = fixture();
  if (row.policy) SecurityPolicy.of(f.stack).apply(row.policy);
  if (row.ec2) {
    f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
  }
  const svc = new SecureService(f.stack, 'Api', {
    ...API,
    cluster: f.cluster,
    launchType: row.ec2 ? SecureLaunchType.EC2 : SecureLaunchType.FARGATE,
    exemptions: row.recordsOwnExemptions ? [] : [...exemptions],
  });
  return { app: f.app, stack: f.stack, svc, task: svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition };
}

function synthError(built: Built): string {
  try {
    synth(built.stack);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** An Aspect that runs `visit` on every L1 of `type`, the way policy-as-code libraries rewrite templates. */
function aspect<T>(type: new (...args: any[]) => T, visit: (node: T) => void): IAspect {
  return { visit: (node: IConstruct) => { if (node instanceof type) visit(node); } };
}

const override = (path: string, value: unknown) => ({ task }: Built) => task.addPropertyOverride(path, value);
const deletion = (path: string) => ({ task }: Built) => task.addDeletionOverride(`Properties.${path}`);
const serviceL1 = (built: Built) => built.svc.service.node.defaultChild as ecs.CfnService;
const securityGroupL1 = (built: Built) => built.svc.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup;
const APP = { container: 'app' };
/** The Ref of a new parameter: a value only known at deploy time. */
const parameterRef = ({ stack }: Built, id: string, type: string, defaultValue: string) => (
  { Ref: new CfnParameter(stack, id, { type, default: defaultValue }).logicalId });
/** The logical id of the service's security group. */
const securityGroupId = (built: Built) => built.stack.getLogicalId(securityGroupL1(built));
/** A raw ingress rule open to every port from anywhere, on the group `groupId` names. */
const openIngress = ({ stack }: Built, groupId: unknown) => new ec2.CfnSecurityGroupIngress(stack, 'AllIn', { groupId: 'placeholder', ipProtocol: '-1', cidrIp: '0.0.0.0/0' })
  .addPropertyOverride('GroupId', groupId);

/** `yes` when the stack's condition `On` holds, else `no`: a value the template alone cannot decide. */
function conditional({ stack }: Built, yes: unknown, no: unknown = Aws.NO_VALUE): unknown {
  const on = new CfnCondition(stack, 'On', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
  return Fn.conditionIf(on.logicalId, yes, no);
}

/** An AwsCustomResource (of `resourceType`, if given) that runs the task with a public IP and a security group open to all. */
function runTaskPubliclyByCustomResource(b: Built, resourceType?: string): void {
  const open = new ec2.SecurityGroup(b.stack, 'Open', { vpc: b.svc.cluster.vpc });
  open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());
  new cr.AwsCustomResource(b.stack, 'RunIt', {
    resourceType,
    onCreate: {
      service: 'ECS',
      action: 'runTask',
      parameters: {
        cluster: b.svc.cluster.clusterArn,
        taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
        networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [open.securityGroupId] } },
      },
      physicalResourceId: cr.PhysicalResourceId.of('run'),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
  });
}

/** A raw container as other code would add it: no user, writable root, capabilities kept, no logs. */
const rawContainer = (name: string) => ({
  Name: name, Image: 'ghcr.io/acme/debug:2.0.1', Essential: false, Memory: 128, Cpu: 0,
});

/** What a container added without the service's hardening weakens (on Fargate). */
const RAW_CONTAINER_CONTROLS = [
  Control.RUN_AS_NON_ROOT, Control.READ_ONLY_ROOT_FILESYSTEM, Control.DROP_ALL_CAPABILITIES, Control.NO_PRIVILEGE_ESCALATION, Control.LOGGING,
];

const ROWS: EcsBypass[] = [
  // RUN_AS_NON_ROOT
  { name: 'User overridden to 0', controls: [Control.RUN_AS_NON_ROOT], ...APP, apply: override(`${C0}.User`, '0'), detail: /the user is 0 \(root\) at Resources\.ApiTaskDefinition\w+\.Properties\.ContainerDefinitions\[0\]\.User/ },
  { name: 'User overridden to a name', controls: [Control.RUN_AS_NON_ROOT], ...APP, apply: override(`${C0}.User`, 'root'), detail: /the user is a name \("root"\)/ },
  { name: 'User deleted', controls: [Control.RUN_AS_NON_ROOT], ...APP, apply: deletion(`${C0}.User`), detail: /no user is set/ },
  { name: 'User with group 0', controls: [Control.RUN_AS_NON_ROOT], ...APP, apply: override(`${C0}.User`, '65532:0'), detail: /the group is 0 \(root\)/ },
  { name: 'User without a group (Docker then uses group 0)', controls: [Control.RUN_AS_NON_ROOT], ...APP, apply: override(`${C0}.User`, '65532'), detail: /no group is set/ },
  {
    name: 'User from a deploy-time parameter',
    controls: [Control.RUN_AS_NON_ROOT],
    ...APP,
    apply: (b) => b.task.addPropertyOverride(`${C0}.User`, new CfnParameter(b.stack, 'RunAs', { default: '0' }).valueAsString),
    detail: /nothing can prove it is not root/,
  },
  // READ_ONLY_ROOT_FILESYSTEM
  { name: 'ReadonlyRootFilesystem overridden to false', controls: [Control.READ_ONLY_ROOT_FILESYSTEM], ...APP, apply: override(`${C0}.ReadonlyRootFilesystem`, false), detail: /the root filesystem is writable \(false\)/ },
  { name: 'ReadonlyRootFilesystem deleted', controls: [Control.READ_ONLY_ROOT_FILESYSTEM], ...APP, apply: deletion(`${C0}.ReadonlyRootFilesystem`), detail: /the root filesystem is writable \(null\)/ },
  { name: 'ReadonlyRootFilesystem as the string "false"', controls: [Control.READ_ONLY_ROOT_FILESYSTEM], ...APP, apply: override(`${C0}.ReadonlyRootFilesystem`, 'false') },
  {
    name: 'an Aspect writes ReadonlyRootFilesystem false on every task definition',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...APP,
    apply: (b) => Aspects.of(b.app).add(aspect(ecs.CfnTaskDefinition, (t) => t.addPropertyOverride(`${C0}.ReadonlyRootFilesystem`, false))),
  },
  // DROP_ALL_CAPABILITIES (on Fargate, keeping capabilities also re-opens privilege escalation)
  { name: 'Capabilities.Add SYS_PTRACE by override (Fargate)', controls: [Control.DROP_ALL_CAPABILITIES], ...APP, apply: override(`${C0}.LinuxParameters.Capabilities.Add`, ['SYS_PTRACE']), detail: /capability SYS_PTRACE is added/ },
  { name: 'Capabilities.Add SYS_ADMIN by override (EC2)', ec2: true, controls: [Control.DROP_ALL_CAPABILITIES], ...APP, apply: override(`${C0}.LinuxParameters.Capabilities.Add`, ['SYS_ADMIN']) },
  {
    name: 'Capabilities.Add as an Fn::Split of a literal (EC2)',
    ec2: true,
    controls: [Control.DROP_ALL_CAPABILITIES],
    ...APP,
    apply: override(`${C0}.LinuxParameters.Capabilities.Add`, { 'Fn::Split': [',', 'SYS_ADMIN,NET_ADMIN'] }),
    detail: /capability SYS_ADMIN is added at \S+Capabilities\.Add\[0\][^]*capability NET_ADMIN is added/,
  },
  {
    name: 'Capabilities.Add from a CommaDelimitedList parameter (Fargate)',
    controls: [Control.DROP_ALL_CAPABILITIES],
    ...APP,
    apply: (b) => b.task.addPropertyOverride(`${C0}.LinuxParameters.Capabilities.Add`, parameterRef(b, 'Caps', 'CommaDelimitedList', 'SYS_PTRACE')),
    detail: /capability \$\{Caps\} is added at \S+Capabilities\.Add \(\{"Ref":"Caps"\}, only known at deploy time: it cannot be proven to add none\)/,
  },
  {
    name: 'Capabilities.Add as an Fn::FindInMap (EC2)',
    ec2: true,
    controls: [Control.DROP_ALL_CAPABILITIES],
    ...APP,
    apply: (b) => {
      new CfnMapping(b.stack, 'Caps', { mapping: { prod: { add: ['SYS_ADMIN'] } } });
      b.task.addPropertyOverride(`${C0}.LinuxParameters.Capabilities.Add`, { 'Fn::FindInMap': ['Caps', 'prod', 'add'] });
    },
    detail: /Capabilities\.Add \(\{"Fn::FindInMap":\["Caps","prod","add"\]\}, only known at deploy time/,
  },
  {
    name: 'a capability added through the L2 LinuxParameters escape hatch',
    controls: [Control.DROP_ALL_CAPABILITIES],
    ...APP,
    apply: (b) => b.svc.container.linuxParameters!.addCapabilities(ecs.Capability.SYS_PTRACE),
  },
  { name: 'Capabilities.Drop deleted (Fargate)', controls: [Control.DROP_ALL_CAPABILITIES, Control.NO_PRIVILEGE_ESCALATION], ...APP, apply: deletion(`${C0}.LinuxParameters.Capabilities.Drop`), detail: /capabilities are not all dropped \(drop: \[\]\)/ },
  { name: 'Capabilities.Drop replaced by NET_RAW (EC2)', ec2: true, controls: [Control.DROP_ALL_CAPABILITIES], ...APP, apply: override(`${C0}.LinuxParameters.Capabilities.Drop`, ['NET_RAW']) },
  { name: 'LinuxParameters deleted (EC2)', ec2: true, controls: [Control.DROP_ALL_CAPABILITIES], ...APP, apply: deletion(`${C0}.LinuxParameters`) },
  // NOT_PRIVILEGED
  // A privileged container holds every capability: no-new-privileges stops no escalation (as on Kubernetes, both controls).
  { name: 'Privileged overridden to true (EC2)', ec2: true, controls: [Control.NOT_PRIVILEGED, Control.NO_PRIVILEGE_ESCALATION], ...APP, apply: override(`${C0}.Privileged`, true), detail: /the container is privileged/ },
  { name: 'Privileged as the string "true" (EC2)', ec2: true, controls: [Control.NOT_PRIVILEGED, Control.NO_PRIVILEGE_ESCALATION], ...APP, apply: override(`${C0}.Privileged`, 'true') },
  { name: 'DockerSecurityOptions apparmor=unconfined (EC2)', ec2: true, controls: [Control.NOT_PRIVILEGED], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'apparmor=unconfined']), detail: /apparmor=unconfined lifts AppArmor or SELinux confinement/ },
  { name: 'DockerSecurityOptions label=disable, no SELinux confinement (EC2)', ec2: true, controls: [Control.NOT_PRIVILEGED], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'label=disable']), detail: /label=disable lifts AppArmor or SELinux confinement/ },
  { name: 'DockerSecurityOptions disable, which dockerd reads as label=disable (EC2)', ec2: true, controls: [Control.NOT_PRIVILEGED], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'disable']), detail: /option disable lifts AppArmor or SELinux confinement/ },
  { name: 'DockerSecurityOptions writable-cgroups=true (EC2)', ec2: true, controls: [Control.NOT_PRIVILEGED], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'writable-cgroups=true']), detail: /mounts the cgroup filesystem writable/ },
  {
    name: 'DockerSecurityOptions apparmor:unconfined written as an Fn::Sub (EC2)',
    ec2: true,
    controls: [Control.NOT_PRIVILEGED],
    ...APP,
    apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', Fn.sub('apparmor:unconfined')]),
    detail: /apparmor:unconfined lifts AppArmor or SELinux confinement at \S+DockerSecurityOptions\[1\]/,
  },
  {
    name: 'DockerSecurityOptions systempaths=unconfined, /proc and /sys unmasked (EC2)',
    ec2: true,
    controls: [Control.NOT_PRIVILEGED],
    ...APP,
    apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'systempaths=unconfined']),
    detail: /the docker security option systempaths=unconfined unmasks \/proc and \/sys paths/,
  },
  {
    name: 'a DockerSecurityOptions entry from a deploy-time parameter (EC2)',
    ec2: true,
    controls: [Control.NOT_PRIVILEGED, Control.SECCOMP_RUNTIME_DEFAULT, Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: (b) => b.task.addPropertyOverride(`${C0}.DockerSecurityOptions`, ['no-new-privileges', parameterRef(b, 'Opt', 'String', 'apparmor:unconfined')]),
    detail: /the docker security option \$\{Opt\} is only known at deploy time: it may lift AppArmor or SELinux confinement[^]*the seccomp profile is only known at deploy time \(\$\{Opt\}\)/,
  },
  {
    name: 'a DockerSecurityOptions entry from an SSM dynamic reference (EC2)',
    ec2: true,
    controls: [Control.NOT_PRIVILEGED, Control.SECCOMP_RUNTIME_DEFAULT, Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', '{{resolve:ssm:/acme/ecs/docker-option}}']),
    detail: /the docker security option \$\{\{resolve:ssm:\/acme\/ecs\/docker-option\}\} is only known at deploy time: it may lift AppArmor or SELinux confinement/,
  },
  {
    name: 'DockerSecurityOptions as a whole from a CommaDelimitedList parameter (EC2)',
    ec2: true,
    controls: [Control.NOT_PRIVILEGED, Control.SECCOMP_RUNTIME_DEFAULT, Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: (b) => b.task.addPropertyOverride(`${C0}.DockerSecurityOptions`, parameterRef(b, 'Opts', 'CommaDelimitedList', 'no-new-privileges,seccomp=unconfined')),
    detail: /DockerSecurityOptions \(\{"Ref":"Opts"\}, only known at deploy time\)/,
  },
  {
    name: 'an Aspect makes every task definition privileged (EC2)',
    ec2: true,
    controls: [Control.NOT_PRIVILEGED, Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: (b) => Aspects.of(b.stack).add(aspect(ecs.CfnTaskDefinition, (t) => t.addPropertyOverride(`${C0}.Privileged`, true))),
  },
  // NO_PRIVILEGE_ESCALATION (EC2: the no-new-privileges option)
  {
    name: 'a Fargate task definition made EC2-compatible and placed on instances by a capacity provider strategy',
    controls: [Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride('RequiresCompatibilities', ['FARGATE', 'EC2']);
      serviceL1(b).addDeletionOverride('Properties.LaunchType');
      serviceL1(b).addDeletionOverride('Properties.PlatformVersion');
      serviceL1(b).addPropertyOverride('CapacityProviderStrategy', [{ CapacityProvider: 'instances', Weight: 1 }]);
    },
    detail: /privilege escalation is not switched off/,
  },
  {
    name: 'an EC2-compatible Fargate task definition run with a LaunchType from a deploy-time parameter',
    controls: [Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride('RequiresCompatibilities', ['FARGATE', 'EC2']);
      serviceL1(b).addPropertyOverride('LaunchType', parameterRef(b, 'LaunchType', 'String', 'EC2'));
      serviceL1(b).addDeletionOverride('Properties.PlatformVersion');
    },
    detail: /DockerSecurityOptions \(on instances: the service Resources\.ApiService\w+ runs it with LaunchType \{"Ref":"LaunchType"\}, only known at deploy time: it may be EC2/,
  },
  {
    name: 'an EC2-compatible Fargate task definition run with a LaunchType from an SSM dynamic reference',
    controls: [Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride('RequiresCompatibilities', ['FARGATE', 'EC2']);
      serviceL1(b).addPropertyOverride('LaunchType', '{{resolve:ssm:/acme/ecs/launch-type}}');
      serviceL1(b).addDeletionOverride('Properties.PlatformVersion');
    },
    detail: /runs it with LaunchType "\{\{resolve:ssm:\/acme\/ecs\/launch-type\}\}", only known at deploy time: it may be EC2/,
  },
  { name: 'DockerSecurityOptions deleted (EC2)', ec2: true, controls: [Control.NO_PRIVILEGE_ESCALATION], ...APP, apply: deletion(`${C0}.DockerSecurityOptions`), detail: /privilege escalation is not switched off/ },
  { name: 'no-new-privileges switched off again by a later option (EC2)', ec2: true, controls: [Control.NO_PRIVILEGE_ESCALATION], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'no-new-privileges:false']) },
  {
    name: 'no-new-privileges switched off again by a later Fn::Sub option (EC2)',
    ec2: true,
    controls: [Control.NO_PRIVILEGE_ESCALATION],
    ...APP,
    apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', Fn.sub('no-new-privileges:false')]),
    detail: /privilege escalation is not switched off/,
  },
  // SECCOMP_RUNTIME_DEFAULT
  { name: 'seccomp=unconfined added (EC2)', ec2: true, controls: [Control.SECCOMP_RUNTIME_DEFAULT], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'seccomp=unconfined']), detail: /the seccomp profile is Unconfined at .*DockerSecurityOptions\[1\]/ },
  { name: 'seccomp:unconfined (colon form, EC2)', ec2: true, controls: [Control.SECCOMP_RUNTIME_DEFAULT], ...APP, apply: override(`${C0}.DockerSecurityOptions`, ['seccomp:unconfined', 'no-new-privileges']) },
  {
    name: 'seccomp=unconfined written as an Fn::Sub (EC2)',
    ec2: true,
    controls: [Control.SECCOMP_RUNTIME_DEFAULT],
    ...APP,
    apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', Fn.sub('seccomp=unconfined')]),
    detail: /the seccomp profile is Unconfined at .*DockerSecurityOptions\[1\]/,
  },
  {
    name: 'an inline seccomp profile that allows every system call (EC2)',
    ec2: true,
    controls: [Control.SECCOMP_RUNTIME_DEFAULT],
    ...APP,
    apply: override(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']),
    detail: /the seccomp profile is an inline JSON profile, which is not RuntimeDefault at .*DockerSecurityOptions\[1\]/,
  },
  // NO_HOST_NAMESPACES (the task definition as a whole)
  { name: 'NetworkMode host (EC2)', ec2: true, controls: [Control.NO_HOST_NAMESPACES], apply: override('NetworkMode', 'host'), detail: /shares the host's network namespace/ },
  { name: 'NetworkMode bridge (EC2)', ec2: true, controls: [Control.NO_HOST_NAMESPACES], apply: override('NetworkMode', 'bridge'), detail: /the network mode is bridge/ },
  { name: 'NetworkMode deleted: EC2 falls back to bridge', ec2: true, controls: [Control.NO_HOST_NAMESPACES], apply: deletion('NetworkMode'), detail: /the network mode is bridge: .* at Resources\.\w+\.Properties\.NetworkMode \(unset: bridge\)/ },
  { name: 'PidMode host (EC2)', ec2: true, controls: [Control.NO_HOST_NAMESPACES], apply: override('PidMode', 'host'), detail: /host's pid namespace/ },
  { name: 'IpcMode host (EC2)', ec2: true, controls: [Control.NO_HOST_NAMESPACES], apply: override('IpcMode', 'host'), detail: /host's ipc namespace/ },
  {
    name: 'PidMode from a deploy-time parameter (EC2)',
    ec2: true,
    controls: [Control.NO_HOST_NAMESPACES],
    apply: (b) => b.task.addPropertyOverride('PidMode', new CfnParameter(b.stack, 'Pid', { default: 'host' }).valueAsString),
    detail: /PidMode \(\{"Ref":"Pid"\}, only known at deploy time: it cannot be proven not to be host\)/,
  },
  {
    name: 'PidMode and IpcMode from SSM dynamic references (EC2)',
    ec2: true,
    controls: [Control.NO_HOST_NAMESPACES],
    apply: (b) => {
      b.task.addPropertyOverride('PidMode', '{{resolve:ssm:/acme/ecs/pid-mode}}');
      b.task.addPropertyOverride('IpcMode', '{{resolve:ssm:/acme/ecs/ipc-mode}}');
    },
    detail: /PidMode \("\{\{resolve:ssm:\/acme\/ecs\/pid-mode\}\}", only known at deploy time: it cannot be proven not to be host\)[^]*IpcMode \("\{\{resolve:ssm:/,
  },
  { name: 'IpcMode as an Fn::Sub (EC2)', ec2: true, controls: [Control.NO_HOST_NAMESPACES], apply: override('IpcMode', Fn.sub('host')), detail: /IpcMode \(\{"Fn::Sub":"host"\}, only known at deploy time/ },
  {
    name: 'a kernel parameter outside the safe sysctls in SystemControls',
    controls: [Control.NO_HOST_NAMESPACES],
    apply: override(`${C0}.SystemControls`, [{ Namespace: 'net.ipv4.tcp_keepalive_time', Value: '600' }, { Namespace: 'net.core.somaxconn', Value: '4096' }]),
    detail: /the workload sets the kernel parameter net\.core\.somaxconn, which Pod Security Standards do not count as safe.* at Resources\.\w+\.Properties\.ContainerDefinitions\[0\]\.SystemControls\[1\]/,
  },
  {
    name: 'a SystemControls name from a deploy-time parameter',
    controls: [Control.NO_HOST_NAMESPACES],
    apply: (b) => b.task.addPropertyOverride(`${C0}.SystemControls`, [{ Namespace: new CfnParameter(b.stack, 'Sysctl', { default: 'kernel.msgmax' }).valueAsString, Value: '1' }]),
    detail: /the kernel parameter \$\{Sysctl\}/,
  },
  // NO_HOST_PATH_VOLUMES
  { name: 'a writable-path volume turned into Host.SourcePath / (EC2)', ec2: true, controls: [Control.NO_HOST_PATH_VOLUMES], ...APP, apply: override('Volumes.0.Host', { SourcePath: '/' }), detail: /volume "app-tmp" is of kind hostPath/ },
  {
    name: 'the Docker socket added through taskDefinition.addVolume (EC2)',
    ec2: true,
    controls: [Control.NO_HOST_PATH_VOLUMES],
    apply: (b) => b.svc.taskDefinition.addVolume({ name: 'docker', host: { sourcePath: '/var/run/docker.sock' } }),
  },
  { name: 'DockerVolumeConfiguration local o=bind (EC2)', ec2: true, controls: [Control.NO_HOST_PATH_VOLUMES], ...APP, apply: override('Volumes.0.DockerVolumeConfiguration', { Driver: 'local', Scope: 'task', DriverOpts: { type: 'none', device: '/etc', o: 'bind' } }) },
  { name: 'DockerVolumeConfiguration local o=bind written as Fn::Sub (EC2)', ec2: true, controls: [Control.NO_HOST_PATH_VOLUMES], ...APP, apply: override('Volumes.0.DockerVolumeConfiguration', { Driver: 'local', Scope: 'task', DriverOpts: { type: 'none', device: '/', o: Fn.sub('bind') } }) },
  { name: 'DockerVolumeConfiguration local o=rbind (EC2)', ec2: true, controls: [Control.NO_HOST_PATH_VOLUMES], ...APP, apply: override('Volumes.0.DockerVolumeConfiguration', { Driver: 'local', Scope: 'task', DriverOpts: { type: 'none', device: '/', o: 'ro,rbind' } }) },
  {
    name: "DockerVolumeConfiguration local mounting the host's disk (type xfs, EC2)",
    ec2: true,
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...APP,
    apply: override('Volumes.0.DockerVolumeConfiguration', { Driver: 'local', Scope: 'task', DriverOpts: { type: 'xfs', device: '/dev/nvme0n1p1' } }),
    detail: /volume "app-tmp" is of kind hostPath: it mounts the host's filesystem at \S+DockerVolumeConfiguration\.DriverOpts\.device \(type "xfs": the local driver mounts a device or path of the host\)/,
  },
  {
    name: 'DockerVolumeConfiguration without a Driver (local): an overlay over the host root (EC2)',
    ec2: true,
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...APP,
    apply: override('Volumes.0.DockerVolumeConfiguration', { Scope: 'task', DriverOpts: { type: 'overlay', device: 'overlay', o: 'lowerdir=/:/etc' } }),
    detail: /DriverOpts\.device \(type "overlay"/,
  },
  {
    name: 'DockerVolumeConfiguration local o from a deploy-time parameter (EC2)',
    ec2: true,
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...APP,
    apply: (b) => b.task.addPropertyOverride('Volumes.0.DockerVolumeConfiguration', { Driver: 'local', Scope: 'task', DriverOpts: { type: 'none', device: '/', o: parameterRef(b, 'O', 'String', 'bind') } }),
    detail: /DriverOpts\.o \(\{"Ref":"O"\}, only known at deploy time: it may mount a host path\)/,
  },
  {
    name: 'DockerVolumeConfiguration whose Driver is an SSM dynamic reference, binding the host root (EC2)',
    ec2: true,
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...APP,
    apply: override('Volumes.0.DockerVolumeConfiguration', { Scope: 'task', Driver: '{{resolve:ssm:/acme/ecs/volume-driver}}', DriverOpts: { type: 'none', device: '/', o: 'bind' } }),
    detail: /volume "app-tmp" is of kind hostPath: it mounts the host's filesystem at \S+DockerVolumeConfiguration\.DriverOpts\.o \(a bind mount of a host path\)/,
  },
  { name: 'a host device in LinuxParameters.Devices (EC2)', ec2: true, controls: [Control.NO_HOST_PATH_VOLUMES], ...APP, apply: override(`${C0}.LinuxParameters.Devices`, [{ HostPath: '/dev/mem', Permissions: ['read'] }]), detail: /volume "device \/dev\/mem" is of kind hostPath/ },
  // SECRETS_NOT_IN_ENVIRONMENT
  { name: 'a secret-like Environment entry by override', controls: [Control.SECRETS_NOT_IN_ENVIRONMENT], ...APP, apply: override(`${C0}.Environment`, [{ Name: 'DB_PASSWORD', Value: 'hunter2' }]), detail: /environment variable DB_PASSWORD looks like a secret/ },
  { name: 'a secret-like variable through container.addEnvironment', controls: [Control.SECRETS_NOT_IN_ENVIRONMENT], ...APP, apply: (b) => b.svc.container.addEnvironment('GITHUB_TOKEN', 'ghp_x') },
  {
    name: 'a password in the JVM options of JAVA_TOOL_OPTIONS, through container.addEnvironment',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => b.svc.container.addEnvironment('JAVA_TOOL_OPTIONS', '-Xmx512m -Dspring.datasource.password=hunter2'),
    detail: /JAVA_TOOL_OPTIONS holds command line options that give -Dspring\.datasource\.password a plain value/,
  },
  { name: 'a secret-like variable whose name is an Fn::Sub', controls: [Control.SECRETS_NOT_IN_ENVIRONMENT], ...APP, apply: override(`${C0}.Environment`, [{ Name: Fn.sub('DB_PASSWORD'), Value: 'hunter2' }]), detail: /environment variable DB_PASSWORD looks like a secret/ },
  {
    name: 'a URL with a password built by Fn::Sub',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: override(`${C0}.Environment`, [{ Name: 'DATABASE_URL', Value: Fn.sub('postgres://app:hunter2@db.${AWS::Region}.internal:5432/app') }]),
    detail: /holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db\.\$\{AWS::Region\}\.internal:5432\/app\)/,
  },
  {
    name: 'a variable whose name is a deploy-time parameter',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => b.task.addPropertyOverride(`${C0}.Environment`, [{ Name: new CfnParameter(b.stack, 'VarName', { default: 'DB_PASSWORD' }).valueAsString, Value: 'hunter2' }]),
    detail: /the name of environment variable \$\{VarName\} is only known at deploy time/,
  },
  {
    name: 'a variable whose name is an SSM dynamic reference',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: override(`${C0}.Environment`, [{ Name: '{{resolve:ssm:/acme/ecs/var-name}}', Value: 'hunter2' }]),
    detail: /the name of environment variable \$\{\{resolve:ssm:\/acme\/ecs\/var-name\}\} is only known at deploy time/,
  },
  // values that are secrets by construction, under neutral names
  {
    name: 'an Environment value that is a Secrets Manager dynamic reference, under a neutral name',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: override(`${C0}.Environment`, [{ Name: 'APP_CONFIG', Value: '{{resolve:secretsmanager:prod/db:SecretString:password}}' }]),
    detail: /environment variable APP_CONFIG holds the secret \{\{resolve:secretsmanager:prod\/db:SecretString:password\}\}, which CloudFormation resolves into the value/,
  },
  {
    name: "an access key's secret (secretAccessKey.unsafeUnwrap()) under a neutral name",
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => b.svc.container.addEnvironment('APP_CONFIG', new iam.AccessKey(b.stack, 'Key', { user: new iam.User(b.stack, 'CiUser') }).secretAccessKey.unsafeUnwrap()),
    detail: /environment variable APP_CONFIG holds the SecretAccessKey of AWS::IAM::AccessKey Resources\.Key\w*: the secret is plain text/,
  },
  {
    name: 'an environment file from S3: plain variables of unknown names',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: override(`${C0}.EnvironmentFiles`, [{ Type: 's3', Value: 'arn:aws:s3:::cfg/app.env' }]),
    detail: /every variable of the environment file "arn:aws:s3:::cfg\/app\.env" is a plain environment variable whose name and value are unknown/,
  },
  // RESOURCE_LIMITS
  { name: 'container Memory deleted', controls: [Control.RESOURCE_LIMITS], ...APP, apply: deletion(`${C0}.Memory`), detail: /no memory request, memory limit/ },
  // On EC2 a container's Cpu is a relative share (Docker's CpuShares): without the task's Cpu nothing bounds it.
  { name: 'task Cpu deleted (EC2): the container Cpu is only a share', ec2: true, controls: [Control.RESOURCE_LIMITS], ...APP, apply: deletion('Cpu'), detail: /no cpu limit at Cpu/ },
  // LOGGING
  { name: 'LogConfiguration deleted', controls: [Control.LOGGING], ...APP, apply: deletion(`${C0}.LogConfiguration`), detail: /no log configuration/ },
  { name: 'log group RetentionInDays deleted', controls: [Control.LOGGING], ...APP, apply: (b) => (b.svc.logGroup.node.defaultChild as logs.CfnLogGroup).addDeletionOverride('Properties.RetentionInDays'), detail: /no retention period/ },
  {
    name: 'awslogs-group pointed at a log group that never expires',
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-group`, new logs.LogGroup(b.stack, 'Forever', { retention: logs.RetentionDays.INFINITE }).logGroupName),
  },
  {
    name: 'awslogs-group pointed at a group the app does not define, created by ECS',
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-group`, 'shared-forever-logs');
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-create-group`, 'true');
    },
    detail: /retention period of the awslogs log group cannot be proven[^]*"shared-forever-logs", a log group the app does not define, and awslogs-create-group makes ECS create it without a retention period/,
  },
  {
    name: 'log group RetentionInDays from a deploy-time parameter',
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => (b.svc.logGroup.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('RetentionInDays', new CfnParameter(b.stack, 'Days', { type: 'Number', default: 1 }).valueAsNumber),
    detail: /RetentionInDays \(\{"Ref":"Days"\}, only known at deploy time\)/,
  },
  { name: 'log driver json-file: logs stay on the instance (EC2)', ec2: true, controls: [Control.LOGGING], ...APP, apply: override(`${C0}.LogConfiguration`, { LogDriver: 'json-file' }), detail: /the log driver json-file does not ship logs off the host/ },
  {
    name: "FireLens to Fluent Bit's null output: logs discarded",
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => {
      b.svc.addContainer('log-router', { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT }, writablePaths: ['/fluent-bit/etc'] });
      b.task.addPropertyOverride(`${C0}.LogConfiguration`, { LogDriver: 'awsfirelens', Options: { Name: 'null' } });
    },
    detail: /FireLens sends the logs to the null output: they are discarded at \S+LogConfiguration\.Options\.Name/,
  },
  {
    name: 'awslogs-endpoint set to another region\'s endpoint, where ECS creates the group without retention (EC2)',
    ec2: true,
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-endpoint`, 'https://logs.ap-southeast-2.amazonaws.com');
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-create-group`, 'true');
    },
    detail: /awslogs-endpoint \("https:\/\/logs\.ap-southeast-2\.amazonaws\.com", where the logs go instead of the stack's region\)/,
  },
  {
    name: 'FireLens CloudWatch output creating its group with auto_create_group On (Fluent Bit reads On as true), no retention',
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => {
      b.svc.addContainer('log-router', { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT }, writablePaths: ['/fluent-bit/etc'] });
      const options = { Name: 'cloudwatch_logs', region: Aws.REGION, log_group_name: '/app/new', auto_create_group: 'On' };
      b.task.addPropertyOverride(`${C0}.LogConfiguration`, { LogDriver: 'awsfirelens', Options: options });
    },
    detail: /auto_create_group makes the CloudWatch output create its log group without a retention period at \S+LogConfiguration\.Options\.auto_create_group/,
  },
  {
    name: 'a plain Splunk token in the log driver options, where SecretOptions belongs',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: override(`${C0}.LogConfiguration`, { LogDriver: 'splunk', Options: { 'splunk-url': 'https://splunk.example.com:8088', 'splunk-token': '00112233-4455-6677-8899-aabbccddeeff' } }),
    detail: /log driver option splunk-token looks like a secret but has a plain value/,
  },
  {
    name: 'a Secrets Manager dynamic reference in a Docker label (addDockerLabel)',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => b.svc.container.addDockerLabel('db.credentials', '{{resolve:secretsmanager:prod/db:SecretString:password}}'),
    detail: /Docker label db\.credentials holds the secret \{\{resolve:secretsmanager:prod\/db:SecretString:password\}\}/,
  },
  {
    name: 'a Secrets Manager dynamic reference in the container\'s Hostname (addPropertyOverride)',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: override(`${C0}.Hostname`, '{{resolve:secretsmanager:prod/db:SecretString:password}}'),
    detail: /field Hostname holds the secret \{\{resolve:secretsmanager:prod\/db:SecretString:password\}\}/,
  },
  {
    name: 'awslogs-region set to another region, where ECS creates the group without retention',
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-region`, 'us-east-1');
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-create-group`, 'true');
    },
    detail: /awslogs-region \("us-east-1", not the stack's region\)/,
  },
  {
    name: 'awslogs-group named after a log group under a Condition that may be false, created by ECS',
    controls: [Control.LOGGING],
    ...APP,
    apply: (b) => {
      const shared = new logs.LogGroup(b.stack, 'Shared', { logGroupName: 'shared-logs', retention: logs.RetentionDays.ONE_WEEK });
      (shared.node.defaultChild as logs.CfnLogGroup).cfnOptions.condition = new CfnCondition(b.stack, 'CreateShared', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-group`, 'shared-logs');
      b.task.addPropertyOverride(`${C0}.LogConfiguration.Options.awslogs-create-group`, 'true');
    },
    detail: /"shared-logs", the log group Resources\.Shared\w* exists only when condition CreateShared of Stack is true/,
  },
  // NO_PUBLIC_IP
  { name: 'AssignPublicIp ENABLED on the CfnService', controls: [Control.NO_PUBLIC_IP], apply: (b) => serviceL1(b).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp', 'ENABLED'), detail: /tasks get a public IP address/ },
  {
    name: 'an Aspect enables public IPs on every service',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => Aspects.of(b.stack).add(aspect(ecs.CfnService, (s) => s.addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp', 'ENABLED'))),
  },
  {
    name: 'a second service runs the task definition with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new ecs.FargateService(b.stack, 'Public', { cluster: b.svc.cluster, taskDefinition: b.svc.taskDefinition, assignPublicIp: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
  },
  {
    name: 'an EventBridge rule runs the task definition with a public IP and an open security group',
    controls: [Control.NO_PUBLIC_IP, Control.NETWORK_ISOLATION],
    apply: (b) => {
      const open = new ec2.SecurityGroup(b.stack, 'Open', { vpc: b.svc.cluster.vpc });
      open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());
      new events.Rule(b.stack, 'Nightly', { schedule: events.Schedule.rate(Duration.hours(24)) }).addTarget(new targets.EcsTask({
        cluster: b.svc.cluster,
        taskDefinition: b.svc.taskDefinition,
        assignPublicIp: true,
        subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
        securityGroups: [open],
      }));
    },
    detail: /public IP address[^]*at Resources\.Nightly\w+\.Properties\.Targets\[0\]\.EcsParameters\.NetworkConfiguration\.AwsVpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'an EventBridge Scheduler schedule runs the task definition with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new scheduler.CfnSchedule(b.stack, 'Hourly', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: b.svc.cluster.clusterArn,
        roleArn: 'arn:aws:iam::123456789012:role/scheduler',
        ecsParameters: {
          taskDefinitionArn: b.svc.taskDefinition.taskDefinitionArn,
          networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
        },
      },
    }),
    detail: /at Resources\.Hourly\.Properties\.Target\.EcsParameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'an ECS task set runs the task definition with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new ecs.CfnTaskSet(b.stack, 'Canary', {
      cluster: b.svc.cluster.clusterName,
      service: b.svc.service.serviceName,
      taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      networkConfiguration: { awsVpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
    }),
  },
  {
    name: 'a Step Functions EcsRunTask runs the task definition with assignPublicIp',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new sfn.StateMachine(b.stack, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EcsRunTask(b.stack, 'Run', {
        cluster: b.svc.cluster,
        taskDefinition: b.svc.taskDefinition,
        launchTarget: new tasks.EcsFargateLaunchTarget(),
        assignPublicIp: true,
        subnets: { subnetType: ec2.SubnetType.PUBLIC },
      })),
    }),
    detail: /at Resources\.Flow\w+\.Properties\.DefinitionString States\.Run\.Parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'a raw CfnStateMachine definition (an Fn::Join with the task definition ARN) runs it with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new sfn.CfnStateMachine(b.stack, 'RawFlow', {
      roleArn: 'arn:aws:iam::123456789012:role/flow',
      definitionString: b.stack.toJsonString({
        StartAt: 'Run',
        States: {
          Run: {
            Type: 'Task',
            Resource: `arn:${Stack.of(b.stack).partition}:states:::ecs:runTask`,
            End: true,
            Parameters: {
              TaskDefinition: b.svc.taskDefinition.taskDefinitionArn,
              NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-0bbbbbbbbbbbbbbb1'], SecurityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
            },
          },
        },
      }),
    }),
    detail: /at Resources\.RawFlow\.Properties\.DefinitionString States\.Run\.Parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'a state machine whose definition CDK uploads to S3 (DefinitionBody.fromFile), its role allowed ecs:RunTask, may run the task definition with a public IP',
    controls: [Control.NO_PUBLIC_IP, Control.NETWORK_ISOLATION],
    apply: (b) => new sfn.StateMachine(b.stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromFile(join(__dirname, '..', 'ecs', 'flows', 'public-run-task.asl.json')) })
      .addToRolePolicy(new iam.PolicyStatement({ actions: ['ecs:RunTask'], resources: ['*'] })),
    detail: /at Resources\.Flow\w+\.Properties\.DefinitionS3Location \(the definition is in S3, outside the template, and Resources\.FlowRoleDefaultPolicy\w+\.Properties\.PolicyDocument\.Statement\[0\] allows ecs:RunTask/,
  },
  {
    name: 'a service in another stack runs the task definition with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new ecs.FargateService(new Stack(b.app, 'Other'), 'Public', {
      cluster: b.svc.cluster, taskDefinition: b.svc.taskDefinition, assignPublicIp: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    }),
    detail: /at Other: Resources\.Public\w+\.Properties\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  // NETWORK_ISOLATION
  {
    name: "the service's SecurityGroups deleted: ECS attaches the VPC default group",
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => serviceL1(b).addDeletionOverride('Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups'),
    detail: /the service \w+ has no security group, so ECS attaches the VPC's default group, which cannot be checked/,
  },
  { name: "the service's SecurityGroups overridden to []", controls: [Control.NETWORK_ISOLATION], apply: (b) => serviceL1(b).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.SecurityGroups', []), detail: /has no security group/ },
  {
    name: 'another stack opens every TCP port of the service group (connections.allowTo)',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => {
      const ops = new Stack(b.app, 'Ops');
      const bastion = new ec2.SecurityGroup(ops, 'Bastion', { vpc: ec2.Vpc.fromVpcAttributes(ops, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] }) });
      bastion.connections.allowTo(b.svc, ec2.Port.allTcp(), 'ops access');
    },
    detail: /admits port 0-65535\/TCP, which is not a container port \(container ports: 8080\/TCP\) at Ops: Resources\.\w+\.Properties/,
  },
  { name: 'SecurityGroupIngress overridden to all traffic from 0.0.0.0/0', controls: [Control.NETWORK_ISOLATION], apply: (b) => securityGroupL1(b).addPropertyOverride('SecurityGroupIngress', [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }]), detail: /security group \w+ admits every port, which is not a container port/ },
  { name: 'connections.allowFromAnyIpv4 on every TCP port', controls: [Control.NETWORK_ISOLATION], apply: (b) => b.svc.connections.allowFromAnyIpv4(ec2.Port.allTcp()), detail: /admits port 0-65535\/TCP, which is not a container port/ },
  { name: 'a port range around the container port', controls: [Control.NETWORK_ISOLATION], apply: (b) => b.svc.connections.allowFromAnyIpv4(ec2.Port.tcpRange(8080, 8090)) },
  {
    name: 'a raw CfnSecurityGroupIngress for SSH on the service group',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => new ec2.CfnSecurityGroupIngress(b.stack, 'Ssh', { groupId: b.svc.connections.securityGroups[0].securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }),
  },
  {
    name: 'an ingress rule whose GroupId is an Fn::Sub of the service security group',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => openIngress(b, Fn.sub(`\${${securityGroupId(b)}.GroupId}`)),
    detail: /security group \w+ admits every port, which is not a container port \(container ports: 8080\/TCP\) at Resources\.AllIn\.Properties/,
  },
  {
    name: 'an ingress rule whose GroupId is an Fn::Join of the service security group alone',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => openIngress(b, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [securityGroupId(b), 'GroupId'] }]] }),
    detail: /security group \w+ admits every port/,
  },
  {
    name: 'an ingress rule whose GroupId is a deploy-time parameter',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => openIngress(b, parameterRef(b, 'Group', 'AWS::EC2::SecurityGroup::Id', 'sg-0123456789abcdef0')),
    detail: /an ingress rule whose group is only known at deploy time \(it may be security group \w+\) admits every port[^]* at Resources\.AllIn\.Properties\.GroupId \(\{"Ref":"Group"\}\)/,
  },
  {
    name: 'an ingress rule whose GroupId is an SSM dynamic reference to the parameter the app writes the group id to',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => {
      new ssm.StringParameter(b.stack, 'SgId', { parameterName: '/shop/api-sg', stringValue: b.svc.connections.securityGroups[0].securityGroupId });
      openIngress(b, '{{resolve:ssm:/shop/api-sg}}');
    },
    detail: /an ingress rule whose group is only known at deploy time/,
  },
  {
    name: 'an ingress rule whose GroupId is an Fn::Select of an Fn::Split of the service security group',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => openIngress(b, Fn.select(0, Fn.split(',', b.svc.connections.securityGroups[0].securityGroupId))),
    detail: /an ingress rule whose group is only known at deploy time \(it may be security group \w+\) admits every port/,
  },
  {
    name: 'an imported security group added to the service',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => serviceL1(b).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.1', 'sg-0123456789abcdef0'),
    detail: /security group "sg-0123456789abcdef0" is not defined in this template/,
  },
  // Containers and task definitions that other code adds
  {
    name: 'a raw container added with taskDefinition.addContainer',
    container: 'debug',
    controls: RAW_CONTAINER_CONTROLS,
    apply: (b) => b.svc.taskDefinition.addContainer('debug', { image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/debug:2.0.1'), memoryLimitMiB: 128, essential: false }),
  },
  {
    name: 'a raw container definition appended by override',
    container: 'shell',
    controls: RAW_CONTAINER_CONTROLS,
    apply: override('ContainerDefinitions.1', rawContainer('shell')),
  },
  {
    name: "other code's task definition in the same stack",
    workload: 'Stack/Legacy',
    container: 'web',
    recordsOwnExemptions: true,
    controls: RAW_CONTAINER_CONTROLS,
    apply: (b, exemptions) => {
      const legacy = new ecs.FargateTaskDefinition(b.stack, 'Legacy');
      legacy.addContainer('web', { image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/web:1.0.0'), memoryLimitMiB: 512 });
      // Outside a SecureService the exemptions are recorded by hand, where the check reads them.
      if (exemptions.length > 0) (legacy.node.defaultChild as ecs.CfnTaskDefinition).addMetadata('secure-service:exemptions', exemptions);
    },
  },

  // Not exemptible: both halves fail, and the second says why.
  {
    name: 'an acknowledgement with an empty reason',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride(`${C0}.ReadonlyRootFilesystem`, false);
      Validations.of(b.svc).acknowledge({ id: 'secure-service::READ_ONLY_ROOT_FILESYSTEM', reason: '' });
    },
    refused: /FATAL the acknowledgement of secure-service::READ_ONLY_ROOT_FILESYSTEM at Stack\/Api does not count: justification must be at least 20 characters/,
  },
  {
    name: 'an acknowledgement with a short reason, on the stack',
    controls: [Control.NOT_PRIVILEGED],
    ...APP,
    ec2: true,
    apply: (b) => {
      b.task.addPropertyOverride(`${C0}.Privileged`, true);
      Validations.of(b.stack).acknowledge({ id: 'secure-service::NOT_PRIVILEGED', reason: 'legacy' });
    },
    refused: /the acknowledgement of secure-service::NOT_PRIVILEGED at Stack does not count: justification must be at least 20 characters/,
  },
  {
    name: 'an acknowledgement with a placeholder reason, on the app',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => {
      serviceL1(b).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp', 'ENABLED');
      Validations.of(b.app).acknowledge({ id: 'secure-service::NO_PUBLIC_IP', reason: 'TODO: fix this later, it is temporary' });
    },
    refused: /the acknowledgement of secure-service::NO_PUBLIC_IP at <app> does not count: justification is a placeholder/,
  },
  {
    name: 'an expired exemption',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...APP,
    apply: override(`${C0}.ReadonlyRootFilesystem`, false),
    cover: [justified(Control.READ_ONLY_ROOT_FILESYSTEM, { expires: '2026-05-31' })],
    // The service judges its exemptions before anything is written: the synthesis stops there.
    refused: /\[Stack\/Api\] exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM\): expired on 2026-05-31; restore the secure setting/,
  },
  {
    name: 'an exemption for the wrong container',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...APP,
    apply: (b) => {
      b.svc.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0', cpu: 0.25, memoryMiB: 512 });
      b.task.addPropertyOverride(`${C0}.ReadonlyRootFilesystem`, false);
    },
    cover: [justified(Control.READ_ONLY_ROOT_FILESYSTEM, { container: 'helper' })],
    refused: /\[READ_ONLY_ROOT_FILESYSTEM\] Stack\/Api\/TaskDefinition container 'app'[^]*exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM, container 'helper'\) on Stack\/Api\/TaskDefinition: unused/,
  },
  {
    name: 'an exemption for the wrong control',
    controls: [Control.NOT_PRIVILEGED],
    ...APP,
    ec2: true,
    apply: override(`${C0}.Privileged`, true),
    cover: [justified(Control.LOGGING)],
    refused: /\[NOT_PRIVILEGED\] Stack\/Api\/TaskDefinition container 'app'[^]*unused, nothing weakens LOGGING|unused, nothing weakens LOGGING[^]*\[NOT_PRIVILEGED\] Stack\/Api\/TaskDefinition container 'app'/,
  },
  {
    name: 'a control the policy makes non-waivable',
    controls: [Control.RUN_AS_NON_ROOT],
    ...APP,
    policy: { nonWaivable: [Control.RUN_AS_NON_ROOT] },
    apply: override(`${C0}.User`, '0'),
    refused: /\[Stack\/Api\] exemptions\[0\] \(RUN_AS_NON_ROOT, container 'app'\): the security policy makes RUN_AS_NON_ROOT non-waivable: it cannot be exempted/,
  },
  {
    name: 'an exemption without the ticket the policy requires',
    controls: [Control.LOGGING],
    ...APP,
    policy: { requireTicket: true, ticketPattern: '^SEC-\\d+$' },
    apply: deletion(`${C0}.LogConfiguration`),
    refused: /\[Stack\/Api\] exemptions\[0\] \(LOGGING, container 'app'\): the security policy requires a ticket; add ticket: '\.\.\.' matching \^SEC-\\d\+\$/,
  },
  {
    name: 'recorded exemptions replaced by forged metadata with a placeholder',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...APP,
    apply: (b) => {
      b.task.addPropertyOverride(`${C0}.ReadonlyRootFilesystem`, false);
      b.task.addMetadata('secure-service:exemptions', [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: 'TODO' }]);
    },
    refused: /exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM\): justification must be at least 20 characters[^]*\[READ_ONLY_ROOT_FILESYSTEM\] Stack\/Api\/TaskDefinition container 'app'/,
  },
  {
    name: 'Image overridden to a registry the policy does not allow',
    controls: [Control.IMAGE_PINNED],
    ...APP,
    policy: { allowedRegistries: ['ghcr.io/acme'] },
    apply: override(`${C0}.Image`, 'docker.io/library/nginx:1.27'),
    detail: /comes from docker\.io, which the security policy does not allow/,
    refused: /FATAL [^]*comes from docker\.io, which the security policy does not allow[^]*\(an exemption does not cover the security policy's registry allow-list\)/,
  },
  {
    name: "Image from another account's ECR repository (an Fn::Join with AWS::URLSuffix)",
    controls: [Control.IMAGE_PINNED],
    ...APP,
    policy: { allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] },
    // What ContainerImage.fromEcrRepository(repository, '1.0.0') renders.
    apply: (b) => b.task.addPropertyOverride(`${C0}.Image`, ecr.Repository.fromRepositoryArn(b.stack, 'Miner', 'arn:aws:ecr:us-east-1:999999999999:repository/miner').repositoryUriForTag('1.0.0')),
    detail: /image 999999999999\.dkr\.ecr\.us-east-1\.\$\{AWS::URLSuffix\}\/miner:1\.0\.0 comes from 999999999999\.dkr\.ecr\.us-east-1\.\$\{AWS::URLSuffix\}, which the security policy does not allow/,
    refused: /FATAL [^]*comes from 999999999999[^]*\(an exemption does not cover the security policy's registry allow-list\)/,
  },
  {
    name: 'Image from a deploy-time parameter under a registry allow-list',
    controls: [Control.IMAGE_PINNED],
    ...APP,
    policy: { allowedRegistries: ['ghcr.io/acme'] },
    apply: (b) => b.task.addPropertyOverride(`${C0}.Image`, new CfnParameter(b.stack, 'Img', { default: 'docker.io/evil/miner:1' }).valueAsString),
    detail: /image \$\{Img\} cannot be proven to come from an allowed registry: its registry is only known at deploy time/,
    refused: /FATAL [^]*image \$\{Img\} cannot be proven to come from an allowed registry[^]*give the stack an explicit env[^]*\(an exemption does not cover the security policy's registry allow-list\)/,
  },
  {
    name: 'Privileged on Fargate (the platform cannot run it: no exemption helps)',
    controls: [Control.NOT_PRIVILEGED],
    ...APP,
    apply: override(`${C0}.Privileged`, true),
    refused: /FATAL Stack\/Api\/TaskDefinition: container "app" is privileged, which Fargate does not support/,
  },
  // Conditional values: a list or object written as Fn::If is judged on each branch, not read as empty
  { name: 'Environment as Fn::If with a password in one branch', controls: [Control.SECRETS_NOT_IN_ENVIRONMENT], ...APP, apply: (b) => b.task.addPropertyOverride(`${C0}.Environment`, conditional(b, [{ Name: 'DB_PASSWORD', Value: 'hunter2' }])), detail: /DB_PASSWORD looks like a secret .* \(when condition On of Stack is true\)/ },
  { name: 'Capabilities.Add as Fn::If (Fargate)', controls: [Control.DROP_ALL_CAPABILITIES], ...APP, apply: (b) => b.task.addPropertyOverride(`${C0}.LinuxParameters.Capabilities.Add`, conditional(b, ['SYS_PTRACE'])), detail: /capability SYS_PTRACE is added/ },
  { name: 'Volumes.0.Host as Fn::If (EC2)', ec2: true, controls: [Control.NO_HOST_PATH_VOLUMES], ...APP, apply: (b) => b.task.addPropertyOverride('Volumes.0.Host', conditional(b, { SourcePath: '/' })), detail: /volume "app-tmp" is of kind hostPath/ },
  {
    name: 'SecurityGroupIngress as Fn::If open to the internet',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => securityGroupL1(b).addPropertyOverride('SecurityGroupIngress', conditional(b, [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }])),
    detail: /admits every port/,
  },
  {
    name: 'the service NetworkConfiguration as Fn::If with a public IP in one branch',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => serviceL1(b).addPropertyOverride('NetworkConfiguration', conditional(b, {
      AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-0bbbbbbbbbbbbbbb1'], SecurityGroups: [b.svc.connections.securityGroups[0].securityGroupId] },
    }, {
      AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-0aaaaaaaaaaaaaaa1'], SecurityGroups: [b.svc.connections.securityGroups[0].securityGroupId] },
    })),
    detail: /tasks get a public IP address.* \(when condition On of Stack is true\)/,
  },
  {
    name: 'an ingress rule whose GroupId is a Fn::Select of the service security group',
    controls: [Control.NETWORK_ISOLATION],
    apply: (b) => new ec2.CfnSecurityGroupIngress(b.stack, 'AllIn', {
      groupId: Fn.select(0, [b.svc.connections.securityGroups[0].securityGroupId]), ipProtocol: '-1', cidrIp: '0.0.0.0/0',
    }),
    detail: /admits every port/,
  },
  // Runners anywhere in the app, and runners that reach ECS through generic SDK calls
  {
    name: 'an EventBridge rule in another stack runs the task definition by its family ARN with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => {
      b.task.family = 'shop-api';
      const jobs = new Stack(b.app, 'Jobs');
      // A group of its own stack: no reference (no export) links the two stacks.
      const closed = new ec2.CfnSecurityGroup(jobs, 'Closed', { groupDescription: 'no ingress', vpcId: 'vpc-0123456789abcdef0' });
      new events.CfnRule(jobs, 'Nightly', {
        scheduleExpression: 'rate(1 hour)',
        targets: [{
          id: 'run',
          arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
          roleArn: 'arn:aws:iam::123456789012:role/events-ecs',
          ecsParameters: {
            taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api',
            networkConfiguration: { awsVpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [closed.attrGroupId] } },
          },
        }],
      });
    },
    detail: /at Jobs: Resources\.Nightly\.Properties\.Targets\[0\]\.EcsParameters\.NetworkConfiguration\.AwsVpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'an EventBridge rule in another Stage runs the task definition by its family with a public IP and a group outside the app',
    controls: [Control.NO_PUBLIC_IP, Control.NETWORK_ISOLATION],
    apply: (b) => {
      b.task.family = 'shop-api';
      new events.CfnRule(new Stack(new Stage(b.app, 'Ops'), 'Jobs'), 'Nightly', {
        scheduleExpression: 'rate(1 hour)',
        targets: [{
          id: 'run',
          arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
          roleArn: 'arn:aws:iam::123456789012:role/events-ecs',
          ecsParameters: {
            taskDefinitionArn: 'shop-api',
            // Tokens cannot cross Stages: the group is written as its id.
            networkConfiguration: { awsVpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: ['sg-0123456789abcdef0'] } },
          },
        }],
      });
    },
    detail: /at Ops\/Jobs: Resources\.Nightly\.Properties\.Targets\[0\]\.EcsParameters\.NetworkConfiguration\.AwsVpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'a service in another stack runs the task definition named by an SSM dynamic reference, with a public IP and an open group',
    controls: [Control.NO_PUBLIC_IP, Control.NETWORK_ISOLATION],
    apply: (b) => {
      new ssm.StringParameter(b.stack, 'TdArn', { parameterName: '/acme/api/task-definition-arn', stringValue: b.svc.taskDefinition.taskDefinitionArn });
      const other = new Stack(b.app, 'OtherTeam');
      const open = new ec2.CfnSecurityGroup(other, 'Open', {
        groupDescription: 'open', vpcId: 'vpc-0123456789abcdef0', securityGroupIngress: [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }],
      });
      new ecs.CfnService(other, 'PublicCopy', {
        cluster: 'shared',
        launchType: 'FARGATE',
        // CDK writes `{{resolve:ssm:...}}` for a parameter read with forceDynamicReference.
        taskDefinition: ssm.StringParameter.fromStringParameterAttributes(other, 'Td', { parameterName: '/acme/api/task-definition-arn', forceDynamicReference: true }).stringValue,
        networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [open.attrGroupId] } },
      });
    },
    detail: /at OtherTeam: Resources\.PublicCopy\.Properties\.NetworkConfiguration \(TaskDefinition "\{\{resolve:ssm:\/acme\/api\/task-definition-arn\}\}" cannot be tied to one task definition of the app: it may be this one\)/,
  },
  {
    name: 'a Scheduler universal target (aws-sdk:ecs:runTask) runs the task definition with a public IP',
    controls: [Control.NO_PUBLIC_IP],
    apply: (b) => new scheduler.CfnSchedule(b.stack, 'Hourly', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: 'arn:aws:scheduler:::aws-sdk:ecs:runTask',
        roleArn: 'arn:aws:iam::123456789012:role/scheduler',
        input: b.stack.toJsonString({
          Cluster: b.svc.cluster.clusterArn,
          TaskDefinition: b.svc.taskDefinition.taskDefinitionArn,
          NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-0bbbbbbbbbbbbbbb1'], SecurityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
        }),
      },
    }),
    detail: /at Resources\.Hourly\.Properties\.Target\.Input\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'an AwsCustomResource calls ECS runTask with a public IP and an open security group',
    controls: [Control.NO_PUBLIC_IP, Control.NETWORK_ISOLATION],
    apply: (b) => runTaskPubliclyByCustomResource(b),
    detail: /at Resources\.RunIt\w+\.Properties\.Create\.parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  {
    name: 'an AwsCustomResource given a type of its own (resourceType) calls ECS runTask with a public IP and an open security group',
    controls: [Control.NO_PUBLIC_IP, Control.NETWORK_ISOLATION],
    apply: (b) => runTaskPubliclyByCustomResource(b, 'Custom::RunReport'),
    detail: /at Resources\.RunIt\w+\.Properties\.Create\.parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/,
  },
  // SECRETS_NOT_IN_ENVIRONMENT through the container overrides of a runner
  {
    name: 'an EventBridge EcsTask target passes a plain password as a container override',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => new events.Rule(b.stack, 'Nightly', { schedule: events.Schedule.rate(Duration.hours(24)) }).addTarget(new targets.EcsTask({
      cluster: b.svc.cluster,
      taskDefinition: b.svc.taskDefinition,
      securityGroups: [b.svc.connections.securityGroups[0]],
      containerOverrides: [{ containerName: 'app', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }],
    })),
    detail: /DB_PASSWORD looks like a secret but has a plain value \(its name says PASSWORD\) at Resources\.Nightly\w+\.Properties\.Targets\[0\]\.Input\.ContainerOverrides\[0\]\.Environment\[0\]/,
  },
  {
    name: 'a Step Functions EcsRunTask passes a plain password as a container override',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => new sfn.StateMachine(b.stack, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EcsRunTask(b.stack, 'Run', {
        cluster: b.svc.cluster,
        taskDefinition: b.svc.taskDefinition,
        launchTarget: new tasks.EcsFargateLaunchTarget(),
        securityGroups: [b.svc.connections.securityGroups[0]],
        containerOverrides: [{ containerDefinition: b.svc.taskDefinition.defaultContainer!, environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }],
      })),
    }),
    detail: /DB_PASSWORD looks like a secret but has a plain value \(its name says PASSWORD\) at Resources\.Flow\w+\.Properties\.DefinitionString States\.Run\.Parameters\.Overrides\.ContainerOverrides\[0\]\.Environment\[0\]/,
  },
  {
    name: 'a pipe passes a plain password as a container override',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => new pipes.CfnPipe(b.stack, 'Jobs', {
      source: 'arn:aws:sqs:eu-west-1:123456789012:jobs',
      target: b.svc.cluster.clusterArn,
      roleArn: 'arn:aws:iam::123456789012:role/pipe',
      targetParameters: {
        ecsTaskParameters: {
          taskDefinitionArn: b.svc.taskDefinition.taskDefinitionArn,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
          overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }] },
        },
      },
    }),
    detail: /at Resources\.Jobs\.Properties\.TargetParameters\.EcsTaskParameters\.Overrides\.ContainerOverrides\[0\]\.Environment\[0\]/,
  },
  {
    name: 'an AwsCustomResource passes a plain password as a container override of ECS runTask',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...APP,
    apply: (b) => new cr.AwsCustomResource(b.stack, 'RunIt', {
      onCreate: {
        service: 'ECS',
        action: 'runTask',
        parameters: {
          taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
          overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }] },
        },
        physicalResourceId: cr.PhysicalResourceId.of('run'),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    }),
    detail: /at Resources\.RunIt\w+\.Properties\.Create\.parameters\.Overrides\.ContainerOverrides\[0\]\.Environment\[0\]/,
  },
];


assertUniqueNames(ROWS);

test('the catalogue has at least 30 exemptible bypasses and touches every control that applies to ECS', () => {
  expect(ROWS.filter((r) => !r.refused).length).toBeGreaterThanOrEqual(30);
  const ecsControls = Object.values(Control).filter((c) => c !== Control.NO_SERVICE_ACCOUNT_TOKEN);
  expect(new Set(ROWS.flatMap((r) => r.controls))).toEqual(new Set(ecsControls));
});

test('the README gives the catalogue\'s counts', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const refused = ROWS.filter((r) => r.refused).length;
  expect(readme).toContain(`${ROWS.length} rows for ECS`);
  expect(readme).toMatch(new RegExp(`${ROWS.length - refused} ECS and \\d+ Kubernetes rows must then\\s+pass`));
  expect(readme).toMatch(new RegExp(`The other ${refused} and \\d+ rows must fail\\s+both ways`));
});

describeRows(ROWS, { where: 'the construct path', defaultWorkload: TASK, build, synthError });


describe('what is not a bypass', () => {
  test('an unpinned image only warns: IMAGE_PINNED is a warning, so it is not in the catalogue', () => {
    // GIVEN
    const built = build({ name: 'latest', controls: [], apply: () => undefined }, []);
    // WHEN
    built.task.addPropertyOverride(`${C0}.Image`, 'ghcr.io/acme/api:latest');
    // THEN
    expect(reportedViolations(built.app).map((v) => [v.ruleName, v.severity])).toEqual([['secure-service::IMAGE_PINNED', 'warning']]);
  });

  test.each([
    ['a tmpfs volume of the local driver', 'Volumes.0.DockerVolumeConfiguration', { Driver: 'local', Scope: 'task', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=64m' } }],
    ['an NFS share mounted by the local driver', 'Volumes.0.DockerVolumeConfiguration', { Scope: 'task', DriverOpts: { type: 'nfs', device: ':/exports/app', o: 'addr=10.0.0.10,nfsvers=4' } }],
    ['no-new-privileges written as an Fn::Sub', `${C0}.DockerSecurityOptions`, [Fn.sub('no-new-privileges')]],
  ])('%s passes on EC2', (_, path, value) => {
    const built = build({ name: 'safe', ec2: true, controls: [], apply: () => undefined }, []);
    built.task.addPropertyOverride(path, value);
    expect(reportedViolations(built.app)).toEqual([]);
  });

  test('a kernel parameter Pod Security Standards count as safe passes: namespaced and isolated to the task', () => {
    const built = build({ name: 'safe sysctl', controls: [], apply: () => undefined }, []);
    built.task.addPropertyOverride(`${C0}.SystemControls`, [{ Namespace: 'net.ipv4.tcp_keepalive_time', Value: '600' }]);
    expect(reportedViolations(built.app)).toEqual([]);
  });
});
