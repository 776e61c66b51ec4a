/**
 * Which of an app's objects can change how a workload's pods are read: its NetworkPolicies,
 * ServiceAccount, Services, the Ingresses and Gateway API routes to those, and its ConfigMaps.
 */
import { envFromConfigMapNames } from './environment-reading';
import { ingressBackends, serviceSelects } from './exposure';
import { backendIs, isGatewayRoute, routeBackends } from './gateway-routes';
import { Json, asRecord, isRecord } from './objects';
import { isPodBearing, podTemplate } from './pod-templates';
import { LabelSelectorJson, sameNamespace, selectorMatches } from './selectors';

/**
 * Finds, among `objects`, those that can change how the pods of a workload are read: NetworkPolicies
 * that select them, the ServiceAccount they run as, Services that select them, Ingresses and Gateway
 * API routes to those Services, and the ConfigMaps its containers take every key of (`envFrom`): the
 * same matching as `readWorkloads`, without judging the rest. Indexed by label and name, so a caller
 * with many workloads passes each only its own context instead of comparing every workload with every
 * other object. Returns positions in `objects`, ascending.
 * @internal
 */
export function podContextFinder(objects: readonly unknown[]): (workload: unknown) => number[] {
  const buckets = new Map<string, number[]>();
  const add = (key: string, index: number) => (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(index);
  objects.forEach((object, index) => {
    if (!isRecord(object)) return;
    if (object.kind === 'ServiceAccount') {
      add(`sa\0${object.metadata?.name}`, index);
    } else if (object.kind === 'NetworkPolicy') {
      const matchLabels = asRecord(asRecord(asRecord(object.spec).podSelector).matchLabels);
      const firstKey = Object.keys(matchLabels)[0];
      // A policy can select the pods only if they carry its first matchLabels pair; without one, any pods.
      add(firstKey !== undefined ? `np\0${firstKey}=${matchLabels[firstKey]}` : 'np', index);
    } else if (object.kind === 'Service') {
      const selector = asRecord(asRecord(object.spec).selector);
      const firstKey = Object.keys(selector)[0];
      // A Service without a selector selects no pods (its endpoints are managed by hand).
      if (firstKey !== undefined) add(`svc\0${firstKey}=${selector[firstKey]}`, index);
    } else if (object.kind === 'Ingress') {
      for (const service of new Set(ingressBackends(object).map((b) => b.service))) add(`to\0${service}`, index);
    } else if (object.kind === 'ConfigMap') {
      add(`cm\0${object.metadata?.name}`, index);
    } else if (isGatewayRoute(object)) {
      for (const service of new Set(routeBackends(object).map((b) => b.service))) add(`to\0${service}`, index);
    }
  });
  return (workload) => {
    if (!isPodBearing(workload)) return [];
    const namespace = typeof workload.metadata?.namespace === 'string' ? workload.metadata.namespace : undefined;
    const template = podTemplate(workload);
    const labels = asRecord(template.metadata.labels) as Record<string, string>;
    const accountName = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
    const configMapNames = envFromConfigMapNames(template.spec);
    // Each policy, account, Service and ConfigMap is in one bucket, so the candidates are distinct.
    const candidates: number[] = [];
    addAll(candidates, buckets.get('np'));
    for (const key of Object.keys(labels)) {
      addAll(candidates, buckets.get(`np\0${key}=${labels[key]}`));
      addAll(candidates, buckets.get(`svc\0${key}=${labels[key]}`));
    }
    addAll(candidates, buckets.get(`sa\0${accountName}`));
    for (const name of configMapNames) addAll(candidates, buckets.get(`cm\0${name}`));
    const found: number[] = [];
    for (const index of candidates) {
      const other = objects[index] as Json;
      if (!sameNamespace(other.metadata?.namespace, namespace)) continue;
      if (other.kind === 'NetworkPolicy') {
        if (selectorMatches(asRecord(other.spec).podSelector as LabelSelectorJson | undefined, labels)) found.push(index);
      } else if (other.kind === 'ServiceAccount') {
        if (other.metadata?.name === accountName) found.push(index);
      } else if (other.kind === 'ConfigMap') {
        found.push(index);
      } else if (serviceSelects(other, labels)) {
        found.push(index);
        // One Ingress or route to two Services of the pods is found once.
        for (const router of buckets.get(`to\0${other.metadata?.name}`) ?? []) {
          if (!found.includes(router) && routesTo(objects[router] as Json, other)) found.push(router);
        }
      }
    }
    return found.sort((a, b) => a - b);
  };
}

// An Ingress routes to Services of its own namespace; a route's backendRef may name another namespace.
function routesTo(router: Json, service: Json): boolean {
  if (router.kind === 'Ingress') return sameNamespace(router.metadata?.namespace, service.metadata?.namespace);
  return routeBackends(router).some((backend) => backendIs(backend, service));
}

function addAll(into: number[], indices: readonly number[] | undefined): void {
  if (indices) into.push(...indices);
}
