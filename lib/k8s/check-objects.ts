/**
 * Checks plain Kubernetes objects with the core rules: what chart-wide checks, the cdk8s CLI plugin
 * and the construct's own validation share. Pure: no cdk8s.
 */
import {
  DEFAULT_POLICY, FormatFindingOptions, ResolvedSecurityPolicy, SecurityPolicyProps, WorkloadAssessment, assessWorkload, blockingFindings,
  formatFinding, isPlainObject, parseIsoDate, resolvePolicy, shown,
} from '../core';
import { EXEMPTIONS_ANNOTATION } from './exemptions-annotation';
import { KubernetesWorkload, ReadWorkloadsOptions, readWorkloads } from './posture';
import { keyList, unknownKeyProblems } from '../core/known-keys';

/** How to check. */
export interface CheckObjectsOptions extends ReadWorkloadsOptions {
  /**
   * The policy in force: the `SecurityPolicy` fields (e.g. `{ requireTicket: true }`), or a policy
   * already resolved (`resolvePolicy`, `SecurityPolicy.resolve`). Checked like `SecurityPolicy`'s props.
   * @default - the default policy
   */
  readonly policy?: SecurityPolicyProps;
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

type JudgingOptions = Pick<CheckObjectsOptions, 'policy' | 'today'>;

const JUDGING_OPTION_KEYS = keyList<JudgingOptions>({ policy: true, today: true });
const CHECK_OPTION_KEYS = [...keyList<ReadWorkloadsOptions>({ locations: true, file: true, files: true }), ...JUDGING_OPTION_KEYS];

/** The policy and the day workloads are judged on, once checked. */
export interface Judging {
  readonly policy: ResolvedSecurityPolicy;
  readonly now: Date;
}

/**
 * Checks every pod-bearing object among `objects`, honouring the exemptions recorded on each. Throws,
 * naming each problem, when `objects` is not a list or an option is misspelled or invalid.
 */
export function checkObjects(objects: readonly unknown[], options: CheckObjectsOptions = {}): CheckObjectsResult {
  const listProblems = listProblem('objects', objects, 'a list of Kubernetes objects', { object: 'wrap it in [ ]', other: 'pass the parsed objects, e.g. what Yaml.load(file) returns' });
  const judging = checkedJudging('checkObjects', listProblems, options, CHECK_OPTION_KEYS);
  return combineChecks(judge(readWorkloads(objects, options), judging));
}

/** Judges workloads already read (by `readWorkloads`), honouring the exemptions recorded on each. Throws like `checkObjects`. */
export function checkWorkloads(workloads: readonly KubernetesWorkload[], options: JudgingOptions = {}): WorkloadCheck[] {
  const listProblems = listProblem('workloads', workloads, 'a list of workloads', { object: 'wrap it in [ ]', other: 'pass what readWorkloads returns' });
  return judge(workloads, checkedJudging('checkWorkloads', listProblems, options, JUDGING_OPTION_KEYS));
}

/** Where hand-written workloads record their exemptions, as the messages show them. */
const IN_ANNOTATION: FormatFindingOptions = { exemptionsRecordedIn: `the ${EXEMPTIONS_ANNOTATION} annotation` };

/**
 * `checkWorkloads` for the workloads of SecureServices, whose exemptions are the `exemptions` prop: the
 * messages show them as written there. @internal
 */
export function checkServiceWorkloads(workloads: readonly KubernetesWorkload[], judging: Judging): WorkloadCheck[] {
  return judge(workloads, judging, {});
}

function judge(workloads: readonly KubernetesWorkload[], { policy, now }: Judging, format: FormatFindingOptions = IN_ANNOTATION): WorkloadCheck[] {
  return workloads.map((workload) => {
    const assessment = assessWorkload(workload.posture, workload.exemptions, policy, now);
    return {
      index: workload.index,
      assessment,
      errors: assessmentErrors(workload, assessment, format),
      warnings: assessmentWarnings(assessment, format),
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

function assessmentErrors(workload: KubernetesWorkload, assessment: WorkloadAssessment, format: FormatFindingOptions): string[] {
  return [
    ...workload.problems,
    ...assessment.exemptionProblems.filter((p) => p.severity === 'error').map((p) => `${p.message.includes(assessment.workload.name) ? '' : `${assessment.workload.name}: `}${p.message}`),
    ...blockingFindings(assessment.findings).map((f) => formatFinding(f, format)),
  ];
}

function assessmentWarnings(assessment: WorkloadAssessment, format: FormatFindingOptions): string[] {
  return [
    ...assessment.findings.filter((f) => f.status === 'violated' && f.severity === 'warning').map((f) => formatFinding(f, format)),
    ...assessment.exemptionProblems.filter((p) => p.severity === 'warning').map((p) => `${p.message.includes(assessment.workload.name) ? '' : `${assessment.workload.name}: `}${p.message}`),
  ];
}

/** The policy and day `options` set; throws naming `caller` and every problem, those of `problems` too. */
function checkedJudging(caller: string, problems: readonly string[], options: unknown, known: readonly string[]): Judging {
  const all = [...problems, ...optionProblems(options, known, caller, '{ policy: { requireTicket: true }, today: \'2026-01-15\' }')];
  const given = isPlainObject(options) ? options : {};
  const policy = policyOf(given.policy, 'policy');
  const today = dayOf(given.today, 'today');
  all.push(...[policy.problem, today.problem].filter((p): p is string => p !== undefined));
  if (all.length > 0) throw new Error(`invalid arguments to ${caller}:\n  - ${all.join('\n  - ')}`);
  return { policy: policy.policy, now: today.day };
}

function listProblem(prop: string, value: unknown, shape: string, fixes: { readonly object: string; readonly other: string }): string[] {
  if (Array.isArray(value)) return [];
  return [`${prop} must be ${shape}, found: ${preview(value)}; ${isPlainObject(value) ? fixes.object : fixes.other}`];
}

/**
 * The problems with an options object: not an object at all, or keys it does not take (a misspelled
 * option would otherwise be dropped, and with it the policy or the day it was meant to set).
 * @internal
 */
export function optionProblems(options: unknown, known: readonly string[], caller: string, example: string): string[] {
  if (options === undefined) return [];
  if (!isPlainObject(options)) return [`the options of ${caller} must be an object such as ${example}, found: ${preview(options)}`];
  return unknownKeyProblems(options, known, `an option of ${caller}`);
}

/**
 * The policy `value` sets (`SecurityPolicy` fields, or a policy already resolved: resolving it again
 * changes nothing), or the problem with it; `prop` names where it was given.
 * @internal
 */
export function policyOf(value: unknown, prop: string): { readonly policy: ResolvedSecurityPolicy; readonly problem?: string } {
  if (value === undefined) return { policy: DEFAULT_POLICY };
  try {
    return { policy: resolvePolicy(value as SecurityPolicyProps) };
  } catch (e) {
    // resolvePolicy names each setting, the value and the fix; indented to read as part of this problem.
    const problems = (e as Error).message.replace(/\n/g, '\n  ');
    return { policy: DEFAULT_POLICY, problem: `${prop} is not a valid security policy, found: ${preview(value)} (${problems})` };
  }
}

/**
 * The day `value` names (a Date, or `YYYY-MM-DD`; today when undefined), or the problem with it. An
 * Invalid Date (`new Date(process.env.UNSET)`) would make every expiry check pass.
 * @internal
 */
export function dayOf(value: unknown, prop: string): { readonly day: Date; readonly problem?: string } {
  if (value === undefined) return { day: new Date() };
  const day = value instanceof Date ? value : typeof value === 'string' ? parseIsoDate(value) : undefined;
  if (day !== undefined && !Number.isNaN(day.getTime())) return { day };
  const found = value instanceof Date ? 'Invalid Date' : shown(value);
  return { day: new Date(), problem: `${prop} must be a valid date (a Date or YYYY-MM-DD), found: ${found}; e.g. '2026-01-15', or leave ${prop} out to judge on the current day` };
}

/** A received value as messages show it, cut short: a whole Kubernetes object would fill the screen. */
function preview(value: unknown): string {
  const text = shown(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
