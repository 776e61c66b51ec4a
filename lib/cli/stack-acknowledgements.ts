/**
 * CDK acknowledgements (`Validations.of(x).acknowledge({ id: 'secure-service::CONTROL', reason })`) read
 * from a cloud assembly, so that the CLI judges a deployed app as synthesis did: the validation plugin
 * lets an acknowledgement of a control stand for an exemption when its reason is a justification and the
 * security policy would accept an exemption that carries nothing else (lib/ecs/acknowledgements.ts).
 * The CLI has no constructs, so it finds them by construct path in the stack's metadata: CDK records
 * each acknowledgement (`aws:cdk:acknowledged-rules`) and the logical id of each resource
 * (`aws:cdk:logicalId`) there. Acknowledgements made on the App or a Stage are in no stack's metadata.
 */
import {
  ControlId, Exemption, Finding, ReportedAssessment, ResolvedSecurityPolicy, WorkloadAssessment, blockingFindings, isControlId, justificationProblem,
} from '../core';
import { StackMetadata } from './stack-environment';
import { ACKNOWLEDGED_RULES_METADATA_KEY, Acknowledgement, policyRequirementProblem, rejectedAcknowledgementAdvice } from '../ecs/acknowledgements';

/** The rule ids of the validation plugin: `secure-service::<CONTROL>`. */
const RULE_PREFIX = 'secure-service::';

/** The acknowledgements of one stack (its nested stacks included), and where the resources of one of its templates are in the construct tree. */
export interface StackAcknowledgements {
  readonly acknowledgements: readonly Acknowledgement[];
  /** The construct path of a resource of the template; undefined when the metadata does not say, or names two. */
  pathOf(logicalId: string): string | undefined;
}

/** What one top-level stack's metadata says of our acknowledgements and of where its resources (its nested stacks' too) are. */
export interface StackMetadataReading {
  readonly acknowledgements: readonly Acknowledgement[];
  /** The construct paths of its NestedStacks, whose resources are in their own templates. */
  readonly nestedStacks: readonly string[];
  /** The construct paths of the resources of that logical id, in any of the stack's templates. */
  pathsOf(logicalId: string): readonly string[];
}

/** Which template of a stack: its own (no `nestedStack`), a NestedStack's by its construct path, or one the metadata cannot tell. */
export type TemplateOfStack = { readonly nestedStack?: string } | 'unknown';

// CDK puts a NestedStack's AWS::CloudFormation::Stack at `<path>.NestedStack/<id>.NestedStackResource`, its resources under `<path>/`.
const NESTED_STACK_RESOURCE = /^(.*)\.NestedStack\/[^/]+\.NestedStackResource$/;

/** The construct path of the NestedStack an AWS::CloudFormation::Stack at `resourcePath` deploys, if CDK wrote it. */
export function nestedStackOf(resourcePath: string | undefined): string | undefined {
  return resourcePath === undefined ? undefined : NESTED_STACK_RESOURCE.exec(resourcePath)?.[1];
}

/** The acknowledgements of our rules in a stack's metadata, each judged against `policy` as the plugin judges it. */
export function readStackMetadata(metadata: StackMetadata, policy: ResolvedSecurityPolicy): StackMetadataReading {
  const acknowledgements: Acknowledgement[] = [];
  const paths = new Map<string, string[]>();
  const nestedStacks: string[] = [];
  for (const [key, entries] of metadata) {
    const path = key.replace(/^\//, '');
    for (const entry of entries) {
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        (paths.get(entry.data) ?? paths.set(entry.data, []).get(entry.data)!).push(path);
        const nested = nestedStackOf(path);
        if (nested !== undefined) nestedStacks.push(nested);
      }
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [ruleId, reason] of Object.entries(entry.data)) {
        if (ruleId.startsWith(RULE_PREFIX)) acknowledgements.push({ ruleId, reason, path, problem: acknowledgementProblem(ruleId, reason, policy) });
      }
    }
  }
  return { acknowledgements, pathsOf: (logicalId) => paths.get(logicalId) ?? [], nestedStacks };
}

/**
 * The stack's acknowledgements as seen from one of its templates. A logical id is unique in its template,
 * but NestedStacks reuse their parent's and each other's (CDK derives it from the path within the stack):
 * a resource's path is the one whose nearest NestedStack is the template's. When which template it is
 * cannot be told, only a logical id the whole stack uses once has a path.
 */
export function templateAcknowledgements(stack: StackMetadataReading, template: TemplateOfStack): StackAcknowledgements {
  const nearestNestedStack = (path: string) => {
    let nearest: string | undefined;
    for (const nested of stack.nestedStacks) if (path.startsWith(`${nested}/`) && (nearest === undefined || nested.length > nearest.length)) nearest = nested;
    return nearest;
  };
  return {
    acknowledgements: stack.acknowledgements,
    pathOf: (logicalId) => {
      const paths = stack.pathsOf(logicalId);
      const own = template === 'unknown' ? paths : paths.filter((path) => nearestNestedStack(path) === template.nestedStack);
      return own.length === 1 ? own[0] : undefined;
    },
  };
}

function acknowledgementProblem(ruleId: string, reason: unknown, policy: ResolvedSecurityPolicy): string | undefined {
  const rule = ruleId.slice(RULE_PREFIX.length);
  return justificationProblem(reason) ?? (isControlId(rule) ? policyRequirementProblem(rule, policy) : undefined);
}

