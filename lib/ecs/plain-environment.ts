/**
 * A container definition's plain environment as the SECRETS_NOT_IN_ENVIRONMENT rule judges it: each
 * Environment entry as deployed, with what makes its value a secret whatever its name, and each
 * EnvironmentFiles file as variables whose names and values no template shows.
 */
import { EVERY_VARIABLE, PlainVariable } from '../core';
import { AppIndex, Json, TemplateScope, asArray, at, isObject, referencedResource, resolveText, subReference } from './template-values';
import { firstFound } from '../core/first-found';

// Attributes whose value is a secret (`accessKey.secretAccessKey.unsafeUnwrap()` renders one): CloudFormation
// writes it into the task definition as plain text. A Secrets Manager secret's value only reaches a template as a
// `{{resolve:secretsmanager:...}}` dynamic reference, which the rule finds in the value itself.
const SECRET_ATTRIBUTES = new Set(['AWS::IAM::AccessKey.SecretAccessKey', 'AWS::Cognito::UserPoolClient.ClientSecret', 'AWS::AppSync::ApiKey.ApiKey']);

/**
 * The Environment entries and EnvironmentFiles of container definition `c`, whose path is `path`; an
 * environment file is read with `fileAsset` when the cloud assembly holds it.
 */
export function readPlainEnvironment(
  app: AppIndex, scope: TemplateScope, c: Json, path: string, fileAsset?: (s3Arn: string) => string | undefined,
): PlainVariable[] {
  // Names and values as deployed, as far as the templates tell (Fn::Sub, Fn::Join): what stays unknown reads `${...}`.
  const variables = asArray(c.Environment).map((e, i): PlainVariable => {
    const entry = isObject(e) ? e : undefined;
    const secretBy = entry && secretPart(app, scope, entry.Value);
    const parameters = entry && isObject(entry.Value) ? parameterReferences(scope, entry.Value) : [];
    const secretLocation = entry && isObject(entry.Value) ? secretLocationOf(app, scope, entry.Value) : undefined;
    return {
      name: resolveText(app, scope, entry ? entry.Name : e),
      at: `${path}.Environment[${i}]`,
      value: entry && entry.Value !== undefined ? resolveText(app, scope, entry.Value) : undefined,
      ...(secretBy === undefined ? {} : { secretBy }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(secretLocation === undefined ? {} : { secretLocation }),
    };
  });
  // ECS loads every line of an environment file as a plain variable: a file is no secret store, and one
  // the assembly does not hold (in S3 only) has variables no template shows.
  const files = asArray(c.EnvironmentFiles).flatMap((f, i): PlainVariable[] => {
    const location = resolveText(app, scope, isObject(f) ? f.Value : f);
    const fileAt = `${path}.EnvironmentFiles[${i}]`;
    const source = `the environment file ${JSON.stringify(location)}`;
    const text = fileAsset?.(location);
    return text === undefined ? [{ name: EVERY_VARIABLE, at: fileAt, source }] : environmentFileVariables(text, fileAt, source);
  });
  return [...variables, ...files];
}

// Where secrets are kept: a Secret's Ref (and its Id) is its ARN, a Parameter's Ref is its name.
const SECRET_STORES = new Set(['AWS::SecretsManager::Secret', 'AWS::SSM::Parameter']);

/**
 * The secret whose place a value is, and nothing else: a Ref to a Secrets Manager secret or an SSM
 * parameter (`secret.secretArn`, `parameter.parameterName`), or parts of one that CDK takes apart
 * (`secret.secretName`: Fn::Select of an Fn::Split of the ARN, joined again). Text of its own, or any other
 * reference (a parameter's Value), and it is not only a place.
 */
function secretLocationOf(app: AppIndex, scope: TemplateScope, value: unknown): string | undefined {
  const found: string[] = [];
  const onlyPlaces = (part: unknown): boolean => {
    if (!isObject(part) || Object.keys(part).length !== 1) return false;
    const select = part['Fn::Select'];
    if (Array.isArray(select)) return select.length === 2 && typeof select[0] !== 'object' && onlyPlaces(select[1]);
    const split = part['Fn::Split'];
    if (Array.isArray(split)) return split.length === 2 && typeof split[0] === 'string' && onlyPlaces(split[1]);
    const join = part['Fn::Join'];
    if (Array.isArray(join)) return join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1]) && join[1].length > 0 && join[1].every(onlyPlaces);
    const target = referencedResource(app, scope, part);
    if (!target || !SECRET_STORES.has(target.resource.Type)) return false;
    if (target.attribute !== undefined && !(target.resource.Type === 'AWS::SecretsManager::Secret' && target.attribute === 'Id')) return false;
    found.push(`${target.resource.Type} ${target.logicalId}`);
    return true;
  };
  return onlyPlaces(value) ? found[0] : undefined;
}

