/**
 * Props that a service definition copied from another construct library carries under that library's
 * names (aws-ecs-patterns, aws-ecs, cdk8s-plus): what a SecureService takes instead. An unknown prop
 * otherwise only gets the closest known name (`env`: "did you mean cpu?").
 */
const VARIABLES = 'the variables are environment (plain values) and secrets (from Secrets Manager, SSM or a Kubernetes Secret)';
const MEMORY = 'the memory is memoryMiB, the container\'s hard limit (on Kubernetes its request too)';
const USER = 'the user is user: { uid, gid }, numeric';
const PORT = 'the port the container listens on is containerPort';

export const PROPS_NAMED_ELSEWHERE: Readonly<Record<string, string>> = {
  env: VARIABLES,
  envVariables: VARIABLES,
  environmentVariables: VARIABLES,
  memoryLimitMiB: MEMORY,
  memoryReservationMiB: MEMORY,
  desiredCount: 'the number of tasks or pods is replicas',
  runAsUser: USER,
  runAsGroup: USER,
  port: PORT,
  portMappings: PORT,
  taskImageOptions: 'image, containerPort, environment and secrets are props of the service itself',
};
