import { aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs } from 'aws-cdk-lib';
import { SecureContainerOptions, SecureServiceSpec } from '../core';

/** Where the service's tasks run. */
export enum SecureLaunchType {
  /** AWS Fargate: no hosts to manage or harden. */
  FARGATE = 'FARGATE',
  /** EC2 container instances of the cluster (the cluster needs capacity). */
  EC2 = 'EC2',
}

/** ECS-only settings of one container, added to the shared ones. */
export interface EcsContainerOptions {
  /**
   * The image: a reference such as `ghcr.io/acme/api:1.4.2` (pin it; a digest is best), or any
   * aws-cdk-lib ContainerImage (e.g. `ContainerImage.fromAsset(...)`).
   */
  readonly image: string | ecs.ContainerImage;
  /**
   * Environment variables injected from Secrets Manager or SSM Parameter Store: each value an
   * `ecs.Secret` (`ecs.Secret.fromSecretsManager(...)`, `ecs.Secret.fromSsmParameter(...)`), not an ARN
   * or the Kubernetes target's `{ secretName, key }`.
   * @default - none
   */
  readonly secrets?: { readonly [name: string]: ecs.Secret };
  /**
   * Where the container's logs go: an aws-cdk-lib log driver, e.g. `ecs.LogDrivers.firelens({ options:
   * { Name: 'cloudwatch_logs', ... } })` to send them through the task's FireLens router (a sidecar added
   * with `firelens`). The LOGGING control judges the result: a driver that keeps logs on the host, or a
   * FireLens output that keeps none of them, fails synthesis.
   * @default - awslogs to the service's log group, which has a retention period
   */
  readonly logging?: ecs.LogDriver;
}

/** A sidecar: a container of the same task with the same hardening and its own exemptions. */
export interface SecureSidecarOptions extends SecureContainerOptions, EcsContainerOptions {
  /**
   * Whether the task stops when this container stops.
   * @default true
   */
  readonly essential?: boolean;
  /**
   * Makes the container the task's FireLens log router (Fluent Bit), which other containers can log through.
   * @default - not a log router
   */
  readonly firelens?: ecs.FirelensConfig;
}

/** Props of `ecs.SecureService`: the shared service definition plus what only ECS needs. */
export interface SecureServiceProps extends SecureServiceSpec, EcsContainerOptions {
  /**
   * The cluster to run in. Give `cluster` or `vpc`, not both.
   * @default - a new cluster in `vpc`, with Container Insights enabled
   */
  readonly cluster?: ecs.ICluster;
  /**
   * The VPC for a new cluster, when no `cluster` is given.
   * @default - none: one of `cluster` or `vpc` is required
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets tasks run in. Public subnets are possible but tasks never get a public IP.
   * @default - the VPC's private subnets with egress, else its isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Fargate or EC2.
   * @default SecureLaunchType.FARGATE
   */
  readonly launchType?: SecureLaunchType;
  /**
   * The main container's name; exemptions name it in `container`.
   * @default 'app'
   */
  readonly containerName?: string;
  /**
   * ECS Exec (`aws ecs execute-command`). Adds the writable paths the SSM agent needs
   * (`/managed-agents`, `/var/lib/amazon/ssm`, `/var/log/amazon/ssm`) to every container and the
   * ssmmessages permissions to the task role, so it works with the read-only root filesystem.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * An Application Load Balancer listener to attach to (see `attachToListener`). The security group
   * then admits the container port (and `healthCheck.port`) from the load balancer.
   * @default - not load balanced
   */
  readonly listener?: elbv2.IApplicationListener;
  /**
   * Peers allowed to reach the container port (only that port is ever opened).
   * @default - none (besides a load balancer attached through `listener`)
   */
  readonly allowFrom?: ec2.IConnectable[];
  /**
   * How long the awslogs log group keeps logs: one of `logs.RetentionDays` (CloudWatch Logs takes no other
   * number). `INFINITE` removes the retention period, which weakens LOGGING.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** How the service joins a load balancer listener. */
export interface AttachToListenerOptions {
  /**
   * The listener rule's priority; needed with `conditions` when the listener already has a default action.
   * @default - the service becomes the listener's default action
   */
  readonly priority?: number;
  /**
   * The conditions of the listener rule, e.g. `ListenerCondition.pathPatterns(['/api/*'])`.
   * @default - none
   */
  readonly conditions?: elbv2.ListenerCondition[];
}
