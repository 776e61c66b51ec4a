import * as fs from 'fs';
import { join } from 'path';
import {
  CfnElement, CfnResource, CfnStack, IPolicyValidationContext, IPolicyValidationPlugin, NestedStack, PolicyValidationPluginReport, PolicyViolation,
  Stack, Stage, Token, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  CONTROL_CATALOG, ControlId, DEFAULT_POLICY, Finding, FormatFindingOptions, ResolvedSecurityPolicy, SecurityPolicy, assessWorkload, blockingFindings,
  formatFinding, isControlId,
} from '../core';
import { Acknowledgement, closestAcknowledgement, collectAcknowledgements, policyRequirementProblem, rejectedAcknowledgementAdvice } from './acknowledgements';
import { fargateProblems } from './fargate-compatibility';
import { fileAssetsBeside } from './file-assets';
import { EXEMPTIONS_METADATA_KEY, EcsWorkload, readEcsWorkloads } from './posture';
import { isInSecureService } from './service-brand';
import { MAX_CONDITIONS, conditionsBeyondLimit, conditionsOf, conditionsRead, templateVariants } from './template-conditions';
import { EXPANSION_FIX, deployTimeExpansion } from './template-expansions';
import { AppIndex, AppTemplate, CfnTemplate, indexApp, isObject } from './template-values';
import { mayHoldUnreadContainers, unreadContainers, unreadContainersFix } from './unread-containers';
import { TODAY_CONTEXT_KEY, todayOf } from '../core/today';

export { TODAY_CONTEXT_KEY };

/** The plugin's name: rule ids are `secure-service::<RULE>`. */
export const PLUGIN_NAME = 'secure-service';

/** Rules that are not controls of the catalog. */
export const EcsRule = {
  /** An acknowledgement of one of our rules whose reason is not a justification, or that the security policy does not accept (fatal). */
  ACKNOWLEDGEMENT_REASON: 'ACKNOWLEDGEMENT_REASON',
  /** An invalid exemption (fatal), or one expiring soon or unused (warning). */
  EXEMPTION: 'EXEMPTION',
  /** A setting Fargate cannot run (fatal). */
  FARGATE_UNSUPPORTED: 'FARGATE_UNSUPPORTED',
  /** More conditions (`Fn::If`) in the resources the checks read than they can combine (fatal). */
  CONDITIONS: 'CONDITIONS',
  /** A template CloudFormation expands when it deploys it (`Fn::ForEach`, a macro), which cannot be read before (fatal). */
  DEPLOY_TIME_EXPANSION: 'DEPLOY_TIME_EXPANSION',
  /** A resource that runs containers the checks do not read: a daemon task definition, an Express Mode service's container (error). */
  UNREAD_CONTAINERS: 'UNREAD_CONTAINERS',
} as const;

/** The full id of a rule, as reported and as `Validations.of(x).acknowledge({ id })` takes it. */
export function ecsRuleId(rule: ControlId | string): string {
  return `${PLUGIN_NAME}::${rule}`;
}

// Which plugin reports each stack of an app. Several SecureServiceChecks can cover one stack (the one
// every SecureService registers on its Stage, one the user adds to the App); the first to see a stack
// reports it, in this synthesis and every later one, so nothing is reported twice or dropped.
const OWNERS = new WeakMap<IConstruct, Map<string, SecureServiceChecks>>();
const REGISTERED = Symbol.for('secure-service.ecs.SecureServiceChecks');

/**
 * A CDK policy validation plugin that checks every AWS::ECS::TaskDefinition (and the services, log
 * groups and security groups that go with it) in the FINAL synthesized templates against the
 * secure-service controls, with the SecurityPolicy nearest each task definition in the construct
 * tree and the exemptions recorded in its `Metadata["secure-service:exemptions"]`.
 *
 * `ecs.SecureService` registers one on its Stage; add it to the App to check task definitions other
 * code created, nested Stages included:
 *
 * ```ts
 * Validations.of(app).addPlugins(new ecs.SecureServiceChecks());
 * ```
 */
