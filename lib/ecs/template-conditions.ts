/**
 * Conditional values (`Fn::If`) judged on every branch.
 *
 * A list or an object written as `Fn::If` cannot be read as one value: read as it is, a list of
 * added capabilities, of variables or of ingress rules would read as empty, and the branch that
 * weakens a control would pass. Which branch deploys depends on the condition, which the template
 * alone cannot tell, so the checks read every combination of the conditions and report what any of
 * them weakens.
 */
import { CfnTemplate, isObject } from './template-values';

/**
 * The most conditions the checks combine across an app (2^8 = 256 readings of it). An app with more
 * conditions in the resources the checks read is reported, not read partly.
 */
export const MAX_CONDITIONS = 8;

/**
 * Resource types the checks read (task definitions, services, their networks, logs and the runners
 * that start tasks). A condition used only in other resources changes nothing the checks judge.
 */
const READ_TYPE_PREFIXES = ['AWS::ECS::', 'AWS::EC2::', 'AWS::Logs::', 'AWS::StepFunctions::', 'AWS::Events::', 'AWS::Scheduler::', 'AWS::Pipes::', 'AWS::IAM::', 'AWS::CloudFormation::'];

/** One condition of one template of the app, set true or false. */
export interface ConditionChoice {
  /** The index of the template among those given. */
  readonly template: number;
  readonly condition: string;
  readonly value: boolean;
}

/** The app's templates with every `Fn::If` replaced by one of its branches. */
export interface TemplateVariant {
  readonly templates: readonly CfnTemplate[];
  /** The conditions this variant chose; empty when the app has none. */
  readonly choices: readonly ConditionChoice[];
}

/** The conditions of each template that decide something the checks read, in order of first use. */
export function conditionsRead(template: CfnTemplate): string[] {
  const found = new Set<string>();
  const resources = template.Resources ?? {};
  for (const id of Object.keys(resources)) {
    const resource = resources[id];
    if (isObject(resource) && READ_TYPE_PREFIXES.some((prefix) => String(resource.Type).startsWith(prefix))) collectConditions(resource, found);
  }
  collectConditions(template.Outputs, found);
  return [...found];
}

/**
 * When the conditions (`conditions[i]` of the template labelled `labels[i]`) are more than can be
 * combined, what they are: `9 conditions (Fn::If) decide values of ... resources of the app (Stack: A,
 * ...)`, with `where` after "resources"; undefined when they can be.
 */
export function conditionsBeyondLimit(conditions: readonly (readonly string[])[], labels: readonly string[], where: string): string | undefined {
  const named = conditions.flatMap((names, i) => names.map((name) => `${labels[i]}: ${name}`));
  if (named.length <= MAX_CONDITIONS) return undefined;
  return `${named.length} conditions (Fn::If) decide values of ECS, network, log and IAM resources ${where} (${named.join(', ')})`;
}

/**
 * Every combination of the conditions the checks read, each as the templates it deploys; the
 * templates unchanged (one variant) when none is used.
 */
export function templateVariants(templates: readonly CfnTemplate[], conditions: readonly (readonly string[])[]): TemplateVariant[] {
  const variables = conditions.flatMap((names, template) => names.map((condition) => ({ template, condition })));
  if (variables.length === 0) return [{ templates, choices: [] }];
  const variants: TemplateVariant[] = [];
  for (let combination = 0; combination < 2 ** variables.length; combination++) {
    // Variable i is true in the combinations whose i-th binary digit is 1.
    const choices = variables.map((v, i) => ({ ...v, value: Math.floor(combination / 2 ** i) % 2 === 1 }));
    variants.push({
      choices,
      templates: templates.map((template, i) => {
        const chosen = new Map(choices.filter((c) => c.template === i).map((c) => [c.condition, c.value]));
        return chosen.size === 0 ? template : chooseBranches(template, chosen) as CfnTemplate;
      }),
    });
  }
  return variants;
}

/** `value` with each `Fn::If` on a condition of `chosen` replaced by its branch, and `AWS::NoValue` left out as CloudFormation leaves it out. */
export function chooseBranches(value: unknown, chosen: ReadonlyMap<string, boolean>): unknown {
  if (Array.isArray(value)) return value.map((item) => chooseBranches(item, chosen)).filter((item) => !isNoValue(item));
  if (!isObject(value)) return value;
  const branch = chosenBranch(value, chosen);
  if (branch !== undefined) return chooseBranches(branch.value, chosen);
  const copy: { [key: string]: unknown } = {};
  for (const key of Object.keys(value)) {
    const item = chooseBranches(value[key], chosen);
    if (!isNoValue(item)) copy[key] = item;
  }
  return copy;
}

function chosenBranch(value: { readonly [key: string]: unknown }, chosen: ReadonlyMap<string, boolean>): { value: unknown } | undefined {
  const args = value['Fn::If'];
  if (!Array.isArray(args) || args.length !== 3 || Object.keys(value).length !== 1) return undefined;
  const condition = chosen.get(String(args[0]));
  return condition === undefined ? undefined : { value: condition ? args[1] : args[2] };
}

function collectConditions(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectConditions(item, found);
  } else if (isObject(value)) {
    const args = value['Fn::If'];
    if (Array.isArray(args) && args.length === 3 && typeof args[0] === 'string') found.add(args[0]);
    for (const key of Object.keys(value)) collectConditions(value[key], found);
  }
}

function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue' && Object.keys(value).length === 1;
}

/** What held in one combination of the conditions: `key` tells outcomes apart. */
export interface ConditionalOutcome {
  readonly choices: readonly ConditionChoice[];
  readonly key: string;
}

/**
 * The conditions under which the outcomes at `group` (positions in `outcomes`, all with one key) hold,
 * named as a reader needs them: only the conditions that change the outcome (flipping one alone, in
 * some combination, gives another), with the values every combination of the group shares when those
 * pick out exactly the group, else each combination. `templateName(i)` names template i.
 */
export function conditionsOf(outcomes: readonly ConditionalOutcome[], group: readonly number[], templateName: (template: number) => string): string {
  const deciding = decidingConditions(outcomes);
  const combinations = group.map((k) => deciding.map((i) => outcomes[k].choices[i]));
  const distinct = [...new Map(combinations.map((c) => [c.map((choice) => choice.value).join(), c])).values()];
  const shared = distinct[0].filter((choice, i) => distinct.every((c) => c[i].value === choice.value));
  const conjunction = (choices: readonly ConditionChoice[]) => choices.map((c) => `condition ${c.condition} of ${templateName(c.template)} is ${c.value}`).join(', ');
  // The outcome depends only on the deciding conditions, so combinations sharing these values give no other outcome.
  if (distinct.length === 2 ** (deciding.length - shared.length)) return conjunction(shared);
  return distinct.map(conjunction).join('; or when ');
}

/** The positions (in `choices`) of the conditions that change the outcome. */
function decidingConditions(outcomes: readonly ConditionalOutcome[]): number[] {
  const signature = (values: readonly boolean[]) => values.map((v) => (v ? '1' : '0')).join('');
  const byCombination = new Map(outcomes.map((o) => [signature(o.choices.map((c) => c.value)), o.key]));
  return outcomes[0].choices.map((_, i) => i).filter((i) => outcomes.some((o) => {
    const flipped = o.choices.map((c, j) => (j === i ? !c.value : c.value));
    return byCombination.get(signature(flipped)) !== o.key;
  }));
}
