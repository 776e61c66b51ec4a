import { ControlId, Severity, controlDefinition } from './controls';
import { Exemption, ExemptionProblem, describeExemption, validateExemptions } from './exemption';
import { ResolvedSecurityPolicy } from './policy-settings';
import { WorkloadPosture } from './posture';
import * as rules from './rules';
import { Violation } from './rules/rule';

/** Every rule, in catalog order: the one place controls are judged. */
export const RULES: readonly rules.Rule[] = [
  rules.runAsNonRoot, rules.readOnlyRootFilesystem, rules.dropAllCapabilities, rules.noPrivilegeEscalation,
  rules.notPrivileged, rules.seccompRuntimeDefault, rules.noHostNamespaces, rules.noHostPathVolumes,
  rules.secretsNotInEnvironment, rules.resourceLimits, rules.noServiceAccountToken, rules.logging,
  rules.noPublicIp, rules.networkIsolation, rules.imagePinned,
];

/** A weakened setting: violated, or exempted by a valid exemption (never dropped). */
export interface Finding {
  readonly control: ControlId;
  readonly severity: Severity;
  readonly status: 'violated' | 'exempted';
  readonly workload: string;
  readonly location: string;
  /** The container, or undefined for a workload-wide setting. */
  readonly container?: string;
  readonly setting: string;
  readonly problem: string;
  readonly fix: string;
  /** False when the policy makes the control non-waivable, or forbids the setting itself (see `notWaivable`). */
  readonly waivable: boolean;
  /** Why no exemption may cover this finding, when the policy forbids the setting itself. */
  readonly notWaivable?: string;
  /** The exemption that covers the finding, when exempted. */
  readonly exemption?: Exemption;
}

function covers(exemption: Exemption, control: ControlId, container: string | undefined): boolean {
  return exemption.control === control && (exemption.container === undefined || exemption.container === container);
}

/**
 * Judges one workload: every rule over its posture. Exemptions with errors cover nothing; the others
 * turn the findings they cover into exempted findings.
 */
export function evaluate(workload: WorkloadPosture, exemptions: readonly Exemption[], policy: ResolvedSecurityPolicy, now: Date): Finding[] {
  return judge(workload, usableExemptions(exemptions, validateExemptions(exemptions, policy, now)), policy).findings;
}

/** Everything known about one workload: findings, exemption problems, and controls that do not apply. */
export interface WorkloadAssessment {
  readonly workload: WorkloadPosture;
  readonly exemptions: readonly Exemption[];
  readonly findings: readonly Finding[];
  /** Invalid exemptions (errors) and exemptions expiring soon or covering nothing (warnings). */
  readonly exemptionProblems: readonly ExemptionProblem[];
  readonly notApplicable: readonly ControlId[];
}

/** `evaluate` plus the checks that need the whole picture: unknown containers and unused exemptions. */
export function assessWorkload(
  workload: WorkloadPosture, exemptions: readonly Exemption[], policy: ResolvedSecurityPolicy, now: Date,
): WorkloadAssessment {
  const problems = validateExemptions(exemptions, policy, now);
  const { findings, notApplicable } = judge(workload, usableExemptions(exemptions, problems), policy);
  const exemptionProblems = problems.concat(exemptionUseProblems(workload, exemptions, problems, findings));
  return { workload, exemptions, findings, exemptionProblems, notApplicable };
}

/** Exemptions naming a container the workload does not have (errors), and valid ones no finding uses (warnings). */
function exemptionUseProblems(
  workload: WorkloadPosture, exemptions: readonly Exemption[], problems: readonly ExemptionProblem[], findings: readonly Finding[],
): ExemptionProblem[] {
  if (exemptions.length === 0) return [];
  const containers = workload.containers.map((c) => c.name);
  const invalid = invalidIndices(problems);
  const found: ExemptionProblem[] = [];
  exemptions.forEach((exemption, index) => {
    const label = `${describeExemption(exemption, index)} on ${workload.name}`;
    if (typeof exemption.container === 'string' && exemption.container.trim() !== '' && !containers.includes(exemption.container)) {
      found.push({ severity: 'error', exemption, index, message: `${label}: names container '${exemption.container}', which does not exist; containers: ${containers.join(', ')}; name one of them, or leave container out to cover every container` });
    } else if (!invalid.has(index) && !findings.some((f) => f.exemption === exemption)) {
      found.push({ severity: 'warning', exemption, index, message: `${label}: ${unusedBecause(exemption, findings)}`, unused: true });
    }
  });
  return found;
}

/**
 * Why a valid exemption covers nothing. "Remove it" would mislead where the exemption names a
 * container but the control is weakened for the whole workload (hostPID, say): the fix is the
 * opposite, leaving `container` out. And "nothing weakens" would be false where the control is
 * violated by what the policy itself forbids (a registry outside its allow-list), which no exemption covers.
 */