export class SecureServiceChecks implements IPolicyValidationPlugin {
  /**
   * Registers one SecureServiceChecks on `stage`, unless one is already there.
   * @internal
   */
  public static _ensureOn(stage: Stage): void {
    const holder = stage as Stage & { [REGISTERED]?: SecureServiceChecks };
    if (holder[REGISTERED]) return;
    holder[REGISTERED] = new SecureServiceChecks();
    Validations.of(stage).addPlugins(holder[REGISTERED]);
  }

  public readonly name = PLUGIN_NAME;
  public readonly version = '0.0.0';
  /** Every rule id the plugin may report: one per control, then the acknowledgement, exemption and Fargate rules. */
  public readonly ruleIds: string[] = [...CONTROL_CATALOG.map((c) => c.id), ...Object.values(EcsRule)].map(ecsRuleId);

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    const owners = OWNERS.get(root) ?? new Map<string, SecureServiceChecks>();
    OWNERS.set(root, owners);
    const claim = (key: string) => (owners.get(key) ?? owners.set(key, this).get(key)) === this;

    const constructs = root.node.findAll();
    const acknowledgements = collectAcknowledgements(constructs, `${PLUGIN_NAME}::`);
    const violations: PolicyViolation[] = acknowledgements
      .filter((a) => a.problem !== undefined && claim(`ack:${a.path}:${a.ruleId}`))
      .map(acknowledgementViolation);
    const today = readToday(root, violations);
    const elementAt = elementFinder(constructs);

    // Every stack of the app is read, whichever Stage holds it: a runner anywhere may run a task definition
    // of a stack this plugin reports. It reports only the stacks it is given (and their nested stacks).
    const given = new Set(context.stackTemplates.map((t) => t.stackConstructPath));
    const stacks = withNestedStacks(constructs, appStacks(constructs, context.stackTemplates));
    const claimed = stacks.map((stack) => given.has(stack.topLevelPath) && claim(`stack:${stack.stackConstructPath}`));
    // Nothing is read when another plugin reports every stack (a SecureService registers one beside the app's).
    if (!claimed.includes(true)) return report(violations);
    const texts = stacks.map((stack) => fs.readFileSync(stack.templatePath, 'utf-8'));
    const byPath = new Map(constructs.map((c) => [c.node.path, c]));
    const sources = new Map<string, Source>(stacks.map((stack) => [stack.stackConstructPath, {
      templatePath: stack.templatePath,
      element: (logicalId: string) => elementAt(stack.stackConstructPath, logicalId),
      acknowledgements,
      stack: byPath.get(stack.stackConstructPath),
    }]));
    const reading: TemplatesReading = { stacks, claimed, sources, today, parse: templateParser(root, claimed.includes(false)) };
    violations.push(...expansionViolations(reading, texts));
    violations.push(...unreadContainerViolations(reading, texts));
    violations.push(...(texts.some((text) => text.includes('"Fn::If"')) ? conditionalViolations(reading, texts) : templatesViolations(reading, texts)));
    return report(violations);
  }
}

function report(violations: PolicyViolation[]): PolicyValidationPluginReport {
  return { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations };
}

/** The stacks a plugin reads, which of them it reports, and what it judges them with. */
interface TemplatesReading {
  readonly stacks: readonly StackTemplate[];
  readonly claimed: readonly boolean[];
  readonly sources: ReadonlyMap<string, Source>;
  readonly today: Date;
  /** Parses the text of the template at a path, once per synthesis however many plugins read it. */
  readonly parse: (templatePath: string, text: string) => CfnTemplate;
}

// Templates parsed by a plugin that leaves stacks to another, for that one to reuse: the text read again
// (cheap) tells whether the template is still the one parsed (parsing it is not).
const PARSED = new WeakMap<IConstruct, Map<string, { readonly text: string; readonly template: CfnTemplate }>>();

