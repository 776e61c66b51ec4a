/**
 * The settings of a container definition besides its environment and command lines that the task
 * definition holds in plain text, and that a secret could be written into: the log driver's options
 * (a Splunk token, a FireLens output's password), the Docker labels, and every other text of it
 * (a Hostname or WorkingDirectory that resolves a secret).
 */
import { PlainSetting } from '../core';
import { secretPart } from './plain-environment';
import { AppIndex, Json, TemplateScope, isIntrinsic, isObject, resolveText } from './template-values';
import { jsonTexts } from '../core/json-texts';

const LOG_OPTION_FIX = 'pass it in the log configuration\'s SecretOptions, which ECS reads from Secrets Manager or SSM '
  + '(CDK: the secretOptions of ecs.LogDrivers.firelens, a secretToken for ecs.LogDrivers.splunk)';
const LABEL_FIX = 'remove it from the Docker labels, which the task definition and the host (docker inspect) show in plain text, '
  + 'and give the container the secret from Secrets Manager or SSM (ECS: the container\'s secrets)';
const FIELD_FIX = 'remove it: ECS shows every field of a container definition in plain text (DescribeTaskDefinition), '
  + 'and give the container the secret from Secrets Manager or SSM (ECS: the container\'s secrets)';

// Fields that other readers judge for secrets (the environment, the command lines, the log options), or that
// name where a secret is kept by design (Secrets, RepositoryCredentials, the log configuration's SecretOptions).
const JUDGED_ELSEWHERE = new Set(['Environment', 'EnvironmentFiles', 'Secrets', 'RepositoryCredentials', 'LogConfiguration', 'DockerLabels', 'EntryPoint', 'Command', 'HealthCheck']);

/** The log driver options, Docker labels and other texts of container definition `c`, whose path is `path`. */
export function readPlainSettings(app: AppIndex, scope: TemplateScope, c: Json, path: string): PlainSetting[] {
  const options = isObject(c.LogConfiguration) && isObject(c.LogConfiguration.Options) ? c.LogConfiguration.Options : {};
  const labels = isObject(c.DockerLabels) ? c.DockerLabels : {};
  type Meaningful = (name: string) => string;
  const read = (kind: string, values: Json, at: string, named: Meaningful, fix: string) => Object.keys(values).flatMap((name): PlainSetting[] => {
    const secretBy = secretPart(app, scope, values[name]);
    const value = resolveText(app, scope, values[name]);
    // A label holding JSON (Datadog's com.datadoghq.ad.instances) is read as its texts, each named by its key.
    const texts = kind === 'Docker label' && secretBy === undefined ? jsonTexts(value) : undefined;
    if (texts !== undefined) return texts.map((t) => ({ kind, name: name + t.path, at: `${at}.${name + t.path}`, value: t.value, meaningfulName: t.key, fix }));
    return [{ kind, name, at: `${at}.${name}`, value, ...(secretBy === undefined ? {} : { secretBy }), meaningfulName: named(name), fix }];
  });
  return [
    ...read('log driver option', options, `${path}.LogConfiguration.Options`, (name) => name, LOG_OPTION_FIX),
    ...read('Docker label', labels, `${path}.DockerLabels`, (name) => name.slice(name.lastIndexOf('.') + 1), LABEL_FIX),
    ...otherTexts(c).map(({ name, value }): PlainSetting => {
      const secretBy = secretPart(app, scope, value);
      return { kind: 'field', name, at: `${path}.${name}`, value: resolveText(app, scope, value), ...(secretBy === undefined ? {} : { secretBy }), fix: FIELD_FIX };
    }),
  ];
}

/**
 * Every text of container definition `c` outside the fields judged elsewhere, named by its path in `c`
 * (`Hostname`, `ExtraHosts[0].IpAddress`); a value given by an intrinsic function counts as one text.
 */
function otherTexts(c: Json): { name: string; value: unknown }[] {
  const found: { name: string; value: unknown }[] = [];
  const visit = (value: unknown, name: string): void => {
    if (typeof value === 'string' || isIntrinsic(value)) {
      found.push({ name, value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${name}[${i}]`));
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) visit(value[key], `${name}.${key}`);
    }
  };
  for (const key of Object.keys(c)) if (!JUDGED_ELSEWHERE.has(key)) visit(c[key], key);
  return found;
}
