import { Control, DEFAULT_POLICY, evaluate, resolvePolicy } from '../../lib/core';
import { registryVerdict } from '../../lib/core/image';
import { CfnTemplate, fargateProblems, readEcsWorkloads } from '../../lib/ecs';
import { indexApp, indexTemplate } from '../../lib/ecs/template-values';

function template(container: Record<string, unknown>, task: Record<string, unknown> = {}, more: Record<string, unknown> = {}): CfnTemplate {
  return {
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', ContainerDefinitions: [{ Name: 'web', ...container }], ...task } },
      ...more,
    },
  } as CfnTemplate;
}

const NOW = new Date('2026-06-01T00:00:00Z');
/** A log group of the app with a retention period, and the FireLens CloudWatch options that send logs to it. */
const APP_LOGS = { AppLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } };
const KEPT_IN_APP_LOGS = { region: { Ref: 'AWS::Region' }, log_group_name: { Ref: 'AppLogs' } };

describe('readEcsWorkloads (pure, over template JSON)', () => {
  test('resolves a Fn::Join image of literal strings, and writes the parts only known at deploy time as ${...}', () => {
    const [joined] = readEcsWorkloads(template({ Image: { 'Fn::Join': ['', ['ghcr.io/acme/', 'api:1.0']] } }));
    expect(joined.posture.containers[0].image?.value).toBe('ghcr.io/acme/api:1.0');
    const [ecr] = readEcsWorkloads(template({ Image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr/api:1']] } }));
    expect(ecr.posture.containers[0].image?.value).toBe('${AWS::AccountId}.dkr.ecr/api:1');
    const [parameter] = readEcsWorkloads(template({ Image: { Ref: 'ImageParameter' } }));
    expect(parameter.posture.containers[0].image?.value).toBe('${ImageParameter}');
  });

  test('reads the log group retention through a Ref, and an unresolvable group as unknown', () => {
    const logging = (group: unknown) => readEcsWorkloads(template(
      { LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': group } } }, {},
      { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } }, Forever: { Type: 'AWS::Logs::LogGroup', Properties: {} } },
    ))[0].posture.containers[0].logging;
    expect(logging({ Ref: 'Logs' })?.retentionDays).toEqual({ value: 30, at: 'Resources.Logs.Properties.RetentionInDays' });
    expect(logging({ Ref: 'Forever' })?.retentionDays).toBeUndefined();
    expect(logging({ 'Fn::ImportValue': 'x' })?.retentionDays?.value).toBe('unknown');
  });

  test('the cpu limit is the task\'s Cpu: a container\'s Cpu is a relative share (Docker\'s CpuShares), which bounds nothing', () => {
    const resources = (task: Record<string, unknown>) => readEcsWorkloads(template({ Cpu: 256, Memory: 512 }, task))[0]
      .posture.containers[0].resources;
    expect(resources({ Cpu: '512' }).cpuLimit).toEqual({ value: '512', at: 'Resources.Task.Properties.Cpu' });
    expect(resources({ Cpu: undefined, RequiresCompatibilities: ['EC2'] }).cpuLimit).toBeUndefined();
    // Windows: the container's Cpu is its limit, and ECS ignores the task's
    expect(resources({ Cpu: '1024', RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }).cpuLimit)
      .toEqual({ value: '256', at: 'Resources.Task.Properties.ContainerDefinitions[0].Cpu' });
    expect(resources({ Cpu: undefined, RequiresCompatibilities: ['EC2'] }).cpuRequest)
      .toEqual({ value: '256', at: 'Resources.Task.Properties.ContainerDefinitions[0].Cpu' });
  });

  test('reads users: numeric, names, and intrinsics (which cannot be proven non-root)', () => {
    const users = (user: unknown) => readEcsWorkloads(template({ User: user }))[0].posture.containers[0].users;
    expect(users('1000:2000')[0].value).toEqual({ uid: 1000, gid: 2000 });
    expect(users('nginx')[0].value).toEqual({ uid: 'nginx', gid: undefined });
    expect(typeof users({ Ref: 'User' })[0].value.uid).toBe('string');
    expect(users(undefined)).toEqual([]);
  });

  test('classifies volumes and host namespaces', () => {
    const [w] = readEcsWorkloads(template({}, {
      NetworkMode: 'host',
      PidMode: 'host',
      IpcMode: 'host',
      Volumes: [{ Name: 'a' }, { Name: 'b', Host: { SourcePath: '/etc' } }, { Name: 'c', DockerVolumeConfiguration: { Driver: 'local', DriverOpts: { o: 'bind', device: '/data' } } }, { Name: 'd', EFSVolumeConfiguration: {} }],
    }));
    expect(w.posture.volumes.map((v) => v.kind)).toEqual(['ephemeral', 'hostPath', 'hostPath', 'efs']);
    expect(w.posture.hostNamespaces.map((n) => n.value)).toEqual(['network', 'pid', 'ipc']);
  });

  test('a host volume is a finding of each container that mounts it, so that a container-scoped exemption covers only its own', () => {
    const volumes = [{ Name: 'logs', Host: { SourcePath: '/var/log' } }, { Name: 'spare', Host: { SourcePath: '/srv' } }];
    const containers = [
      { Name: 'web', MountPoints: [{ SourceVolume: 'logs', ContainerPath: '/logs' }] },
      { Name: 'shipper', MountPoints: [{ SourceVolume: 'logs', ContainerPath: '/logs' }], LinuxParameters: { Devices: [{ HostPath: '/dev/fuse' }] } },
    ];
    const [w] = readEcsWorkloads(template({}, { RequiresCompatibilities: ['EC2'], Volumes: volumes, ContainerDefinitions: containers }));
    expect(w.posture.volumes.map((v) => [v.name, v.mountedBy])).toEqual([['logs', ['web', 'shipper']], ['spare', undefined], ['device /dev/fuse', ['shipper']]]);
    const findings = evaluate(w.posture, [{ control: Control.NO_HOST_PATH_VOLUMES, container: 'shipper', justification: 'ships the host logs to the central store' }], DEFAULT_POLICY, NOW)
      .filter((f) => f.control === Control.NO_HOST_PATH_VOLUMES);
    // One finding per container that mounts the volume; a volume no container mounts is the task's.
    expect(findings.map((f) => [f.container, f.setting, f.status])).toEqual([
      ['web', 'Resources.Task.Properties.Volumes[0]', 'violated'],
      ['shipper', 'Resources.Task.Properties.Volumes[0]', 'exempted'],
      [undefined, 'Resources.Task.Properties.Volumes[1]', 'violated'],
      ['shipper', 'Resources.Task.Properties.ContainerDefinitions[1].LinuxParameters.Devices[0]', 'exempted'],
    ]);
  });

  test.each([
    ['a container takes another\'s volumes (VolumesFrom)', { Name: 'shipper', VolumesFrom: [{ SourceContainer: 'web' }] }, {}],
    ['a mount point names its volume only at deploy time', { Name: 'shipper', MountPoints: [{ SourceVolume: { Ref: 'Volume' }, ContainerPath: '/logs' }] }, {}],
    ['the mount points are a list only known at deploy time', { Name: 'shipper', MountPoints: { 'Fn::If': ['On', [{ SourceVolume: 'logs', ContainerPath: '/logs' }], []] } }, {}],
    ['the containers share a process namespace (PidMode task)', { Name: 'shipper' }, { PidMode: 'task' }],
  ])('volumes stay the whole task\'s when %s', (_, shipper, task) => {
    const containers = [{ Name: 'web', MountPoints: [{ SourceVolume: 'logs', ContainerPath: '/logs' }] }, shipper];
    const [w] = readEcsWorkloads(template({}, {
      RequiresCompatibilities: ['EC2'], Volumes: [{ Name: 'logs', Host: { SourcePath: '/var/log' } }], ContainerDefinitions: containers, ...task,
    }));
    expect(w.posture.volumes[0].mountedBy).toBeUndefined();
    const findings = evaluate(w.posture, [], DEFAULT_POLICY, NOW).filter((f) => f.control === Control.NO_HOST_PATH_VOLUMES);
    expect(findings.map((f) => f.container)).toEqual([undefined]);
  });

  test('a Docker volume of the local driver is a host path when it mounts a device, binds, or has an option only known at deploy time', () => {
    const volume = (config: unknown) => readEcsWorkloads(template({}, { RequiresCompatibilities: ['EC2'], Volumes: [{ Name: 'v', DockerVolumeConfiguration: config }] }))[0].posture.volumes[0];
    const at = 'Resources.Task.Properties.Volumes[0].DockerVolumeConfiguration';
    expect(volume({ Driver: 'local', DriverOpts: { type: 'xfs', device: '/dev/nvme0n1p1' } })).toEqual({
      name: 'v', kind: 'hostPath', at: `${at}.DriverOpts.device (type "xfs": the local driver mounts a device or path of the host)`,
    });
    expect(volume({ DriverOpts: { device: '/dev/sda1' } }).at).toBe(`${at}.DriverOpts.device (type null: the local driver mounts a device or path of the host)`);
    expect(volume({ Driver: 'local', DriverOpts: { type: 'none', device: '/', o: { Ref: 'O' } } })).toEqual({
      name: 'v', kind: 'hostPath', at: `${at}.DriverOpts.o ({"Ref":"O"}, only known at deploy time: it may mount a host path)`,
    });
    expect(volume({ Driver: 'local', DriverOpts: { type: { Ref: 'Type' }, device: 'tmpfs' } }).kind).toBe('hostPath');
    expect(volume({ Driver: { Ref: 'Driver' }, DriverOpts: { type: 'ext4', device: '/dev/sda1' } }).kind).toBe('hostPath');
    expect(volume({ Driver: 'local', DriverOpts: { Ref: 'Opts' } }).kind).toBe('hostPath');
    // Memory, another machine's share, no options at all, and third-party drivers mount nothing of the host.
    expect(volume({ Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=64m' } }).kind).toBe('dockerVolume');
    expect(volume({ DriverOpts: { type: 'nfs4', device: ':/exports', o: 'addr=10.0.0.10' } }).kind).toBe('dockerVolume');
    expect(volume({ Driver: 'local', Scope: 'task' }).kind).toBe('dockerVolume');
    expect(volume({ Driver: 'rexray/ebs', DriverOpts: { device: '/dev/xvdf' } }).kind).toBe('dockerVolume');
  });

  test('Capabilities.Add: items resolved, a split of a literal read, and a list only known at deploy time an addition of any capability', () => {
    const added = (add: unknown) => readEcsWorkloads(template({ LinuxParameters: { Capabilities: { Add: add } } }))[0]
      .posture.containers[0].capabilitiesAdded;
    const at = 'Resources.Task.Properties.ContainerDefinitions[0].LinuxParameters.Capabilities.Add';
    expect(added([{ 'Fn::Sub': 'SYS_ADMIN' }, 'NET_ADMIN'])).toEqual([{ value: 'SYS_ADMIN', at: `${at}[0]` }, { value: 'NET_ADMIN', at: `${at}[1]` }]);
    expect(added({ 'Fn::Split': [',', 'SYS_ADMIN,NET_ADMIN'] }).map((c) => c.value)).toEqual(['SYS_ADMIN', 'NET_ADMIN']);
    expect(added({ Ref: 'Caps' })).toEqual([{ value: '${Caps}', at: `${at} ({"Ref":"Caps"}, only known at deploy time: it cannot be proven to add none)` }]);
    expect(added({ 'Fn::FindInMap': ['M', 'a', 'b'] })).toHaveLength(1);
    expect(added({ 'Fn::Split': [',', { Ref: 'Caps' }] })).toHaveLength(1);
    expect(added(undefined)).toEqual([]);
  });

  test('DockerSecurityOptions: resolved like text; an option or list only known at deploy time may weaken anything', () => {
    const judged = (options: unknown) => {
      const [w] = readEcsWorkloads(template({ DockerSecurityOptions: options }, { RequiresCompatibilities: ['EC2'] }));
      const controls = evaluate(w.posture, [], DEFAULT_POLICY, new Date()).map((f) => f.control);
      return [Control.NOT_PRIVILEGED, Control.SECCOMP_RUNTIME_DEFAULT, Control.NO_PRIVILEGE_ESCALATION].filter((c) => controls.includes(c));
    };
    expect(judged([{ 'Fn::Sub': 'no-new-privileges' }])).toEqual([]);
    expect(judged(['no-new-privileges', { 'Fn::Sub': 'apparmor:unconfined' }])).toEqual([Control.NOT_PRIVILEGED]);
    expect(judged(['no-new-privileges', { 'Fn::Join': ['', ['seccomp=', 'unconfined']] }])).toEqual([Control.SECCOMP_RUNTIME_DEFAULT]);
    expect(judged(['no-new-privileges', { 'Fn::Sub': 'no-new-privileges:false' }])).toEqual([Control.NO_PRIVILEGE_ESCALATION]);
    const everything = [Control.NOT_PRIVILEGED, Control.SECCOMP_RUNTIME_DEFAULT, Control.NO_PRIVILEGE_ESCALATION];
    expect(judged(['no-new-privileges', { Ref: 'Opt' }])).toEqual(everything);
    expect(judged({ Ref: 'Opts' })).toEqual(everything);
    // A key that is known limits what an unknown value can weaken; an unknown option before no-new-privileges cannot undo it.
    expect(judged(['no-new-privileges', { 'Fn::Sub': 'seccomp=${Profile}' }])).toEqual([Control.SECCOMP_RUNTIME_DEFAULT]);
    expect(judged(['no-new-privileges', { 'Fn::Sub': 'no-new-privileges:${On}' }])).toEqual([Control.NO_PRIVILEGE_ESCALATION]);
    expect(judged([{ Ref: 'Opt' }, 'no-new-privileges']).includes(Control.NO_PRIVILEGE_ESCALATION)).toBe(false);
  });

  test('seccomp: an inline JSON profile is not RuntimeDefault; a profile file counts as Localhost', () => {
    const profiles = (option: string) => readEcsWorkloads(template({ DockerSecurityOptions: ['no-new-privileges', option] }))[0]
      .posture.containers[0].seccompProfiles.map((p) => p.value);
    expect(profiles('seccomp={"defaultAction":"SCMP_ACT_ALLOW"}')).toEqual(['an inline JSON profile, which is not RuntimeDefault']);
    expect(profiles('seccomp: {"defaultAction":"SCMP_ACT_ERRNO"}')).toEqual(['an inline JSON profile, which is not RuntimeDefault']);
    expect(profiles('seccomp=/etc/docker/seccomp/app.json')).toEqual(['Localhost']);
    expect(profiles('seccomp=UNCONFINED')).toEqual(['Unconfined']);
  });

  test('reads the exemptions recorded in the metadata, and rejects anything but a list', () => {
    const t = template({});
    (t.Resources!.Task as any).Metadata = { 'secure-service:exemptions': { control: 'LOGGING' } };
    expect(readEcsWorkloads(t)[0].exemptionReadProblems).toEqual([expect.stringMatching(/must be a list of exemptions, found: \{"control":"LOGGING"\}/)]);
  });

  test('finds the service and its security group ingress', () => {
    const [w] = readEcsWorkloads(template({ PortMappings: [{ ContainerPort: 8080 }] }, {}, {
      Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080 }] } },
      Wide: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, IpProtocol: '-1' } },
    }));
    expect(w.serviceLogicalIds).toEqual(['Svc']);
    expect(w.posture.publicIp).toEqual({ value: true, at: 'Resources.Svc.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp' });
    expect(w.posture.ingress).toEqual({
      openings: [
        { value: { source: 'security group Sg', protocol: 'TCP', from: 8080, to: 8080 }, at: 'Resources.Sg.Properties.SecurityGroupIngress[0]' },
        { value: { source: 'security group Sg', protocol: 'ALL', from: undefined, to: undefined }, at: 'Resources.Wide.Properties' },
      ],
      containerPorts: [{ protocol: 'TCP', port: 8080 }],
    });
    expect(evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.NETWORK_ISOLATION).map((f) => f.setting)).toEqual(['Resources.Wide.Properties']);
  });
});

