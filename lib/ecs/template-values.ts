/**
 * Reading values out of CloudFormation template JSON, without aws-cdk-lib: the `secure-service check`
 * CLI reuses this on any cdk.out template. A value that cannot be known before deployment (an
 * intrinsic function that cannot be resolved from the template alone) reads as undefined, and every
 * caller treats undefined as "not proven secure".
 */

/** A CloudFormation template as parsed JSON. */
export interface CfnTemplate {
  readonly Resources?: { readonly [logicalId: string]: CfnResourceJson };
  /** Outputs, some exported to other stacks (`Export.Name`) or read by a parent stack. */
  readonly Outputs?: { readonly [outputId: string]: { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } } };
  /** Parameters, given at deploy time (`Type` tells an SSM parameter's value, named by `Default`, from a plain one). */
  readonly Parameters?: { readonly [name: string]: { readonly Type?: unknown; readonly Default?: unknown; readonly NoEcho?: unknown } };
}

/** One resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: { readonly [key: string]: unknown };
  readonly Metadata?: { readonly [key: string]: unknown };
}

export type Json = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is an intrinsic function (`Ref`, `Fn::*`): its value is only known once deployed. */
export function isIntrinsic(value: unknown): boolean {
  return isObject(value) && Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'));
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A literal string, or a Fn::Join whose parts are all literal strings; undefined for anything else, and
 * for a text with a dynamic reference in it, which CloudFormation replaces when it deploys.
 */
export function literalString(value: unknown): string | undefined {
  if (typeof value === 'string') return hasDynamicReference(value) ? undefined : value;
  if (isObject(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [unknown, unknown];
    if (typeof separator !== 'string' || !Array.isArray(parts)) return undefined;
    const strings = parts.map(literalString);
    if (!strings.every((s) => s !== undefined)) return undefined;
    // A reference may be joined from parts (`{{resolve:`, `ssm:/name}}`).
    const joined = strings.join(separator);
    return hasDynamicReference(joined) ? undefined : joined;
  }
  return undefined;
}

// CloudFormation replaces a dynamic reference (`{{resolve:ssm:/name}}`, `{{resolve:ssm-secure:...}}`,
// `{{resolve:secretsmanager:...}}`) with the parameter's or the secret's value when it deploys the stack,
// wherever it stands in a text: the text the template shows is not the one deployed.
const DYNAMIC_REFERENCE = /\$?(\{\{resolve:[^]*?\}\})/g;

/** Whether a text holds a CloudFormation dynamic reference (`{{resolve:ssm:/name}}`): its value is only known at deploy time. */
export function hasDynamicReference(text: string): boolean {
  return text.includes('{{resolve:') && /\{\{resolve:[^]*?\}\}/.test(text);
}

/**
 * `text` with each dynamic reference written as a part only known at deploy time, `${{resolve:ssm:/name}}`:
 * every reader that looks for `${` then treats it as it treats a parameter, and the reference itself stays
 * readable (SECRETS_NOT_IN_ENVIRONMENT finds a secret's in it). Written once, however often it is applied.
 */
function markDynamicReferences(text: string): string {
  return text.includes('{{resolve:') ? text.replace(DYNAMIC_REFERENCE, '$$$1') : text;
}

/** A boolean, accepting CloudFormation's "true"/"false" strings; undefined for anything else. */
export function literalBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** A number, accepting numeric strings; undefined for anything else. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }` points to. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** A template whose resources are indexed by type: readers that look up once per workload stay linear. */
export interface IndexedTemplate extends CfnTemplate {
  /** Resources of one type, as [logicalId, resource] pairs, in template order. */
  ofType(type: string): readonly [string, CfnResourceJson][];
  /** Custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`) of any type, in template order. */
  customResources(): readonly [string, CfnResourceJson][];
}

const isCustomResourceType = (type: string) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/**
 * Indexes `template` as it is now; an index is returned as it is, so that the readers of one template
 * (the Fargate check, the posture reader) can share one.
 */
export function indexTemplate(template: CfnTemplate): IndexedTemplate {
  if (typeof (template as Partial<IndexedTemplate>).ofType === 'function') return template as IndexedTemplate;
  // Index loops, not `Object.entries`: this runs once per synthesis, before V8 optimizes it, where
  // every iterator step and destructured pair costs.
  const byType = new Map<string, [string, CfnResourceJson][]>();
  const custom: [string, CfnResourceJson][] = [];
  const resources = template.Resources ?? {};
  const logicalIds = Object.keys(resources);
  for (let i = 0; i < logicalIds.length; i++) {
    const resource = resources[logicalIds[i]];
    if (!isObject(resource) || typeof resource.Type !== 'string') continue;
    (byType.get(resource.Type) ?? byType.set(resource.Type, []).get(resource.Type)!).push([logicalIds[i], resource]);
    if (isCustomResourceType(resource.Type)) custom.push([logicalIds[i], resource]);
  }
  return {
    Resources: template.Resources,
    Outputs: template.Outputs,
    Parameters: template.Parameters,
    ofType: (type) => byType.get(type) ?? [],
    customResources: () => custom,
  };
}

