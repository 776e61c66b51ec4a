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
      const [w] = readEcsWorkloads(template({ LogConfiguration: { LogDriver: 'awsfirelens', Options: options } }));
      return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.LOGGING).map((f) => `${f.problem} at ${f.setting}`);
    };
    expect(findings({ Name: 'null' })).toEqual(['FireLens sends the logs to the null output: they are discarded at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.Name']);
    expect(findings({ '@type': 'NULL' })).toEqual(['FireLens sends the logs to the null output: they are discarded at Resources.Task.Properties.ContainerDefinitions[0].LogConfiguration.Options.@type']);
    expect(findings({ Name: 'cloudwatch_logs', region: 'eu-west-1' })).toEqual([]);
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
