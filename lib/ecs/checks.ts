import * as fs from 'fs';
import { join } from 'path';
import {
  CfnElement, CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, NestedStack, PolicyValidationPluginReport, PolicyViolation,
  Stack, Stage, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  CONTROL_CATALOG, ControlId, DEFAULT_POLICY, Finding, SecurityPolicy, assessWorkload, blockingFindings, formatFinding, parseIsoDate,
} from '../core';
import { Acknowledgement, closestAcknowledgement, collectAcknowledgements } from './acknowledgements';
import { fargateProblems } from './fargate-compatibility';
import { EcsWorkload, readEcsWorkloads } from './posture';
import { CfnTemplate, indexTemplate } from './template-values';

/** The context key that fixes "today" for exemption expiry (YYYY-MM-DD); tests and reproducible builds set it. */
export const TODAY_CONTEXT_KEY = 'secure-service:today';

/** The plugin's name: rule ids are `secure-service::<RULE>`. */
export const PLUGIN_NAME = 'secure-service';

/** Rules that are not controls of the catalog. */
export const EcsRule = {
  /** An acknowledgement of one of our rules whose reason is not a justification (fatal). */
  ACKNOWLEDGEMENT_REASON: 'ACKNOWLEDGEMENT_REASON',
  /** An invalid exemption (fatal), or one expiring soon or unused (warning). */
  EXEMPTION: 'EXEMPTION',
  /** A setting Fargate cannot run (fatal). */
  FARGATE_UNSUPPORTED: 'FARGATE_UNSUPPORTED',
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

    for (const { stackConstructPath, templatePath } of withNestedStacks(constructs, context.stackTemplates)) {
      if (!claim(`stack:${stackConstructPath}`)) continue;
      // Indexed once for both readers.
      const template = indexTemplate(JSON.parse(fs.readFileSync(templatePath, 'utf-8')) as CfnTemplate);
      const element = (logicalId: string) => elementAt(stackConstructPath, logicalId);
      const source = { templatePath, element, acknowledgements };

      for (const problem of fargateProblems(template)) {
        violations.push(violation(source, EcsRule.FARGATE_UNSUPPORTED, 'fatal', `${nameOf(element, problem.logicalId)}: ${problem.message}`, problem.logicalId, problem.at));
      }
      for (const workload of readEcsWorkloads(template, { file: templatePath, nameOf: (id) => nameOf(element, id) })) {
        violations.push(...workloadViolations(workload, source, today));
      }
    }
    const success = violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal');
    return { success, violations };
  }
}

interface Source {
  readonly templatePath: string;
  readonly element: (logicalId: string) => CfnElement | undefined;
  readonly acknowledgements: readonly Acknowledgement[];
}

function workloadViolations(workload: EcsWorkload, source: Source, today: Date): PolicyViolation[] {
  const element = source.element(workload.logicalId);
  const scope = element ?? source.element(workload.serviceLogicalIds[0] ?? '');
  const policy = scope ? SecurityPolicy.resolve(scope) : DEFAULT_POLICY;
  const assessment = assessWorkload(workload.posture, workload.exemptions, policy, today);
  const violations: PolicyViolation[] = [];
  const name = workload.posture.name;

  for (const problem of workload.exemptionReadProblems) {
    violations.push(violation(source, EcsRule.EXEMPTION, 'fatal', `${name}: ${problem}`, workload.logicalId, 'Metadata'));
  }
  for (const problem of assessment.exemptionProblems) {
    const severity = problem.severity === 'error' ? 'fatal' : 'warning';
    violations.push(violation(source, EcsRule.EXEMPTION, severity, problem.message, workload.logicalId, 'Metadata.secure-service:exemptions'));
  }
  const blocking = new Set(blockingFindings(assessment.findings));
  for (const finding of assessment.findings.filter((f) => f.status === 'violated')) {
    const severity = !blocking.has(finding) ? 'warning' : finding.waivable ? 'error' : 'fatal';
    const [logicalId, location] = splitSetting(finding, workload.logicalId);
    violations.push(violation(source, finding.control, severity, formatFinding(finding), logicalId, location, finding.fix));
  }
  return violations;
}

/** `Resources.Id.Properties.X` → ['Id', 'Properties.X']; settings without a resource belong to the task definition. */
function splitSetting(finding: Finding, taskDefinition: string): [string, string] {
  const match = /^Resources\.([^.[]+)[.]?(.*)$/.exec(finding.setting);
  return match ? [match[1], match[2] || 'Properties'] : [taskDefinition, finding.setting];
}

function violation(source: Source, rule: string, severity: 'fatal' | 'error' | 'warning', description: string, logicalId: string, location: string, fix?: string): PolicyViolation {
  const ruleName = ecsRuleId(rule);
  let finalSeverity = severity;
  let text = description;
  const path = source.element(logicalId)?.node.path;
  const ack = path !== undefined && severity === 'error' ? closestAcknowledgement(source.acknowledgements, ruleName, path) : undefined;
  if (ack?.problem !== undefined) {
    // CDK would suppress the violation; the acknowledgement does not count, so nothing may suppress it.
    finalSeverity = 'fatal';
    text = `${description} (the acknowledgement of ${ruleName} at ${ack.path || '<app>'} does not count: ${ack.problem})`;
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
  return {
    ruleName: ecsRuleId(EcsRule.ACKNOWLEDGEMENT_REASON),
    description: `the acknowledgement of ${ack.ruleId} at ${ack.path || '<app>'} does not count: ${ack.problem}; `
      + 'an acknowledgement of a secure-service rule is an exemption and needs a justification of at least 20 characters that says why the control must be weakened and what limits the risk, or use the exemptions prop',
    fix: 'give the acknowledgement a real justification, or remove it and restore the secure setting',
    severity: 'fatal',
    violatingResources: [{ constructPath: ack.path, locations: [`Metadata.aws:cdk:acknowledged-rules.${ack.ruleId}`] }],
  };
}

function readToday(root: IConstruct, violations: PolicyViolation[]): Date {
  const value: unknown = root.node.tryGetContext(TODAY_CONTEXT_KEY);
  if (value === undefined) return new Date();
  const date = typeof value === 'string' ? parseIsoDate(value) : undefined;
  if (date) return date;
  violations.push({
    ruleName: ecsRuleId(EcsRule.EXEMPTION),
    description: `context ${TODAY_CONTEXT_KEY} must be an ISO date YYYY-MM-DD, found: ${JSON.stringify(value)}; fix it or remove it to use the real date`,
    severity: 'fatal',
    violatingResources: [{ constructPath: root.node.path, locations: [`context.${TODAY_CONTEXT_KEY}`] }],
  });
  return new Date();
}

/** A template to read, and the path of the stack it belongs to. */
interface StackTemplate {
  readonly stackConstructPath: string;
  readonly templatePath: string;
}

/**
 * `templates` and the templates of the NestedStacks inside their stacks: CDK gives plugins only
 * top-level stacks, and a nested stack's template is a file of its own in the same assembly.
 */
function withNestedStacks(constructs: readonly IConstruct[], templates: readonly StackTemplate[]): StackTemplate[] {
  const given = new Set(templates.map((t) => t.stackConstructPath));
  const nested = constructs.filter(NestedStack.isNestedStack).filter((stack) => given.has(topLevelStack(stack).node.path));
  return [
    ...templates,
    ...nested.map((stack) => ({ stackConstructPath: stack.node.path, templatePath: join(Stage.of(stack)!.outdir, stack.templateFile) })),
  ];
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