function templateParser(root: IConstruct, keep: boolean): TemplatesReading['parse'] {
  const known = PARSED.get(root);
  const kept = keep ? known ?? new Map<string, { text: string; template: CfnTemplate }>() : undefined;
  if (kept) PARSED.set(root, kept);
  else PARSED.delete(root);
  return (templatePath, text) => {
    const seen = known?.get(templatePath);
    if (seen?.text === text) return seen.template;
    const template = JSON.parse(text) as CfnTemplate;
    kept?.set(templatePath, { text, template });
    return template;
  };
}

/**
 * The violations in the templates (`texts`, one per stack of the app), indexed together, once: ingress
 * rules, services and exports of one can concern a task definition of another, and any runner (a rule,
 * a schedule, a state machine) may name a task definition of another stack, or Stage, by its family alone.
 */
function templatesViolations(reading: TemplatesReading, texts: readonly string[]): PolicyViolation[] {
  const app = indexApp(reading.stacks.map((stack, i) => appTemplate(reading, stack, texts[i])));
  return appViolations(reading, () => app);
}

/**
 * The violations of an app whose templates use conditions (`Fn::If`): every combination of the
 * conditions is read, and a violation found in only some of them names the conditions it needs.
 */
function conditionalViolations(reading: TemplatesReading, texts: readonly string[]): PolicyViolation[] {
  const templates = reading.stacks.map((stack, i) => appTemplate(reading, stack, texts[i]));
  const conditions = templates.map((t) => conditionsRead(t.template));
  const beyond = conditionsBeyondLimit(conditions, reading.stacks.map((stack) => stack.stackConstructPath), 'of the app');
  // Too many to combine: the fatal finding, and what the templates say without choosing a branch.
  if (beyond) return [...tooManyConditions(reading, conditions, beyond), ...templatesViolations(reading, texts)];
  const variants = templateVariants(templates.map((t) => t.template), conditions);
  const exemptionUse: ExemptionUse = { used: new Set(), unusedWarnings: new Map() };
  const perVariant = variants.map((variant) => {
    const app = indexApp(templates.map((t, i) => ({ ...t, template: variant.templates[i] })));
    return appViolations(reading, () => app, exemptionUse);
  });
  /** Each violation, and the variants (positions in `variants`) it is found in. */
  const found = new Map<string, { reported: PolicyViolation; inVariants: number[] }>();
  perVariant.forEach((violations, v) => {
    for (const reported of violations) {
      // One exemption of one task definition: used when any combination uses it, so not "remove it" in the others.
      const unused = exemptionUse.unusedWarnings.get(reported);
      if (unused !== undefined && exemptionUse.used.has(unused)) continue;
      const key = JSON.stringify(reported);
      (found.get(key) ?? found.set(key, { reported, inVariants: [] }).get(key)!).inVariants.push(v);
    }
  });
  const stackOf = (template: number) => reading.stacks[template].stackConstructPath;
  return [...found.values()].map(({ reported, inVariants }) => {
    if (inVariants.length === variants.length) return reported;
    // Named with only the conditions that decide whether it is found.
    const outcomes = variants.map((variant, v) => ({ choices: variant.choices, key: String(inVariants.includes(v)) }));
    return { ...reported, description: `${reported.description} (when ${conditionsOf(outcomes, inVariants, stackOf)})` };
  });
}

// A stack whose template CloudFormation expands when it deploys it: fatal, and the rest is still read as written.
function expansionViolations(reading: TemplatesReading, texts: readonly string[]): PolicyViolation[] {
  return reading.stacks.flatMap((stack, i) => {
    const expansion = reading.claimed[i] ? deployTimeExpansion(texts[i], () => reading.parse(stack.templatePath, texts[i])) : undefined;
    return expansion === undefined ? [] : [{
      ruleName: ecsRuleId(EcsRule.DEPLOY_TIME_EXPANSION),
      description: `${stack.stackConstructPath} uses ${expansion}, which CloudFormation expands only when it deploys the stack: what it produces cannot be read here, so no control can be proven`,
      fix: EXPANSION_FIX,
      severity: 'fatal' as const,
      violatingResources: [{ templatePath: stack.templatePath, locations: ['Resources'] }],
    }];
  });
}

