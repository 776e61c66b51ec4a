import { carriedSecret } from '../carried-settings';
import { Control } from '../controls';
import { isFilePlace } from '../file-places';
import { Platform, PlainSetting, PlainVariable } from '../posture';
import { isPublicDefaultPassword } from '../public-defaults';
import { argumentSecrets } from '../secret-arguments';
import { EVERY_VARIABLE, endsInSecretWord, looksLikeSecretName, secretNameWord, upperSnake } from '../secret-names';
import { isAgentReference, knownCredential, mayBePassword, redactedPassword, secretDynamicReference } from '../secret-values';
import { Rule, Violation, always, eachContainer } from './rule';

const FIX = 'to secrets (Secrets Manager or SSM on ECS, a Kubernetes Secret on Kubernetes)';

export const secretsNotInEnvironment: Rule = {
  control: Control.SECRETS_NOT_IN_ENVIRONMENT,
  appliesTo: always,
  check: (workload) => {
    const judge = (setting: PlainSetting) => plainSettingSecret(setting, workload.platform);
    const found: Violation[] = workload.plainSettings?.length ? workload.plainSettings.flatMap(judge) : [];
    return found.concat(eachContainer(workload, (c) => {
      const inContainer = plainSecrets(c.plainEnvironment, workload.platform);
      if (c.plainSettings?.length) inContainer.push(...c.plainSettings.flatMap(judge));
      if (!c.commandLine?.length) return inContainer;
      return inContainer.concat(argumentSecrets(c.commandLine, { plainNames: c.plainEnvironment.map((v) => v.name) })
        .map(({ at, problem }) => ({ setting: at, problem, fix: argumentFix(workload.platform) })));
    }));
  },
};

function argumentFix(platform: Platform): string {
  return platform === 'kubernetes'
    ? 'put the value in a Kubernetes Secret, give it to the container as a secret variable (a SecureService: secrets) and write $(NAME) in the argument, '
      + 'or read it from a file (secretsAsFiles)'
    : 'put the value in Secrets Manager or SSM, give it to the container as a secret (a SecureService: secrets, an ecs.Secret) and read it from the environment '
      + 'in a shell, since a command runs none (sh -c \'exec app --password "$NAME"\'), or from a file';
}

// Each variable judged with those before it, their `$(NAME)`s expanded as Kubernetes expands them: in order, so a
// reference to a reference is the value it ends at.
function plainSecrets(variables: readonly PlainVariable[], platform: Platform): Omit<Violation, 'container'>[] {
  const found: Omit<Violation, 'container'>[] = [];
  const before: PlainVariable[] = [];
  for (const variable of variables) {
    const read = platform === 'kubernetes' ? { ...variable, value: expandedOnKubernetes(variable.value, before) } : variable;
    // On Kubernetes an option's `$(NAME)` of an earlier plain variable is a plain value too.
    found.push(...plainSecret(read, platform === 'kubernetes' ? before.map((v) => v.name) : []));
    before.push(read);
  }
  return found;
}

