/**
 * The checks of many SecureServices run together: one read of all their objects (per policy and
 * day), with the app's NetworkPolicies and ServiceAccounts that apply to their pods as context.
 * Checked one call per service, a 500-service synthesis spent most of its check time on what every
 * call repeats; together they cost about half as much.
 */
import { ApiObject } from 'cdk8s';
import { ResolvedSecurityPolicy } from '../core';
import { AppObjects } from './app-objects';
import { CheckObjectsResult, WorkloadCheck, checkWorkloads, combineChecks } from './check-objects';
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
    const read = readWorkloadsAt(objects, [...workloads.keys()], (index) => workloads.get(index)!.context, { locations });
    for (const result of checkWorkloads(read, { policy: group[0].policy, today: group[0].today })) {
      checks.get(workloads.get(result.index)!.service)!.push(result);
    }
  }
  // A workload patched into a kind that runs no pods has nothing to check.
  return services.map((s) => combineChecks(checks.get(s)!));
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
