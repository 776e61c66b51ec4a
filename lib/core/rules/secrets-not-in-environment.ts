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
      problem: variable.source === undefined
        ? `environment variable ${variable.name} looks like a secret but has a plain value`
        : `environment variable ${variable.name} looks like a secret but comes from ${variable.source}, which is plain text, not a secret store`,
      fix: `move ${variable.name} to secrets (Secrets Manager or SSM on ECS, a Kubernetes Secret on Kubernetes)`,
    }))),
};