/** What reading a task definition needs to apply the acknowledgements CDK applies to its violations. */
export interface AcknowledgedReading {
  /** The stack's acknowledgements, read when a violation needs them. */
  readonly stack: () => StackAcknowledgements;
  /** Those of the stack whose template is labelled `label` (a setting in another template: `Other: Resources.Id`), if it is read. */
  readonly stackOf: (label: string) => StackAcknowledgements | undefined;
  /** The task definition's logical id. */
  readonly logicalId: string;
  /** Assesses the task definition with its recorded exemptions and `more`. */
  readonly assess: (more: readonly Exemption[]) => ReportedAssessment;
}

/**
 * The task definition's assessment, the acknowledgements that CDK applies to its violations counted as
 * exemptions: a control's violations are exempted when the closest acknowledgement up the construct path
 * of each (as CDK picks it) counts. One that does not count is an invalid exemption, as in synthesis,
 * whether CDK would apply it or not (another one at its path, no violation, a misspelled rule): each
 * one made over the task definition is.
 */
export function assessAcknowledged(reading: AcknowledgedReading): ReportedAssessment {
  const first = reading.assess([]);
  const found = applicableAcknowledgements(first, reading);
  if (found.counting.length === 0 && found.rejected.length === 0) return first;
  const more = found.counting.map((a): Exemption => ({
    control: a.ruleId.slice(RULE_PREFIX.length) as ControlId,
    justification: a.reason as string,
  }));
  const assessed = reading.assess(more);
  return {
    ...assessed,
    recordProblems: [...(assessed.recordProblems ?? []), ...found.rejected.map(rejectionMessage)],
    acknowledgements: found.counting.map((a, i) => ({ index: assessed.exemptions.length - more.length + i, path: a.path })),
  };
}

/** The acknowledgements that cover every blocking violation of a control (counting), and those that would but do not count. */
function applicableAcknowledgements(
  assessment: WorkloadAssessment, reading: AcknowledgedReading,
): { counting: Acknowledgement[]; rejected: Acknowledgement[] } {
  const counting = new Set<Acknowledgement>();
  const rejected = new Set<Acknowledgement>();
  const own = reading.stack().pathOf(reading.logicalId);
  if (own !== undefined) reading.stack().acknowledgements.forEach((a) => a.problem !== undefined && isOver(a.path, own) && rejected.add(a));
  const blocking = blockingFindings(assessment.findings).filter((f) => f.waivable);
  for (const control of new Set(blocking.map((f) => f.control))) {
    const closest = blocking.filter((f) => f.control === control).map((f) => closestAcknowledgement(reading, f));
    closest.forEach((a) => a?.problem !== undefined && rejected.add(a));
    // CDK suppresses violation by violation; an exemption covers the control, so it stands in only when every violation is acknowledged.
    if (closest.every((a) => a !== undefined && a.problem === undefined)) closest.forEach((a) => counting.add(a!));
  }
  return { counting: [...counting], rejected: [...rejected] };
}

/** Whether an acknowledgement made at `path` is over the construct at `constructPath`, as CDK applies it to what is below it. */
function isOver(path: string, constructPath: string): boolean {
  return path === '' || constructPath === path || constructPath.startsWith(`${path}/`);
}

/**
 * The acknowledgements among `acknowledgements` (a stack's) that do not count and are over none of the
 * task definitions at `workloadPaths`: no workload's report can show them, and synthesis fails on them.
 */
export function rejectedOverNoWorkload(acknowledgements: readonly Acknowledgement[], workloadPaths: readonly string[]): Acknowledgement[] {
  return acknowledgements.filter((a) => a.problem !== undefined && !workloadPaths.some((path) => isOver(a.path, path)));
}

/** The acknowledgement CDK would apply to a finding: the closest one of its rule up the construct path of the resource it names. */
function closestAcknowledgement(reading: AcknowledgedReading, finding: Finding): Acknowledgement | undefined {
  const { label, logicalId } = settingResource(finding, reading.logicalId);
  const stack = label === undefined ? reading.stack() : reading.stackOf(label);
  return stack && resourceAcknowledgement(stack, finding.control, logicalId);
}

/** The acknowledgement of `rule` (`secure-service::<rule>`) CDK would apply to the resource `logicalId`: the closest one up its construct path. */
export function resourceAcknowledgement(stack: StackAcknowledgements, rule: string, logicalId: string): Acknowledgement | undefined {
  let path = stack.pathOf(logicalId);
  const ruleId = `${RULE_PREFIX}${rule}`;
  while (path !== undefined) {
    const at = path;
    const match = stack.acknowledgements.filter((a) => a.ruleId === ruleId && a.path === at);
    // Several acknowledgements at one path: CDK keeps the last one recorded.
    if (match.length > 0) return match[match.length - 1];
    path = at === '' ? undefined : at.slice(0, Math.max(at.lastIndexOf('/'), 0));
  }
  return undefined;
}

/**
 * The resource a finding's setting is in (`Resources.Id...`), and the label of its template when another
 * template's (`Other: Resources.Id...`, a security group rule another stack adds); a setting without a
 * resource is the task definition's.
 */
function settingResource(finding: Finding, taskDefinition: string): { readonly label?: string; readonly logicalId: string } {
  const elsewhere = /^(\S+): Resources\.([^.[ ]+)/.exec(finding.setting);
  if (elsewhere) return { label: elsewhere[1], logicalId: elsewhere[2] };
  return { logicalId: /^Resources\.([^.[ ]+)/.exec(finding.setting)?.[1] ?? taskDefinition };
}

/** What to say of an acknowledgement that does not count, and its fix. */
export function rejectionMessage(acknowledgement: Acknowledgement): string {
  const { description, fix } = rejectedAcknowledgementAdvice(acknowledgement);
  return `${description}; fix: ${fix}`;
}