/** A template path in the form the posture reports use, e.g. `Resources.TaskDef.Properties.Cpu`. */
export function at(logicalId: string, ...path: (string | number)[]): string {
  let text = `Resources.${logicalId}`;
  for (let i = 0; i < path.length; i++) text += typeof path[i] === 'number' ? `[${path[i]}]` : `.${path[i]}`;
  return text;
}

/** The app, and the template of it a value is read in. */
export interface TemplatePlace {
  readonly app: AppIndex;
  readonly scope: TemplateScope;
}

/** `at` for a resource of `scope`, prefixed with the template's label when it is not the one being read. */
export function atIn(place: TemplatePlace, scope: TemplateScope, logicalId: string, ...path: (string | number)[]): string {
  return scope === place.scope ? at(logicalId, ...path) : `${scope.label}: ${at(logicalId, ...path)}`;
}

/** A template of an app, with what is known about where it deploys. */
export interface TemplateScope {
  readonly template: IndexedTemplate;
  /** How settings in this template are named from another one: the stack's construct path, or its file. */
  readonly label: string;
  /** The account it deploys to, when the stack's env fixes it. */
  readonly account?: string;
  /** The region it deploys to, when the stack's env fixes it. */
  readonly region?: string;
}

/** One template given to `indexApp`. */
export interface AppTemplate {
  readonly template: CfnTemplate;
  readonly label: string;
  readonly account?: string;
  readonly region?: string;
  /** For a nested stack: the label of its parent's template and the logical id of its AWS::CloudFormation::Stack there. */
  readonly parent?: { readonly label: string; readonly logicalId: string };
}

/** Every template of an app, indexed once, so that references between templates can be followed. */
export interface AppIndex {
  readonly scopes: readonly TemplateScope[];
  /** The scope of an indexed template (by identity). */
  scopeOf(template: CfnTemplate): TemplateScope | undefined;
  /**
   * The template and output value behind an export name: the export of that literal name, else the one
   * export whose name, known only at deploy time (`${AWS::StackName}-Sg`), may be it.
   */
  exported(name: string): { readonly scope: TemplateScope; readonly value: unknown } | undefined;
  /** Whether an export of the app may have this name: one of that literal name, or one whose name is known only at deploy time. */
  mayBeExported(name: string): boolean;
  /** The nested stack template behind an AWS::CloudFormation::Stack of `scope`. */
  nestedStack(scope: TemplateScope, logicalId: string): TemplateScope | undefined;
  /** The parent of a nested stack template, and its AWS::CloudFormation::Stack resource there. */
  parentOf(scope: TemplateScope): { readonly scope: TemplateScope; readonly logicalId: string } | undefined;
}

/** Indexes every template (by type, once) and what links them: exports and nested stacks. */
export function indexApp(templates: readonly AppTemplate[]): AppIndex {
  const scopes = templates.map((t): TemplateScope => ({ template: indexTemplate(t.template), label: t.label, account: t.account, region: t.region }));
  const byTemplate = new Map<CfnTemplate, TemplateScope>();
  const byLabel = new Map<string, TemplateScope>();
  const exports = new Map<string, { scope: TemplateScope; value: unknown }>();
  const namedAtDeploy: { pattern: RegExp; scope: TemplateScope; value: unknown }[] = [];
  const nested = new Map<string, TemplateScope>();
  const parents = new Map<TemplateScope, { scope: TemplateScope; logicalId: string }>();
  for (const scope of scopes) {
    byTemplate.set(scope.template, scope);
    byLabel.set(scope.label, scope);
    const outputs = scope.template.Outputs ?? {};
    for (const id of Object.keys(outputs)) {
      const output = outputs[id];
      if (!isObject(output) || !isObject(output.Export)) continue;
      const name = literalString(output.Export.Name);
      if (name !== undefined) exports.set(name, { scope, value: output.Value });
      else namedAtDeploy.push({ pattern: exportNamePattern(output.Export.Name), scope, value: output.Value });
    }
  }
  templates.forEach((t, i) => {
    const parent = t.parent && byLabel.get(t.parent.label);
    if (!parent) return;
    nested.set(`${parent.label}\0${t.parent!.logicalId}`, scopes[i]);
    parents.set(scopes[i], { scope: parent, logicalId: t.parent!.logicalId });
  });
  return {
    scopes,
    scopeOf: (template) => byTemplate.get(template),
    exported: (name) => {
      const matching = exports.has(name) ? [] : namedAtDeploy.filter((e) => e.pattern.test(name));
      return exports.get(name) ?? (matching.length === 1 ? matching[0] : undefined);
    },
    mayBeExported: (name) => exports.has(name) || namedAtDeploy.some((e) => e.pattern.test(name)),
    nestedStack: (scope, logicalId) => nested.get(`${scope.label}\0${logicalId}`),
    parentOf: (scope) => parents.get(scope),
  };
}

