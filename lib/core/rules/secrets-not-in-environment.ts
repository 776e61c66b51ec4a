import { Control } from '../controls';
import { looksLikeSecretName } from '../secret-names';
import { Rule, always, eachContainer } from './rule';

export const secretsNotInEnvironment: Rule = {
  control: Control.SECRETS_NOT_IN_ENVIRONMENT,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => c.plainEnvironment
    .filter((variable) => looksLikeSecretName(variable.name))
    .map((variable) => ({
      setting: variable.at,
      problem: `environment variable ${variable.name} looks like a secret but has a plain value`,
      fix: `move ${variable.name} to secrets (Secrets Manager or SSM on ECS, a Kubernetes Secret on Kubernetes)`,
    }))),
};