function unusedBecause(exemption: Exemption, findings: readonly Finding[]): string {
  const violated = findings.filter((f) => f.control === exemption.control && f.status === 'violated');
  const workloadWide = exemption.container === undefined ? undefined
    : violated.find((f) => f.container === undefined && f.waivable);
  if (workloadWide) {
    return `unused: it names container '${exemption.container}', but ${exemption.control} is weakened for the whole workload (${workloadWide.setting}), which an exemption of one container does not cover; leave container out to exempt the workload`;
  }
  const forbidden = violated.find((f) => f.notWaivable !== undefined && (exemption.container === undefined || f.container === exemption.container));
  return forbidden
    ? `unused: ${forbidden.notWaivable}, and ${exemption.control} is violated only by that (${forbidden.problem}); ${forbidden.fix}, and remove the exemption`
    : `unused, nothing weakens ${exemption.control} here; remove the exemption`;
}

/** The exemptions without errors: only they cover findings. */
function usableExemptions(exemptions: readonly Exemption[], problems: readonly ExemptionProblem[]): readonly Exemption[] {
  if (problems.length === 0) return exemptions;
  const invalid = invalidIndices(problems);
  return exemptions.filter((_, index) => !invalid.has(index));
}

/** The positions of the exemptions with errors. */
function invalidIndices(problems: readonly ExemptionProblem[]): Set<number> {
  return new Set(problems.filter((p) => p.severity === 'error').map((p) => p.index));
}

// One pass over the rules, in catalog order. Checks run once per synthesis, mostly before V8
// optimizes them, where every intermediate array and iterator costs: so plain index loops.
function judge(
  workload: WorkloadPosture, usable: readonly Exemption[], policy: ResolvedSecurityPolicy,
): { findings: Finding[]; notApplicable: ControlId[] } {
  const findings: Finding[] = [];
  const notApplicable: ControlId[] = [];
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i];
    if (!rule.appliesTo(workload)) {
      notApplicable.push(rule.control);
      continue;
    }
    const violations = rule.check(workload, policy);
    for (let j = 0; j < violations.length; j++) {
      const violation = violations[j];
      // The same setting read twice (a ConfigMap written twice, each copy's value read) is one finding.
      if (j > 0 && isRepeated(violations, j)) continue;
      const exemption = violation.notWaivable === undefined ? usable.find((e) => covers(e, rule.control, violation.container)) : undefined;
      findings.push({
        control: rule.control,
        severity: violation.severity ?? controlDefinition(rule.control).severity,
        status: exemption ? 'exempted' : 'violated',
        workload: workload.name,
        location: workload.location,
        container: violation.container,
        setting: violation.setting,
        problem: violation.problem,
        fix: violation.fix,
        waivable: violation.notWaivable === undefined && !policy.nonWaivable.includes(rule.control),
        notWaivable: violation.notWaivable,
        exemption,
      });
    }
  }
  return { findings, notApplicable };
}

function isRepeated(violations: readonly Violation[], j: number): boolean {
  const { container, setting, problem } = violations[j];
  for (let k = 0; k < j; k++) {
    if (violations[k].setting === setting && violations[k].problem === problem && violations[k].container === container) return true;
  }
  return false;
}

/** Violations that must fail synthesis: errors not covered by a valid exemption. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.status === 'violated' && f.severity === 'error');
}

/** How `formatFinding` words the exemption that would cover a finding. */
export interface FormatFindingOptions {
  /**
   * Where exemptions of the workload are recorded, e.g. 'the secure-service.dev/exemptions annotation':
   * the message shows the exemption as written there (JSON).
   * @default - as a SecureService's `exemptions` prop
   */
  readonly exemptionsRecordedIn?: string;
}

/** One finding as a message: control, workload, container, setting, problem and fix. */
export function formatFinding(finding: Finding, options: FormatFindingOptions = {}): string {
  // An options object, not a string: `findings.map(formatFinding)` passes an index here.
  const recordedIn = typeof options === 'object' ? options.exemptionsRecordedIn : undefined;
  const container = finding.container !== undefined ? ` container '${finding.container}'` : '';
  const field = finding.container !== undefined ? `, container: '${finding.container}'` : '';
  const asRecorded = JSON.stringify({ control: finding.control, ...(finding.container !== undefined ? { container: finding.container } : {}), justification: '...' });
  const exempt = !finding.waivable ? ` (${finding.notWaivable ?? 'the security policy makes this control non-waivable'})`
    : recordedIn === undefined ? ` (or add an exemption { control: Control.${finding.control}${field}, justification: '...' })`
      : ` (or record an exemption in ${recordedIn}: ${asRecorded})`;
  return `[${finding.control}] ${finding.workload}${container}: ${finding.problem} at ${finding.setting}; fix: ${finding.fix}${exempt}`;
}
