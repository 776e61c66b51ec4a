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

/** One pod-bearing object checked. */
export interface WorkloadCheck {
  /** The object's position in the list checked. */
  readonly index: number;
  readonly assessment: WorkloadAssessment;
  /** What must fail synthesis for this workload. */
  readonly errors: readonly string[];
  /** What must not. */
  readonly warnings: readonly string[];
  /** Why its recorded exemptions could not be read (also in `errors`). */
  readonly annotationProblems: readonly string[];
}

/** Checks every pod-bearing object among `objects`, honouring the exemptions recorded on each. */
export function checkObjects(objects: readonly unknown[], options: CheckObjectsOptions = {}): CheckObjectsResult {
  return combineChecks(checkWorkloads(readWorkloads(objects, options), options));
}

/** Judges workloads already read (by `readWorkloads`), honouring the exemptions recorded on each. */
export function checkWorkloads(workloads: readonly KubernetesWorkload[], options: Pick<CheckObjectsOptions, 'policy' | 'today'> = {}): WorkloadCheck[] {
  const policy = options.policy ?? DEFAULT_POLICY;
  const now = toDate(options.today);
  return workloads.map((workload) => {
    const assessment = assessWorkload(workload.posture, workload.exemptions, policy, now);
    return {
      index: workload.index,
      assessment,
      errors: assessmentErrors(workload, assessment),
      warnings: assessmentWarnings(assessment),
      annotationProblems: workload.problems,
    };
  });
}

/** The result of checking all of `checks` together. */
export function combineChecks(checks: readonly WorkloadCheck[]): CheckObjectsResult {
  return {
    assessments: checks.map((c) => c.assessment),
    errors: checks.flatMap((c) => c.errors),
    warnings: checks.flatMap((c) => c.warnings),
    annotationProblems: checks.flatMap((c) => c.annotationProblems.map((message) => ({ workload: c.assessment.workload.name, message }))),
  };
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