/** The index of one template alone, for readers given no app. */
export function singleTemplateApp(template: CfnTemplate, where: { label?: string; account?: string; region?: string } = {}): AppIndex {
  return indexApp([{ template, label: where.label ?? 'template', account: where.account, region: where.region }]);
}

/** A resource a value refers to, followed through exports, nested stack outputs and parameters. */
export interface ReferencedResource {
  readonly scope: TemplateScope;
  readonly logicalId: string;
  readonly resource: CfnResourceJson;
  /** The attribute of a `Fn::GetAtt`; undefined for a `Ref`. */
  readonly attribute?: string;
}

/**
 * The name an export written as an intrinsic may have: its literal parts, and anything where a part is
 * known only at deploy time (`{ Fn::Join: ['', [{ Ref: 'AWS::StackName' }, '-Sg']] }` may be `Shop-Sg`).
 */
function exportNamePattern(name: unknown): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const join = isObject(name) ? name['Fn::Join'] : undefined;
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return new RegExp(`^${join[1].map((part: unknown) => (typeof part === 'string' ? escape(part) : '.*')).join(escape(join[0]))}$`, 's');
  }
  const sub = isObject(name) ? name['Fn::Sub'] : undefined;
  if (typeof sub === 'string') return new RegExp(`^${sub.split(/\$\{[^}]*\}/).map(escape).join('.*')}$`, 's');
  return /^/;
}

/** The name an `Fn::ImportValue` imports, resolved where the template can tell; undefined when it is known only at deploy time. */
export function importedName(app: AppIndex, scope: TemplateScope, name: unknown): string | undefined {
  const text = resolveText(app, scope, name);
  return text.includes('${') ? undefined : text;
}

// References between templates are short chains; a bound keeps a malformed app from looping.
const MAX_HOPS = 8;

/**
 * The resource `value` refers to: a `Ref` or `Fn::GetAtt` in its own template, an `Fn::ImportValue`
 * of another template's export, a nested stack's output, or a nested stack's parameter set by its parent.
 */
export function referencedResource(app: AppIndex, scope: TemplateScope, value: unknown, hops = 0): ReferencedResource | undefined {
  if (!isObject(value) || hops > MAX_HOPS) return undefined;
  const selected = selectedItem(value) ?? soleReference(value);
  if (selected !== undefined) return referencedResource(app, scope, selected, hops + 1);
  if (value['Fn::ImportValue'] !== undefined) {
    const name = importedName(app, scope, value['Fn::ImportValue']);
    const exported = name === undefined ? undefined : app.exported(name);
    return exported && referencedResource(app, exported.scope, exported.value, hops + 1);
  }
  const logicalId = referencedLogicalId(value);
  if (logicalId === undefined) return undefined;
  const resource = scope.template.Resources?.[logicalId];
  const attribute = attributeOf(value);
  if (!resource) {
    // A nested stack's parameter: what the parent passes in.
    const parent = attribute === undefined ? app.parentOf(scope) : undefined;
    const passed = parent?.scope.template.Resources?.[parent.logicalId]?.Properties?.Parameters;
    return parent && isObject(passed) ? referencedResource(app, parent.scope, passed[logicalId], hops + 1) : undefined;
  }
  if (resource.Type === 'AWS::CloudFormation::Stack' && attribute?.startsWith('Outputs.')) {
    const nested = app.nestedStack(scope, logicalId);
    const output = nested?.template.Outputs?.[attribute.slice('Outputs.'.length)];
    return nested && output ? referencedResource(app, nested, output.Value, hops + 1) : undefined;
  }
  return { scope, logicalId, resource, attribute };
}

/** The item a `Fn::Select` of a literal index picks from a written list; undefined for anything else. */
function selectedItem(value: Json): unknown {
  const select = value['Fn::Select'];
  if (!Array.isArray(select) || !Array.isArray(select[1])) return undefined;
  const index = literalNumber(select[0]);
  return index === undefined ? undefined : select[1][index];
}

