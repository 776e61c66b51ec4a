import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnElement, CfnResource, CfnStack, CfnStackSet, Fn, NestedStack, Stack, Stage, Validations, aws_ec2 as ec2, aws_ecr as ecr, aws_ecs as ecs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { API, TODAY, fixture, reportedViolations, service, synth, synthError as synthErrorOf } from './fixtures';
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

  test("the service's policy judges an acknowledgement of a finding whose setting is in another stack", () => {
    // GIVEN a policy requiring tickets on the service's stack, and an ingress rule opening its group from another stack
    const { app, stack, cluster } = fixture();
    SecurityPolicy.of(stack).apply({ requireTicket: true });
    const svc = new SecureService(stack, 'Api', { ...API, cluster });
    const shared = new Stack(app, 'Shared');
    new ec2.CfnSecurityGroupIngress(shared, 'Open', { groupId: svc.connections.securityGroups[0].securityGroupId, cidrIp: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 22, toPort: 22 });
    Validations.of(app).acknowledge({ id: 'secure-service::NETWORK_ISOLATION', reason: 'Bastion access on port 22 for the vendor support contract, limited by NACL' });
    // THEN the acknowledgement does not count: the service's policy wants a ticket
    expect(() => app.synth()).toThrow(/\[NETWORK_ISOLATION\][^]*the acknowledgement of secure-service::NETWORK_ISOLATION at <app> does not count: the security policy requires a ticket/);
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

describe('a template CloudFormation expands only when it deploys it cannot be judged: a fatal finding', () => {
  const serviceL1 = (svc: SecureService) => svc.service.node.defaultChild as ecs.CfnService;

  test('Fn::ForEach (AWS::LanguageExtensions) writing AssignPublicIp from a loop', () => {
    const { stack, svc } = service();
    stack.addTransform('AWS::LanguageExtensions');
    serviceL1(svc).addDeletionOverride('Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp');
    serviceL1(svc).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.Fn::ForEach::Ip', ['K', ['AssignPublicIp'], { '${K}': 'ENABLED' }]);
    const error = synthErrorOf(stack);
    expect(error).toContain('FATAL Stack uses Fn::ForEach (AWS::LanguageExtensions), whose loops write keys and resources, which CloudFormation expands only when it deploys the stack');
    expect(error).toContain('secure-service::DEPLOY_TIME_EXPANSION');
  });

  test.each([
    ['a macro', (stack: Stack) => stack.addTransform('AcmeMacro'), 'the Transform "AcmeMacro"'],
    ['Fn::Transform', (_stack: Stack, svc: SecureService) => serviceL1(svc).addPropertyOverride('Tags', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }), 'Fn::Transform'],
    ['a module', (stack: Stack) => new CfnResource(stack, 'Legacy', { type: 'Acme::Ecs::Service::MODULE', properties: { User: '0:0', AssignPublicIp: 'ENABLED' } }),
      'the module Legacy (Acme::Ecs::Service::MODULE), which CloudFormation expands into the resources of its registered template'],
  ])('%s', (_, apply, named) => {
    const { stack, svc } = service();
    apply(stack, svc);
    expect(synthErrorOf(stack)).toContain(`Stack uses ${named}`);
  });

  test('AWS::LanguageExtensions alone, which expands only intrinsics the checks take as unknown, is read as written', () => {
    const { stack } = service();
    stack.addTransform('AWS::LanguageExtensions');
    expect(synthErrorOf(stack)).toBe('');
  });
});

describe('containers the checks do not read fail synthesis rather than pass unjudged', () => {
  const daemon = (stack: Stack) => new ecs.CfnDaemonTaskDefinition(stack, 'Agent', { containerDefinitions: [{ name: 'agent', image: 'datadog/agent:7', privileged: true }] });
  const express = (stack: Stack, props: Partial<ecs.CfnExpressGatewayServiceProps>) =>
    new ecs.CfnExpressGatewayService(stack, 'Express', { infrastructureRoleArn: 'arn:aws:iam::123456789012:role/express', ...props });

  test('a daemon task definition (ECS Managed Instances), its containers named unread', () => {
    // GIVEN
    const { stack } = service();
    // WHEN
    daemon(stack);
    // THEN
    const error = synthErrorOf(stack);
    expect(error).toContain('Stack: Resources.Agent (AWS::ECS::DaemonTaskDefinition) runs containers on every instance whose settings the checks do not read: no control can be proven for them');
    expect(error).toContain('secure-service::UNREAD_CONTAINERS');
  });

  test('an Express Mode service given its container; one given none writes no container of its own', () => {
    const withContainer = service();
    express(withContainer.stack, { primaryContainer: { image: 'ghcr.io/acme/api:1.4.2', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] } });
    expect(synthErrorOf(withContainer.stack)).toContain('Stack: Resources.Express (AWS::ECS::ExpressGatewayService) is given its container (PrimaryContainer), and ECS writes its task definition');
    const without = service();
    express(without.stack, {});
    expect(synthErrorOf(without.stack)).toBe('');
  });

  test('a stack of a template in S3 (CfnStack), whose task definitions are never read; a NestedStack of the app is read', () => {
    // GIVEN
    const { stack } = service();
    // WHEN
    const legacy = new CfnStack(stack, 'LegacyWorkers', { templateUrl: 'https://s3.eu-west-1.amazonaws.com/acme-templates/workers.template.json' });
    // THEN
    const error = synthErrorOf(stack);
    expect(error).toContain('Stack: Resources.LegacyWorkers (AWS::CloudFormation::Stack) deploys a template the checks do not read '
      + '(https://s3.eu-west-1.amazonaws.com/acme-templates/workers.template.json): no control can be proven for the containers it may run');
    expect(error).toContain('deploy that template as a NestedStack of the app (a CfnInclude: with loadNestedStacks)');
    Validations.of(legacy).acknowledge({ id: 'secure-service::UNREAD_CONTAINERS', reason: 'Workers template reviewed by platform security in SEC-2240; runs no containers' });
    expect(synthErrorOf(stack)).toBe('');
    const nested = service();
    new NestedStack(nested.stack, 'Inner');
    expect(synthErrorOf(nested.stack)).toBe('');
  });

  test('a NestedStack whose TemplateURL is overridden deploys another template than the one read; a stack set deploys one nothing reads', () => {
    const overridden = service();
    const inner = new NestedStack(overridden.stack, 'Workers');
    (inner.nestedStackResource as CfnStack).addPropertyOverride('TemplateURL', 'https://s3.eu-west-1.amazonaws.com/evil/legacy.template.json');
    expect(synthErrorOf(overridden.stack)).toMatch(/Stack: Resources\.Workers\S+ \(AWS::CloudFormation::Stack\) deploys a template the checks do not read \(https:\/\/s3\.eu-west-1\.amazonaws\.com\/evil\/legacy\.template\.json\)/);
    const set = service();
    new CfnStackSet(set.stack, 'Workers', {
      stackSetName: 'workers',
      permissionModel: 'SELF_MANAGED',
      templateBody: JSON.stringify({ Resources: { Td: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'c', Image: 'busybox', Privileged: true }] } } } }),
    });
    expect(synthErrorOf(set.stack)).toContain('Stack: Resources.Workers (AWS::CloudFormation::StackSet) deploys its template into stacks of other accounts or regions, which the checks do not read');
  });

  test('an acknowledgement with a reason covers it; a placeholder reason does not', () => {
    const reviewed = service();
    Validations.of(daemon(reviewed.stack)).acknowledge({ id: 'secure-service::UNREAD_CONTAINERS', reason: 'Datadog agent daemon reviewed by platform security in SEC-2231' });
    expect(synthErrorOf(reviewed.stack)).toBe('');
    const placeholder = service();
    Validations.of(daemon(placeholder.stack)).acknowledge({ id: 'secure-service::UNREAD_CONTAINERS', reason: 'todo' });
    expect(synthErrorOf(placeholder.stack)).toContain('secure-service::ACKNOWLEDGEMENT_REASON');
  });
});

