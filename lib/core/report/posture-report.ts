import { CONTROL_CATALOG, ControlId } from '../controls';
import { WorkloadAssessment, Finding } from '../evaluate';
import { Exemption } from '../exemption';
import { Platform } from '../posture';

/** How one control stands for one workload. */
export type ControlState = 'enforced' | 'exempted' | 'violated' | 'warning' | 'not-applicable';

export interface ControlStatus {
  readonly control: ControlId;
  readonly title: string;
  readonly state: ControlState;
  readonly findings: readonly Finding[];
  /** The exemptions that cover findings of this control. */
  readonly exemptions: readonly Exemption[];
}

/** A problem with one exemption of a workload: invalid (error), or expiring soon or unused (warning). */
export interface ExemptionProblemReport {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /**
   * The exemption's position in the workload's `exemptions`.
   * @default - none: the recorded exemptions could not be read (the problem stands for one exemption)
   */
  readonly index?: number;
  /** The control the exemption names, as written. */
  readonly control?: string;
  /** The container the exemption names, as written. */
  readonly container?: string;
}

export interface WorkloadReport {
  readonly name: string;
  readonly location: string;
  readonly platform: Platform;
  readonly file?: string;
  readonly controls: readonly ControlStatus[];
  readonly exemptions: readonly Exemption[];
  /** Problems with exemptions: invalid ones (errors), expiring or unused ones (warnings). */
  readonly exemptionProblems: readonly ExemptionProblemReport[];
}

export interface PostureReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** The day the report was made (ISO date). */
  readonly date: string;
  readonly summary: {
    readonly workloads: number;
    readonly violations: number;
    readonly exempted: number;
    readonly warnings: number;
    /** How many exemptions are invalid (not how many problems they have): each one fails the report. */
    readonly exemptionErrors: number;
  };
  readonly workloads: readonly WorkloadReport[];
}

export const TOOL_NAME = 'secure-service';
// Read at run time so the report names the installed version without a build step.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const TOOL_VERSION: string = require('../../../package.json').version;

function stateOf(findings: readonly Finding[], notApplicable: boolean): ControlState {
  if (notApplicable) return 'not-applicable';
  if (findings.some((f) => f.status === 'violated' && f.severity === 'error')) return 'violated';
  if (findings.some((f) => f.status === 'violated')) return 'warning';
  return findings.length > 0 ? 'exempted' : 'enforced';
}

/** An assessment, plus problems found reading the exemptions recorded in the output (errors). */
export interface ReportedAssessment extends WorkloadAssessment {
  readonly recordProblems?: readonly string[];
}

function workloadReport(assessment: ReportedAssessment): WorkloadReport {
  const { workload } = assessment;
  return {
    name: workload.name,
    location: workload.location,
    platform: workload.platform,
    file: workload.file,
    controls: CONTROL_CATALOG.map((definition) => {
      const findings = assessment.findings.filter((f) => f.control === definition.id);
      const exemptions = [...new Set(findings.flatMap((f) => (f.exemption ? [f.exemption] : [])))];
      return {
        control: definition.id,
        title: definition.title,
        state: stateOf(findings, assessment.notApplicable.includes(definition.id)),
        findings,
        exemptions,
      };
    }),
    exemptions: assessment.exemptions,
    exemptionProblems: [
      ...(assessment.recordProblems ?? []).map((message) => ({ severity: 'error' as const, message })),
      ...assessment.exemptionProblems.map((p): ExemptionProblemReport => ({
        severity: p.severity,
        message: p.message,
        index: p.index,
        control: asText(p.exemption.control),
        container: asText(p.exemption.container),
      })),
    ],
  };
}

/** The posture report auditors read: every control of every workload, with its state and exemptions. */
export function buildPostureReport(assessments: readonly ReportedAssessment[], now: Date): PostureReport {
  const findings = assessments.flatMap((a) => a.findings);
  const workloads = assessments.map(workloadReport);
  const problems = workloads.flatMap((w) => w.exemptionProblems);
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    date: now.toISOString().slice(0, 10),
    summary: {
      workloads: assessments.length,
      violations: findings.filter((f) => f.status === 'violated' && f.severity === 'error').length,
      exempted: findings.filter((f) => f.status === 'exempted').length,
      warnings: findings.filter((f) => f.status === 'violated' && f.severity === 'warning').length + problems.filter((p) => p.severity === 'warning').length,
      exemptionErrors: workloads.reduce((sum, w) => sum + invalidExemptionCount(w), 0),
    },
    workloads,
  };
}

// Recorded exemptions are read from files anyone writes: a field may hold any JSON value.
function asText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// An exemption with an expired date and a placeholder justification is one invalid exemption, not two.
function invalidExemptionCount(workload: WorkloadReport): number {
  const invalid = new Set<number>();
  let unreadable = 0;
  for (const problem of workload.exemptionProblems) {
    if (problem.severity !== 'error') continue;
    if (problem.index === undefined) unreadable++;
    else invalid.add(problem.index);
  }
  return invalid.size + unreadable;
}

/** Whether the report shows anything that must fail a build: a violation or an invalid exemption. */
export function reportFails(report: PostureReport): boolean {
  return report.summary.violations > 0 || report.summary.exemptionErrors > 0;
}
