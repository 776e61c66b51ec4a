/** Whether a Service, an Ingress or a Gateway API route exposes a workload's pods outside the cluster. */
import { Observed } from '../core';
import { PodLabels } from './controller-labels';
import { backendIs, routeBackends } from './gateway-routes';
import { Json, asArray, asRecord, objectName } from './objects';
import { sameNamespace } from './selectors';

/**
 * Whether a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster
 * (judged by the NO_PUBLIC_IP rule): a LoadBalancer or NodePort Service, or one with externalIPs, that
 * selects them; an Ingress or a route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) to a Service
 * selecting them, or to an ExternalName Service naming one. Undefined when none does, so the rule does not apply.
 */
export function readPublicExposure(
  labels: PodLabels, namespace: string | undefined, services: readonly Json[], ingresses: readonly Json[], routes: readonly Json[],
): Observed<boolean> | undefined {
  const selecting: Json[] = [];
  for (const service of services) {
    if (!sameNamespace(service.metadata?.namespace, namespace) || !serviceSelects(service, labels)) continue;
    const spec = asRecord(service.spec);
    if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') return { value: true, at: `${objectName(service)} spec.type (${spec.type})` };
    if (asArray(spec.externalIPs).length > 0) return { value: true, at: `${objectName(service)} spec.externalIPs (${asArray(spec.externalIPs).join(', ')})` };
    selecting.push(service);
  }
  const reaching = withAliases(selecting, services);
  for (const ingress of ingresses) {
    for (const backend of ingressBackends(ingress)) {
      const target = reaching.find(({ service }) => service.metadata?.name === backend.service
        && sameNamespace(service.metadata?.namespace, ingress.metadata?.namespace));
      if (target) return { value: true, at: `${objectName(ingress)} ${backend.at} (routes to ${target.name})` };
    }
  }
  for (const route of routes) {
    for (const backend of routeBackends(route)) {
      const target = reaching.find(({ service }) => backendIs(backend, service));
      if (target) return { value: true, at: `${objectName(route)} ${backend.at} (routes to ${target.name})` };
    }
  }
  return undefined;
}

/** A Service traffic can reach the pods through, and how messages name it. */
interface ReachingService {
  readonly service: Json;
  readonly name: string;
}

// The selecting Services, and the ExternalName Services naming one of them by its DNS name: an Ingress
// controller or a Gateway proxies to that name, so a way to the alias is a way to the pods.
function withAliases(selecting: readonly Json[], services: readonly Json[]): ReachingService[] {
  const reaching = selecting.map((service) => ({ service, name: objectName(service) }));
  for (const alias of services) {
    const target = selecting.find((service) => aliases(alias, service));
    if (target) reaching.push({ service: alias, name: `${objectName(alias)}, an ExternalName of ${objectName(target)}` });
  }
  return reaching;
}

/**
 * The Service an ExternalName Service names by its cluster DNS name (`<name>.<namespace>`, with
 * `.svc` and the cluster domain or not), or undefined. A bare `<name>` resolves in the namespace of
 * whoever looks it up (an Ingress controller's), so its namespace is left unset: it may be any.
 */
export function externalNameTarget(service: Json): { readonly name: string; readonly namespace: string | undefined } | undefined {
  const spec = asRecord(service.spec);
  if (spec.type !== 'ExternalName' || typeof spec.externalName !== 'string') return undefined;
  const [name, namespace, svc] = spec.externalName.toLowerCase().replace(/\.$/, '').split('.');
  if (namespace !== undefined && svc !== undefined && svc !== 'svc') return undefined;
  return { name, namespace };
}

/** Whether `alias` is an ExternalName Service naming `target`. */
export function aliases(alias: Json, target: Json): boolean {
  const named = externalNameTarget(alias);
  return named !== undefined && named.name === target.metadata?.name && sameNamespace(named.namespace, target.metadata?.namespace);
}

// A Service selects the pods that carry, or may carry, every pair of its selector; without a selector, none.
export function serviceSelects(service: Json, labels: PodLabels): boolean {
  const selector = asRecord(asRecord(service.spec).selector);
  const keys = Object.keys(selector);
  for (const key of keys) {
    // A label the controller sets may have the value the Service selects.
    if (!labels.unknown.has(key) && labels.known[key] !== selector[key]) return false;
  }
  return keys.length > 0;
}

// The Services an Ingress routes to: networking.k8s.io/v1 (`service.name`) and the older `serviceName`.
export function ingressBackends(ingress: Json): { service: string; at: string }[] {
  const spec = asRecord(ingress.spec);
  const backends: { service: string; at: string }[] = [];
  addBackend(spec.defaultBackend, 'spec.defaultBackend', backends);
  addBackend(spec.backend, 'spec.backend', backends);
  const rules = asArray(spec.rules);
  for (let i = 0; i < rules.length; i++) {
    const paths = asArray(asRecord(asRecord(rules[i]).http).paths);
    for (let j = 0; j < paths.length; j++) addBackend(asRecord(paths[j]).backend, `spec.rules[${i}].http.paths[${j}].backend`, backends);
  }
  return backends;
}

function addBackend(backend: unknown, at: string, into: { service: string; at: string }[]): void {
  const written = asRecord(backend);
  const service = asRecord(written.service).name ?? written.serviceName;
  if (typeof service === 'string') into.push({ service, at });
}
