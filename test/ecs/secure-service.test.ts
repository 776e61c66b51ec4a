import { Annotations as CoreAnnotations, CfnParameter, aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs, aws_secretsmanager as sm } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { API, exemption, fixture, service, synth, synthError } from './fixtures';
import { Control, SecurityPolicy } from '../../lib/core';
import { SecureLaunchType, SecureService } from '../../lib/ecs';

describe('secure defaults (Fargate)', () => {
  // GIVEN the golden path: one service, nothing weakened
  const { stack } = service();
  // WHEN synthesized (the checks run and pass)
  const template = synth(stack);

  test('the container runs as the default non-root user with a read-only root and no capabilities', () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [Match.objectLike({
        Name: 'app',
        Image: 'ghcr.io/acme/api:1.4.2',
        User: '65532:65532',
        ReadonlyRootFilesystem: true,
        Privileged: Match.absent(),
        DockerSecurityOptions: Match.absent(),
        LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
        Memory: 512,
        Cpu: 256,
        PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
        HealthCheck: Match.objectLike({ Command: ['CMD', '/app/healthcheck'] }),
        LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': { Ref: Match.anyValue() } }) },
      })],
    });
  });

  test('each writable path is a task volume and mount point, never tmpfs', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Volumes: [{ Name: 'app-tmp' }],
      ContainerDefinitions: [Match.objectLike({
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'app-tmp', ReadOnly: false }],
        LinuxParameters: Match.objectLike({ Tmpfs: Match.absent() }),
      })],
    });
  });

  test('the service runs privately on the latest platform with circuit breaker rollback', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      PlatformVersion: 'LATEST',
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'] }) },
    });
  });

  test('logs go to a log group with a retention period, and the security group admits nothing yet', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('no exemption is recorded when none is given', () => {
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefinition.Metadata?.['secure-service:exemptions']).toBeUndefined();
  });
});

