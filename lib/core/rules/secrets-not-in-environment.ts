import { Control } from '../controls';
import { Platform, PlainVariable } from '../posture';
import { argumentSecrets } from '../secret-arguments';
import { EVERY_VARIABLE, looksLikeSecretName } from '../secret-names';
import { knownCredential, redactedPassword, secretDynamicReference } from '../secret-values';
import { Rule, Violation, always, eachContainer } from './rule';

const FIX = 'to secrets (Secrets Manager or SSM on ECS, a Kubernetes Secret on Kubernetes)';

export const secretsNotInEnvironment: Rule = {
  control: Control.SECRETS_NOT_IN_ENVIRONMENT,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => {
    const found = c.plainEnvironment.flatMap(plainSecret);
    if (!c.commandLine?.length) return found;
    return found.concat(argumentSecrets(c.commandLine, { plainNames: c.plainEnvironment.map((v) => v.name) })
      .map(({ at, problem }) => ({ setting: at, problem, fix: argumentFix(workload.platform) })));
  }),
};

function argumentFix(platform: Platform): string {
  return platform === 'kubernetes'
    ? 'put the value in a Kubernetes Secret, give it to the container as a secret variable (a SecureService: secrets) and write $(NAME) in the argument, '
      + 'or read it from a file (secretsAsFiles)'
    : 'put the value in Secrets Manager or SSM, give it to the container as a secret (a SecureService: secrets, an ecs.Secret) and read it from the environment '
      + 'in a shell, since a command runs none (sh -c \'exec app --password "$NAME"\'), or from a file';
}

// By its name, or by a value that carries a password whatever the name (`DATABASE_URL`, `SPRING_DATASOURCE_URL`).
function plainSecret(variable: PlainVariable): Omit<Violation, 'container'>[] {
  // Variables whose names no output shows (an ECS environment file) may be any names, secrets among them.
  if (variable.name === EVERY_VARIABLE && variable.source !== undefined) {
    return [{
      setting: variable.at,
      problem: `every variable of ${variable.source} is a plain environment variable whose name and value are unknown here: any of them may be a secret`,
      fix: `keep secrets out of ${variable.source} and move them ${FIX}`,
    }];
  }
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
  return secretByConstruction(variable) ?? plainPassword(variable) ?? plainCredential(variable);
}

// A value that is a secret whatever the name: CloudFormation writes the secret itself into the output.
function secretByConstruction(variable: PlainVariable): Omit<Violation, 'container'>[] | undefined {
  const reference = variable.value === undefined ? undefined : secretDynamicReference(variable.value);
  const secret = variable.secretBy ?? (reference === undefined ? undefined : `the secret ${reference}, which CloudFormation resolves into the value`);
  if (secret === undefined) return undefined;
  return [{
    setting: variable.at,
    problem: `environment variable ${variable.name} holds ${secret}: the secret is plain text in the output`,
    fix: `pass the secret ${FIX} (ECS: the container's secrets), not its value`,
  }];
}

function plainPassword(variable: PlainVariable): Omit<Violation, 'container'>[] | undefined {
  const redacted = variable.value === undefined ? undefined : redactedPassword(variable.value);
  if (redacted === undefined) return undefined;
  return [{
    setting: variable.at,
    problem: `environment variable ${variable.name} holds a password in plain text (${redacted})`,
    fix: `move the password ${FIX} and build the URL at run time (on Kubernetes: a secret variable and $(NAME) in the URL), or move ${variable.name} ${FIX}`,
  }];
}

// A credential whose form gives it away (a token prefix, a private key), whatever the variable is called.
function plainCredential(variable: PlainVariable): Omit<Violation, 'container'>[] {
  const credential = variable.value === undefined ? undefined : knownCredential(variable.value);
  if (credential === undefined) return [];
  return [{
    setting: variable.at,
    problem: `environment variable ${variable.name} holds ${credential.kind} in plain text (${credential.redacted})`,
    fix: `move ${variable.name} ${FIX}`,
  }];
}
