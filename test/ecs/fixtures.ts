import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, aws_ec2 as ec2, aws_ecs as ecs } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Exemption } from '../../lib/core';
import { SecureService, SecureServiceProps } from '../../lib/ecs';

/** The fixed "today" of every test app, so expiry checks never depend on the clock. */
export const TODAY = '2026-06-01';

export interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
}

export function fixture(context: Record<string, unknown> = {}): Fixture {
  const app = new App({ context: { 'secure-service:today': TODAY, ...context } });
  const stack = new Stack(app, 'Stack');
  // An imported VPC keeps templates small and synthesis fast; the service only needs its subnets.
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    publicSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  return { app, stack, vpc, cluster };
}

export const API: Omit<SecureServiceProps, 'cluster' | 'vpc'> = {
  image: 'ghcr.io/acme/api:1.4.2',
  containerPort: 8080,
  cpu: 0.25,
  memoryMiB: 512,
  replicas: 2,
  writablePaths: ['/tmp'],
  healthCheck: { command: ['/app/healthcheck'] },
};

/** A service with the shared API definition plus `props`, in a fresh app. */
export function service(props: Partial<SecureServiceProps> = {}, context: Record<string, unknown> = {}) {
  const f = fixture(context);
  const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, ...props });
  return { ...f, svc };
}

/** The synthesized template (synthesis runs the checks, and throws when they fail). */
export function synth(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The message synthesizing `stack` fails with, or '' when it succeeds. */
export function synthError(stack: Stack): string {
  try {
    synth(stack);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** The violations of the validation report CDK writes next to the templates. */
export function reportedViolations(app: App): { ruleName: string; severity: string; description: string }[] {
  const assembly = app.synth();
  const file = path.join(assembly.directory, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  return (report.pluginReports ?? []).filter((r: any) => r.pluginName === 'secure-service')
    .flatMap((r: any) => r.violations ?? []);
}

export function exemption(control: Exemption['control'], more: Partial<Exemption> = {}): Exemption {
  return { control, justification: `Vendor image needs this; reviewed by the platform team in ${control}`, ...more };
}
