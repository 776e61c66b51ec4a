export * from './core';
export * as ecs from './ecs';
export * as k8s from './k8s';
