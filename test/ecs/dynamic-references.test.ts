// CloudFormation dynamic references (`{{resolve:ssm:/name}}`) are replaced when the stack deploys: the
// readers take them as values only known at deploy time, as they take a parameter, wherever they stand.
import { CfnParameter, Fn, Stack, aws_ec2 as ec2, aws_ecs as ecs, aws_ssm as ssm } from 'aws-cdk-lib';
import { API, fixture, service, synth, synthError } from './fixtures';
import { SecureLaunchType, SecureService } from '../../lib/ecs';
import { hasDynamicReference, literalString, resolveText, singleTemplateApp } from '../../lib/ecs/template-values';

const C0 = 'ContainerDefinitions.0';
const TASK_AT = 'Resources\\.ApiTaskDefinition\\w+\\.Properties';

/** A service on EC2 instances, and its task definition's L1. */
function onEc2() {
  const f = fixture();
  f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
  const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, launchType: SecureLaunchType.EC2 });
  return { ...f, svc, task: svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition };
}

describe('reading a dynamic reference', () => {
  const scope = singleTemplateApp({ Resources: {} });
  const text = (value: unknown) => resolveText(scope, scope.scopes[0], value);

  test('resolveText writes it as a part only known at deploy time, once, also when joined from parts', () => {
    expect(text('{{resolve:ssm:/acme/pid-mode}}')).toBe('${{resolve:ssm:/acme/pid-mode}}');
    expect(text('apparmor={{resolve:ssm:/x:2}}')).toBe('apparmor=${{resolve:ssm:/x:2}}');
    expect(text({ 'Fn::Join': ['', ['{{resolve:', 'ssm:/x}}']] })).toBe('${{resolve:ssm:/x}}');
    expect(text({ 'Fn::Sub': ['${A}-{{resolve:ssm:/y}}', { A: '{{resolve:ssm:/x}}' }] })).toBe('${{resolve:ssm:/x}}-${{resolve:ssm:/y}}');
    // A secret's reference stays readable, for SECRETS_NOT_IN_ENVIRONMENT.
    expect(text('{{resolve:secretsmanager:prod/db:SecretString:password}}')).toBe('${{resolve:secretsmanager:prod/db:SecretString:password}}');
    // Text that only mentions it is literal.
    expect(text('resolve:ssm is written {{resolve:')).toBe('resolve:ssm is written {{resolve:');
  });

  test('literalString takes no text with one as a literal', () => {
    expect(literalString('{{resolve:ssm:/acme/launch-type}}')).toBeUndefined();
    expect(literalString({ 'Fn::Join': ['', ['{{resolve:', 'ssm:/x}}']] })).toBeUndefined();
    expect(literalString('host')).toBe('host');
    expect(hasDynamicReference('{{resolve:ssm-secure:/x}}')).toBe(true);
    expect(hasDynamicReference('{{ .Data.password }}')).toBe(false);
  });
});

describe('a runner naming the task definition by a dynamic reference may run it', () => {
  test('a service of another stack that reads the ARN from SSM gives it a public IP and an open group: both fail, naming the reference', () => {
    // GIVEN
    const f = fixture();
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster });
    new ssm.StringParameter(f.stack, 'TdArn', { parameterName: '/acme/api/task-definition-arn', stringValue: svc.taskDefinition.taskDefinitionArn });
    const other = new Stack(f.app, 'OtherTeam');
    const open = new ec2.SecurityGroup(other, 'Open', { vpc: ec2.Vpc.fromVpcAttributes(other, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] }) });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());
    // WHEN
    const taskDefinition = ssm.StringParameter.fromStringParameterAttributes(other, 'Td', {
      parameterName: '/acme/api/task-definition-arn', forceDynamicReference: true,
    }).stringValue;
    new ecs.CfnService(other, 'PublicCopy', {
      cluster: 'shared',
      taskDefinition,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [open.securityGroupId] } },
    });
    // THEN
    const error = synthError(f.stack);
    expect(error).toMatch(new RegExp('\\[NO_PUBLIC_IP\\] Stack/Api/TaskDefinition: tasks get a public IP address: they are reachable from the internet at OtherTeam: '
      + 'Resources\\.PublicCopy\\.Properties\\.NetworkConfiguration \\(TaskDefinition "\\{\\{resolve:ssm:/acme/api/task-definition-arn\\}\\}" cannot be tied to '
      + 'one task definition of the app: it may be this one\\)\\.AwsvpcConfiguration\\.AssignPublicIp'));
    expect(error).toMatch(/\[NETWORK_ISOLATION\] Stack\/Api\/TaskDefinition: security group Open\w+ of OtherTeam admits every port/);
  });

  test('an ARN whose family is a dynamic reference may be any family', () => {
    const b = service();
    new ecs.CfnService(b.stack, 'ByArn', {
      cluster: 'shared',
      launchType: 'FARGATE',
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/{{resolve:ssm:/f}}:3',
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [b.svc.connections.securityGroups[0].securityGroupId] } },
    });
    expect(synthError(b.stack)).toMatch(/\[NO_PUBLIC_IP\] Stack\/Api\/TaskDefinition: [^;]*Resources\.ByArn\.Properties\.NetworkConfiguration \(TaskDefinition "arn:aws:ecs:[^"]*\/\{\{resolve:ssm:\/f\}\}:3" cannot be tied/);
  });
});

