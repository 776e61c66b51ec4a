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
  readonly exemptions: readonly ReportedExemption[];
}

/**
 * Where an exemption stands: `in-force` covers what it names; `expiring` does too, within the policy's
 * warning window; `unused` covers nothing; `invalid` covers nothing and fails the check.
 */
export type ExemptionStatus = 'in-force' | 'expiring' | 'unused' | 'invalid';

/** An exemption as the report lists it: where it stands, and why. */
export interface ReportedExemption extends Exemption {
  readonly status: ExemptionStatus;
  /** Why it is invalid, unused or expiring: the messages of its problems. */
  readonly statusReasons: readonly string[];
  /**
   * The construct path of the CDK acknowledgement (`Validations.of(x).acknowledge`) the exemption stands for.
   * @default - none: the exemption is recorded in the output
   */
  readonly acknowledgedAt?: string;
}

/** An input the report does not cover: a file, or a document of it, that could not be read. */
export interface UnreadInput {
  readonly file: string;
  /** @default - the whole file, or no line is known */
  readonly line?: number;
  readonly reason: string;
}

/** An unread input as one line: `file:line: reason`. */
export function describeUnreadInput(input: UnreadInput): string {
  return `${input.file}${input.line !== undefined ? `:${input.line}` : ''}: ${input.reason}`;
}

/**
 * A resource that runs containers no check reads (`secure-service::UNREAD_CONTAINERS`: a daemon task
 * definition, a stack whose template is not read), passed because a CDK acknowledgement with a justified
 * reason covers it. Nothing is proven of its containers: the report names it so that auditors see it.
 */
export interface AcknowledgedUnreadResource {
  readonly file: string;
  /** Its logical id in the template. */
  readonly resource: string;
  /** Why its containers are not read. */
  readonly problem: string;
  /** The acknowledgement's reason. */
  readonly justification: string;
  /** The construct path of the acknowledgement (`Validations.of(x).acknowledge`), in a stack: one on the App or a Stage is in no stack's metadata. */
  readonly acknowledgedAt: string;
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
  readonly exemptions: readonly ReportedExemption[];
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
  /**
   * What could not be read: the report covers everything else, so it is incomplete while this is not empty.
   */
  readonly unreadInputs: readonly UnreadInput[];
  /**
   * Resources whose containers are not read, each passed by an acknowledgement: they do not fail the report.
   * @default - none (a report of an earlier version has no such list)
   */
  readonly unreadContainers?: readonly AcknowledgedUnreadResource[];
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
  /** Exemptions that stand for CDK acknowledgements: their index in `exemptions`, and the construct path. */
  readonly acknowledgements?: readonly { readonly index: number; readonly path: string }[];
  /**
   * What the workload is, when it is reported more than once (a task definition in each combination of
   * template conditions that reads differently): the summary counts it once.
   * @default - the assessment is a workload of its own
   */
  readonly workloadKey?: string;
  /**
   * Exemptions that cover nothing in this reading but do in another reading of the same workload: their
   * index in `exemptions`, and the conditions under which they cover findings. They are not unused.
   * @default - none
   */
  readonly coveringInOtherReadings?: readonly { readonly index: number; readonly when: string }[];
}

function workloadReport(assessment: ReportedAssessment): WorkloadReport {
  const { workload } = assessment;
  const exemptionProblems = [
    ...(assessment.recordProblems ?? []).map((message) => ({ severity: 'error' as const, message })),
    ...assessment.exemptionProblems.map((p): ExemptionProblemReport => ({
      severity: p.severity,
      message: p.message,
      index: p.index,
      control: asText(p.exemption.control),
      container: asText(p.exemption.container),
    })),
  ];
  const exemptions = assessment.exemptions.map((e, index) => reportedExemption(e, index, assessment, exemptionProblems));
  return {
    name: workload.name,
    location: workload.location,
    platform: workload.platform,
    file: workload.file,
    controls: CONTROL_CATALOG.map((definition) => {
      const findings = assessment.findings.filter((f) => f.control === definition.id);
      const covering = [...new Set(findings.flatMap((f) => (f.exemption ? [f.exemption] : [])))];
      return {
        control: definition.id,
        title: definition.title,
        state: stateOf(findings, assessment.notApplicable.includes(definition.id)),
        findings,
        exemptions: covering.map((e) => exemptions[assessment.exemptions.indexOf(e)] ?? reportedExemption(e, -1, assessment, exemptionProblems)),
      };
    }),
    exemptions,
    exemptionProblems,
  };
}

