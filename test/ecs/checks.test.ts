import { App, CfnElement, Fn, NestedStack, Stack, Stage, Validations, aws_ec2 as ec2, aws_ecs as ecs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { API, TODAY, fixture, reportedViolations, service, synth } from './fixtures';
import { Control, CONTROL_CATALOG, Exemption, SecurityPolicy } from '../../lib/core';
import { SecureService, SecureServiceChecks } from '../../lib/ecs';

/** Writes a hardened task definition under the logical id RawTaskDefinition, which no construct has. */
class RawTaskDefinition extends CfnElement {
  public _toCloudFormation(): object {
    return {
      Resources: {
        RawTaskDefinition: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            RequiresCompatibilities: ['FARGATE'],
            NetworkMode: 'awsvpc',
            Cpu: '256',
            Memory: '512',
            ContainerDefinitions: [{
              Name: 'web',
              Image: 'nginx:1.27',
              Essential: true,
              User: '101:101',
              ReadonlyRootFilesystem: true,
              LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
            }],
          },
        },
      },
    };
  }
}

function insecureTaskDefinition(stack: Stack): ecs.FargateTaskDefinition {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Legacy');
  taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27'), memoryLimitMiB: 512 });
  return taskDefinition;
}

describe('acknowledgements of our rules need a justification', () => {
  test('a short reason does not count: the violation and the acknowledgement both fail fatally', () => {
    // GIVEN
    const { stack, svc } = service({ readOnlyRootFilesystem: false });
    // WHEN
    Validations.of(svc).acknowledge({ id: 'secure-service::READ_ONLY_ROOT_FILESYSTEM', reason: 'legacy' });
    // THEN
    expect(() => synth(stack)).toThrow(/FATAL \[READ_ONLY_ROOT_FILESYSTEM\][^]*\(the acknowledgement of secure-service::READ_ONLY_ROOT_FILESYSTEM at Stack\/Api does not count: justification must be at least 20 characters/);
    expect(() => synth(stack)).toThrow(/FATAL the acknowledgement of secure-service::READ_ONLY_ROOT_FILESYSTEM at Stack\/Api does not count: justification must be at least 20 characters[^]*Rule secure-service::ACKNOWLEDGEMENT_REASON/);
  });

  test('an empty reason on a rule nothing violates still fails', () => {
    const { stack, svc } = service();
    Validations.of(svc).acknowledge({ id: 'secure-service::RUN_AS_NON_ROOT', reason: '' });
    expect(() => synth(stack)).toThrow(/FATAL the acknowledgement of secure-service::RUN_AS_NON_ROOT at Stack\/Api does not count/);
  });

  test('a short reason on a resource other than the task definition (its security group) does not count either', () => {
    // GIVEN: the service's security group opened to all traffic
    const { stack, svc } = service();
    const group = svc.connections.securityGroups[0];
    (group.node.defaultChild as ec2.CfnSecurityGroup).addPropertyOverride('SecurityGroupIngress', [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }]);
    // WHEN: acknowledged on the security group itself
    Validations.of(group).acknowledge({ id: 'secure-service::NETWORK_ISOLATION', reason: 'legacy' });
    // THEN: the violation is found at the security group's path and stays fatal
    expect(() => synth(stack)).toThrow(new RegExp(`FATAL \\[NETWORK_ISOLATION\\][^]*\\(the acknowledgement of secure-service::NETWORK_ISOLATION at ${group.node.path} does not count`));
  });

  test('the rejection itself cannot be acknowledged away', () => {
    const { stack, svc } = service();
    Validations.of(svc).acknowledge(
      { id: 'secure-service::RUN_AS_NON_ROOT', reason: 'n/a' },
      { id: 'secure-service::ACKNOWLEDGEMENT_REASON', reason: 'Our platform team reviewed this acknowledgement in SEC-12' },
    );
    expect(() => synth(stack)).toThrow(/does not count: justification must be at least 20 characters/);
  });

  test('a justified acknowledgement is accepted like an exemption', () => {
    // GIVEN
    const { stack, svc } = service({ readOnlyRootFilesystem: false });
    // WHEN
    Validations.of(svc).acknowledge({ id: 'secure-service::READ_ONLY_ROOT_FILESYSTEM', reason: 'Legacy report engine writes its cache under /opt/app until SEC-1421' });
    // THEN
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('SecureServiceChecks', () => {
  test('exposes its name and one rule id per control plus its own rules', () => {
    const checks = new SecureServiceChecks();
    expect(checks.name).toBe('secure-service');
    expect(checks.ruleIds).toEqual([
      ...CONTROL_CATALOG.map((c) => `secure-service::${c.id}`),
      'secure-service::ACKNOWLEDGEMENT_REASON', 'secure-service::EXEMPTION', 'secure-service::FARGATE_UNSUPPORTED',
    ]);
  });

  test('checks a task definition other code created, in another stack', () => {
    // GIVEN
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    // WHEN
    insecureTaskDefinition(new Stack(app, 'Other'));
    // THEN
    expect(() => app.synth()).toThrow(/\[RUN_AS_NON_ROOT\] Other\/Legacy container 'web': no user is set[^]*\[READ_ONLY_ROOT_FILESYSTEM\] Other\/Legacy container 'web'[^]*\[DROP_ALL_CAPABILITIES\][^]*\[LOGGING\] Other\/Legacy container 'web': the container has no log configuration/);
  });

  test('checks task definitions inside nested Stages', () => {
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    insecureTaskDefinition(new Stack(new Stage(app, 'Prod'), 'Shop'));
    expect(() => app.synth()).toThrow(/\[RUN_AS_NON_ROOT\] Prod\/Shop\/Legacy container 'web'/);
  });

  test('checks task definitions inside nested stacks, at any depth (CDK gives plugins only top-level templates)', () => {
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    insecureTaskDefinition(new NestedStack(new NestedStack(new Stack(app, 'Shop'), 'Tier'), 'Legacy'));
    expect(() => app.synth()).toThrow(/\[RUN_AS_NON_ROOT\] Shop\/Tier\/Legacy\/Legacy container 'web'/);
  });

  test('a service in a nested stack is checked on its final template, and passes with an exemption', () => {
    const weakened = (exemptions: readonly Exemption[]) => {
      const app = new App({ context: { 'secure-service:today': TODAY } });
      const nested = new NestedStack(new Stack(app, 'Shop'), 'Services');
      const cluster = new ecs.Cluster(nested, 'Cluster', { vpc: new ec2.Vpc(nested, 'Vpc', { natGateways: 0 }) });
      const svc = new SecureService(nested, 'Api', { ...API, cluster, exemptions: [...exemptions] });
      (svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.ReadonlyRootFilesystem', false);
      return app;
    };
    expect(() => weakened([]).synth()).toThrow(/\[READ_ONLY_ROOT_FILESYSTEM\] Shop\/Services\/Api\/TaskDefinition container 'app': the root filesystem is writable/);
    expect(() => weakened([{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: 'Legacy engine writes its cache under /opt/app, reviewed in SEC-12' }]).synth()).not.toThrow();
  });

  test('passes a hand-hardened task definition, and judges it with the nearest SecurityPolicy', () => {
    // GIVEN
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    const stack = new Stack(app, 'Other');
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Hardened');
    const linuxParameters = new ecs.LinuxParameters(stack, 'Linux');
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    taskDefinition.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('nginx:1.27'),
      memoryLimitMiB: 512,
      user: '101:101',
      readonlyRootFilesystem: true,
      linuxParameters,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logGroup: new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_WEEK }) }),
    });
    // WHEN / THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('a task definition no construct stands behind is judged with the policy of the service that runs it', () => {
    // GIVEN: an element that writes a task definition under a logical id of its own (no construct has
    // it), run by a service in a scope whose policy allows one registry
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    const stack = new Stack(app, 'Raw');
    new RawTaskDefinition(stack, 'Writer');
    const team = new Construct(stack, 'Team');
    SecurityPolicy.of(team).apply({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] });
    new ecs.CfnService(team, 'Service', { cluster: 'shared', taskDefinition: Fn.ref('RawTaskDefinition') });
    // WHEN / THEN: the image from Docker Hub breaks the service's policy
    expect(() => app.synth()).toThrow(/\[IMAGE_PINNED\] RawTaskDefinition container 'web': image nginx:1\.27 comes from docker\.io, which the security policy does not allow/);
  });

  test('without that policy the same task definition is judged with the default one', () => {
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    const stack = new Stack(app, 'Raw');
    new RawTaskDefinition(stack, 'Writer');
    new ecs.CfnService(new Construct(stack, 'Team'), 'Service', { cluster: 'shared', taskDefinition: Fn.ref('RawTaskDefinition') });
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    // Judged (it has no log configuration), but the registry is allowed
    expect(message).toMatch(/\[LOGGING\] RawTaskDefinition container 'web'/);
    expect(message).not.toMatch(/IMAGE_PINNED/);
  });

  test('a service and an app-wide plugin report each violation once', () => {
    // GIVEN
    const f = fixture();
    Validations.of(f.app).addPlugins(new SecureServiceChecks());
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, user: { uid: 0 } });
    new SecureService(f.stack, 'Worker', { ...API, cluster: f.cluster, user: { uid: 0 }, exemptions: [{ control: Control.RUN_AS_NON_ROOT, justification: 'Worker binds a raw socket, reviewed in SEC-9' }] });
    // WHEN
    let message = '';
    try { f.app.synth(); } catch (e) { message = (e as Error).message; }
    // THEN
    expect(message.match(/\[RUN_AS_NON_ROOT\] Stack\/Api\/TaskDefinition container 'app': the user is 0/g)).toHaveLength(1);
    expect(message).not.toMatch(/Stack\/Worker/);
  });

  test('a service registers one plugin per Stage however many services it holds', () => {
    const f = fixture();
    new SecureService(f.stack, 'A', { ...API, cluster: f.cluster });
    new SecureService(f.stack, 'B', { ...API, cluster: f.cluster });
    expect(reportedViolations(f.app)).toEqual([]);
    const plugins = (f.app as unknown as { _validationPlugins: unknown[] })._validationPlugins;
    expect(plugins.filter((p) => p instanceof SecureServiceChecks)).toHaveLength(1);
  });
});