describe('images as CDK writes them, resolved with the stack env', () => {
  const image = (written: unknown, env: { account?: string; region?: string } = {}, more: Record<string, unknown> = {}) =>
    readEcsWorkloads(template({ Image: written }, {}, more), env)[0].posture.containers[0].image?.value;
  const ECR_FROM_ARN = { 'Fn::Join': ['', ['999999999999.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/miner:1.0.0']] };
  const ASSET = { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:abc123' };
  const arnPart = (index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Repo', 'Arn'] }] }] });
  const IN_STACK_REPO = { 'Fn::Join': ['', [arnPart(4), '.dkr.ecr.', arnPart(3), '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Repo' }, ':1.0.0']] };

  test('AWS::URLSuffix is amazonaws.com only where the region says so: unknown without one, .com.cn in China', () => {
    expect(image(ECR_FROM_ARN)).toBe('999999999999.dkr.ecr.us-east-1.${AWS::URLSuffix}/miner:1.0.0');
    expect(image(ECR_FROM_ARN, { region: 'eu-west-1' })).toBe('999999999999.dkr.ecr.us-east-1.amazonaws.com/miner:1.0.0');
    expect(image(ECR_FROM_ARN, { region: 'us-gov-west-1' })).toBe('999999999999.dkr.ecr.us-east-1.amazonaws.com/miner:1.0.0');
    expect(image(ECR_FROM_ARN, { region: 'cn-north-1' })).toBe('999999999999.dkr.ecr.us-east-1.amazonaws.com.cn/miner:1.0.0');
    // The isolated partitions have suffixes of their own: left unknown.
    expect(image(ECR_FROM_ARN, { region: 'us-iso-east-1' })).toBe('999999999999.dkr.ecr.us-east-1.${AWS::URLSuffix}/miner:1.0.0');
  });

  test('an asset image (Fn::Sub over the bootstrap repository) resolves with the account and region', () => {
    expect(image(ASSET, { account: '123456789012', region: 'eu-west-1' }))
      .toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-eu-west-1:abc123');
    expect(image(ASSET, { account: '123456789012' })).toBe('123456789012.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-123456789012-${AWS::Region}:abc123');
  });

  test('a repository of the template: account and region from its ARN, its name from RepositoryName when literal', () => {
    const named = { Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'api' } } };
    expect(image(IN_STACK_REPO, { account: '123456789012', region: 'eu-west-1' }, named)).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0');
    expect(image(IN_STACK_REPO, { account: '123456789012', region: 'eu-west-1' }, { Repo: { Type: 'AWS::ECR::Repository', Properties: {} } }))
      .toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/${Repo}:1.0.0');
    expect(image(IN_STACK_REPO, {}, named)).toBe('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/api:1.0.0');
  });

  test('Fn::Select of Fn::Split over a literal, and Fn::Sub with variables', () => {
    expect(image({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,ghcr.io/acme/api:1.0'] }] })).toBe('ghcr.io/acme/api:1.0');
    expect(image({ 'Fn::Sub': ['ghcr.io/acme/${Name}:${Tag}', { Name: 'api', Tag: { Ref: 'Tag' } }] })).toBe('ghcr.io/acme/api:${Tag}');
  });
});

describe('registryVerdict (an image with deploy-time parts against the allow-list)', () => {
  test.each([
    ['ghcr.io/acme/api:1.0', ['ghcr.io/acme'], 'allowed'],
    ['ghcr.io/acme/api:${Tag}', ['ghcr.io/acme'], 'allowed'],
    ['ghcr.io/acme/${Name}:1.0', ['ghcr.io/acme'], 'allowed'],
    ['ghcr.io/acme/api:${Tag}', ['ghcr.io/other'], 'notAllowed'],
    ['999999999999.dkr.ecr.us-east-1.${AWS::URLSuffix}/miner:1.0.0', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'], 'notAllowed'],
    ['123456789012.dkr.ecr.eu-west-1.${AWS::URLSuffix}/api:1.0.0', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'], 'unknown'],
    ['${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/api:1', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'], 'unknown'],
    ['${ImageParameter}', ['ghcr.io/acme'], 'unknown'],
    ['localhost:${Port}/api:1', ['ghcr.io/acme'], 'notAllowed'],
    ['acme/${Name}:1', ['docker.io/acme'], 'allowed'],
  ])('%s under %j: %s', (image, allowed, verdict) => {
    expect(registryVerdict(image, allowed)).toBe(verdict);
  });

  test('a registry only known at deploy time fails a policy with allowedRegistries, and no exemption covers it', () => {
    const [w] = readEcsWorkloads(template({ Image: { Ref: 'ImageParameter' } }));
    const policy = resolvePolicy({ allowedRegistries: ['ghcr.io/acme'] });
    const cover = [{ control: Control.IMAGE_PINNED, justification: 'Vendor image mirrored next quarter, SEC-1' }];
    const [finding] = evaluate(w.posture, cover, policy, new Date()).filter((f) => f.control === Control.IMAGE_PINNED);
    expect(finding).toMatchObject({ control: Control.IMAGE_PINNED, status: 'violated', severity: 'error', waivable: false });
    expect(finding.problem).toBe('image ${ImageParameter} cannot be proven to come from an allowed registry: its registry is only known at deploy time');
    expect(finding.fix).toMatch(/give the stack an explicit env \(account and region\)/);
    // Without allowedRegistries, an image only known at deploy time is not judged (not even for its tag).
    expect(evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.IMAGE_PINNED)).toEqual([]);
  });
});

describe('runners, security groups and log groups', () => {
  const SERVICE_GROUP = { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080 }] } } };
  const workload = (more: Record<string, unknown>) => readEcsWorkloads(template({ PortMappings: [{ ContainerPort: 8080 }] }, {}, more))[0].posture;

  test('a service without security groups gets the VPC default group: ingress is unrestricted', () => {
    for (const awsvpc of [{}, { SecurityGroups: [] }]) {
      const posture = workload({ Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: awsvpc } } } });
      expect(posture.ingress?.unrestricted).toEqual({
        value: "the service Svc has no security group, so ECS attaches the VPC's default group, which cannot be checked",
        at: 'Resources.Svc.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups',
      });
    }
  });

  test.each([
    ['AWS::Events::Rule', { Targets: [{ Id: 't', Arn: 'x', EcsParameters: { TaskDefinitionArn: { Ref: 'Task' }, NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } }] }, 'Targets[0].EcsParameters.NetworkConfiguration.AwsVpcConfiguration'],
    ['AWS::Scheduler::Schedule', { Target: { Arn: 'x', EcsParameters: { TaskDefinitionArn: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } } }, 'Target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration'],
    ['AWS::ECS::TaskSet', { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } }, 'NetworkConfiguration.AwsVpcConfiguration'],
    ['AWS::Pipes::Pipe', { TargetParameters: { EcsTaskParameters: { TaskDefinitionArn: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } } }, 'TargetParameters.EcsTaskParameters.NetworkConfiguration.AwsvpcConfiguration'],
  ])('%s runs the task definition like a service: its public IP and security groups count', (type, properties, path) => {
    const posture = workload({ ...SERVICE_GROUP, Runner: { Type: type, Properties: properties } });
    expect(posture.publicIp).toEqual({ value: true, at: `Resources.Runner.Properties.${path}.AssignPublicIp` });
    expect(posture.ingress?.openings.map((o) => o.at)).toEqual(['Resources.Sg.Properties.SecurityGroupIngress[0]']);
  });

  test('a non-literal PidMode or IpcMode cannot be proven not to be host', () => {
    const [w] = readEcsWorkloads(template({}, { RequiresCompatibilities: ['EC2'], PidMode: { Ref: 'Pid' }, IpcMode: { 'Fn::Sub': 'host' } }));
    expect(w.posture.hostNamespaces).toEqual([
      { value: 'pid', at: 'Resources.Task.Properties.PidMode ({"Ref":"Pid"}, only known at deploy time: it cannot be proven not to be host)' },
      { value: 'ipc', at: 'Resources.Task.Properties.IpcMode ({"Fn::Sub":"host"}, only known at deploy time: it cannot be proven not to be host)' },
    ]);
    const [task] = readEcsWorkloads(template({}, { RequiresCompatibilities: ['EC2'], PidMode: 'task', IpcMode: { 'Fn::Join': ['', ['ho', 'st']] } }));
    expect(task.posture.hostNamespaces.map((n) => n.value)).toEqual(['ipc']);
  });

  test('SystemControls: every container\'s kernel parameters, judged by the Pod Security Standards safe list', () => {
    const task = template({}, {
      ContainerDefinitions: [
        { Name: 'web', SystemControls: [{ Namespace: 'net.ipv4.tcp_keepalive_time', Value: '600' }, { Namespace: 'net.core.somaxconn', Value: '4096' }] },
        { Name: 'sidecar', SystemControls: [{ Namespace: { Ref: 'Name' }, Value: '1' }] },
      ],
    });
    const [w] = readEcsWorkloads(task);
    expect(w.posture.hostAccess).toEqual([
      { value: { kind: 'sysctl', value: 'net.ipv4.tcp_keepalive_time' }, at: 'Resources.Task.Properties.ContainerDefinitions[0].SystemControls[0]' },
      { value: { kind: 'sysctl', value: 'net.core.somaxconn' }, at: 'Resources.Task.Properties.ContainerDefinitions[0].SystemControls[1]' },
      { value: { kind: 'sysctl', value: '${Name}' }, at: 'Resources.Task.Properties.ContainerDefinitions[1].SystemControls[0]' },
    ]);
    const violations = evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.NO_HOST_NAMESPACES);
    expect(violations.map((v) => v.setting)).toEqual([
      'Resources.Task.Properties.ContainerDefinitions[0].SystemControls[1]', 'Resources.Task.Properties.ContainerDefinitions[1].SystemControls[0]',
    ]);
    expect(violations[0].problem).toContain('the workload sets the kernel parameter net.core.somaxconn, which Pod Security Standards do not count as safe');
    expect(readEcsWorkloads(template({}))[0].posture.hostAccess).toEqual([]);
  });

  test('logging: drivers that keep logs on the host, retention from a parameter and groups the app does not define are violations', () => {
    const findings = (logConfiguration: unknown, more: Record<string, unknown> = {}) => {
      const [w] = readEcsWorkloads(template({ LogConfiguration: logConfiguration }, {}, more));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING).map((f) => `${f.problem} at ${f.setting}`);
    };
    expect(findings({ LogDriver: 'json-file' })).toEqual([expect.stringMatching(/^the log driver json-file does not ship logs off the host \(drivers that do: awslogs, awsfirelens, splunk, fluentd, gelf, logentries, and syslog with a remote tcp, udp or tcp\+tls syslog-address\)/)]);
    expect(findings({ LogDriver: { Ref: 'Driver' } })).toEqual([expect.stringMatching(/^the log driver \{"Ref":"Driver"\} does not ship logs off the host/)]);
    expect(findings({ LogDriver: 'splunk' })).toEqual([]);
    expect(findings({ LogDriver: 'syslog', Options: { 'syslog-address': 'tcp+tls://logs.example.com:6514' } })).toEqual([]);
    expect(findings({ LogDriver: 'syslog', Options: { 'syslog-address': { Ref: 'Address' } } })).toEqual([expect.stringMatching(/^the log driver syslog does not ship logs off the host/)]);
    expect(findings({ LogDriver: 'syslog' })).toEqual([expect.stringMatching(/^the log driver syslog does not ship logs off the host/)]);
    const group = { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'api', RetentionInDays: { Ref: 'Days' } } } };
    expect(findings({ LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' } } }, group)).toEqual([
      'the retention period of the awslogs log group cannot be proven: the group may never expire at Resources.Logs.Properties.RetentionInDays ({"Ref":"Days"}, only known at deploy time)',
    ]);
    expect(findings({ LogDriver: 'awslogs', Options: { 'awslogs-group': 'api' } }, group)).toHaveLength(1);
    expect(findings({ LogDriver: 'awslogs', Options: { 'awslogs-group': 'forever', 'awslogs-create-group': 'true' } })).toEqual([
      'the retention period of the awslogs log group cannot be proven: the group may never expire at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.awslogs-group ("forever", a log group the app does not define, and awslogs-create-group makes ECS create it without a retention period)',
    ]);
  });

  test('logging: FireLens to a null output (Fluent Bit Name, Fluentd @type) discards the logs; another output keeps them', () => {
    const findings = (options: Record<string, unknown>) => {
      const [w] = readEcsWorkloads(template({ LogConfiguration: { LogDriver: 'awsfirelens', Options: options } }, {}, APP_LOGS));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING).map((f) => `${f.problem} at ${f.setting}`);
    };
    expect(findings({ Name: 'null' })).toEqual(['FireLens sends the logs to the null output: they are discarded at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.Name']);
    expect(findings({ '@type': 'NULL' })).toEqual(['FireLens sends the logs to the null output: they are discarded at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.@type']);
    expect(findings({ Name: 'cloudwatch_logs', ...KEPT_IN_APP_LOGS })).toEqual([]);
    expect(findings({ Name: 'counter' })).toEqual(['FireLens sends the logs to the counter output: it only counts them at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.Name']);
    expect(findings({ Name: 'file' })[0]).toMatch(/^FireLens sends the logs to the file output: it writes them into the router's own filesystem, lost with the task/);
    expect(findings({ Name: 'exit' })[0]).toMatch(/^FireLens sends the logs to the exit output: it stops the router/);
    expect(findings({ Name: 'flowcounter' })[0]).toMatch(/^FireLens sends the logs to the flowcounter output: it only counts them/);
    expect(findings({ Name: 'plot' })[0]).toMatch(/^FireLens sends the logs to the plot output: it writes numbers from them/);
  });

  test('logging: the FireLens output is named by the router\'s type: @type for fluentd, Name for Fluent Bit', () => {
    const findings = (type: unknown, options: Record<string, unknown>) => {
      const router = { Name: 'log-router', FirelensConfiguration: { Type: type } };
      const web = { Name: 'web', LogConfiguration: { LogDriver: 'awsfirelens', Options: { ...options, ...KEPT_IN_APP_LOGS } } };
      const [w] = readEcsWorkloads(template({}, { ContainerDefinitions: [web, router] }, APP_LOGS));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING && f.container === 'web').map((f) => f.setting);
    };
    // fluentd passes Name to the null plugin as a parameter: the logs are discarded
    expect(findings('fluentd', { '@type': 'null', 'Name': 'cloudwatch_logs' })).toEqual(['Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.@type']);
    expect(findings('fluentbit', { '@type': 'null', 'Name': 'cloudwatch_logs' })).toEqual([]);
    // a type the template does not tell: either key may name the output
    expect(findings({ Ref: 'RouterType' }, { '@type': 'null', 'Name': 'cloudwatch_logs' })).toEqual(['Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.@type']);
  });

  test('logging: FireLens does not keep the logs with a pattern dropping every record, no output and no configuration file, or a group created without retention', () => {
    const findings = (options: Record<string, unknown>, routerOptions?: Record<string, unknown>) => {
      const router = { Name: 'log-router', FirelensConfiguration: { Type: 'fluentbit', ...(routerOptions ? { Options: routerOptions } : {}) } };
      const [w] = readEcsWorkloads(template({}, { ContainerDefinitions: [{ Name: 'web', LogConfiguration: { LogDriver: 'awsfirelens', Options: options } }, router] }, APP_LOGS));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING && f.container === 'web').map((f) => f.problem);
    };
    const cloudWatch = { Name: 'cloudwatch_logs', ...KEPT_IN_APP_LOGS };
    expect(findings({ ...cloudWatch, 'exclude-pattern': '.*' }))
      .toEqual(['FireLens does not keep the logs as LOGGING requires: its exclude-pattern ".*" matches every record, so FireLens drops them all']);
    expect(findings({ ...cloudWatch, 'exclude-pattern': 'GET /healthz' })).toEqual([]);
    expect(findings({})).toEqual(['FireLens does not keep the logs as LOGGING requires: no output is named (Name for Fluent Bit, @type for fluentd), and the router has no configuration file to name one: the logs go nowhere']);
    expect(findings({}, { 'config-file-type': 'file', 'config-file-value': '/fluent-bit/etc/extra.conf' })).toEqual([]);
    expect(findings({ ...cloudWatch, auto_create_group: 'true' }))
      .toEqual(['FireLens does not keep the logs as LOGGING requires: auto_create_group makes the CloudWatch output create its log group without a retention period']);
    expect(findings({ ...cloudWatch, auto_create_group: 'true', log_retention_days: '365' })).toEqual([]);
  });

  test('logging: a FireLens exclude-pattern or auto_create_group only known at deploy time may lose the logs', () => {
    const findings = (options: Record<string, unknown>) => {
      const router = { Name: 'log-router', FirelensConfiguration: { Type: 'fluentbit' } };
      const [w] = readEcsWorkloads(template({}, { ContainerDefinitions: [{ Name: 'web', LogConfiguration: { LogDriver: 'awsfirelens', Options: options } }, router] }, APP_LOGS));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING && f.container === 'web').map((f) => f.problem);
    };
    const cloudWatch = { Name: 'cloudwatch_logs', ...KEPT_IN_APP_LOGS };
    expect(findings({ ...cloudWatch, 'exclude-pattern': { Ref: 'Exclude' } }))
      .toEqual(['FireLens does not keep the logs as LOGGING requires: its exclude-pattern {"Ref":"Exclude"} is only known at deploy time: it may match every record']);
    expect(findings({ ...cloudWatch, 'exclude-pattern': '{{resolve:ssm:/logs/exclude}}' }))
      .toEqual(['FireLens does not keep the logs as LOGGING requires: its exclude-pattern "{{resolve:ssm:/logs/exclude}}" is only known at deploy time: it may match every record']);
    expect(findings({ ...cloudWatch, auto_create_group: { Ref: 'Create' } })).toEqual([
      'FireLens does not keep the logs as LOGGING requires: auto_create_group {"Ref":"Create"} is only known at deploy time: the CloudWatch output may create its log group without a retention period',
    ]);
    expect(findings({ ...cloudWatch, auto_create_group: { Ref: 'Create' }, log_retention_days: '365' })).toEqual([]);
    expect(findings({ ...cloudWatch, auto_create_group: false })).toEqual([]);
    expect(findings({ ...KEPT_IN_APP_LOGS, Name: { Ref: 'Output' } }))
      .toEqual(['FireLens does not keep the logs as LOGGING requires: its output Name {"Ref":"Output"} is only known at deploy time: it may be one that discards them (null)']);
  });

  test('logging: syslog to an address of the instance itself keeps the logs there', () => {
    const findings = (address: string) => {
      const [w] = readEcsWorkloads(template({ LogConfiguration: { LogDriver: 'syslog', Options: { 'syslog-address': address } } }));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING).length;
    };
    for (const local of [
      'udp://0.0.0.0:514', 'tcp://[::ffff:127.0.0.1]:514', 'tcp://[0:0:0:0:0:0:0:1]:514', 'tcp://0:514', 'tcp://[::]:514', 'udp://127.0.0.2:514', 'unix:///dev/log',
      'udp://localhost.:514', 'udp://localhost4:514', 'udp://localhost.localdomain:514', 'udp://ip6-localhost:514',
    ]) {
      expect([local, findings(local)]).toEqual([local, 1]);
    }
    for (const remote of ['udp://logs.example.com:514', 'tcp+tls://10.0.0.5:6514', 'tcp://[2001:db8::1]:514']) expect([remote, findings(remote)]).toEqual([remote, 0]);
  });

  test('logging: an awslogs-region other than the stack\'s sends logs to a group the app does not define', () => {
    const group = { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } } };
    const retention = (region: unknown, env: { region?: string } = {}) => readEcsWorkloads(
      template({ LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' }, 'awslogs-region': region } } }, {}, group), env,
    )[0].posture.containers[0].logging?.retentionDays?.value;
    expect(retention({ Ref: 'AWS::Region' })).toBe(30);
    expect(retention('eu-west-1', { region: 'eu-west-1' })).toBe(30);
    expect(retention('us-east-1', { region: 'eu-west-1' })).toBe('unknown');
    expect(retention('us-east-1')).toBe('unknown');
  });

  test('logging: an awslogs-endpoint sends the logs to another endpoint than the stack region\'s: the retention cannot be proven', () => {
    const options = { 'awslogs-group': { Ref: 'AppLogs' }, 'awslogs-region': { Ref: 'AWS::Region' }, 'awslogs-endpoint': 'https://logs.ap-southeast-2.amazonaws.com' };
    const [w] = readEcsWorkloads(template({ LogConfiguration: { LogDriver: 'awslogs', Options: options } }, {}, APP_LOGS));
    expect(evaluate(w.posture, [], DEFAULT_POLICY, NOW).filter((f) => f.control === Control.LOGGING).map((f) => `${f.problem} at ${f.setting}`)).toEqual([
      'the retention period of the awslogs log group cannot be proven: the group may never expire at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.'
      + 'awslogs-endpoint ("https://logs.ap-southeast-2.amazonaws.com", where the logs go instead of the stack\'s region)',
    ]);
  });

  describe('logging: the group of a FireLens CloudWatch output is judged as awslogs\'s', () => {
    const OPTIONS = 'Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options';
    const findings = (options: Record<string, unknown>, env: { region?: string } = {}) => {
      const [w] = readEcsWorkloads(template({ LogConfiguration: { LogDriver: 'awsfirelens', Options: { Name: 'cloudwatch_logs', ...options } } }, {}, {
        ...APP_LOGS, Forever: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/never/expires' } },
      }), env);
      return evaluate(w.posture, [], DEFAULT_POLICY, NOW).filter((f) => f.control === Control.LOGGING).map((f) => `${f.problem} at ${f.setting}`);
    };
    const UNPROVEN = 'the retention period of the log group of the FireLens CloudWatch output cannot be proven: the group may never expire at';

    test('an app group with a retention period, by reference or by name in the stack\'s region, keeps the logs', () => {
      expect(findings(KEPT_IN_APP_LOGS)).toEqual([]);
      expect(findings({ region: 'eu-west-1', log_group_name: '/never/expires' }, { region: 'eu-west-1' })).toEqual([
        'the log group of the FireLens CloudWatch output has no retention period at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.LogDriver (log group)',
      ]);
    });

    test('a group the app does not define, one in another region, or one named at run time may never expire', () => {
      expect(findings({ region: { Ref: 'AWS::Region' }, log_group_name: '/elsewhere' })).toEqual([
        `${UNPROVEN} ${OPTIONS}.log_group_name ("/elsewhere", a log group the app does not define)`,
      ]);
      expect(findings({ ...KEPT_IN_APP_LOGS, region: 'ap-southeast-2' }, { region: 'eu-west-1' })).toEqual([
        `${UNPROVEN} ${OPTIONS}.region ("ap-southeast-2", not the stack's region)`,
      ]);
      expect(findings({ ...KEPT_IN_APP_LOGS, log_group_template: '/app/$kubernetes[\'namespace_name\']' })).toEqual([
        `${UNPROVEN} ${OPTIONS}.log_group_template ("/app/$kubernetes['namespace_name']", a group named at run time)`,
      ]);
    });

    test('auto_create_group is on in any case and as on or yes, as Fluent Bit reads it; only log_retention_days above 0 gives the group a retention', () => {
      const CREATED = 'FireLens does not keep the logs as LOGGING requires: auto_create_group makes the CloudWatch output create its log group without a retention period';
      for (const on of ['On', 'yes', 'TRUE']) {
        expect(findings({ region: { Ref: 'AWS::Region' }, log_group_name: '/new', auto_create_group: on })).toEqual([`${CREATED} at ${OPTIONS}.auto_create_group`]);
      }
      expect(findings({ region: { Ref: 'AWS::Region' }, log_group_name: '/new', auto_create_group: 'true', log_retention_days: '0' })).toEqual([
        `${CREATED} (log_retention_days "0" sets none) at ${OPTIONS}.auto_create_group`,
      ]);
      expect(findings({ region: { Ref: 'AWS::Region' }, log_group_name: '/new', auto_create_group: 'yes', log_retention_days: '30' })).toEqual([]);
      expect(findings({ ...KEPT_IN_APP_LOGS, auto_create_group: 'off' })).toEqual([]);
    });
  });
});

