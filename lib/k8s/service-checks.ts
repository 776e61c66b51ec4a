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
    const { objects, workloads } = objectsToRead(group, app);
    const read = readWorkloadsAt(objects.map((o) => app.json(o)), [...workloads.keys()], (index) => workloads.get(index)!.context, {
      locations: objects.map((o) => o.node.path),
    });
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

/** The services' own objects, then the others that apply to their pods; and each workload by its position. */
function objectsToRead(group: readonly ServiceToCheck[], app: AppObjects): { objects: ApiObject[]; workloads: Map<number, WorkloadToRead> } {
  const objects = group.flatMap((service) => service.objects);
  // Rendered service by service, as the output will be, before the context lookups render the app's
  // NetworkPolicies and ServiceAccounts: V8 throws away cdk8s's renderer, optimized for the kinds it
  // has seen, at each kind it meets later.
  objects.forEach((o) => app.json(o));
  const position = new Map(objects.map((o, i) => [o, i]));
  const workloads = new Map<number, WorkloadToRead>();
  for (const service of group) {
    const context = app.contextFor(app.json(service.objects[0])).map((other) => {
      if (!position.has(other)) position.set(other, objects.push(other) - 1);
      return position.get(other)!;
    });
    workloads.set(position.get(service.objects[0])!, { service, context });
  }
  return { objects, workloads };
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
