import { Fn, aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { API, exemption, fixture, service, synth } from './fixtures';
import { Control } from '../../lib/core';
import { SecureLaunchType, SecureService, SecureServiceProps } from '../../lib/ecs';

describe('bad props fail at construction, naming prop, value and fix', () => {
  const CASES: [string, Partial<SecureServiceProps>, RegExp][] = [
    ['negative uid', { user: { uid: -1 } }, /user\.uid must be a whole number from 0 to 2147483647, found: -1; .*use the numeric uid/],
    ['fractional gid', { user: { uid: 1000, gid: 1.5 } }, /user\.gid must be a whole number from 0 to 2147483647, found: 1\.5/],
    ['port out of range', { containerPort: 70000 }, /containerPort must be a whole number from 1 to 65535, found: 70000; to serve port 80, listen on 8080/],
    ['negative replicas', { replicas: -1 }, /replicas must be a whole number, 0 or more, found: -1/],
    ['relative writable path', { writablePaths: ['tmp'] }, /writablePaths\[0\] must be an absolute path, found: "tmp"; e\.g\. '\/tmp'/],
    ['root as writable path', { writablePaths: ['/'] }, /writablePaths\[0\] cannot be '\/': that makes the whole root filesystem writable/],
    ['duplicate writable path', { writablePaths: ['/tmp', '/tmp'] }, /writablePaths\[1\] is a duplicate of writablePaths\[0\], found: "\/tmp"/],
    ['nested writable path', { writablePaths: ['/var', '/var/cache'] }, /writablePaths\[1\] "\/var\/cache" is inside writablePaths entry "\/var"/],
    ['invalid secret name', { secrets: { 'db-password': ecs.Secret.fromSsmParameter({ parameterArn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' } as any) } }, /secrets name must be a valid environment variable name .*found: "db-password"/],
    ['privileged on Fargate', { privileged: true }, /privileged cannot be true on Fargate, found: true; remove it, or use launchType EC2 with an exemption of NOT_PRIVILEGED/],
    ['capability Fargate cannot add', { capabilities: { add: ['NET_ADMIN'] } }, /capabilities\.add can only hold SYS_PTRACE on Fargate, found: "NET_ADMIN"/],
    ['privilege escalation on Fargate', { allowPrivilegeEscalation: true }, /allowPrivilegeEscalation cannot be set on Fargate, found: true/],
    ['unconfined seccomp (ECS takes no seccomp option)', { seccompProfile: 'Unconfined' }, /seccompProfile cannot be 'Unconfined' on ECS, found: 'Unconfined'; ECS always applies the Docker default seccomp profile, remove seccompProfile/],
    ['health check with both forms', { healthCheck: { path: '/h', command: ['x'] } }, /healthCheck needs exactly one of path or command/],
    ['empty image', { image: ' ' }, /image must be an image reference such as 'ghcr\.io\/acme\/api:1\.4\.2', found: " "/],
    ['image with a space', { image: 'envoy proxy:1' }, /image must be an image reference such as 'ghcr\.io\/acme\/api:1\.4\.2', found: "envoy proxy:1"; an image reference contains no spaces, remove them/],
    ['image with a trailing space', { image: 'ghcr.io/acme/api:1.4.2 ' }, /image must be an image reference such as 'ghcr\.io\/acme\/api:1\.4\.2', found: "ghcr\.io\/acme\/api:1\.4\.2 "; an image reference contains no spaces/],
    ['image neither a reference nor a ContainerImage', { image: undefined as unknown as string }, /image must be an image reference such as 'ghcr\.io\/acme\/api:1\.4\.2' or an ecs\.ContainerImage, found: undefined/],
    ['cpu below one ECS CPU unit', { cpu: 0.0001 }, /cpu must be at least 1 ECS CPU unit \(1\/1024 vCPU, 0\.0009765625\), found: 0\.0001, which ECS would round to 0 units; use cpu: 0\.0009765625 or more/],
    ['reserved main container name', { containerName: 'ExecutionRole' }, /containerName "ExecutionRole" is reserved: the task definition names its own constructs Resource, TaskRole, ExecutionRole; choose another name/],
    ['bad container name', { containerName: 'my app' }, /containerName must be 1-255 letters, digits, '-' or '_', found: "my app"/],
    ['allowFrom without a port', { containerPort: undefined, allowFrom: [ec2.Peer.ipv4('10.0.0.0/16') as unknown as ec2.IConnectable] }, /containerPort is required with allowFrom or listener, found: undefined/],
  ];

  test.each(CASES)('%s', (_, props, message) => {
    const f = fixture();
    expect(() => new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, ...props })).toThrow(message);
  });

  test('the message names the construct path and lists every problem', () => {
    const f = fixture();
    expect(() => new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, containerPort: 0, replicas: -2 }))
      .toThrow(/^invalid ecs\.SecureService Stack\/Api:\n {2}- replicas must be[^]*\n {2}- containerPort must be/);
  });

  test('cluster and vpc together, or neither', () => {
    const f = fixture();
    expect(() => new SecureService(f.stack, 'Both', { ...API, cluster: f.cluster, vpc: f.vpc })).toThrow(/cluster and vpc cannot both be given, found both/);
    expect(() => new SecureService(f.stack, 'Neither', { ...API })).toThrow(/cluster or vpc is required, found neither/);
  });

  test('a cpu/memory combination Fargate does not offer fails at synth', () => {
    const { stack } = service({ cpu: 0.25, memoryMiB: 4096 });
    expect(() => synth(stack)).toThrow(/cpu 0\.25 and memoryMiB 4096: with 0\.25 vCPU Fargate offers memoryMiB 512, 1024, 2048, found: 4096; or use cpu: 0\.5 for 4096 MiB/);
    const odd = service({ cpu: 0.3 });
    expect(() => synth(odd.stack)).toThrow(/Fargate offers 0\.25, 0\.5, 1, 2, 4, 8, 16 vCPU per task, found: 0\.2998046875 vCPU; use cpu: 0\.5/);
  });

  test('sidecars that push the task to a size Fargate does not offer fail at synth', () => {
    const { stack, svc } = service();
    svc.addContainer('proxy', { image: 'envoyproxy/envoy:v1.31.0', cpu: 0.25, memoryMiB: 256 });
    expect(() => synth(stack)).toThrow(
      'cpu and memoryMiB add up to 0.5 vCPU and 768 MiB over containers app (0.25 vCPU, 512 MiB), proxy (0.25 vCPU, 256 MiB): '
      + 'with 0.5 vCPU Fargate offers memoryMiB 1024, 2048, 3072, 4096, found: 768; make the containers\' memoryMiB add up to one of them (e.g. app memoryMiB: 768)',
    );
  });

  test('with sidecars, the fix names what the containers must add up to, and following it synthesizes', () => {
    // GIVEN: a sidecar that takes the default share pushes 1 vCPU to 1.25
    const sized = (cpu: number, memoryMiB: number) => {
      const built = service({ cpu, memoryMiB });
      built.svc.addContainer('envoy', { image: 'envoyproxy/envoy:v1.31.0', user: { uid: 101, gid: 101 } });
      return built.stack;
    };
    // THEN
    expect(() => synth(sized(1, 2048))).toThrow(
      'cpu and memoryMiB add up to 1.25 vCPU and 2560 MiB over containers app (1 vCPU, 2048 MiB), envoy (0.25 vCPU by default, 512 MiB by default): '
      + 'Fargate offers 0.25, 0.5, 1, 2, 4, 8, 16 vCPU per task, found: 1.25 vCPU; make the containers\' cpu add up to 2 and their memoryMiB to one of '
      + '4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384 (e.g. app cpu: 1.75, app memoryMiB: 3584)',
    );
    synth(sized(1.75, 3584)).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '4096' });
  });

  test('with a sidecar that alone takes more than a size offers, the fix names the sum alone', () => {
    const { stack, svc } = service({ cpu: 0.25, memoryMiB: 512 });
    svc.addContainer('big', { image: 'envoyproxy/envoy:v1.31.0', cpu: 0.25, memoryMiB: 8192, user: { uid: 101, gid: 101 } });
    expect(() => synth(stack)).toThrow(/found: 8704; make the containers' memoryMiB add up to one of them; Fargate runs only the task sizes it offers/);
  });

  test('addContainer rejects bad options, a duplicate name and exemptions for another container', () => {
    const { svc } = service();
    expect(() => svc.addContainer('app', { image: 'x:1' })).toThrow(/addContainer\('app'\): a container named "app" already exists/);
    expect(() => svc.addContainer('side', { image: 'x:1', containerPort: -1 })).toThrow(/addContainer\('side'\): containerPort must be a whole number/);
    expect(() => svc.addContainer('side', { image: 'x:1', exemptions: [exemption(Control.RUN_AS_NON_ROOT, { container: 'app' })] }))
      .toThrow(/addContainer\('side'\): exemptions\[0\] names container "app", but a sidecar's exemptions cover only the sidecar/);
    // A path is only a load balancer's check, and sidecars are never attached to one: it would be dropped.
    expect(() => svc.addContainer('side', { image: 'x:1', containerPort: 9000, healthCheck: { path: '/healthz' } }))
      .toThrow('addContainer(\'side\'): healthCheck.path is only used by a load balancer, which only the main container is attached to, found: "/healthz"; give the sidecar a healthCheck.command');
  });

  test.each(['', '   ', 'envoy proxy:1'])('addContainer rejects the image %j, as the Kubernetes target does', (image) => {
    // GIVEN
    const { svc } = service();
    // WHEN / THEN
    expect(() => svc.addContainer('proxy', { image, cpu: 0.25, memoryMiB: 512 }))
      .toThrow(new RegExp(`addContainer\\('proxy'\\): image must be an image reference such as 'ghcr\\.io/acme/api:1\\.4\\.2', found: ${JSON.stringify(image)}`));
  });

  test('a ContainerImage and a token are not judged as strings', () => {
    // GIVEN
    const { stack, svc } = service();
    // WHEN
    svc.addContainer('proxy', { image: ecs.ContainerImage.fromRegistry('envoyproxy/envoy:v1.31.0'), cpu: 0.125, memoryMiB: 256 });
    svc.addContainer('agent', { image: Fn.importValue('AgentImage'), cpu: 0.125, memoryMiB: 256 });
    // THEN
    synth(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'proxy', Image: 'envoyproxy/envoy:v1.31.0' }), Match.objectLike({ Name: 'agent', Image: { 'Fn::ImportValue': 'AgentImage' } })]),
    });
  });

  test('cpu below one ECS CPU unit is rejected on EC2 too, for the main container and sidecars', () => {
    // GIVEN
    const f = fixture();
    f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    const ec2Props = { ...API, cluster: f.cluster, launchType: SecureLaunchType.EC2 };
    // WHEN / THEN
    expect(() => new SecureService(f.stack, 'Tiny', { ...ec2Props, cpu: 0.0001 })).toThrow(/cpu must be at least 1 ECS CPU unit \(1\/1024 vCPU, 0\.0009765625\), found: 0\.0001, which ECS would round to 0 units/);
    const svc = new SecureService(f.stack, 'Api', ec2Props);
    expect(() => svc.addContainer('proxy', { image: 'envoyproxy/envoy:v1.31.0', cpu: 0.0004 })).toThrow(/addContainer\('proxy'\): cpu must be at least 1 ECS CPU unit \(1\/1024 vCPU, 0\.0009765625\), found: 0\.0004, which ECS would round to 0 units/);
  });

  test('the smallest cpu that rounds to one ECS CPU unit is rendered as 1', () => {
    // GIVEN
    const f = fixture();
    f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, launchType: SecureLaunchType.EC2, cpu: 1 / 1024 });
    // THEN
    synth(f.stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1', ContainerDefinitions: [Match.objectLike({ Cpu: 1 })] });
  });

  test.each(['Logs', 'TaskDefinition', 'Service'])('a FireLens sidecar named %s, like a construct of the service, is rejected naming it', (name) => {
    // GIVEN
    const { svc } = service();
    // WHEN / THEN
    expect(() => svc.addContainer(name, { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT }, memoryMiB: 512 }))
      .toThrow(new RegExp(`addContainer\\('${name}'\\): name "${name}" cannot be used: Stack/Api/${name} already exists, and the container's constructs are named after it; choose another name`));
  });

  test('a FireLens sidecar named Cluster is rejected only where the service created its cluster', () => {
    // GIVEN
    const f = fixture();
    const own = new SecureService(f.stack, 'Own', { ...API, vpc: f.vpc });
    const shared = new SecureService(f.stack, 'Shared', { ...API, cluster: f.cluster });
    const router = { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT }, memoryMiB: 512 };
    // WHEN / THEN
    expect(() => own.addContainer('Cluster', router)).toThrow(/addContainer\('Cluster'\): name "Cluster" cannot be used: Stack\/Own\/Cluster already exists/);
    expect(() => shared.addContainer('Cluster', router)).not.toThrow();
  });

  test.each(['Resource', 'TaskRole', 'ExecutionRole'])('a sidecar named %s, an id the task definition uses itself, is rejected', (name) => {
    // GIVEN
    const { svc } = service();
    // WHEN / THEN
    expect(() => svc.addContainer(name, { image: 'envoyproxy/envoy:v1.31.0' }))
      .toThrow(new RegExp(`addContainer\\('${name}'\\): name "${name}" is reserved: the task definition names its own constructs Resource, TaskRole, ExecutionRole; choose another name`));
  });

  test('a sidecar whose LinuxParameters would collide with a FireLens router of that name is rejected', () => {
    // GIVEN
    const { svc } = service();
    svc.addContainer('proxyLinuxParameters', { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', firelens: { type: ecs.FirelensLogRouterType.FLUENTBIT }, memoryMiB: 512 });
    // WHEN / THEN
    expect(() => svc.addContainer('proxy', { image: 'envoyproxy/envoy:v1.31.0' })).toThrow(/addContainer\('proxy'\): name "proxy" cannot be used: Stack\/Api\/proxyLinuxParameters already exists/);
  });

  test('attaching to the listener already given in the listener prop is a clear error', () => {
    // GIVEN
    const f = fixture();
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, listener });
    // WHEN / THEN
    expect(() => svc.attachToListener(listener, { priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/v2/*'])] }))
      .toThrow(/Stack\/Api: attachToListener\(Stack\/Alb\/Http\): the service is already attached to this listener \(by the listener prop or an earlier call\), and a service has one target group per listener; to route several paths or hosts to it, give them all in the conditions of one call/);
  });

  test('two services with one construct id on one listener get a clear error, not a duplicate-id crash', () => {
    // GIVEN
    const f = fixture();
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    new SecureService(new Construct(f.stack, 'Blue'), 'Api', { ...API, cluster: f.cluster, listener });
    const green = new SecureService(new Construct(f.stack, 'Green'), 'Api', { ...API, cluster: f.cluster });
    // WHEN / THEN
    expect(() => green.attachToListener(listener, { priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/green/*'])] }))
      .toThrow(/Stack\/Green\/Api: attachToListener\(Stack\/Alb\/Http\): the listener already has Stack\/Alb\/Http\/ApiTargetsGroup, the target group or rule of another service with the id 'Api'; services attached to one listener need different construct ids/);
  });

  test('a vpc without private subnets is rejected: tasks never run in public subnets by default', () => {
    const f = fixture();
    const vpc = ec2.Vpc.fromVpcAttributes(f.stack, 'PublicOnly', { vpcId: 'vpc-0123456789abcdef1', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-0ccccccccccccccc1'] });
    expect(() => new SecureService(f.stack, 'Api', { ...API, vpc })).toThrow(/Stack\/Api: the vpc has no private subnets, found only public ones; add private subnets, or choose subnets with vpcSubnets/);
  });

  test('vpcSubnets selecting public subnets warns that tasks without a public IP cannot pull images there; private ones do not', () => {
    const publicOnes = service({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    Annotations.fromStack(publicOnes.stack).hasWarning('/Stack/Api', Match.stringLikeRegexp(
      'vpcSubnets selects public subnets, where a Fargate task, which never gets a public IP, reaches neither the internet nor a registry: its image is pulled only from ECR',
    ));
    const privateOnes = service({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
    expect(Annotations.fromStack(privateOnes.stack).findWarning('*', Match.stringLikeRegexp('secure-service:public-subnets'))).toEqual([]);
    // On EC2 the instance pulls the image through its own network.
    const f = fixture();
    f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, launchType: SecureLaunchType.EC2, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    expect(Annotations.fromStack(f.stack).findWarning('*', Match.stringLikeRegexp('secure-service:public-subnets'))).toEqual([]);
  });

  test('attachToListener needs a container port', () => {
    const f = fixture();
    const svc = new SecureService(f.stack, 'Worker', { ...API, containerPort: undefined, cluster: f.cluster });
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    expect(() => svc.attachToListener(listener)).toThrow(/Stack\/Worker: attachToListener needs containerPort, found: undefined/);
  });
});