/**
 * The variables of an environment file as ECS reads one: a `NAME=VALUE` per line, lines starting with
 * `#` and blank lines skipped, no quoting or escapes.
 */
function environmentFileVariables(text: string, fileAt: string, source: string): PlainVariable[] {
  return text.split(/\r?\n/).flatMap((line, i): PlainVariable[] => {
    if (line.trim() === '' || line.startsWith('#')) return [];
    const equals = line.indexOf('=');
    const name = equals < 0 ? line : line.slice(0, equals);
    return [{ name, at: `${fileAt} (line ${i + 1})`, source, value: equals < 0 ? undefined : line.slice(equals + 1) }];
  });
}

/**
 * The first part of `value` that reads a secret attribute (an Fn::GetAtt, or `${Id.Attr}` of an Fn::Sub), described
 * for `PlainVariable.secretBy`; undefined when none does. Also for variables that runners set through overrides.
 */
export function secretPart(app: AppIndex, scope: TemplateScope, value: unknown): string | undefined {
  if (Array.isArray(value)) return firstFound(value, (item) => secretPart(app, scope, item));
  if (!isObject(value)) return undefined;
  return secretAttribute(app, scope, value)
    ?? firstFound(subReferences(value['Fn::Sub']), (reference) => secretAttribute(app, scope, reference))
    ?? firstFound(Object.values(value), (item) => secretPart(app, scope, item));
}

/** What `value` reads when it is a secret attribute (followed through exports and nested stacks) or a NoEcho parameter. */
function secretAttribute(app: AppIndex, scope: TemplateScope, value: unknown): string | undefined {
  // A parameter CloudFormation masks as a secret: its value is plain text in the task definition.
  const parameter = isObject(value) && typeof value.Ref === 'string' ? scope.template.Parameters?.[value.Ref] : undefined;
  if (isObject(parameter) && (parameter.NoEcho === true || parameter.NoEcho === 'true')) return `the NoEcho parameter ${String((value as Json).Ref)}`;
  const target = referencedResource(app, scope, value);
  if (target?.attribute === undefined || !SECRET_ATTRIBUTES.has(`${target.resource.Type}.${target.attribute}`)) return undefined;
  const where = target.scope === scope ? at(target.logicalId) : `${target.scope.label}: ${at(target.logicalId)}`;
  return `the ${target.attribute} of ${target.resource.Type} ${where}`;
}

/** The stack parameters of `scope` that `value` reads (a Ref, or `${Name}` in an Fn::Sub): CloudFormation writes their values into it. */
export function parameterReferences(scope: TemplateScope, value: unknown): string[] {
  const parameters = scope.template.Parameters ?? {};
  const found = new Set<string>();
  const visit = (part: unknown): void => {
    if (Array.isArray(part)) {
      part.forEach(visit);
    } else if (isObject(part)) {
      if (typeof part.Ref === 'string' && Object.hasOwn(parameters, part.Ref)) found.add(part.Ref);
      subReferences(part['Fn::Sub']).forEach(visit);
      Object.values(part).forEach(visit);
    }
  };
  visit(value);
  return [...found];
}

/** The references of an Fn::Sub's text that no variable of its own gives. */
function subReferences(sub: unknown): Json[] {
  const [text, variables] = Array.isArray(sub) ? sub as [unknown, unknown] : [sub, undefined];
  if (typeof text !== 'string') return [];
  const given = isObject(variables) ? variables : {};
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1]).filter((name) => !(name in given)).map(subReference);
}
