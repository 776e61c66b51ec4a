/**
 * Checks plain Kubernetes objects with the core rules: what chart-wide checks, the cdk8s CLI plugin
 * and the construct's own validation share. Pure: no cdk8s.
 */
import {
  DEFAULT_POLICY, ResolvedSecurityPolicy, WorkloadAssessment, assessWorkload, blockingFindings, formatFinding, parseIsoDate,
} from '../core';
import { KubernetesWorkload, ReadWorkloadsOptions, readWorkloads } from './posture';

/** How to check. */
export interface CheckObjectsOptions extends ReadWorkloadsOptions {
  /** The policy in force. @default - the default policy */
  readonly policy?: ResolvedSecurityPolicy;
  /** The day exemptions are judged on, a Date or `YYYY-MM-DD`. @default - today */
  readonly today?: Date | string;
  /** Only objects at these positions are checked (the others still count as context). @default - every pod-bearing object */
  readonly only?: readonly number[];
}

/** The outcome of checking objects. */
export interface CheckObjectsResult {
  /** One per pod-bearing object checked. */
  readonly assessments: readonly WorkloadAssessment[];
  /** What must fail synthesis: violated controls, invalid exemptions, unreadable annotations. */
  readonly errors: readonly string[];
  /** Exemption annotations that could not be read, by workload (also in `errors`). */
  readonly annotationProblems: readonly { readonly workload: string; readonly message: string }[];
  /** What must not: unpinned images, unused or expiring exemptions. */
  readonly warnings: readonly string[];
}

/** Checks every pod-bearing object among `objects`, honouring the exemptions recorded on each. */
export function checkObjects(objects: readonly unknown[], options: CheckObjectsOptions = {}): CheckObjectsResult {
  const policy = options.policy ?? DEFAULT_POLICY;
  const now = toDate(options.today);
  const workloads = readWorkloads(objects, options).filter((w) => options.only === undefined || options.only.includes(w.index));
  const assessments: WorkloadAssessment[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const annotationProblems = workloads.flatMap((w) => w.problems.map((message) => ({ workload: w.posture.name, message })));
  for (const workload of workloads) {
    const assessment = assessWorkload(workload.posture, workload.exemptions, policy, now);
    assessments.push(assessment);
    errors.push(...assessmentErrors(workload, assessment));
    warnings.push(...assessmentWarnings(assessment));
  }
  return { assessments, errors, warnings, annotationProblems };
}

function assessmentErrors(workload: KubernetesWorkload, assessment: WorkloadAssessment): string[] {
  return [
    ...workload.problems,
    ...assessment.exemptionProblems.filter((p) => p.severity === 'error').map((p) => `${p.message.includes(assessment.workload.name) ? '' : `${assessment.workload.name}: `}${p.message}`),
    ...blockingFindings(assessment.findings).map(formatFinding),
  ];
}

function assessmentWarnings(assessment: WorkloadAssessment): string[] {
  return [
    ...assessment.findings.filter((f) => f.status === 'violated' && f.severity === 'warning').map(formatFinding),
    ...assessment.exemptionProblems.filter((p) => p.severity === 'warning').map((p) => `${p.message.includes(assessment.workload.name) ? '' : `${assessment.workload.name}: `}${p.message}`),
  ];
}

function toDate(today: Date | string | undefined): Date {
  if (today === undefined) return new Date();
  if (today instanceof Date) return today;
  const date = parseIsoDate(today);
  if (!date) throw new Error(`today must be an ISO date YYYY-MM-DD, found: ${JSON.stringify(today)}`);
  return date;
}
