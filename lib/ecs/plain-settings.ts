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
const TASK_FIELD_FIX = 'remove it: ECS shows every field of a task definition in plain text (DescribeTaskDefinition); keep the secret in '
  + 'Secrets Manager or SSM and have what needs it read it from there (a container: its secrets; a volume: EFS with IAM authorization)';

// Fields that other readers judge for secrets (the environment, the command lines, the log options), or that
// name where a secret is kept by design (Secrets, RepositoryCredentials, the log configuration's SecretOptions).
const JUDGED_IN_CONTAINER = new Set(['Environment', 'EnvironmentFiles', 'Secrets', 'RepositoryCredentials', 'LogConfiguration', 'DockerLabels', 'EntryPoint', 'Command', 'HealthCheck']);

/** The log driver options, Docker labels and other texts of container definition `c`, whose path is `path`. */
export function readPlainSettings(app: AppIndex, scope: TemplateScope, c: Json, path: string): PlainSetting[] {
  const options = isObject(c.LogConfiguration) && isObject(c.LogConfiguration.Options) ? c.LogConfiguration.Options : {};
  const labels = isObject(c.DockerLabels) ? c.DockerLabels : {};
  return [
    ...Object.keys(options).map((name) => readOption(app, scope, options[name], name, `${path}.LogConfiguration.Options.${name}`)),
    ...Object.keys(labels).flatMap((name) => readLabel(app, scope, labels[name], name, `${path}.DockerLabels.${name}`)),
    ...otherTexts(c, JUDGED_IN_CONTAINER).map(({ name, value }): PlainSetting => ({ kind: 'field', name, at: `${path}.${name}`, ...read(app, scope, value), fix: FIELD_FIX })),
  ];
}

// The containers' definitions are read container by container.
const JUDGED_IN_TASK = new Set(['ContainerDefinitions']);

/**
 * Every text of task definition properties `props` outside its container definitions, judged by its value: a
 * Docker volume's mount options (`password=` for a CIFS share), the proxy configuration, the tags.
 */
export function readTaskTexts(app: AppIndex, scope: TemplateScope, props: Json, path: string): PlainSetting[] {
  return otherTexts(props, JUDGED_IN_TASK).map(({ name, value }) => ({ kind: 'field', name, at: `${path}.${name}`, ...read(app, scope, value), fix: TASK_FIELD_FIX }));
}

/** An option is judged by its whole name (`splunk-token`). */
function readOption(app: AppIndex, scope: TemplateScope, value: unknown, name: string, at: string): PlainSetting {
  return { kind: 'log driver option', name, at, ...read(app, scope, value), meaningfulName: name, fix: LOG_OPTION_FIX };
}

/**
 * A label is judged by the last part of its name, after its tool's namespace; one holding JSON (Datadog's
 * com.datadoghq.ad.instances) is read as its texts, each judged by its key.
 */
function readLabel(app: AppIndex, scope: TemplateScope, value: unknown, name: string, at: string): PlainSetting[] {
  const label = read(app, scope, value);
  const texts = label.secretBy === undefined ? jsonTexts(label.value) : undefined;
  if (texts !== undefined) {
    return texts.map((t) => ({ kind: 'Docker label', name: name + t.path, at: at + t.path, value: t.value, meaningfulName: t.key, fix: LABEL_FIX }));
  }
  return [{ kind: 'Docker label', name, at, ...label, meaningfulName: name.slice(name.lastIndexOf('.') + 1), fix: LABEL_FIX }];
}

/** A value as deployed, as far as the templates tell, and the secret the output resolves into it, if any. */
function read(app: AppIndex, scope: TemplateScope, value: unknown): { value: string; secretBy?: string } {
  const secretBy = secretPart(app, scope, value);
  return secretBy === undefined ? { value: resolveText(app, scope, value) } : { value: resolveText(app, scope, value), secretBy };
}

/**
 * Every text of `c` (a container definition, a task definition's properties) outside the fields `judged`
 * elsewhere, named by its path in `c` (`Hostname`, `ExtraHosts[0].IpAddress`); a value given by an intrinsic
 * function counts as one text.
 */
function otherTexts(c: Json, judged: ReadonlySet<string>): { name: string; value: unknown }[] {
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
  for (const key of Object.keys(c)) if (!judged.has(key)) visit(c[key], key);
  return found;
}