describe('SecureServiceChecks', () => {
  test('exposes its name and one rule id per control plus its own rules', () => {
    const checks = new SecureServiceChecks();
    expect(checks.name).toBe('secure-service');
    expect(checks.ruleIds).toEqual([
      ...CONTROL_CATALOG.map((c) => `secure-service::${c.id}`),
      'secure-service::ACKNOWLEDGEMENT_REASON', 'secure-service::EXEMPTION', 'secure-service::FARGATE_UNSUPPORTED', 'secure-service::CONDITIONS',
      'secure-service::DEPLOY_TIME_EXPANSION', 'secure-service::UNREAD_CONTAINERS',
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

  test('offers an exemption of a task definition other code created as its metadata, which the checks then honour', () => {
    // GIVEN
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    const taskDefinition = insecureTaskDefinition(new Stack(app, 'Other'));
    // THEN: the message shows where to record it, not a SecureService's exemptions prop
    expect(() => app.synth()).toThrow('[RUN_AS_NON_ROOT] Other/Legacy container \'web\': no user is set');
    expect(() => app.synth()).toThrow("(or record an exemption in its task definition's secure-service:exemptions metadata "
      + "((taskDefinition.node.defaultChild as CfnTaskDefinition).addMetadata('secure-service:exemptions', [...])): "
      + '{"control":"RUN_AS_NON_ROOT","container":"web","justification":"..."})');
    // WHEN recorded as offered, that finding is exempted
    const reason = 'The legacy image needs root to bind port 80; rebuilt as non-root in SEC-3310';
    (taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addMetadata('secure-service:exemptions', [{ control: 'RUN_AS_NON_ROOT', container: 'web', justification: reason }]);
    expect(() => app.synth()).not.toThrow(/\[RUN_AS_NON_ROOT\]/);
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

  test("a task definition neither a construct nor a service stands behind is judged with its stack's policy", () => {
    const app = new App({ context: { 'secure-service:today': TODAY } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    const stack = new Stack(app, 'Raw');
    SecurityPolicy.of(stack).apply({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] });
    new RawTaskDefinition(stack, 'Writer');
    expect(() => app.synth()).toThrow(/\[IMAGE_PINNED\] RawTaskDefinition container 'web': image nginx:1\.27 comes from docker\.io, which the security policy does not allow/);
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

  test('a secure service and an app-wide plugin synthesize: the plugin that reports no stack reads nothing', () => {
    // GIVEN: the app's plugin, and the one the service registers, in either order
    for (const pluginFirst of [true, false]) {
      const f = fixture();
      if (pluginFirst) Validations.of(f.app).addPlugins(new SecureServiceChecks());
      new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster });
      if (!pluginFirst) Validations.of(f.app).addPlugins(new SecureServiceChecks());
      // THEN
      expect(() => f.app.synth()).not.toThrow();
      expect(reportedViolations(f.app)).toEqual([]);
    }
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

describe('images whose registry is only known at deploy time', () => {
  const ALLOWED = ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'];

  function withImage(image: (stack: Stack) => ecs.ContainerImage, env?: { account: string; region: string }, allowedRegistries?: string[]) {
    const app = new App({ context: { 'secure-service:today': TODAY } });
    const stack = new Stack(app, 'Stack', { env });
    if (allowedRegistries) SecurityPolicy.of(stack).apply({ allowedRegistries });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    new SecureService(stack, 'Api', { ...API, vpc, image: image(stack) });
    return app;
  }
  const asset = () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-service-asset-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM gcr.io/distroless/static\nUSER 65532:65532\n');
    return ecs.ContainerImage.fromAsset(dir);
  };
  const repository = (stack: Stack) => ecs.ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Repo', { repositoryName: 'api' }), '1.4.2');

  test('an asset image and a repository of the stack are read with the stack env, and pass an allow-list naming its registry', () => {
    const env = { account: '123456789012', region: 'eu-west-1' };
    expect(reportedViolations(withImage(asset, env, ALLOWED))).toEqual([]);
    expect(reportedViolations(withImage(repository, env, ALLOWED))).toEqual([]);
  });

  test('in China, AWS::URLSuffix is amazonaws.com.cn', () => {
    const app = withImage(repository, { account: '123456789012', region: 'cn-north-1' }, ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn']);
    expect(reportedViolations(app)).toEqual([]);
  });

  test('without an env, an asset image cannot be proven to come from an allowed registry: a fatal finding that says how to fix it', () => {
    expect(() => withImage(asset, undefined, ALLOWED).synth()).toThrow(
      /FATAL \[IMAGE_PINNED\] Stack\/Api\/TaskDefinition container 'app': image \$\{AWS::AccountId\}\.dkr\.ecr\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/cdk-hnb659fds-container-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}:\w+ cannot be proven to come from an allowed registry: its registry is only known at deploy time at [^;]+; fix: give the stack an explicit env \(account and region\)/,
    );
  });

  test('without an allow-list, an image only known at deploy time is not judged (as before)', () => {
    expect(reportedViolations(withImage(asset))).toEqual([]);
    expect(reportedViolations(withImage(repository))).toEqual([]);
  });
});

describe('what runs the task definition, and what guards it, in other templates of the app', () => {
  test('an ingress rule another stack adds is reported on that stack\'s template', () => {
    // GIVEN
    const f = fixture();
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster });
    const ops = new Stack(f.app, 'Ops');
    const bastion = new ec2.SecurityGroup(ops, 'Bastion', { vpc: ec2.Vpc.fromVpcAttributes(ops, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] }) });
    // WHEN
    bastion.connections.allowTo(svc, ec2.Port.tcp(22), 'ssh');
    // THEN
    let message = '';
    try { f.app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/\[NETWORK_ISOLATION\] Stack\/Api\/TaskDefinition: security group ApiServiceSecurityGroup\w+ admits port 22\/TCP, which is not a container port \(container ports: 8080\/TCP\) at Ops: Resources\.\w+\.Properties[^]*Ops\/Bastion\//);
    const report = JSON.parse(readFileSync(/found in: (\S+)/.exec(message)![1], 'utf-8'));
    const [found] = report.pluginReports.flatMap((r: any) => r.violations).filter((v: any) => v.ruleName === 'secure-service::NETWORK_ISOLATION');
    expect(found.violatingConstructs[0].constructPath).toMatch(/^Ops\/Bastion\//);
    expect(found.violatingConstructs[0].cloudFormationResource).toMatchObject({ templatePath: 'Ops.template.json', propertyPaths: ['Properties'] });
  });

  test('a public service in the parent stack runs the task definition of a service in a nested stack', () => {
    const f = fixture();
    const nested = new NestedStack(f.stack, 'Nested');
    const vpc = ec2.Vpc.fromVpcAttributes(nested, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    const svc = new SecureService(nested, 'Api', { ...API, vpc });
    new ecs.FargateService(f.stack, 'Public', {
      cluster: svc.cluster, taskDefinition: svc.taskDefinition, assignPublicIp: true, vpcSubnets: { subnets: [ec2.Subnet.fromSubnetId(f.stack, 'Subnet', 'subnet-0bbbbbbbbbbbbbbb1')] },
    });
    expect(() => f.app.synth()).toThrow(/\[NO_PUBLIC_IP\] Stack\/Nested\/Api\/TaskDefinition: tasks get a public IP address: they are reachable from the internet at Stack: Resources\.Public\w+\.Properties\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/);
  });
});