describe('ingress rules whose GroupId is not a bare Ref or GetAtt', () => {
  /** The app writes the SSM parameter /shop/api-sg (with the group's id); parameters Group (plain) and SgFromSsm and DbFromSsm (SSM values). */
  const withIngress = (groupId: unknown) => readEcsWorkloads({
    ...template({ PortMappings: [{ ContainerPort: 8080 }] }, {}, {
      Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
      SgId: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/shop/api-sg', Type: 'String', Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] } } },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: {} },
      In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: groupId, IpProtocol: '-1', CidrIp: '0.0.0.0/0' } },
    }),
    Parameters: {
      Group: { Type: 'String' },
      SgFromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/shop/api-sg' },
      DbFromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/shared/db-sg' },
    },
  } as CfnTemplate)[0].posture.ingress?.openings;

  test.each([
    ['an Fn::Sub of ${Sg.GroupId}', { 'Fn::Sub': '${Sg.GroupId}' }],
    ['an Fn::Sub of one variable', { 'Fn::Sub': ['${G}', { G: { 'Fn::GetAtt': ['Sg', 'GroupId'] } }] }],
    ['an Fn::Join of one part', { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }]] }],
  ])('%s names the group itself', (_, groupId) => {
    expect(withIngress(groupId)).toEqual([{ value: { source: 'security group Sg', protocol: 'ALL', from: undefined, to: undefined }, at: 'Resources.In.Properties' }]);
  });

  test.each([
    ['a parameter the deployer fills in', { Ref: 'Group' }],
    ['an Fn::Select of an Fn::Split', { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::GetAtt': ['Sg', 'GroupId'] }] }] }],
    ['an SSM dynamic reference to a parameter the app writes', '{{resolve:ssm:/shop/api-sg}}'],
    ['an SSM parameter value the app writes', { Ref: 'SgFromSsm' }],
    ['an Fn::Sub with more than the reference', { 'Fn::Sub': '${Sg.GroupId}x' }],
  ])('%s may name any group of the app: the rule counts on each, as only known at deploy time', (_, groupId) => {
    expect(withIngress(groupId)).toEqual([{
      value: { source: 'an ingress rule whose group is only known at deploy time (it may be security group Sg)', protocol: 'ALL', from: undefined, to: undefined },
      at: `Resources.In.Properties.GroupId (${JSON.stringify(groupId)})`,
    }]);
  });

  test("a rule naming its group by GroupName (a default VPC's way) may be on any group of the app", () => {
    const openings = readEcsWorkloads(template({ PortMappings: [{ ContainerPort: 8080 }] }, {}, {
      Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupName: 'api-tasks' } },
      Ssh: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupName: 'api-tasks', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' } },
    }))[0].posture.ingress?.openings;
    expect(openings).toEqual([{
      value: { source: 'an ingress rule whose group is only known at deploy time (it may be security group Sg)', protocol: 'TCP', from: 22, to: 22 },
      at: 'Resources.Ssh.Properties.GroupName ("api-tasks")',
    }]);
  });

  test('a rule of an imported group admitting the service\'s group (a database admitting the service) is that other group\'s', () => {
    const openings = readEcsWorkloads(template({ PortMappings: [{ ContainerPort: 8080 }] }, {}, {
      Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
      ToDb: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: { 'Fn::ImportValue': 'db-sg' }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] } },
      },
    }))[0].posture.ingress?.openings;
    expect(openings).toEqual([]);
  });

  test.each([
    ['a literal id', 'sg-0123456789abcdef0'],
    ["a VPC's default group", { 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] }],
    ['an import of a name the app does not export', { 'Fn::ImportValue': 'shared-db-sg' }],
    ['an SSM dynamic reference to a parameter the app does not write', '{{resolve:ssm:/shared/db-sg}}'],
    ['an SSM parameter value the app does not write', { Ref: 'DbFromSsm' }],
  ])('%s comes from outside the app: none of the groups it creates at deployment', (_, groupId) => {
    expect(withIngress(groupId)).toEqual([]);
  });
});

