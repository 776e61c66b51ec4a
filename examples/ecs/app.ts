// The shared service definitions as ECS services, and an Acme team service under the platform policy.
import {
  App, AppProps, Stack, aws_ec2 as ec2, aws_ecs as awsecs, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Control, ecs } from '../../lib';
import { AcmeService } from '../platform/acme-service';
import { api, web, worker } from '../services';

/** Builds the example CDK app (`props.outdir` is where `app.synth()` writes the cloud assembly). */
export function buildEcsApp(props: AppProps = {}): App {
  const app = new App(props);
  const stack = new Stack(app, 'SecureServices');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', { vpc, internetFacing: true });
  const listener = loadBalancer.addListener('Http', { port: 80, open: true });
  const dbSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'DbSecret', 'orders/db');

  const ordersApi = new ecs.SecureService(stack, 'OrdersApi', {
    ...api,
    cluster,
    secrets: { DB_PASSWORD: awsecs.Secret.fromSecretsManager(dbSecret, 'password') },
  });
  ordersApi.attachToListener(listener, { priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])] });

  new ecs.SecureService(stack, 'Web', { ...web, cluster, listener });

  // The worker's logs go through its FireLens router (Fluent Bit) to a log group of the app, kept a year.
  const invoiceLogs = new logs.LogGroup(stack, 'InvoiceLogs', { retention: logs.RetentionDays.ONE_YEAR });
  const invoices = new ecs.SecureService(stack, 'InvoiceWorker', {
    ...worker,
    cluster,
    enableExecuteCommand: true,
    logging: awsecs.LogDrivers.firelens({
      options: { Name: 'cloudwatch_logs', region: stack.region, log_group_name: invoiceLogs.logGroupName, auto_create_group: 'false', log_stream_prefix: 'worker/' },
    }),
  });
  invoiceLogs.grantWrite(invoices.taskDefinition.taskRole);
  invoices.addContainer('log-router', {
    image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4',
    essential: true,
    cpu: 0.125,
    memoryMiB: 128,
    writablePaths: ['/tmp'],
    firelens: { type: awsecs.FirelensLogRouterType.FLUENTBIT },
    user: { uid: 0, gid: 0 },
    exemptions: [{
      control: Control.RUN_AS_NON_ROOT,
      justification: 'The AWS for Fluent Bit image runs its init as root to read the FireLens socket; no non-root variant exists yet',
      ticket: 'SEC-1421',
      expires: '2027-09-30',
    }],
  });

  const acmeStack = new Stack(app, 'AcmePayments');
  const acmeVpc = new ec2.Vpc(acmeStack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  // Not behind a load balancer here: a container health check instead of the HTTP path.
  new AcmeService(acmeStack, 'Payments', { ...api, image: 'ghcr.io/acme/payments:2.0.0', vpc: acmeVpc, healthCheck: { command: ['/app/healthcheck'] } });
  return app;
}

if (require.main === module) buildEcsApp().synth();
