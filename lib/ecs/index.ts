export * from './props';
export * from './secure-service';
export * from './checks';
export * from './posture';
export * from './fargate-compatibility';
export * from './fargate-sizes';
export * from './acknowledgements';
export { ECS_EXEC_WRITABLE_PATHS } from './container-rendering';
export type { CfnTemplate, CfnResourceJson } from './template-values';
