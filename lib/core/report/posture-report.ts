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

export interface WorkloadReport {
  readonly name: string;
  readonly location: string;
  readonly platform: Platform;
  readonly file?: string;
  readonly controls: readonly ControlStatus[];
  readonly exemptions: readonly Exemption[];
  /** Problems with exemptions: invalid ones (errors), expiring or unused ones (warnings). */
  readonly exemptionProblems: readonly { readonly severity: 'error' | 'warning'; readonly message: string }[];
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
      ...assessment.exemptionProblems.map((p) => ({ severity: p.severity, message: p.message })),
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
      exemptionErrors: problems.filter((p) => p.severity === 'error').length,
    },
    workloads,
  };
}

/** Whether the report shows anything that must fail a build: a violation or an invalid exemption. */
export function reportFails(report: PostureReport): boolean {
  return report.summary.violations > 0 || report.summary.exemptionErrors > 0;
}