// By its name unless its value plainly holds none, or by a value that carries a secret whatever the name (`DATABASE_URL`,
// `SPRING_DATASOURCE_URL`, `SPRING_APPLICATION_JSON`). `plainNames`: the plain variables a reference in it may take.
function plainSecret(variable: PlainVariable, plainNames: readonly string[]): Omit<Violation, 'container'>[] {
  // Variables whose names no output shows (an ECS environment file) may be any names, secrets among them.
  if (variable.name === EVERY_VARIABLE && variable.source !== undefined) {
    return [{
      setting: variable.at,
      problem: `every variable of ${variable.source} is a plain environment variable whose name and value are unknown here: any of them may be a secret`,
      fix: `keep secrets out of ${variable.source} and move them ${FIX}`,
    }];
  }
  // A name only known at deploy time (ECS: a parameter or a dynamic reference in the Name, written `${...}`) may be any name.
  if (variable.name.includes('${')) {
    return [{
      setting: variable.at,
      problem: `the name of environment variable ${variable.name} is only known at deploy time: it may name a secret with a plain value`,
      fix: `write the name in the app, and move secrets ${FIX}`,
    }];
  }
  const word = secretNameWord(variable.name);
  if (word !== undefined && variable.secretLocation === undefined && !plainlyNoSecretInVariable(variable.value, variable.name)) {
    return [{
      setting: variable.at,
      problem: variable.source === undefined
        ? `environment variable ${variable.name} looks like a secret but has a plain value (its name says ${word})`
        : `environment variable ${variable.name} looks like a secret but comes from ${variable.source}, which is plain text, not a secret store`,
      fix: `move ${variable.name} ${FIX}`,
    }];
  }
  const value = withParameterValues(variable.value, variable.parameters);
  const held = valueSecret(value, variable.secretBy);
  if (held !== undefined) return [{ setting: variable.at, problem: `environment variable ${variable.name} holds ${held.text}`, fix: VALUE_FIXES[held.kind](variable.name) }];
  const carried = value === undefined ? undefined : carriedSecret(value, plainNames, plainlyNoCarriedSecret);
  return carried === undefined ? [] : [{ setting: variable.at, problem: `environment variable ${variable.name} holds ${carried}`, fix: `move the secret ${FIX}` }];
}

// A variable's value that plainly holds no secret: a switch (MYSQL_RANDOM_ROOT_PASSWORD=yes or 1, OAUTH2_PROXY_PASS_ACCESS_TOKEN=true),
// nothing, a secret's ARN, or a file's place (GOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/key.json, Spring's file: and classpath:
// locations); given its `name`, an auth setting's mechanism (DB_AUTH=iam) or a public default password. Not another
// number, which may be a PIN.
function plainlyNoSecretInVariable(value: string | undefined, name?: string): boolean {
  if (value === undefined) return false;
  if (SWITCH.test(value) || isFilePlace(value) || SECRET_ARN.test(value)) return true;
  return name !== undefined && ((AUTH_SETTING.test(upperSnake(name)) && AUTH_MECHANISM.test(value)) || isPublicDefaultPassword(name, value));
}

// Where a secret is kept, written out (an imported secret's ARN): the app fetches the secret itself.
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]*:\d*:secret:|ssm:[a-z0-9-]*:\d*:parameter\/)\S+$/;

// A setting named for an auth feature as a whole (AUTH, DB_AUTH, Keycloak's KC_HTTPS_CLIENT_AUTH), which a mechanism's name may be.
const AUTH_SETTING = /(^|_)AUTH$/;

// A setting inside a value (JSON, options, pairs): as a variable's, an auth mechanism's name (`auth=basic`), and what a
// password parameter may be without being one (a reference filled in later, a placeholder), after an auth scheme
// (`Authorization=Bearer $(OTEL_TOKEN)`).
function plainlyNoCarriedSecret(text: string): boolean {
  if (text === '' || plainlyNoSecretInVariable(text) || AUTH_MECHANISM.test(text)) return true;
  return !mayBePassword(text.replace(/^(Basic|Bearer|Token|ApiKey)(\s+|%20)/i, ''));
}

const AUTH_MECHANISM = /^(basic|digest|bearer|oidc|oauth2?|ldap|saml|jwt|kerberos|ntlm|mtls|anonymous|iam|x509|request)$/i;

// Kubernetes replaces `$(NAME)` in a value with the value of a variable defined before it: a plain one's is plain text
// in the manifest (`DATABASE_URL=postgres://app:$(DB_PASS)@db/app` with `DB_PASS=hunter2`).
function expandedOnKubernetes(value: string | undefined, before: readonly PlainVariable[]): string | undefined {
  if (value === undefined || !value.includes('$(') || before.length === 0) return value;
  // `$$(NAME)` is the text `$(NAME)`, not a reference; a name defined twice has the value defined last.
  const valueOf = (name: string) => {
    for (let i = before.length - 1; i >= 0; i--) if (before[i].name === name) return before[i].value;
    return undefined;
  };
  const expanded = value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (written, name?: string) => (name === undefined ? written : valueOf(name) ?? written));
  // References that double at each step would grow without end: past a bound, the value is judged as written.
  return expanded.length > MAX_EXPANDED ? value : expanded;
}

