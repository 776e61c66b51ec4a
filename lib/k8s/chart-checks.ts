/**
 * Chart-wide checks: every pod-bearing object in a chart or app (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob, and those in a List), whoever created it, judged by the same core rules and
 * honouring the exemptions recorded in its `secure-service.dev/exemptions` annotation.
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SecurityPolicy } from '../core';
import { CONTEXT_KINDS } from './app-objects';
import { CheckObjectsResult, checkWorkloads, combineChecks } from './check-objects';
import { readWorkloads } from './posture';
import { CHECKED_BY_SERVICE } from './secure-service';
import { printWarnings, todayOf } from './synth-context';
import { renderOncePerSynthesis, runningSynthesis } from './synthesis';

/** Options of chart-wide checks. */
export interface ChartChecksOptions {
  /**
   * Also check the workloads SecureServices created (they check themselves, so by default they are
   * skipped here to report each problem once).
   * @default false
   */
  readonly includeSecureServices?: boolean;
}

/**
 * Checks every pod-bearing object under `scope` (a chart or the app) in its final form, with the
 * policy in force at `scope` and the day from the `secure-service:today` context key (else today).
 */
export function checkChart(scope: IConstruct, options: ChartChecksOptions = {}): CheckObjectsResult {
  const apiObjects = scope.node.findAll().filter(ApiObject.isApiObject);
  // NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes anywhere in the app still apply to these pods.
  const below = new Set(apiObjects);
  const context = scope.node.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)
    && !below.has(c) && CONTEXT_KINDS.has(c.kind));
  const objects = [...apiObjects, ...context];
  const synthesis = runningSynthesis(scope);
  const workloads = readWorkloads(objects.map((o) => synthesis ? synthesis.json(o) : o.toJson()), { locations: objects.map((o) => o.node.path) })
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