/**
 * What a value that is one reference in another form stands for: an `Fn::Sub` whose whole string is one
 * `${X}` or `${X.Attr}` (or one of its variables), or an `Fn::Join` of a single part. CloudFormation
 * resolves them to the reference itself, so they name the same resource.
 */
function soleReference(value: Json): unknown {
  const join = value['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1]) && join[1].length === 1) return join[1][0];
  const sub = value['Fn::Sub'];
  const [text, variables] = Array.isArray(sub) ? sub as [unknown, unknown] : [sub, undefined];
  const name = typeof text === 'string' ? /^\$\{([^!}][^}]*)\}$/.exec(text)?.[1] : undefined;
  if (name === undefined) return undefined;
  return isObject(variables) && name in variables ? variables[name] : subReference(name);
}

/**
 * The items of a list as deployed: a written list, each item resolved as `resolveText` does, or an
 * `Fn::Split` of text the templates tell completely; undefined for a list only known at deploy time
 * (a parameter, an `Fn::FindInMap`, a split of text with unknown parts).
 */
export function resolveList(app: AppIndex, scope: TemplateScope, value: unknown): readonly string[] | undefined {
  if (Array.isArray(value)) return value.map((item) => resolveText(app, scope, item));
  const split = isObject(value) ? value['Fn::Split'] : undefined;
  if (!Array.isArray(split) || typeof split[0] !== 'string') return undefined;
  return splitText(app, scope, split[0], split[1], 0);
}

function attributeOf(value: Json): string | undefined {
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[1] === 'string') return getAtt[1];
  if (typeof getAtt === 'string' && getAtt.includes('.')) return getAtt.slice(getAtt.indexOf('.') + 1);
  return undefined;
}

// Standard regions (including GovCloud) use amazonaws.com, China regions amazonaws.com.cn; the
// isolated partitions use other suffixes, so any other region name leaves the suffix unknown.
function urlSuffixOf(region: string | undefined): string | undefined {
  if (region === undefined) return undefined;
  if (/^cn-[a-z]+-\d+$/.test(region)) return 'amazonaws.com.cn';
  return /^[a-z]{2}-(gov-)?[a-z]+-\d+$/.test(region) ? 'amazonaws.com' : undefined;
}

function partitionOf(region: string | undefined): string | undefined {
  if (region === undefined) return undefined;
  if (/^cn-[a-z]+-\d+$/.test(region)) return 'aws-cn';
  if (/^us-gov-[a-z]+-\d+$/.test(region)) return 'aws-us-gov';
  return /^[a-z]{2}-[a-z]+-\d+$/.test(region) ? 'aws' : undefined;
}

function pseudoParameter(scope: TemplateScope, name: string): string | undefined {
  switch (name) {
    case 'AWS::AccountId': return scope.account;
    case 'AWS::Region': return scope.region;
    case 'AWS::URLSuffix': return urlSuffixOf(scope.region);
    case 'AWS::Partition': return partitionOf(scope.region);
    default: return undefined;
  }
}

/** A part only known at deploy time, written as Fn::Sub writes it: `${AWS::AccountId}`, `${Repo.Arn}`. */
function deployTime(value: unknown): string {
  if (isObject(value)) {
    if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
    const id = referencedLogicalId(value);
    if (id !== undefined) return `\${${id}.${attributeOf(value) ?? ''}}`;
    const key = Object.keys(value)[0];
    const argument = key === undefined ? undefined : literalString(value[key]);
    if (key !== undefined) return `\${${key}${argument !== undefined ? ` ${argument}` : ''}}`;
  }
  return `\${${JSON.stringify(value)}}`;
}

/**
 * The text `value` will have once deployed, as far as the app's templates and the stacks' envs tell:
 * literals, `Fn::Join`, `Fn::Sub`, `Fn::Select` of `Fn::Split`, pseudo parameters the env fixes, and the
 * names, ARNs and URIs of ECR repositories. Every part that stays unknown is written `${...}` (as
 * Fn::Sub writes it), so a caller can tell a complete value from a partial one by looking for `${`; a
 * dynamic reference is such a part too, written `${{resolve:...}}`.
 */
export function resolveText(app: AppIndex, scope: TemplateScope, value: unknown, hops = 0): string {
  return markDynamicReferences(resolveWritten(app, scope, value, hops));
}