describe('rendering choices', () => {
  test('the user comes from the nearest SecurityPolicy, and an explicit user wins', () => {
    // GIVEN
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ defaultUser: { uid: 10001, gid: 10002 } });
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster });
    new SecureService(f.stack, 'Worker', { ...API, cluster: f.cluster, user: { uid: 2000 } });
    // THEN
    const users = Object.values(synth(f.stack).findResources('AWS::ECS::TaskDefinition')).map((r) => r.Properties.ContainerDefinitions[0].User);
    expect(users).toEqual(['10001:10002', '2000:2000']);
  });

  test('only a vpc: a cluster with Container Insights is created', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    const svc = new SecureService(f.stack, 'Api', { ...API, vpc: f.vpc });
    // THEN
    expect(svc.cluster.node.scope).toBe(svc);
    synth(f.stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('secrets are injected from Secrets Manager, not the environment', () => {
    // GIVEN
    const f = fixture();
    const db = new sm.Secret(f.stack, 'Db');
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, environment: { LOG_LEVEL: 'info' }, secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(db, 'password') } });
    // THEN
    synth(f.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: [{ Name: 'LOG_LEVEL', Value: 'info' }],
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: Match.anyValue() }],
      })],
    });
  });

  test('variables that say where a secret is kept, or describe its policy, stay plain environment', () => {
    // GIVEN: the pattern SECRETS_NOT_IN_ENVIRONMENT recommends: the secret's ARN or name, fetched at run time
    const f = fixture();
    const db = new sm.Secret(f.stack, 'Db');
    const environment = {
      DB_SECRET_ARN: db.secretArn,
      DB_SECRET_NAME: 'prod/db',
      SECRETS_MANAGER_ENDPOINT: 'https://secretsmanager.eu-west-1.amazonaws.com',
      PASSWORD_MIN_LENGTH: '12',
      TOKEN_TTL_SECONDS: '3600',
      AUTH_SERVICE_URL: 'https://auth.internal',
      DB_PASSWORD_FILE: '/run/secrets/db-password',
    };
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, environment });
    // THEN: synthesis passes, and every variable is rendered as given
    const [taskDefinition] = Object.values(synth(f.stack).findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefinition.Properties.ContainerDefinitions[0].Environment.map((e: { Name: string }) => e.Name)).toEqual(Object.keys(environment));
  });

  test.each(['APP_KEY', 'SSH_PASSPHRASE', 'accessToken', 'AWS_ACCESS_KEY_ID', 'DB_PASSWORD'])('%s in the plain environment still fails SECRETS_NOT_IN_ENVIRONMENT', (name) => {
    // GIVEN
    const { stack } = service({ environment: { [name]: 'value' } });
    // WHEN / THEN
    expect(() => synth(stack)).toThrow(new RegExp(`\\[SECRETS_NOT_IN_ENVIRONMENT\\] Stack/Api/TaskDefinition container 'app': environment variable ${name} looks like a secret but has a plain value`));
  });

  test('ECS Exec adds the SSM agent paths as volumes and the ssmmessages permissions', () => {
    // GIVEN / WHEN
    const { stack } = service({ enableExecuteCommand: true, writablePaths: ['/tmp', '/var/log'] });
    const template = synth(stack);
    // THEN: /var/log/amazon/ssm is already inside the writable /var/log
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        ReadonlyRootFilesystem: true,
        MountPoints: ['/tmp', '/var/log', '/managed-agents', '/var/lib/amazon/ssm'].map((p) => Match.objectLike({ ContainerPath: p })),
      })],
    });
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel']) })]) },
    });
  });

  test('attached to a listener: target group on the port with the health check path, ingress from the load balancer only', () => {
    // GIVEN
    const f = fixture();
    const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc });
    const listener = alb.addListener('Http', { port: 80 });
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, healthCheck: { path: '/healthz' }, listener });
    const template = synth(f.stack);
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/healthz', TargetType: 'ip' });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({ FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp', SourceSecurityGroupId: expect.anything() })]);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.absent() })] });
  });

  /** A service with its health on port 9000, attached to a listener of a load balancer of the app. */
  const onHealthPort = () => {
    const f = fixture();
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, healthCheck: { path: '/health/ready', port: 9000 }, listener });
    return { ...f, svc };
  };

  test('healthCheck.port: the load balancer checks the path there, and the security group admits it from the load balancer only', () => {
    // GIVEN / WHEN
    const f = onHealthPort();
    const template = synth(f.stack);
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/health/ready', HealthCheckPort: '9000' });
    // In awsvpc mode a port needs no mapping to be reached; mapped, any opening of it would count as a container port's.
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }] })] });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    const fromAlb = { IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^AlbSecurityGroup/), 'GroupId'] } };
    expect(ingress).toEqual([
      expect.objectContaining({ FromPort: 8080, ToPort: 8080, ...fromAlb }),
      expect.objectContaining({ FromPort: 9000, ToPort: 9000, ...fromAlb }),
    ]);
  });

  test('an imported listener is refused with a recipe, and the recipe synthesizes and passes the checks', () => {
    // GIVEN the README's recipe: a target group of the service's tasks, added to an imported listener
    const recipe = (healthCheck?: { path: string; port: number }) => {
      const f = fixture();
      const lbGroup = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'LbGroup', 'sg-0123456789abcdef0');
      const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(f.stack, 'Imported', {
        listenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef', securityGroup: lbGroup,
      });
      const api = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, healthCheck });
      expect(() => api.attachToListener(listener)).toThrow('Stack/Api: attachToListener needs a listener defined in the app (an elbv2.ApplicationListener), '
        + 'found: Stack/Imported, an imported one; add a target group to it yourself: new elbv2.ApplicationTargetGroup(scope, id, {');
      const group = new elbv2.ApplicationTargetGroup(f.stack, 'ApiTargets', {
        vpc: f.vpc,
        port: 8080,
        targetType: elbv2.TargetType.IP,
        targets: [api.service.loadBalancerTarget({ containerName: 'app', containerPort: 8080 })],
        healthCheck: healthCheck && { path: healthCheck.path, port: String(healthCheck.port) },
      });
      if (healthCheck) group.registerConnectable(api.service, ec2.Port.tcp(healthCheck.port));
      listener.addTargetGroups('Api', { targetGroups: [group], priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])] });
      return f.stack;
    };
    // THEN
    const plain = recipe();
    expect(synthError(plain)).toBe('');
    synth(plain).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: 'sg-0123456789abcdef0' });
    // A health port opened to the imported group cannot be shown to be opened to a load balancer.
    expect(synthError(recipe({ path: '/health/ready', port: 9000 })))
      .toContain("admits port 9000/TCP, which only a load balancer's health check uses, from a source not shown to be a load balancer's alone");
  });

  test('a secret on the command line fails SECRETS_NOT_IN_ENVIRONMENT; a shell reading a secret variable does not', () => {
    const error = synthError(service({ command: ['redis-server', '--requirepass', 'hunter2'] }).stack);
    expect(error).toContain("[SECRETS_NOT_IN_ENVIRONMENT] Stack/Api/TaskDefinition container 'app': the command line gives --requirepass a plain value, "
      + 'which its name says is a secret at Resources.ApiTaskDefinition');
    expect(error).toContain('fix: put the value in Secrets Manager or SSM, give it to the container as a secret (a SecureService: secrets, an ecs.Secret)');
    expect(synthError(service({ healthCheck: { command: ['sh', '-c', 'mysqladmin -uroot -phunter2 ping'] } }).stack))
      .toContain('the command line gives -p a plain value, which is a password at Resources.ApiTaskDefinition');
    // A NoEcho parameter is a secret CloudFormation writes into the task definition.
    const withParameter = fixture();
    const password = new CfnParameter(withParameter.stack, 'DbPassword', { noEcho: true }).valueAsString;
    new SecureService(withParameter.stack, 'Api', { ...API, cluster: withParameter.cluster, command: ['app', `--db-password=${password}`] });
    expect(synthError(withParameter.stack)).toContain('a command line argument holds the NoEcho parameter DbPassword, which CloudFormation resolves into the value');
    // Not NoEcho: CloudFormation writes the value into the task definition all the same.
    const plainParameter = fixture();
    const dbPassword = new CfnParameter(plainParameter.stack, 'DbPassword').valueAsString;
    new SecureService(plainParameter.stack, 'Api', { ...API, cluster: plainParameter.cluster, command: ['app', `--db-password=${dbPassword}`] });
    expect(synthError(plainParameter.stack)).toContain('the command line gives --db-password the value of stack parameter DbPassword (plain text in the task definition), '
      + 'which its name says is a secret at Resources.ApiTaskDefinition');
    expect(error).not.toContain('hunter2');
    const f = fixture();
    const secret = ecs.Secret.fromSecretsManager(sm.Secret.fromSecretNameV2(f.stack, 'Redis', 'redis'));
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, command: ['sh', '-c', 'exec redis-server --requirepass "$REDIS_PASSWORD"'], secrets: { REDIS_PASSWORD: secret } });
    expect(synthError(f.stack)).toBe('');
  });

  test('healthCheck.port opened to anything but the load balancer fails NETWORK_ISOLATION', () => {
    const anywhere = onHealthPort();
    anywhere.svc.connections.allowFromAnyIpv4(ec2.Port.tcp(9000));
    expect(synthError(anywhere.stack)).toContain('security group ApiServiceSecurityGroup');
    expect(synthError(anywhere.stack)).toContain("admits port 9000/TCP, which only a load balancer's health check uses, from a source not shown to be a load balancer's alone "
      + "(container ports: 8080/TCP, 9000/TCP (a load balancer's health check only))");
    const peer = onHealthPort();
    peer.svc.connections.allowFrom(new ec2.SecurityGroup(peer.stack, 'Peer', { vpc: peer.vpc }), ec2.Port.tcp(9000));
    expect(synthError(peer.stack)).toContain('fix: admit a health check port only from a security group the app defines and gives to load balancers alone');
    // The load balancer's group given to an instance too admits the instance.
    const behindGroup = (sharedWithInstance: boolean) => {
      const f = fixture();
      const lbGroup = new ec2.SecurityGroup(f.stack, 'LbGroup', { vpc: f.vpc });
      const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, securityGroup: lbGroup }).addListener('Http', { port: 80 });
      new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, healthCheck: { path: '/health/ready', port: 9000 }, listener });
      if (sharedWithInstance) new ec2.CfnInstance(f.stack, 'Bastion', { imageId: 'ami-0123456789abcdef0', securityGroupIds: [lbGroup.securityGroupId] });
      return f.stack;
    };
    expect(synthError(behindGroup(false))).toBe('');
    expect(synthError(behindGroup(true))).toContain("admits port 9000/TCP, which only a load balancer's health check uses, from a source not shown to be a load balancer's alone");
  });

  test('healthCheck.intervalSeconds and timeoutSeconds time the load balancer\'s check and the container check', () => {
    const f = fixture();
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, healthCheck: { path: '/healthz', intervalSeconds: 15, timeoutSeconds: 10 }, listener });
    synth(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckIntervalSeconds: 15, HealthCheckTimeoutSeconds: 10 });
    const checked = synth(service({ healthCheck: { command: ['/app/healthcheck'], intervalSeconds: 60, timeoutSeconds: 20 } }).stack);
    checked.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.objectLike({ Interval: 60, Timeout: 20 }) })],
    });
  });

  test('healthCheck.port equal to the container port checks the traffic port, as without it', () => {
    const f = fixture();
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, healthCheck: { path: '/healthz', port: 8080 }, listener });
    const template = synth(f.stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/healthz', HealthCheckPort: Match.absent() });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }] })] });
  });

  test('healthCheck.livenessPath warns that ECS has no HTTP container check; acknowledged, it does not', () => {
    // GIVEN
    const healthCheck = { path: '/health/ready', livenessPath: '/health/live' };
    const { stack } = service({ healthCheck });
    const acknowledged = service({ healthCheck });
    CoreAnnotations.of(acknowledged.svc).acknowledgeWarning('secure-service:liveness-path');
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Api', Match.stringLikeRegexp("healthCheck.livenessPath '/health/live' is not used on ECS.*acknowledgeWarning"));
    Annotations.fromStack(acknowledged.stack).hasNoWarning('/Stack/Api', Match.stringLikeRegexp('livenessPath'));
    // The same path as healthCheck.path changes nothing on either target.
    Annotations.fromStack(service({ healthCheck: { path: '/healthz', livenessPath: '/healthz' } }).stack).hasNoWarning('/Stack/Api', Match.stringLikeRegexp('livenessPath'));
  });

  test('allowFrom opens the container port, and only it, to each peer', () => {
    // GIVEN
    const f = fixture();
    const peer = new ec2.SecurityGroup(f.stack, 'Peer', { vpc: f.vpc });
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, allowFrom: [peer] });
    // THEN
    synth(f.stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp' });
  });

  test('a health check path with no load balancer warns', () => {
    // GIVEN / WHEN
    const { stack } = service({ healthCheck: { path: '/healthz' } });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Api', Match.stringLikeRegexp('healthCheck.path .* not attached'));
  });

  test('healthCheck.startPeriodSeconds is the container check\'s start period and the service\'s grace period; neither without it', () => {
    // GIVEN
    const slow = synth(service({ healthCheck: { command: ['/app/healthcheck'], startPeriodSeconds: 120 } }).stack);
    const prompt = synth(service({ healthCheck: { command: ['/app/healthcheck'] } }).stack);
    // THEN
    slow.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.objectLike({ Command: ['CMD', '/app/healthcheck'], StartPeriod: 120 }) })],
    });
    slow.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 120 });
    prompt.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.objectLike({ StartPeriod: Match.absent() }) })],
    });
    prompt.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: Match.absent() });
  });

  test('logging routes the container\'s logs through the task\'s FireLens router; an output that keeps none fails LOGGING', () => {
    // GIVEN
    const routed = (output: string) => {
      const { stack, cluster } = fixture();
      const group = new logs.LogGroup(stack, 'AppLogs', { retention: logs.RetentionDays.ONE_YEAR });
      const options = { Name: output, region: stack.region, log_group_name: group.logGroupName };
      const svc = new SecureService(stack, 'Api', { ...API, cluster, logging: ecs.LogDrivers.firelens({ options }) });
      svc.addContainer('log-router', {
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', cpu: 0.25, memoryMiB: 512, firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT },
      });
      return stack;
    };
    // THEN
    synth(routed('cloudwatch_logs')).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'app', LogConfiguration: { LogDriver: 'awsfirelens', Options: Match.objectLike({ Name: 'cloudwatch_logs' }) } })]),
    });
    expect(() => synth(routed('null'))).toThrow(/\[LOGGING\] Stack\/Api\/TaskDefinition container 'app': FireLens sends the logs to the null output: they are discarded/);
  });

  test('logging that is no log driver is rejected, naming the fix', () => {
    expect(() => service({ logging: 'awslogs' as any })).toThrow(
      "logging must be an ecs.LogDriver (ecs.LogDrivers.firelens({ options: { Name: 'cloudwatch_logs', ... } }), ecs.LogDrivers.awsLogs(...)), found: \"awslogs\"; "
      + "give a log driver, or leave logging out for awslogs to the service's log group",
    );
  });

  test('a sidecar gets the same hardening, its own exemptions, and the task size is the sum', () => {
    // GIVEN
    const { stack, svc } = service();
    // WHEN: a FireLens router that must run as root, exempted with a justification
    svc.addContainer('log-router', {
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4',
      firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT },
      user: { uid: 0 },
      writablePaths: ['/fluent-bit/etc'],
      exemptions: [exemption(Control.RUN_AS_NON_ROOT, { ticket: 'SEC-7' })],
    });
    const template = synth(stack);
    // THEN
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefinition.Properties).toMatchObject({ Cpu: '512', Memory: '1024' });
    expect(taskDefinition.Properties.ContainerDefinitions[1]).toMatchObject({
      Name: 'log-router',
      User: '0:0',
      ReadonlyRootFilesystem: true,
      Memory: 512,
      FirelensConfiguration: { Type: 'fluentbit' },
      LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
      MountPoints: [{ ContainerPath: '/fluent-bit/etc', SourceVolume: 'log-router-fluent-bit-etc', ReadOnly: false }],
    });
    expect(taskDefinition.Metadata['secure-service:exemptions']).toEqual([
      { control: 'RUN_AS_NON_ROOT', justification: exemption(Control.RUN_AS_NON_ROOT).justification, ticket: 'SEC-7', container: 'log-router' },
    ]);
  });

  test('sidecars keep their construct ids: the container name under the task definition, a FireLens router under the service', () => {
    // GIVEN
    const { stack, svc } = service();
    // WHEN: a plain sidecar may share a name with a construct of the service, which is not its scope
    const proxy = svc.addContainer('Service', { image: 'envoyproxy/envoy:v1.31.0', cpu: 0.125, memoryMiB: 256 });
    const router = svc.addContainer('log-router', { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT }, cpu: 0.125, memoryMiB: 256 });
    // THEN
    expect([proxy.node.path, router.node.path]).toEqual(['Stack/Api/TaskDefinition/Service', 'Stack/Api/log-router']);
    synth(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'app' }), Match.objectLike({ Name: 'Service' }), Match.objectLike({ Name: 'log-router' })],
    });
  });

  test('the task size on the L1 is plain values, set again as sidecars are added', () => {
    // GIVEN
    const { svc } = service();
    const cfn = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    // THEN: no token to resolve at synthesis (two per task cost measurable synthesis time)
    expect([cfn.cpu, cfn.memory]).toEqual(['256', '512']);
    // WHEN
    svc.addContainer('metrics', { image: 'ghcr.io/acme/metrics:2.0.1', cpu: 0.25, memoryMiB: 512 });
    // THEN
    expect([cfn.cpu, cfn.memory]).toEqual(['512', '1024']);
  });

  test.each([
    ['cpu', { Cpu: '2048', Memory: '1024' }],
    ['memory', { Cpu: '512', Memory: '2048' }],
  ] as const)('a task %s set on the L1 by other code is kept, the other follows the sidecar', (field, expected) => {
    // GIVEN
    const { stack, svc } = service();
    const cfn = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    cfn[field] = '2048';
    // WHEN
    svc.addContainer('metrics', { image: 'ghcr.io/acme/metrics:2.0.1', cpu: 0.25, memoryMiB: 512 });
    // THEN: the escape hatch wins for its field; the other is the new total
    synth(stack).hasResourceProperties('AWS::ECS::TaskDefinition', expected);
  });

  test.each([
    ['the main container\'s user', { user: { uid: 10001, gid: 10002 } }, '10001:10002'],
    ['the policy\'s default user when the main container runs as root (its exemption stays its own)',
      { user: { uid: 0 }, exemptions: [exemption(Control.RUN_AS_NON_ROOT, { container: 'app' })] }, '65532:65532'],
  ])('a sidecar without a user of its own runs as %s, as on Kubernetes', (_, props, expected) => {
    // GIVEN
    const { stack, svc } = service(props);
    // WHEN
    svc.addContainer('metrics', { image: 'ghcr.io/acme/metrics:2.0.1', cpu: 0.25, memoryMiB: 512 });
    // THEN
    synth(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'metrics', User: expected })]),
    });
  });

  test('EC2 launch type: awsvpc, no-new-privileges, task-level bounds', () => {
    // GIVEN
    const f = fixture();
    f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, launchType: SecureLaunchType.EC2 });
    const template = synth(f.stack);
    // THEN
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['EC2'],
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [Match.objectLike({ DockerSecurityOptions: ['no-new-privileges'], User: '65532:65532', ReadonlyRootFilesystem: true })],
    });
    template.hasResourceProperties('AWS::ECS::Service', { LaunchType: 'EC2', NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
  });
});