describe('references between the templates of an app (indexApp)', () => {
  const task = template({ PortMappings: [{ ContainerPort: 8080 }] }, {}, {
    Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } } },
    Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
  });
  const exporting = {
    ...task,
    Outputs: {
      SgOut: { Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, Export: { Name: 'Api:Sg' } },
      TaskOut: { Value: { Ref: 'Task' }, Export: { Name: 'Api:Task' } },
    },
  } as CfnTemplate;
  const ops = {
    Resources: {
      Ssh: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::ImportValue': 'Api:Sg' }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22 } },
      Public: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { 'Fn::ImportValue': 'Api:Task' }, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ 'Fn::ImportValue': 'Api:Sg' }] } } } },
    },
  } as CfnTemplate;

  test('ingress rules and services of another template reach the task definition through its exports', () => {
    const app = indexApp([{ template: exporting, label: 'Api' }, { template: ops, label: 'Ops' }]);
    const [w] = readEcsWorkloads(app.scopes[0].template, { app });
    expect(w.serviceLogicalIds).toEqual(['Svc']);
    expect(w.posture.publicIp).toEqual({ value: true, at: 'Ops: Resources.Public.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp' });
    expect(w.posture.ingress?.openings).toEqual([{ value: { source: 'security group Sg', protocol: 'TCP', from: 22, to: 22 }, at: 'Ops: Resources.Ssh.Properties' }]);
  });

  test.each([
    ['the export named at deploy time (the stack name joined in), the import a literal', { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '-Sg']] }, 'Api-Sg'],
    ['the import written with Fn::Sub of literal values', 'Api:Sg', { 'Fn::Sub': ['${Stack}:Sg', { Stack: 'Api' }] }],
  ])('an ingress rule of another template reaches the group through an export: %s', (_, exportName, importName) => {
    const exported = { ...task, Outputs: { SgOut: { Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, Export: { Name: exportName } } } } as CfnTemplate;
    const ssh = { Resources: { Ssh: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::ImportValue': importName }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' } } } } as CfnTemplate;
    const app = indexApp([{ template: exported, label: 'Api' }, { template: ssh, label: 'Ops' }]);
    const [w] = readEcsWorkloads(app.scopes[0].template, { app });
    expect(w.posture.ingress?.openings).toContainEqual({ value: { source: 'security group Sg', protocol: 'TCP', from: 22, to: 22 }, at: 'Ops: Resources.Ssh.Properties' });
  });

  test('a nested stack: a parent service runs its task definition through the nested output', () => {
    const nested = { ...task, Outputs: { TaskArn: { Value: { Ref: 'Task' } } } } as CfnTemplate;
    const parent = {
      Resources: {
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: {} },
        Public: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { 'Fn::GetAtt': ['Child', 'Outputs.TaskArn'] }, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [] } } } },
      },
    } as CfnTemplate;
    const app = indexApp([{ template: parent, label: 'Shop' }, { template: nested, label: 'Shop/Child', parent: { label: 'Shop', logicalId: 'Child' } }]);
    const [w] = readEcsWorkloads(app.scopes[1].template, { app });
    expect(w.posture.publicIp?.at).toBe('Shop: Resources.Public.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp');
    expect(w.posture.ingress?.unrestricted?.at).toBe('Shop: Resources.Public.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups');
  });

  test('without the app, an imported group stays one that cannot be checked', () => {
    const imported = { AwsvpcConfiguration: { SecurityGroups: [{ 'Fn::ImportValue': 'Api:Sg' }] } };
    const [w] = readEcsWorkloads(template({}, {}, { Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, NetworkConfiguration: imported } } }));
    expect(w.posture.ingress?.unrestricted?.value).toBe('security group {"Fn::ImportValue":"Api:Sg"} is not defined in this template, so what it admits cannot be checked');
  });
});