describe('settings made of a dynamic reference fail as settings only known at deploy time', () => {
  test('a DockerSecurityOptions entry may lift confinement, seccomp and no-new-privileges', () => {
    // GIVEN
    const b = onEc2();
    // WHEN
    b.task.addPropertyOverride(`${C0}.DockerSecurityOptions`, ['no-new-privileges', '{{resolve:ssm:/acme/ecs/docker-option}}']);
    // THEN
    const error = synthError(b.stack);
    expect(error).toMatch(new RegExp('\\[NOT_PRIVILEGED\\] Stack/Api/TaskDefinition container \'app\': the docker security option \\$\\{\\{resolve:ssm:/acme/ecs/docker-option\\}\\} '
      + `is only known at deploy time: it may lift AppArmor or SELinux confinement or unmask system paths at ${TASK_AT}\\.ContainerDefinitions\\[0\\]\\.DockerSecurityOptions\\[1\\]`));
    expect(error).toMatch(/\[SECCOMP_RUNTIME_DEFAULT\] Stack\/Api\/TaskDefinition container 'app': the seccomp profile is only known at deploy time \(\$\{\{resolve:ssm:\/acme\/ecs\/docker-option\}\}\)/);
    expect(error).toMatch(/\[NO_PRIVILEGE_ESCALATION\] Stack\/Api\/TaskDefinition container 'app': privilege escalation is not switched off/);
  });

  test('an option whose value is a dynamic reference (apparmor=...) may be unconfined', () => {
    const b = onEc2();
    b.task.addPropertyOverride(`${C0}.DockerSecurityOptions`, ['no-new-privileges', 'apparmor={{resolve:ssm:/acme/profile}}']);
    expect(synthError(b.stack)).toMatch(/\[NOT_PRIVILEGED\] [^;]*the docker security option apparmor=\$\{\{resolve:ssm:\/acme\/profile\}\} is only known at deploy time/);
  });

  test('PidMode and IpcMode may be host', () => {
    // GIVEN
    const b = onEc2();
    // WHEN
    b.task.addPropertyOverride('PidMode', '{{resolve:ssm:/acme/ecs/pid-mode}}');
    b.task.addPropertyOverride('IpcMode', '{{resolve:ssm:/acme/ecs/ipc-mode}}');
    // THEN
    const error = synthError(b.stack);
    expect(error).toMatch(new RegExp(`\\[NO_HOST_NAMESPACES\\] Stack/Api/TaskDefinition: the workload shares the host's pid namespace at ${TASK_AT}\\.PidMode `
      + '\\("\\{\\{resolve:ssm:/acme/ecs/pid-mode\\}\\}", only known at deploy time: it cannot be proven not to be host\\)'));
    expect(error).toMatch(/the workload shares the host's ipc namespace at \S+\.IpcMode \("\{\{resolve:ssm:\/acme\/ecs\/ipc-mode\}\}", only known at deploy time/);
  });

  test('a Docker volume whose driver is a dynamic reference may be the local driver binding a host path', () => {
    // GIVEN
    const b = onEc2();
    // WHEN
    b.task.addPropertyOverride('Volumes.0.DockerVolumeConfiguration', {
      Scope: 'task', Driver: '{{resolve:ssm:/acme/ecs/volume-driver}}', DriverOpts: { type: 'none', device: '/', o: 'bind' },
    });
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp('\\[NO_HOST_PATH_VOLUMES\\] Stack/Api/TaskDefinition container \'app\': volume "app-tmp" is of kind hostPath: '
      + `it mounts the host's filesystem at ${TASK_AT}\\.Volumes\\[0\\]\\.DockerVolumeConfiguration\\.DriverOpts\\.o \\(a bind mount of a host path\\)`));
  });

  test('a Docker volume option that is a dynamic reference may mount a host path', () => {
    const b = onEc2();
    b.task.addPropertyOverride('Volumes.0.DockerVolumeConfiguration', { Scope: 'task', Driver: 'local', DriverOpts: { type: 'none', device: '/', o: '{{resolve:ssm:/acme/o}}' } });
    expect(synthError(b.stack)).toMatch(/DriverOpts\.o \("\{\{resolve:ssm:\/acme\/o\}\}", only known at deploy time: it may mount a host path\)/);
  });

  test('a User from a dynamic reference may be root, and is shown whole', () => {
    const b = service();
    (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride(`${C0}.User`, '{{resolve:ssm:/acme/ecs/user}}');
    expect(synthError(b.stack)).toMatch(new RegExp('\\[RUN_AS_NON_ROOT\\] Stack/Api/TaskDefinition container \'app\': the user is a name \\("\\{\\{resolve:ssm:/acme/ecs/user\\}\\}"\\): '
      + `nothing can prove it is not root at ${TASK_AT}\\.ContainerDefinitions\\[0\\]\\.User \\(only known at deploy time\\); fix: run as a numeric non-root user`));
  });

  test('a variable whose name is a dynamic reference may name a secret', () => {
    // GIVEN
    const b = service();
    // WHEN
    (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride(`${C0}.Environment`, [{ Name: '{{resolve:ssm:/acme/ecs/var-name}}', Value: 'hunter2' }]);
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp('\\[SECRETS_NOT_IN_ENVIRONMENT\\] Stack/Api/TaskDefinition container \'app\': the name of environment variable '
      + `\\$\\{\\{resolve:ssm:/acme/ecs/var-name\\}\\} is only known at deploy time: it may name a secret with a plain value at ${TASK_AT}\\.ContainerDefinitions\\[0\\]\\.Environment\\[0\\]; `
      + 'fix: write the name in the app'));
  });

  test('a value that resolves a secret still fails as one; a plain SSM value under a neutral name passes, as a parameter does', () => {
    const secret = service();
    secret.svc.container.addEnvironment('APP_CONFIG', '{{resolve:secretsmanager:prod/db:SecretString:password}}');
    expect(synthError(secret.stack)).toMatch(/environment variable APP_CONFIG holds the secret \{\{resolve:secretsmanager:prod\/db:SecretString:password\}\}, which CloudFormation resolves into the value/);
    const plain = service();
    plain.svc.container.addEnvironment('LOG_LEVEL', '{{resolve:ssm:/acme/api/log-level}}');
    plain.svc.container.addEnvironment('FLAGS', Fn.join('', ['{{resolve:ssm:', '/acme/api/flags}}']));
    expect(() => synth(plain.stack)).not.toThrow();
  });
});

describe('a launch type only known at deploy time may place the tasks on instances', () => {
  /** A Fargate service whose task definition is also EC2-compatible, run with `launchType`. */
  function runWith(launchType: (stack: Stack) => unknown) {
    const b = service();
    (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('RequiresCompatibilities', ['FARGATE', 'EC2']);
    const l1 = b.svc.service.node.defaultChild as ecs.CfnService;
    l1.addPropertyOverride('LaunchType', launchType(b.stack));
    l1.addDeletionOverride('Properties.PlatformVersion');
    return b;
  }

  test.each([
    ['a dynamic reference', () => '{{resolve:ssm:/acme/ecs/launch-type}}', '"\\{\\{resolve:ssm:/acme/ecs/launch-type\\}\\}"'],
    ['a parameter', (stack: Stack) => ({ Ref: new CfnParameter(stack, 'LaunchType', { default: 'EC2', allowedValues: ['EC2', 'FARGATE'] }).logicalId }), '\\{"Ref":"LaunchType"\\}'],
  ])('%s: missing no-new-privileges fails, saying which runner and launch type', (_, launchType, shown) => {
    // GIVEN / WHEN
    const b = runWith(launchType);
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp('\\[NO_PRIVILEGE_ESCALATION\\] Stack/Api/TaskDefinition container \'app\': privilege escalation is not switched off '
      + `\\(the default allows it\\) at ${TASK_AT}\\.ContainerDefinitions\\[0\\]\\.DockerSecurityOptions \\(on instances: the service Resources\\.ApiService\\w+ runs it `
      + `with LaunchType ${shown}, only known at deploy time: it may be EC2 \\(write the launch type in the app\\)\\); fix: add the no-new-privileges docker security option`));
  });

  test('a literal FARGATE passes; a Fargate-only task definition passes whatever the launch type, as ECS runs it on Fargate only', () => {
    expect(synthError(runWith(() => 'FARGATE').stack)).toBe('');
    const b = service();
    (b.svc.service.node.defaultChild as ecs.CfnService).addPropertyOverride('LaunchType', '{{resolve:ssm:/acme/ecs/launch-type}}');
    expect(synthError(b.stack)).toBe('');
  });

  test('a compatibility only known at deploy time may be EC2', () => {
    const b = service();
    (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('RequiresCompatibilities', ['FARGATE', '{{resolve:ssm:/acme/ecs/compatibility}}']);
    const l1 = b.svc.service.node.defaultChild as ecs.CfnService;
    l1.addDeletionOverride('Properties.LaunchType');
    l1.addDeletionOverride('Properties.PlatformVersion');
    l1.addPropertyOverride('CapacityProviderStrategy', [{ CapacityProvider: 'instances', Weight: 1 }]);
    expect(synthError(b.stack)).toMatch(/\[NO_PRIVILEGE_ESCALATION\] [^;]*DockerSecurityOptions \(on instances: the service Resources\.ApiService\w+ runs it without a LaunchType: a capacity provider strategy/);
  });
});