// Each resource of a stack this plugin reports that runs containers the checks do not read.
function unreadContainerViolations(reading: TemplatesReading, texts: readonly string[]): PolicyViolation[] {
  // The AWS::CloudFormation::Stack resources of the NestedStacks read, and the TemplateURL each must hold: their templates are judged with the rest.
  const nested = new Map(reading.stacks.flatMap((stack) => (stack.parent ? [[`${stack.parent.label}\0${stack.parent.logicalId}`, stack.parent.templateUrl]] : [])));
  return reading.stacks.flatMap((stack, i) => {
    if (!reading.claimed[i] || !mayHoldUnreadContainers(texts[i])) return [];
    const source = reading.sources.get(stack.stackConstructPath)!;
    const template = reading.parse(stack.templatePath, texts[i]);
    const isReadStack = (logicalId: string) => {
      const key = `${stack.stackConstructPath}\0${logicalId}`;
      const properties = isObject(template.Resources) ? template.Resources[logicalId]?.Properties : undefined;
      return nested.has(key) && (nested.get(key) === undefined || nested.get(key) === JSON.stringify(properties?.TemplateURL));
    };
    return unreadContainers(template, isReadStack).map(({ logicalId, problem, readable }) =>
      violation(source, EcsRule.UNREAD_CONTAINERS, 'error', `${stack.stackConstructPath}: ${problem}`, logicalId, 'Properties', unreadContainersFix(readable)));
  });
}

function tooManyConditions(reading: TemplatesReading, conditions: readonly (readonly string[])[], beyond: string): PolicyViolation[] {
  return reading.stacks.flatMap((stack, i) => (!reading.claimed[i] || conditions[i].length === 0 ? [] : [{
    ruleName: ecsRuleId(EcsRule.CONDITIONS),
    description: `${beyond}; the checks judge every combination of at most ${MAX_CONDITIONS}, since which branch deploys cannot be told from the templates`,
    fix: 'write those values without Fn::If (one stack per variant, or choose in the CDK app), so that what deploys can be judged',
    severity: 'fatal' as const,
    violatingResources: [{ templatePath: stack.templatePath, locations: ['Conditions'] }],
  }]));
}

/**
 * Which exemptions cover findings in any combination of the conditions, and the warnings that call one
 * unused: each exemption named by its template, task definition and position.
 */
interface ExemptionUse {
  readonly used: Set<string>;
  readonly unusedWarnings: Map<PolicyViolation, string>;
}

/** Where a task definition other than a SecureService's records its exemptions, as the messages show them. */
const IN_METADATA: FormatFindingOptions = {
  exemptionsRecordedIn: `its task definition's ${EXEMPTIONS_METADATA_KEY} metadata `
    + `((taskDefinition.node.defaultChild as CfnTaskDefinition).addMetadata('${EXEMPTIONS_METADATA_KEY}', [...]))`,
};

/**
 * The violations of each claimed stack, read from the app `appOf()` returns, which holds every stack in
 * order. `exemptionUse`, when given, collects which exemptions are used.
 */
function appViolations(reading: TemplatesReading, appOf: () => AppIndex, exemptionUse?: ExemptionUse): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  reading.stacks.forEach((stack, i) => {
    if (!reading.claimed[i]) return;
    const source = reading.sources.get(stack.stackConstructPath)!;
    const own = appOf();
    const template = own.scopes[i].template;
    for (const problem of fargateProblems(template)) {
      violations.push(violation(source, EcsRule.FARGATE_UNSUPPORTED, 'fatal', `${nameOf(source.element, problem.logicalId)}: ${problem.message}`, problem.logicalId, problem.at));
    }
    const options = {
      file: stack.templatePath, nameOf: (id: string) => nameOf(source.element, id), app: own, fileAsset: fileAssetsBeside(stack.templatePath),
    };
    for (const workload of readEcsWorkloads(template, options)) {
      violations.push(...workloadViolations(workload, source, reading.sources, reading.today, exemptionUse));
    }
  });
  return violations;
}

