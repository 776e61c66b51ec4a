/**
 * ECS scenarios: N services built with `ecs.SecureService` ("ours") or with the aws-cdk-lib L2s and the
 * same hardening written out by hand ("hand"), spread over stacks the same way on both sides.
 */
import { App, Stack, aws_ec2 as ec2, aws_ecs as ecs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { library } from './library';

/**
 * Services per stack, on both sides. One service is 7 resources on either side (task definition, task
 * and execution roles, the execution role's policy, log group, service, security group), so 50 stay
 * far below CloudFormation's 500 resources per stack.
 */
export const SERVICES_PER_STACK = 50;

/** The one service definition every scenario instantiates N times. */
export const SERVICE = {
  image: 'ghcr.io/acme/api:1.4.2',
  containerPort: 8080,
  cpu: 0.25,
  memoryMiB: 512,
  replicas: 2,
  writablePaths: ['/tmp'],
  environment: { LOG_LEVEL: 'info' },
  healthCheck: { command: ['/app/healthcheck'] },
} as const;

type ServiceFactory = (stack: Stack, id: string, cluster: ecs.ICluster) => void;

/** `ecs.SecureService`: every setting from its secure defaults. */
const ours: ServiceFactory = (stack, id, cluster) => {
  const { SecureService } = library().ecs;
  new SecureService(stack, id, {
    ...SERVICE, writablePaths: [...SERVICE.writablePaths], healthCheck: { command: [...SERVICE.healthCheck.command] }, cluster,
  });
};

/** The same resources with the L2s: what a careful engineer writes without the library. */
const hand: ServiceFactory = (stack, id, cluster) => {
  const scope = new Construct(stack, id);
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', { cpu: 256, memoryLimitMiB: SERVICE.memoryMiB });
  const linuxParameters = new ecs.LinuxParameters(scope, 'appLinuxParameters', { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  const container = taskDefinition.addContainer('app', {
    containerName: 'app',
    image: ecs.ContainerImage.fromRegistry(SERVICE.image),
    essential: true,
    user: '65532:65532',
    readonlyRootFilesystem: true,
    linuxParameters,
    cpu: 256,
    memoryLimitMiB: SERVICE.memoryMiB,
    environment: { ...SERVICE.environment },
    portMappings: [{ containerPort: SERVICE.containerPort, protocol: ecs.Protocol.TCP }],
    healthCheck: { command: ['CMD', ...SERVICE.healthCheck.command] },
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'app' }),
  });
  taskDefinition.addVolume({ name: 'app-tmp' });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'app-tmp', readOnly: false });
  new ecs.FargateService(scope, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: SERVICE.replicas,
    assignPublicIp: false,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    circuitBreaker: { rollback: true },
    enableExecuteCommand: false,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    platformVersion: ecs.FargatePlatformVersion.LATEST,
  });
};

/** Which side builds the services. */
export type Side = 'ours' | 'hand';

/**
 * An app with `n` services in stacks of SERVICES_PER_STACK. Each stack imports the same VPC (no
 * resources) and has its own cluster, so no stack references another (no exports, no ordering).
 * CDK's built-in CloudFormation validation is off on both sides unless `cdkValidation` says otherwise:
 * it costs the same on both, and leaving it out keeps the denominator honest (only what building and
 * synthesizing the resources costs). On (CDK's default, what `cdk synth` runs), it costs several
 * times the synthesis itself, and CDK's validation machinery, which our plugin otherwise pays alone,
 * runs on both sides.
 */
export function buildEcsApp(side: Side, n: number, outdir: string, cdkValidation = false): App {
  const app = new App({ outdir, builtinCloudFormationValidation: cdkValidation, context: { 'secure-service:today': '2026-06-01' } });
  const factory = side === 'ours' ? ours : hand;
  for (let first = 0; first < n; first += SERVICES_PER_STACK) {
    const stack = new Stack(app, `Services${first / SERVICES_PER_STACK}`);
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
      publicSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
    });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    for (let i = first; i < Math.min(n, first + SERVICES_PER_STACK); i++) factory(stack, `Service${i}`, cluster);
  }
  return app;
}

/**
 * The app-wide check alone: synthesizes the hand-written app (no plugin registered, so nothing is
 * checked), then returns the call that runs `SecureServiceChecks.validate` over its assembly once.
 */
export function prepareEcsChecks(n: number, outdir: string): () => { violations: number } {
  const app = buildEcsApp('hand', n, outdir);
  const assembly = app.synth();
  const stackTemplates = assembly.stacks.map((s) => ({
    stackConstructPath: s.hierarchicalId, templatePath: s.templateFullPath, accountId: undefined, region: undefined,
  }));
  // Read before the clock (the warm-up loaded it): what is measured is the check.
  const { SecureServiceChecks } = library().ecs;
  return () => {
    const report = new SecureServiceChecks().validate({
      templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates, appConstruct: app,
    });
    return { violations: report.violations.length };
  };
}
