// Service definitions shared by both targets: spread one object into ecs.SecureService or k8s.SecureService.
import { SecureServiceSpec } from '../lib';

/** A shared definition: the neutral spec plus an image reference both targets accept. */
export type ServiceDefinition = SecureServiceSpec & { readonly image: string };

/**
 * An HTTP API on a distroless image: writes only to /tmp, reads its database password from a secret,
 * and serves its health on a management port that the load balancer checks and no Service exposes.
 */
export const api: ServiceDefinition = {
  image: 'ghcr.io/acme/orders-api:1.4.2',
  containerPort: 8080,
  cpu: 0.25,
  memoryMiB: 512,
  replicas: 2,
  writablePaths: ['/tmp'],
  environment: { LOG_LEVEL: 'info', DB_HOST: 'orders.db.internal' },
  healthCheck: { path: '/healthz', port: 8081 },
};

/** nginx on the unprivileged image: listens on 8080 (map 80 at the load balancer), writes its cache and pid file. */
export const web: ServiceDefinition = {
  image: 'public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine',
  containerPort: 8080,
  cpu: 0.25,
  memoryMiB: 512,
  replicas: 2,
  user: { uid: 101, gid: 101 },
  writablePaths: ['/var/cache/nginx', '/tmp'],
  healthCheck: { path: '/' },
};

/**
 * A queue worker with no port; each target adds its own log-shipping sidecar (on Fargate the task
 * size is the sum: 0.375 + 0.125 vCPU and 896 + 128 MiB make the 0.5 vCPU / 1 GiB size Fargate offers).
 */
export const worker: ServiceDefinition = {
  image: 'ghcr.io/acme/invoice-worker:3.0.1',
  cpu: 0.375,
  memoryMiB: 896,
  replicas: 1,
  writablePaths: ['/tmp'],
  environment: { QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/invoices' },
  healthCheck: { command: ['/app/healthcheck'] },
};
