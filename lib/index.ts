export * from './core';
export * as ecs from './ecs';
export * as k8s from './k8s';
// cdk8s.yaml `validations:` names a class exported by the package's entry point.
export { SecureServiceValidation } from './k8s/validation-plugin';