const MAX_EXPANDED = 1_048_576;

// A stack parameter's `${Name}` is the value CloudFormation writes in, plain text: read as a value, not as a reference
// (`postgres://app:${DbPassword}@db/app`, `-Dspring.datasource.password=${DbPassword}`), as the command line reads it.
function withParameterValues(value: string | undefined, parameters: readonly string[] | undefined): string | undefined {
  if (value === undefined || !parameters?.length) return value;
  return value.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (written, name: string) => (parameters.includes(name) ? `(${name})` : written));
}

const VALUE_FIXES: Record<HeldSecret['kind'], (name: string) => string> = {
  secret: () => `pass the secret ${FIX} (ECS: the container's secrets), not its value`,
  password: (name) => `move the password ${FIX} and build the URL at run time (on Kubernetes: a secret variable and $(NAME) in the URL), or move ${name} ${FIX}`,
  credential: (name) => `move ${name} ${FIX}`,
};

/** What a plain value holds that is a secret whatever its name, described for a problem. */
interface HeldSecret {
  readonly kind: 'secret' | 'password' | 'credential';
  readonly text: string;
}

// A secret CloudFormation writes into the output (a dynamic reference, a secret attribute), a password in a URL,
// or a credential whose form gives it away (a token prefix, a private key).
function valueSecret(value: string | undefined, secretBy: string | undefined): HeldSecret | undefined {
  const reference = value === undefined ? undefined : secretDynamicReference(value);
  const secret = secretBy ?? (reference === undefined ? undefined : `the secret ${reference}, which CloudFormation resolves into the value`);
  if (secret !== undefined) return { kind: 'secret', text: `${secret}: the secret is plain text in the output` };
  const redacted = value === undefined ? undefined : redactedPassword(value);
  if (redacted !== undefined) return { kind: 'password', text: `a password in plain text (${redacted})` };
  const credential = value === undefined ? undefined : knownCredential(value);
  return credential === undefined ? undefined : { kind: 'credential', text: `${credential.kind} in plain text (${credential.redacted})` };
}

// A log driver option, a Docker label or another field: a secret by its value, or by a meaningful name that says
// what it holds unless the value plainly is none (a switch, a file's place, a reference an agent fills in:
// AWS_Auth On, syslog-tls-key /etc/ssl/key.pem); not a number, which may be a key or a PIN.
function plainSettingSecret(setting: PlainSetting, platform: Platform): Omit<Violation, 'container'>[] {
  const what = `${setting.kind} ${setting.name}`;
  const held = valueSecret(setting.value, setting.secretBy);
  if (held !== undefined) return [{ setting: setting.at, problem: `${what} holds ${held.text}`, fix: setting.fix }];
  if (!nameSaysSecret(setting) || plainlyNoSecret(setting.value, platform)) return [];
  return [{ setting: setting.at, problem: `${what} looks like a secret but has a plain value`, fix: setting.fix }];
}

function nameSaysSecret(setting: PlainSetting): boolean {
  if (setting.meaningfulName === undefined) return false;
  return setting.judgedByLastWord ? endsInSecretWord(setting.meaningfulName) : looksLikeSecretName(setting.meaningfulName);
}

function plainlyNoSecret(value: string | undefined, platform: Platform): boolean {
  if (value === undefined) return false;
  if (plainlyNoSecretInVariable(value) || isAgentReference(value)) return true;
  // On Kubernetes `${VAR}` is the reading tool's reference to its environment (Elastic's hints); on ECS the same
  // text is how the templates' reader writes a parameter only known at deploy time, whose value is plain text.
  return platform === 'kubernetes' && /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value);
}

// A switch or a mode of an auth setting (AWS_Auth On, Datadog's bearer_token_auth tls_only, kerberos_auth disabled), 1 or 0
// (MySQL's MYSQL_RANDOM_ROOT_PASSWORD=1, DISABLE_AUTH=1), or nothing.
const SWITCH = /^(|0|1|on|off|true|false|yes|no|enabled|disabled|required|optional|none|tls_only)$/i;

