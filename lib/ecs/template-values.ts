/**
 * Reading values out of CloudFormation template JSON, without aws-cdk-lib: the `secure-service check`
 * CLI reuses this on any cdk.out template. A value that cannot be known before deployment (an
 * intrinsic function that cannot be resolved from the template alone) reads as undefined, and every
 * caller treats undefined as "not proven secure".
 */

/** A CloudFormation template as parsed JSON. */
export interface CfnTemplate {
  readonly Resources?: { readonly [logicalId: string]: CfnResourceJson };
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

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A literal string, or a Fn::Join whose parts are all literal strings. */
export function literalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [unknown, unknown];
    if (typeof separator !== 'string' || !Array.isArray(parts)) return undefined;
    const strings = parts.map(literalString);
    return strings.every((s) => s !== undefined) ? strings.join(separator) : undefined;
  }
  return undefined;
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
}

/**
 * Indexes `template` as it is now; an index is returned as it is, so that the readers of one template
 * (the Fargate check, the posture reader) can share one.
 */
export function indexTemplate(template: CfnTemplate): IndexedTemplate {
  if (typeof (template as Partial<IndexedTemplate>).ofType === 'function') return template as IndexedTemplate;
  // Index loops, not `Object.entries`: this runs once per synthesis, before V8 optimizes it, where
  // every iterator step and destructured pair costs.
  const byType = new Map<string, [string, CfnResourceJson][]>();
  const resources = template.Resources ?? {};
  const logicalIds = Object.keys(resources);
  for (let i = 0; i < logicalIds.length; i++) {
    const resource = resources[logicalIds[i]];
    if (!isObject(resource) || typeof resource.Type !== 'string') continue;
    (byType.get(resource.Type) ?? byType.set(resource.Type, []).get(resource.Type)!).push([logicalIds[i], resource]);
  }
  return { Resources: template.Resources, ofType: (type) => byType.get(type) ?? [] };
}

/** A template path in the form the posture reports use, e.g. `Resources.TaskDef.Properties.Cpu`. */
export function at(logicalId: string, ...path: (string | number)[]): string {
  let text = `Resources.${logicalId}`;
  for (let i = 0; i < path.length; i++) text += typeof path[i] === 'number' ? `[${path[i]}]` : `.${path[i]}`;
  return text;
}
