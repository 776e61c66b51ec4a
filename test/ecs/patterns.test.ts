/**
 * aws-ecs-patterns services are task definitions other code created: the checks judge them, and the
 * README's recipe hardens them (through a `taskDefinition` where the pattern takes one, else through
 * property overrides).
 */
import { RemovalPolicy, Stack, Validations, aws_ecs as ecs, aws_ecs_patterns as patterns, aws_logs as logs, aws_sqs as sqs } from 'aws-cdk-lib';
import { fixture, synth, synthError } from './fixtures';
import { SecureServiceChecks } from '../../lib/ecs';

function checkedFixture() {
  const f = fixture();
  Validations.of(f.app).addPlugins(new SecureServiceChecks());
  const logGroup = new logs.LogGroup(f.stack, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
  return { ...f, logGroup };
}

function queueWorker(stack: Stack, cluster: ecs.Cluster, logDriver?: ecs.LogDriver): patterns.QueueProcessingFargateService {
  return new patterns.QueueProcessingFargateService(stack, 'Worker', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/worker:1.0.0'),
    queue: new sqs.Queue(stack, 'Jobs', { enforceSSL: true }),
    cpu: 256,
    memoryLimitMiB: 512,
    logDriver,
  });
}

const UNHARDENED = ['RUN_AS_NON_ROOT', 'READ_ONLY_ROOT_FILESYSTEM', 'DROP_ALL_CAPABILITIES', 'NO_PRIVILEGE_ESCALATION', 'RESOURCE_LIMITS', 'LOGGING'];

/** The controls synthesizing `stack` fails on. */
function failedControls(stack: Stack): string[] {
  return [...new Set([...synthError(stack).matchAll(/ERROR \[(\w+)\]/g)].map((m) => m[1]))].sort();
}

describe('QueueProcessingFargateService, which builds its own task definition', () => {
  test('as the pattern builds it, it fails the controls it does not set', () => {
    const { stack, cluster } = checkedFixture();
    queueWorker(stack, cluster);
    expect(failedControls(stack)).toEqual([...UNHARDENED].sort());
  });

  test('hardened with the README\'s property overrides and a log group with a retention, it passes', () => {
    const { stack, cluster, logGroup } = checkedFixture();
    const worker = queueWorker(stack, cluster, ecs.LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup }));
    // The README's recipe.
    const task = worker.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    task.addPropertyOverride('ContainerDefinitions.0.User', '65532:65532');
    task.addPropertyOverride('ContainerDefinitions.0.ReadonlyRootFilesystem', true);
    task.addPropertyOverride('ContainerDefinitions.0.Memory', 512);
    task.addPropertyOverride('ContainerDefinitions.0.LinuxParameters', { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true });
    expect(() => synth(stack)).not.toThrow();
    synth(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [{ User: '65532:65532', ReadonlyRootFilesystem: true, LinuxParameters: { Capabilities: { Drop: ['ALL'] } } }],
    });
  });
});

describe('ApplicationLoadBalancedFargateService, which takes a task definition', () => {
  test('with taskImageOptions it fails the controls it does not set', () => {
    const { stack, cluster } = checkedFixture();
    new patterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
      cluster,
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/web:1.0.0'), containerPort: 8080 },
    });
    expect(failedControls(stack)).toEqual([...UNHARDENED].sort());
  });

  test('given a hardened FargateTaskDefinition (the README\'s recipe), it passes', () => {
    const { stack, cluster, logGroup } = checkedFixture();
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    taskDefinition.addVolume({ name: 'tmp' });
    const web = taskDefinition.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/web:1.0.0'),
      user: '65532:65532',
      readonlyRootFilesystem: true,
      memoryLimitMiB: 512,
      linuxParameters: new ecs.LinuxParameters(stack, 'LinuxParameters', { initProcessEnabled: true }),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logGroup }),
      portMappings: [{ containerPort: 8080 }],
    });
    web.linuxParameters!.dropCapabilities(ecs.Capability.ALL);
    web.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    new patterns.ApplicationLoadBalancedFargateService(stack, 'Web', { cluster, taskDefinition, circuitBreaker: { rollback: true } });
    expect(() => synth(stack)).not.toThrow();
  });
});
