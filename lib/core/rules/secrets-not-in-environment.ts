import { Control } from '../controls';
import { PlainVariable } from '../posture';
import { looksLikeSecretName } from '../secret-names';
import { redactedPassword } from '../secret-values';
import { Rule, Violation, always, eachContainer } from './rule';

const FIX = 'to secrets (Secrets Manager or SSM on ECS, a Kubernetes Secret on Kubernetes)';

export const secretsNotInEnvironment: Rule = {
  control: Control.SECRETS_NOT_IN_ENVIRONMENT,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => c.plainEnvironment.flatMap(plainSecret)),
};

// By its name, or by a value that carries a password whatever the name (`DATABASE_URL`, `SPRING_DATASOURCE_URL`).
function plainSecret(variable: PlainVariable): Omit<Violation, 'container'>[] {
  // A name only known at deploy time (ECS: a parameter in the Name, written `${...}`) may be any name.
  if (variable.name.includes('${')) {
    return [{
      setting: variable.at,
      problem: `the name of environment variable ${variable.name} is only known at deploy time: it may name a secret with a plain value`,
      fix: `write the name in the app, and move secrets ${FIX}`,
    }];
  }
  if (looksLikeSecretName(variable.name)) {
    return [{
      setting: variable.at,
      problem: variable.source === undefined
        ? `environment variable ${variable.name} looks like a secret but has a plain value`
        : `environment variable ${variable.name} looks like a secret but comes from ${variable.source}, which is plain text, not a secret store`,
      fix: `move ${variable.name} ${FIX}`,
    }];
  }
  const redacted = variable.value === undefined ? undefined : redactedPassword(variable.value);
  if (redacted === undefined) return [];
  return [{
    setting: variable.at,
    problem: `environment variable ${variable.name} holds a password in plain text (${redacted})`,
    fix: `move the password ${FIX} and build the URL at run time (on Kubernetes: a secret variable and $(NAME) in the URL), or move ${variable.name} ${FIX}`,
  }];
}