/** `resolveText` before dynamic references are marked: a reference may be put together from several parts. */
function resolveWritten(app: AppIndex, scope: TemplateScope, value: unknown, hops: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isObject(value) || hops > MAX_HOPS) return deployTime(value);
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join as [unknown, unknown];
    if (typeof separator === 'string' && Array.isArray(parts)) return parts.map((p) => resolveText(app, scope, p, hops + 1)).join(separator);
    return deployTime(value);
  }
  if (value['Fn::Sub'] !== undefined) return resolveSub(app, scope, value['Fn::Sub'], hops) ?? deployTime(value);
  if (value['Fn::Select'] !== undefined) return resolveSelect(app, scope, value['Fn::Select'], hops) ?? deployTime(value);
  if (typeof value.Ref === 'string' && value.Ref.startsWith('AWS::')) return pseudoParameter(scope, value.Ref) ?? deployTime(value);
  const target = referencedResource(app, scope, value, hops);
  return (target && ecrRepositoryText(target, hops)) ?? deployTime(value);
}

/** What `${name}` of an Fn::Sub stands for when no variable gives it: `${Name}` a Ref, `${Name.Attr}` an Fn::GetAtt. */
export function subReference(name: string): Json {
  const dot = name.indexOf('.');
  return dot < 0 || name.startsWith('AWS::') ? { Ref: name } : { 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] };
}

function resolveSub(app: AppIndex, scope: TemplateScope, sub: unknown, hops: number): string | undefined {
  const [text, variables] = Array.isArray(sub) ? sub as [unknown, unknown] : [sub, undefined];
  if (typeof text !== 'string') return undefined;
  const given = isObject(variables) ? variables : {};
  return text.replace(/\$\{(!?)([^}]+)\}/g, (whole, escaped: string, name: string) => {
    // `${!Literal}` is how an Fn::Sub writes the text `${Literal}`.
    if (escaped) return `\${${name}}`;
    if (name in given) return resolveText(app, scope, given[name], hops + 1);
    if (name.startsWith('AWS::')) return pseudoParameter(scope, name) ?? whole;
    const target = referencedResource(app, scope, subReference(name), hops + 1);
    return (target && ecrRepositoryText(target, hops)) ?? whole;
  });
}

function resolveSelect(app: AppIndex, scope: TemplateScope, select: unknown, hops: number): string | undefined {
  if (!Array.isArray(select)) return undefined;
  const index = literalNumber(select[0]);
  const list = select[1];
  if (index === undefined) return undefined;
  if (Array.isArray(list)) return list[index] === undefined ? undefined : resolveText(app, scope, list[index], hops + 1);
  const split = isObject(list) ? list['Fn::Split'] : undefined;
  if (!Array.isArray(split) || typeof split[0] !== 'string') return undefined;
  return splitText(app, scope, split[0], split[1], hops)?.[index];
}

/** The pieces of `source` split at `separator`; undefined when a deploy-time part could hide a separator. */
function splitText(app: AppIndex, scope: TemplateScope, separator: string, source: unknown, hops: number): readonly string[] | undefined {
  const target = referencedResource(app, scope, source, hops + 1);
  // An ECR repository ARN is split by CDK to find its account and region: its parts are known apart.
  if (target?.resource.Type === 'AWS::ECR::Repository' && target.attribute === 'Arn' && separator === ':') return ecrArnParts(target);
  const text = resolveText(app, scope, source, hops + 1);
  return text.includes('${') ? undefined : text.split(separator);
}

function ecrArnParts({ scope, logicalId, resource }: ReferencedResource): string[] {
  const env = (name: string) => pseudoParameter(scope, name) ?? `\${${name}}`;
  return ['arn', env('AWS::Partition'), 'ecr', env('AWS::Region'), env('AWS::AccountId'), `repository/${ecrRepositoryName(logicalId, resource)}`];
}

function ecrRepositoryName(logicalId: string, resource: CfnResourceJson): string {
  return literalString(resource.Properties?.RepositoryName) ?? `\${${logicalId}}`;
}

/** The name (`Ref`), ARN or URI of an ECR repository of the app; undefined for anything else. */
function ecrRepositoryText(target: ReferencedResource, hops: number): string | undefined {
  if (target.resource.Type !== 'AWS::ECR::Repository' || hops > MAX_HOPS) return undefined;
  const [, , , region, account, repository] = ecrArnParts(target);
  if (target.attribute === undefined) return ecrRepositoryName(target.logicalId, target.resource);
  if (target.attribute === 'Arn') return ecrArnParts(target).join(':');
  if (target.attribute === 'RepositoryUri') {
    const suffix = pseudoParameter(target.scope, 'AWS::URLSuffix') ?? '${AWS::URLSuffix}';
    return `${account}.dkr.ecr.${region}.${suffix}/${repository.slice('repository/'.length)}`;
  }
  return undefined;
}
