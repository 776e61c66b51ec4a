/**
 * Chart-wide checks: every pod-bearing object in a chart or app (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob, and those in a List), whoever created it, judged by the same core rules and
 * honouring the exemptions recorded in its `secure-service.dev/exemptions` annotation.
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SecurityPolicy, booleanProblem, isPlainObject } from '../core';
import { contextObjects } from './app-objects';
import { CheckObjectsResult, checkWorkloads, combineChecks, optionProblems } from './check-objects';
import { readWorkloads } from './posture';
import { CHECKED_BY_SERVICE } from './secure-service';
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
 * Checks every pod-bearing object under `scope` (a chart or the app) in its final form, with the
 * policy in force at `scope` and the day from the `secure-service:today` context key (else today).
 * Throws, naming each problem, when an option is misspelled or invalid.
 */
export function checkChart(scope: IConstruct, options: ChartChecksOptions = {}): CheckObjectsResult {
  const problems = chartChecksOptionProblems(options, 'checkChart');
  if (problems.length > 0) throw new Error(`invalid arguments to checkChart:\n  - ${problems.join('\n  - ')}`);
  const apiObjects = scope.node.findAll().filter(ApiObject.isApiObject);
  const synthesis = runningSynthesis(scope);
  const json = (o: ApiObject) => (synthesis ? synthesis.json(o) : o.toJson());
  // NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes anywhere in the app still apply to these pods.
  const below = new Set<IConstruct>(apiObjects);
  const context = contextObjects(scope.node.root.node.findAll().filter((c) => !below.has(c)), json);
  const objects = [...apiObjects.map(json), ...context.map((c) => c.json)];
  const locations = [...apiObjects.map((o) => o.node.path), ...context.map((c) => c.location)];
  const workloads = readWorkloads(objects, { locations })
    .filter((w) => w.index < apiObjects.length && (options.includeSecureServices || !(CHECKED_BY_SERVICE in apiObjects[w.index])));
  return combineChecks(checkWorkloads(workloads, { policy: SecurityPolicy.resolve(scope), today: todayOf(scope).today }));
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
