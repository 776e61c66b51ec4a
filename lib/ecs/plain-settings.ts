/**
 * The settings of a container definition besides its environment and command lines that the task
 * definition holds in plain text, and that a secret could be written into: the log driver's options
 * (a Splunk token, a FireLens output's password) and the Docker labels.
 */
import { PlainSetting } from '../core';
import { secretPart } from './plain-environment';
import { AppIndex, Json, TemplateScope, isObject, resolveText } from './template-values';

const LOG_OPTION_FIX = 'pass it in the log configuration\'s SecretOptions, which ECS reads from Secrets Manager or SSM '
  + '(CDK: the secretOptions of ecs.LogDrivers.firelens, a secretToken for ecs.LogDrivers.splunk)';
const LABEL_FIX = 'remove it from the Docker labels, which the task definition and the host (docker inspect) show in plain text, '
  + 'and give the container the secret from Secrets Manager or SSM (ECS: the container\'s secrets)';

/** The log driver options and Docker labels of container definition `c`, whose path is `path`. */
export function readPlainSettings(app: AppIndex, scope: TemplateScope, c: Json, path: string): PlainSetting[] {
  const options = isObject(c.LogConfiguration) && isObject(c.LogConfiguration.Options) ? c.LogConfiguration.Options : {};
  const labels = isObject(c.DockerLabels) ? c.DockerLabels : {};
  type Meaningful = (name: string) => string;
  const read = (kind: string, values: Json, at: string, meaningful: Meaningful, fix: string) => Object.keys(values).map((name): PlainSetting => {
    const secretBy = secretPart(app, scope, values[name]);
    const value = resolveText(app, scope, values[name]);
    return { kind, name, at: `${at}.${name}`, value, ...(secretBy === undefined ? {} : { secretBy }), meaningfulName: meaningful(name), fix };
  });
  return [
    ...read('log driver option', options, `${path}.LogConfiguration.Options`, (name) => name, LOG_OPTION_FIX),
    ...read('Docker label', labels, `${path}.DockerLabels`, (name) => name.slice(name.lastIndexOf('.') + 1), LABEL_FIX),
  ];
}
