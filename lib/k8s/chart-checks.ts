/**
 * Chart-wide checks: every pod-bearing object in a chart or app (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob, and those in a List), whoever created it, judged by the same core rules and
 * honouring the exemptions recorded in its `secure-service.dev/exemptions` annotation.
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ResolvedSecurityPolicy, SecurityPolicy, booleanProblem, isPlainObject } from '../core';
import { contextObjects, freshAppObjects } from './app-objects';
import { CheckObjectsResult, WorkloadCheck, checkWorkloads, combineChecks, optionProblems } from './check-objects';
import { sameFileProblems } from './object-collisions';
import { KubernetesWorkload, readWorkloads } from './posture';
import { SecureService } from './secure-service';
import { printWarnings, todayOf } from './synth-context';
import { renderOncePerSynthesis, runningSynthesis } from './synthesis';
import { keyList } from '../core/known-keys';

/** Options of chart-wide checks. */
export interface ChartChecksOptions {
  /**
   * Also check the workloads SecureServices created (they check themselves, so by default they are
   * skipped here to report each problem once).
   * @default false
   */
  readonly includeSecureServices?: boolean;
}

const CHART_CHECKS_OPTION_KEYS = keyList<ChartChecksOptions>({ includeSecureServices: true });

/**
 * The problems with chart-check options: a misspelled `includeSecureServices` would check fewer
 * workloads than asked, and the string 'false' would count as true.
 */
function chartChecksOptionProblems(options: unknown, caller: string): string[] {
  const problems = optionProblems(options, CHART_CHECKS_OPTION_KEYS, caller, '{ includeSecureServices: true }');
  const include = isPlainObject(options) ? booleanProblem('includeSecureServices', options.includeSecureServices) : undefined;
  return include ? [...problems, include] : problems;
}

/**
 * Checks every pod-bearing object under `scope` (a chart or the app) in its final form, each with the
 * policy in force at its own object and the day from the `secure-service:today` context key nearest it (else today).
 * Throws, naming each problem, when an option is misspelled or invalid.
 */
export function checkChart(scope: IConstruct, options: ChartChecksOptions = {}): CheckObjectsResult {
  const problems = chartChecksOptionProblems(options, 'checkChart');
  if (problems.length > 0) throw new Error(`invalid arguments to checkChart:\n  - ${problems.join('\n  - ')}`);
  const constructs = scope.node.findAll();
  const apiObjects = constructs.filter(ApiObject.isApiObject);
  const synthesis = runningSynthesis(scope);
  const json = (o: ApiObject) => (synthesis ? synthesis.json(o) : o.toJson());
  // NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes anywhere in the app still apply to these pods.
  const below = new Set<IConstruct>(apiObjects);
  const everyConstruct = scope.node.root.node.findAll();
  const context = contextObjects(everyConstruct.filter((c) => !below.has(c)), json);
  const objects = [...apiObjects.map(json), ...context.map((c) => c.json)];
  const locations = [...apiObjects.map((o) => o.node.path), ...context.map((c) => c.location)];
  const checkedByServices = options.includeSecureServices ? new Set<ApiObject>() : serviceWorkloads(constructs);
  const workloads = readWorkloads(objects, { locations }).filter((w) => w.index < apiObjects.length && !checkedByServices.has(apiObjects[w.index]));
  // Each workload is judged with the policy and the day nearest its own object, as a SecureService is:
  // a chart's policy (its allowed registries, its non-waivable controls) holds whichever scope checks it.
  const checks: WorkloadCheck[] = [];
  const dayProblems = new Set<string>();
  for (const [policy, byDay] of groupByJudging(workloads, (w) => apiObjects[w.index], dayProblems)) {
    for (const [today, group] of byDay) checks.push(...checkWorkloads(group, { policy, today }));
  }
  const result = combineChecks(checks.sort((a, b) => a.index - b.index));
  const app = synthesis ?? freshAppObjects(scope);
  // What kubectl reads otherwise anywhere in the app may make an object anything (a key <<), or keep kubectl from
  // applying one (a number where text is needed): a workload below, or one that applies to these pods.
  const readOtherwise = app.kubectlReadingProblems();
  // An object below, or one of a kind that may apply to these pods (anywhere in the app, as the readers take them), that cdk8s
  // writes another over or under is not what was checked.
  // A SecureService names its own. Twins in separate files are judged by the readers, as either may be the one applied last.
  const ownedByServices = new Set(everyConstruct.filter((c) => c instanceof SecureService).flatMap((service) => service.node.findAll()));
  const replaceable = [...apiObjects, ...context.map((c) => c.apiObject)].filter((o) => !ownedByServices.has(o));
  const overwritten = sameFileProblems([...new Set(replaceable)], app, ownedByServices);
  return { ...result, errors: [...dayProblems, ...result.errors, ...readOtherwise, ...overwritten] };
}

/**
 * The Deployments of the SecureServices under `scope`: each checks its own, so chart-wide checks do not
 * report them twice. Found as the services' own objects, not by a mark other code could put on any workload.
 */
function serviceWorkloads(constructs: readonly IConstruct[]): Set<ApiObject> {
  return new Set(constructs.filter((c): c is SecureService => c instanceof SecureService).map((service) => ApiObject.of(service.deployment)));
}

/** Workloads by the policy, then the day (a Date per distinct day), in force at each one's object; bad days' problems into `problems`. */
function groupByJudging(
  workloads: readonly KubernetesWorkload[], objectOf: (w: KubernetesWorkload) => IConstruct, problems: Set<string>,
): Map<ResolvedSecurityPolicy, Map<Date, KubernetesWorkload[]>> {
  const groups = new Map<ResolvedSecurityPolicy, Map<Date, KubernetesWorkload[]>>();
  const days = new Map<number, Date>();
  for (const workload of workloads) {
    const object = objectOf(workload);
    const policy = SecurityPolicy.resolve(object);
    const { today, problem } = todayOf(object);
    if (problem) problems.add(problem);
    const day = days.get(today.getTime()) ?? days.set(today.getTime(), today).get(today.getTime())!;
    const byDay = groups.get(policy) ?? groups.set(policy, new Map()).get(policy)!;
    (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(workload);
  }
  return groups;
}

/**
 * Adds chart-wide checks to its scope: `new ChartChecks(chart, 'SecureServiceChecks')` (or on the
 * app) makes `app.synth()` fail when any pod-bearing object below the scope weakens a control
 * without a recorded exemption.
 */
export class ChartChecks extends Construct {
  public constructor(scope: Construct, id: string, options: ChartChecksOptions = {}) {
    super(scope, id);
    const problems = chartChecksOptionProblems(options, 'ChartChecks');
    if (problems.length > 0) throw new Error(`invalid ChartChecks options at ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    renderOncePerSynthesis(this);
    this.node.addValidation({
      validate: () => {
        const { problem } = todayOf(this);
        if (problem) return [problem];
        const result = checkChart(scope, options);
        printWarnings(result.warnings);
        return [...result.errors];
      },
    });
  }
}