interface Source {
  readonly templatePath: string;
  readonly element: (logicalId: string) => CfnElement | undefined;
  readonly acknowledgements: readonly Acknowledgement[];
  /** The stack construct of the template: the nearest scope of what its template holds that no construct maps to. */
  readonly stack: IConstruct | undefined;
}

function workloadViolations(
  workload: EcsWorkload, source: Source, sources: ReadonlyMap<string, Source>, today: Date, exemptionUse?: ExemptionUse,
): PolicyViolation[] {
  const element = source.element(workload.logicalId);
  // A task definition no construct maps to (written by hand into the template) is its stack's.
  const scope = element ?? source.element(workload.serviceLogicalIds[0] ?? '') ?? source.stack;
  const policy = scope ? SecurityPolicy.resolve(scope) : DEFAULT_POLICY;
  // The day nearest the task definition, as its service judges its exemptions.
  const day = scope ? todayOf(scope) : { today };
  const assessment = assessWorkload(workload.posture, workload.exemptions, policy, day.today);
  const violations: PolicyViolation[] = [];
  const name = workload.posture.name;
  // A value set below the app that is no date is this workload's problem; the app's own is reported once (readToday).
  if (day.problem && scope!.node.tryGetContext(TODAY_CONTEXT_KEY) !== scope!.node.root.node.tryGetContext(TODAY_CONTEXT_KEY)) {
    violations.push(violation(source, EcsRule.EXEMPTION, 'fatal', `${name}: ${day.problem}`, workload.logicalId, 'Metadata'));
  }

  for (const problem of workload.exemptionReadProblems) {
    violations.push(violation(source, EcsRule.EXEMPTION, 'fatal', `${name}: ${problem}`, workload.logicalId, 'Metadata'));
  }
  const exemptionKey = (index: number) => `${source.templatePath}\0${workload.logicalId}\0${index}`;
  for (const problem of assessment.exemptionProblems) {
    const severity = problem.severity === 'error' ? 'fatal' : 'warning';
    violations.push(violation(source, EcsRule.EXEMPTION, severity, problem.message, workload.logicalId, 'Metadata.secure-service:exemptions'));
    if (problem.unused) exemptionUse?.unusedWarnings.set(violations[violations.length - 1], exemptionKey(problem.index));
  }
  for (const finding of assessment.findings) {
    if (finding.exemption) exemptionUse?.used.add(exemptionKey(assessment.exemptions.indexOf(finding.exemption)));
  }
  const blocking = new Set(blockingFindings(assessment.findings));
  for (const finding of assessment.findings.filter((f) => f.status === 'violated')) {
    const severity = !blocking.has(finding) ? 'warning' : finding.waivable ? 'error' : 'fatal';
    const [settingSource, logicalId, location] = splitSetting(finding, workload.logicalId, source, sources);
    const message = formatFinding(finding, element && isInSecureService(element) ? {} : IN_METADATA);
    violations.push(violation(settingSource, finding.control, severity, message, logicalId, location, finding.fix, policy));
  }
  return violations;
}

/**
 * `Resources.Id.Properties.X` → ['Id', 'Properties.X'], in the template of `source`, or in another
 * stack's for `Stack/Other: Resources.Id...`; settings without a resource belong to the task definition.
 */
