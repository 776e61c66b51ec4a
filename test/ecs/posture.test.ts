import { Control, DEFAULT_POLICY, evaluate } from '../../lib/core';
import { CfnTemplate, fargateProblems, readEcsWorkloads } from '../../lib/ecs';
import { indexTemplate } from '../../lib/ecs/template-values';

function template(container: Record<string, unknown>, task: Record<string, unknown> = {}, more: Record<string, unknown> = {}): CfnTemplate {
  return {
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', ContainerDefinitions: [{ Name: 'web', ...container }], ...task } },
      ...more,
    },
  } as CfnTemplate;
}

describe('readEcsWorkloads (pure, over template JSON)', () => {
  test('resolves a Fn::Join image of literal strings, and leaves an intrinsic image unknown', () => {
    const [joined] = readEcsWorkloads(template({ Image: { 'Fn::Join': ['', ['ghcr.io/acme/', 'api:1.0']] } }));
    expect(joined.posture.containers[0].image?.value).toBe('ghcr.io/acme/api:1.0');
    const [ecr] = readEcsWorkloads(template({ Image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr/api:1']] } }));
    expect(ecr.posture.containers[0].image).toBeUndefined();
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
