/**
 * The checks of many SecureServices run together: one read of all their objects (per policy and
 * day), with the app's NetworkPolicies and ServiceAccounts that apply to their pods as context.
 * Checked one call per service, a 500-service synthesis spent most of its check time on what every
 * call repeats; together they cost about half as much.
 */
import { ApiObject } from 'cdk8s';
import { ResolvedSecurityPolicy } from '../core';
import { AppObjects } from './app-objects';
import { CheckObjectsResult, WorkloadCheck, checkServiceWorkloads, combineChecks } from './check-objects';
import { collisionProblems } from './object-collisions';
import { readWorkloadsAt } from './posture';

/** What checking one service takes. */
export interface ServiceToCheck {
  /** The objects the service created, its workload first. */
  readonly objects: readonly ApiObject[];
  /** The policy in force at the service. */
  readonly policy: ResolvedSecurityPolicy;
  /** The day its exemptions are judged on. */
  readonly today: Date;
}

/** Checks `services` with the objects `app` reads: one result per service (its workload's), in the order given. */
export function checkServices(services: readonly ServiceToCheck[], app: AppObjects): CheckObjectsResult[] {
  const checks = new Map<ServiceToCheck, WorkloadCheck[]>(services.map((s) => [s, []]));
  for (const group of groupByPolicyAndDay(services)) {
    const { objects, locations, workloads } = objectsToRead(group, app);
    // A service records its exemptions on its Deployment and its pod template: a patch that drops one record is caught.
    const contextOf = (index: number) => workloads.get(index)!.context;
    const read = readWorkloadsAt(objects, [...workloads.keys()], contextOf, { locations, exemptionsOnBoth: true });
    for (const result of checkServiceWorkloads(read, { policy: group[0].policy, now: group[0].today })) {
      checks.get(workloads.get(result.index)!.service)!.push(result);
    }
  }
  // A workload patched into a kind that runs no pods has nothing to check.
  return services.map((s) => withKubectlReadingErrors(withTwinErrors(combineChecks(checks.get(s)!), s, app), app));
}

/**
 * What kubectl reads otherwise anywhere in the app may apply to these pods too (`kubectl-reading.ts`): a
 * key `<<` it merges, a number that makes it refuse a NetworkPolicy or changes the port one opens.
 */
function withKubectlReadingErrors(result: CheckObjectsResult, app: AppObjects): CheckObjectsResult {
  const problems = app.kubectlReadingProblems();
  return problems.length === 0 ? result : { ...result, errors: [...result.errors, ...problems] };
}

// A service's object that another object of the app may replace: what was checked would not be what runs.
function withTwinErrors(result: CheckObjectsResult, service: ServiceToCheck, app: AppObjects): CheckObjectsResult {
  const { errors, warnings } = collisionProblems(service.objects, app);
  if (errors.length === 0 && warnings.length === 0) return result;
  return { ...result, errors: [...result.errors, ...errors], warnings: [...result.warnings, ...warnings] };
}

/**
 * A service's workload among the objects read: whose it is, and its context (the positions of the
 * NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes that apply to its pods).
 */
interface WorkloadToRead {
  readonly service: ServiceToCheck;
  readonly context: readonly number[];
}

/**
 * What a group of services reads: the objects (the services' own, then the others that apply to their
 * pods), where each is, and each workload by its position.
 */
interface ObjectsToRead {
  readonly objects: readonly unknown[];
  readonly locations: readonly string[];
  readonly workloads: ReadonlyMap<number, WorkloadToRead>;
}

function objectsToRead(group: readonly ServiceToCheck[], app: AppObjects): ObjectsToRead {
  const own = group.flatMap((service) => service.objects);
  // Rendered service by service, as the output will be, before the context lookups render the app's
  // NetworkPolicies and ServiceAccounts: V8 throws away cdk8s's renderer, optimized for the kinds it
  // has seen, at each kind it meets later.
  const objects = own.map((o) => app.json(o));
  const locations = own.map((o) => o.node.path);
  const ownPosition = new Map(own.map((o, i) => [o, i]));
  // By rendering: an object of a service can be another service's context too.
  const position = new Map(objects.map((o, i) => [o, i]));
  const workloads = new Map<number, WorkloadToRead>();
  for (const service of group) {
    const at = ownPosition.get(service.objects[0])!;
    const context = app.contextFor(objects[at]).map((other) => {
      if (!position.has(other.json)) {
        position.set(other.json, objects.push(other.json) - 1);
        locations.push(other.location);
      }
      return position.get(other.json)!;
    });
    workloads.set(at, { service, context });
  }
  return { objects, locations, workloads };
}

const MS_PER_DAY = 24 * 60 * 60 * 1000;

// Exemptions are judged by UTC day, so services read at different moments of one day share a group.
function groupByPolicyAndDay(services: readonly ServiceToCheck[]): ServiceToCheck[][] {
  const groups = new Map<ResolvedSecurityPolicy, Map<number, ServiceToCheck[]>>();
  for (const service of services) {
    const byDay = groups.get(service.policy) ?? groups.set(service.policy, new Map()).get(service.policy)!;
    const day = Math.floor(service.today.getTime() / MS_PER_DAY);
    (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(service);
  }
  return [...groups.values()].flatMap((byDay) => [...byDay.values()]);
}