describe('fargateProblems', () => {
  test('reports every setting Fargate cannot run', () => {
    const problems = fargateProblems(template(
      { Privileged: true, LinuxParameters: { Capabilities: { Add: ['SYS_PTRACE', 'NET_ADMIN'] }, Tmpfs: [], Devices: [], SharedMemorySize: 64, MaxSwap: 1, Swappiness: 1 }, DockerSecurityOptions: ['no-new-privileges'] },
      { IpcMode: 'task', PidMode: 'host', Volumes: [{ Name: 'h', Host: { SourcePath: '/' } }] },
    ));
    expect(problems.map((p) => p.at.replace('Resources.Task.Properties.', ''))).toEqual([
      'IpcMode', 'PidMode', 'Volumes[0].Host.SourcePath', 'ContainerDefinitions[0].Privileged', 'ContainerDefinitions[0].LinuxParameters.Capabilities.Add',
      ...['Tmpfs', 'Devices', 'SharedMemorySize', 'MaxSwap', 'Swappiness'].map((k) => `ContainerDefinitions[0].LinuxParameters.${k}`),
      'ContainerDefinitions[0].DockerSecurityOptions',
    ]);
    expect(problems[4].message).toMatch(/adds capability "NET_ADMIN", but Fargate lets a container add only SYS_PTRACE/);
  });

  test('capabilities the template tells are judged; a list only known at deploy time is left to DROP_ALL_CAPABILITIES', () => {
    const added = (add: unknown) => fargateProblems(template({ LinuxParameters: { Capabilities: { Add: add } } })).map((p) => p.message);
    expect(added({ 'Fn::Split': [',', 'SYS_PTRACE,SYS_ADMIN'] })).toEqual([expect.stringMatching(/adds capability "SYS_ADMIN", but Fargate lets a container add only SYS_PTRACE/)]);
    expect(added([{ 'Fn::Sub': 'SYS_PTRACE' }])).toEqual([]);
    expect(added({ Ref: 'Caps' })).toEqual([]);
  });

  test('ignores EC2 task definitions', () => {
    expect(fargateProblems(template({ Privileged: true }, { RequiresCompatibilities: ['EC2'] }))).toEqual([]);
  });
});

describe('indexTemplate', () => {
  const weakened = () => template({ Privileged: true, User: '0' });

  test('an index is read as it is: the plugin indexes a template once for both readers', () => {
    const indexed = indexTemplate(weakened());
    expect(indexTemplate(indexed)).toBe(indexed);
    expect(fargateProblems(indexed)).toEqual(fargateProblems(weakened()));
    expect(readEcsWorkloads(indexed)).toEqual(readEcsWorkloads(weakened()));
    expect(fargateProblems(indexed)).toHaveLength(1);
  });

  test('a template whose JSON has an ofType key is still indexed (only a function marks an index)', () => {
    const odd = { ...weakened(), ofType: 'not an index' } as CfnTemplate;
    expect(indexTemplate(odd).ofType('AWS::ECS::TaskDefinition').map(([id]) => id)).toEqual(['Task']);
  });
});
