import { aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import { API, exemption, fixture, service, synth } from './fixtures';
import { Control } from '../../lib/core';
import { SecureService, SecureServiceProps } from '../../lib/ecs';

describe('bad props fail at construction, naming prop, value and fix', () => {
  const CASES: [string, Partial<SecureServiceProps>, RegExp][] = [
    ['negative uid', { user: { uid: -1 } }, /user\.uid must be a non-negative whole number, found: -1; .*use the numeric uid/],
    ['fractional gid', { user: { uid: 1000, gid: 1.5 } }, /user\.gid must be a non-negative whole number, found: 1\.5/],
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
    expect(() => synth(stack)).toThrow(/cpu and memoryMiB add up to 0\.5 vCPU and 768 MiB over containers app, proxy: with 0\.5 vCPU Fargate offers memoryMiB 1024, 2048, 3072, 4096, found: 768/);
  });

  test('addContainer rejects bad options, a duplicate name and exemptions for another container', () => {
    const { svc } = service();
    expect(() => svc.addContainer('app', { image: 'x:1' })).toThrow(/addContainer\('app'\): a container named "app" already exists/);
    expect(() => svc.addContainer('side', { image: 'x:1', containerPort: -1 })).toThrow(/addContainer\('side'\): containerPort must be a whole number/);
    expect(() => svc.addContainer('side', { image: 'x:1', exemptions: [exemption(Control.RUN_AS_NON_ROOT, { container: 'app' })] }))
      .toThrow(/addContainer\('side'\): exemptions\[0\] names container "app", but a sidecar's exemptions cover only the sidecar/);
  });

  test('a vpc without private subnets is rejected: tasks never run in public subnets by default', () => {
    const f = fixture();
    const vpc = ec2.Vpc.fromVpcAttributes(f.stack, 'PublicOnly', { vpcId: 'vpc-0123456789abcdef1', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-0ccccccccccccccc1'] });
    expect(() => new SecureService(f.stack, 'Api', { ...API, vpc })).toThrow(/Stack\/Api: the vpc has no private subnets, found only public ones; add private subnets, or choose subnets with vpcSubnets/);
  });

  test('attachToListener needs a container port', () => {
    const f = fixture();
    const svc = new SecureService(f.stack, 'Worker', { ...API, containerPort: undefined, cluster: f.cluster });
    const listener = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });
    expect(() => svc.attachToListener(listener)).toThrow(/Stack\/Worker: attachToListener needs containerPort, found: undefined/);
  });
});