function reportedExemption(
  exemption: Exemption, index: number, assessment: ReportedAssessment, problems: readonly ExemptionProblemReport[],
): ReportedExemption {
  const own = problems.filter((p) => p.index === index);
  const acknowledgedAt = assessment.acknowledgements?.find((a) => a.index === index)?.path;
  const otherReading = assessment.coveringInOtherReadings?.find((c) => c.index === index);
  const status = exemptionStatus(exemption, own, assessment.findings);
  return {
    ...exemption,
    // Unused in this reading alone: what it is for the task definition is what it is where it covers findings.
    status: status === 'unused' && otherReading ? (own.length > 0 ? 'expiring' : 'in-force') : status,
    statusReasons: [
      ...own.map((p) => p.message),
      ...(otherReading ? [`covers nothing in this reading, and covers findings when ${otherReading.when}`] : []),
    ],
    ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}),
  };
}

// An exemption with an error covers nothing; a valid one is unused when no finding names it, else in
// force, or expiring when the policy's warning window has begun.
function exemptionStatus(exemption: Exemption, problems: readonly ExemptionProblemReport[], findings: readonly Finding[]): ExemptionStatus {
  if (problems.some((p) => p.severity === 'error')) return 'invalid';
  if (!findings.some((f) => f.exemption === exemption)) return 'unused';
  return problems.length > 0 ? 'expiring' : 'in-force';
}

/**
 * The posture report auditors read: every control of every workload, with its state and exemptions,
 * the inputs that could not be read (which make it incomplete), and the acknowledged resources whose
 * containers are not read.
 */
export function buildPostureReport(
  assessments: readonly ReportedAssessment[], now: Date,
  unreadInputs: readonly UnreadInput[] = [], unreadContainers: readonly AcknowledgedUnreadResource[] = [],
): PostureReport {
  const workloads = assessments.map(workloadReport);
  // A workload reported once per reading of its conditions holds its unconditional findings in each: counted once.
  const byWorkload = new Map<unknown, number[]>();
  assessments.forEach((a, i) => {
    const key = a.workloadKey ?? a;
    (byWorkload.get(key) ?? byWorkload.set(key, []).get(key)!).push(i);
  });
  const summary = { workloads: byWorkload.size, violations: 0, exempted: 0, warnings: 0, exemptionErrors: 0 };
  for (const readings of byWorkload.values()) {
    const findings = distinct(readings.flatMap((i) => assessments[i].findings));
    const problems = distinct(readings.flatMap((i) => workloads[i].exemptionProblems));
    summary.violations += findings.filter((f) => f.status === 'violated' && f.severity === 'error').length;
    summary.exempted += findings.filter((f) => f.status === 'exempted').length;
    summary.warnings += findings.filter((f) => f.status === 'violated' && f.severity === 'warning').length + problems.filter((p) => p.severity === 'warning').length;
    summary.exemptionErrors += invalidExemptionCount(problems);
  }
  const tool = { name: TOOL_NAME, version: TOOL_VERSION };
  return { tool, date: now.toISOString().slice(0, 10), summary, workloads, unreadInputs, unreadContainers };
}

/** The items that differ in what they say: the readings of one workload repeat most of theirs. */
function distinct<T>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
}

// Recorded exemptions are read from files anyone writes: a field may hold any JSON value.
function asText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// An exemption with an expired date and a placeholder justification is one invalid exemption, not two.
function invalidExemptionCount(problems: readonly ExemptionProblemReport[]): number {
  const invalid = new Set<number>();
  let unreadable = 0;
  for (const problem of problems) {
    if (problem.severity !== 'error') continue;
    if (problem.index === undefined) unreadable++;
    else invalid.add(problem.index);
  }
  return invalid.size + unreadable;
}

/**
 * Whether the report shows anything that must fail a build: a violation, an invalid exemption, or an
 * input that could not be read (the report is then incomplete).
 */
export function reportFails(report: PostureReport): boolean {
  return report.summary.violations > 0 || report.summary.exemptionErrors > 0 || report.unreadInputs.length > 0;
}

/**
 * The summary in one line, as the table and `--output` print it:
 * `2 workload(s): 1 violation(s), 0 exempted, 1 warning(s), 0 invalid exemption(s), 0 input(s) not read`,
 * then `, 1 acknowledged resource(s) with containers not read` when there are any.
 */
export function summaryLine(report: PostureReport, exempted = 'exempted'): string {
  const s = report.summary;
  // Rare, and ECS only: named when present rather than as a zero in every line.
  const unread = report.unreadContainers?.length ?? 0;
  const unreadContainers = unread > 0 ? `, ${unread} acknowledged resource(s) with containers not read` : '';
  return `${s.workloads} workload(s): ${s.violations} violation(s), ${s.exempted} ${exempted}, ${s.warnings} warning(s), `
    + `${s.exemptionErrors} invalid exemption(s), ${report.unreadInputs.length} input(s) not read${unreadContainers}`;
}

/** An acknowledged unread resource as one line: `file: Resources.X (...) ...; acknowledged at Path: reason`. */
export function describeUnreadContainers(resource: AcknowledgedUnreadResource): string {
  return `${resource.file}: ${resource.problem}; acknowledged at ${resource.acknowledgedAt}: ${resource.justification}`;
}