function splitSetting(finding: Finding, taskDefinition: string, source: Source, sources: ReadonlyMap<string, Source>): [Source, string, string] {
  const match = /^(?:(.+?): )?Resources\.([^.[ ]+)[.]?(.*)$/.exec(finding.setting);
  const settingSource = match?.[1] === undefined ? source : sources.get(match[1]);
  return match && settingSource ? [settingSource, match[2], match[3] || 'Properties'] : [source, taskDefinition, finding.setting];
}

/** A template for the app index, with where its stack deploys and, for a nested stack, its parent. */
function appTemplate(reading: TemplatesReading, stack: StackTemplate, text: string): AppTemplate {
  return {
    template: reading.parse(stack.templatePath, text),
    label: stack.stackConstructPath,
    account: stack.accountId,
    region: stack.region,
    parent: stack.parent,
  };
}

/**
 * One violation as CDK reports it. An acknowledgement CDK would let suppress it counts only when its
 * reason is a justification and both the policy where it is made, or at the setting, and
 * `workloadPolicy` (the policy of the task definition the finding is about) accept one.
 */
function violation(
  source: Source, rule: string, severity: 'fatal' | 'error' | 'warning', description: string, logicalId: string, location: string, fix?: string,
  workloadPolicy?: ResolvedSecurityPolicy,
): PolicyViolation {
  const ruleName = ecsRuleId(rule);
  let finalSeverity = severity;
  let text = description;
  const element = source.element(logicalId);
  const ack = element !== undefined && severity === 'error' ? closestAcknowledgement(source.acknowledgements, ruleName, element) : undefined;
  // The setting may sit outside the service's policy (an ingress rule or a log group in another stack).
  const problem = ack?.problem ?? (ack && workloadPolicy && isControlId(rule) ? policyRequirementProblem(rule, workloadPolicy) : undefined);
  if (ack && problem !== undefined) {
    // CDK would suppress the violation; the acknowledgement does not count, so nothing may suppress it.
    finalSeverity = 'fatal';
    text = `${description} (the acknowledgement of ${ruleName} at ${ack.path || '<app>'} does not count: ${problem})`;
  }
  return {
    ruleName,
    description: text,
    fix,
    severity: finalSeverity,
    violatingResources: [{ resourceLogicalId: logicalId, templatePath: source.templatePath, locations: [location] }],
  };
}

function acknowledgementViolation(ack: Acknowledgement): PolicyViolation {
  const { description, fix } = rejectedAcknowledgementAdvice(ack);
  return {
    ruleName: ecsRuleId(EcsRule.ACKNOWLEDGEMENT_REASON),
    description,
    fix,
    severity: 'fatal',
    violatingResources: [{ constructPath: ack.path, locations: [`Metadata.aws:cdk:acknowledged-rules.${ack.ruleId}`] }],
  };
}

function readToday(root: IConstruct, violations: PolicyViolation[]): Date {
  const { today, problem } = todayOf(root);
  if (problem) {
    violations.push({
      ruleName: ecsRuleId(EcsRule.EXEMPTION),
      description: problem,
      severity: 'fatal',
      violatingResources: [{ constructPath: root.node.path, locations: [`context.${TODAY_CONTEXT_KEY}`] }],
    });
  }
  return today;
}

/** A template to read, the path of the stack it belongs to, and where it deploys when known. */
interface StackTemplate {
  readonly stackConstructPath: string;
  /** The path of its top-level stack: its own, unless it is a nested stack. */
  readonly topLevelPath: string;
  readonly templatePath: string;
  readonly accountId?: string;
  readonly region?: string;
  /**
   * For a nested stack: its parent's path, the logical id of its AWS::CloudFormation::Stack there, and the
   * TemplateURL CDK gives that resource (as JSON), which the parent's template must still hold.
   */
  readonly parent?: { readonly label: string; readonly logicalId: string; readonly templateUrl?: string };
}

/**
 * Every top-level stack of the app, in the order of the construct tree: those given as CDK describes
 * them, the others (in Stages this plugin does not cover) as their constructs do. Every Stage has
 * written its templates before any plugin runs.
 */
function appStacks(constructs: readonly IConstruct[], templates: IPolicyValidationContext['stackTemplates']): StackTemplate[] {
  const given = new Map(templates.map((t) => [t.stackConstructPath, t]));
  const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
  const found = constructs.filter((c): c is Stack => Stack.isStack(c) && !NestedStack.isNestedStack(c)).flatMap((stack): StackTemplate[] => {
    const path = stack.node.path;
    const template = given.get(path);
    given.delete(path);
    if (template) return [{ ...template, topLevelPath: path }];
    const templatePath = join(Stage.of(stack)!.outdir, stack.templateFile);
    // A stack CDK wrote no template for (none of an assembly) runs nothing.
    if (!fs.existsSync(templatePath)) return [];
    return [{ stackConstructPath: path, topLevelPath: path, templatePath, accountId: known(stack.account), region: known(stack.region) }];
  });
  // A given stack no construct matched is still read, and reported.
  return [...found, ...[...given.values()].map((t) => ({ ...t, topLevelPath: t.stackConstructPath }))];
}

/**
 * `templates` and the templates of the NestedStacks inside their stacks: CDK gives plugins only
 * top-level stacks, and a nested stack's template is a file of its own in the same assembly.
 */
function withNestedStacks(constructs: readonly IConstruct[], templates: readonly StackTemplate[]): StackTemplate[] {
  const given = new Map(templates.map((t) => [t.stackConstructPath, t]));
  const nested = constructs.filter(NestedStack.isNestedStack).filter((stack) => given.has(topLevelStack(stack).node.path));
  return [
    ...templates,
    ...nested.map((stack) => {
      // A nested stack deploys where its top-level stack does.
      const top = given.get(topLevelStack(stack).node.path)!;
      return {
        stackConstructPath: stack.node.path,
        topLevelPath: top.topLevelPath,
        templatePath: join(Stage.of(stack)!.outdir, stack.templateFile),
        accountId: top.accountId,
        region: top.region,
        parent: nestedStackParent(stack),
      };
    }),
  ];
}

function nestedStackParent(stack: NestedStack): StackTemplate['parent'] {
  const resource = stack.nestedStackResource;
  const parent = stack.nestedStackParent;
  const logicalId = resource && parent ? parent.resolve(resource.logicalId) : undefined;
  if (!parent || typeof logicalId !== 'string') return undefined;
  // What CDK points the resource at: an override of TemplateURL deploys another template than the one read.
  const templateUrl = resource instanceof CfnStack ? JSON.stringify(parent.resolve(resource.templateUrl)) : undefined;
  return { label: parent.node.path, logicalId, templateUrl };
}

function topLevelStack(stack: Stack): Stack {
  return stack.nestedStackParent ? topLevelStack(stack.nestedStackParent) : stack;
}

/**
 * Finds, among `constructs`, the element behind a logical id of a stack. Logical ids are hashes of
 * construct paths, and computing one costs a hash: only task definitions (looked up for every
 * workload) are indexed at once; the other elements only when a workload or violation names one.
 */
function elementFinder(constructs: readonly IConstruct[]): (stackPath: string, logicalId: string) => CfnElement | undefined {
  const elements = constructs.filter(CfnElement.isCfnElement);
  const isTaskDefinition = (e: CfnElement) => CfnResource.isCfnResource(e) && e.cfnResourceType === 'AWS::ECS::TaskDefinition';
  const taskDefinitions = indexByLogicalId(elements.filter(isTaskDefinition));
  let others: Map<string, CfnElement> | undefined;
  return (stackPath, logicalId) => {
    const key = `${stackPath}\0${logicalId}`;
    return taskDefinitions.get(key) ?? (others ??= indexByLogicalId(elements.filter((e) => !isTaskDefinition(e)))).get(key);
  };
}

function indexByLogicalId(elements: readonly CfnElement[]): Map<string, CfnElement> {
  const index = new Map<string, CfnElement>();
  for (const element of elements) {
    const stack = Stack.of(element);
    const logicalId = stack.resolve(element.logicalId);
    if (typeof logicalId === 'string') index.set(`${stack.node.path}\0${logicalId}`, element);
  }
  return index;
}

/** The construct path of a task definition (its L2 when the L1 is its `Resource`). */
function nameOf(element: (logicalId: string) => CfnElement | undefined, logicalId: string): string | undefined {
  const path = element(logicalId)?.node.path;
  return path?.replace(/\/Resource$/, '');
}
