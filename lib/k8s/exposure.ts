/** Whether a Service, an Ingress or a Gateway API route exposes a workload's pods outside the cluster. */
import { Observed } from '../core';
import { backendIs, routeBackends } from './gateway-routes';
import { Json, asArray, asRecord, objectName } from './objects';
import { sameNamespace } from './selectors';

/**
 * Whether a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster
 * (judged by the NO_PUBLIC_IP rule): a LoadBalancer or NodePort Service, or one with externalIPs, that
 * selects them; an Ingress or a route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) to a Service
 * selecting them. Undefined when none does, so the rule does not apply.
 */
export function readPublicExposure(
  labels: Record<string, string>, namespace: string | undefined, services: readonly Json[], ingresses: readonly Json[], routes: readonly Json[],
): Observed<boolean> | undefined {
  const selecting: Json[] = [];
  for (const service of services) {
    if (!sameNamespace(service.metadata?.namespace, namespace) || !serviceSelects(service, labels)) continue;
    const spec = asRecord(service.spec);
    if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') return { value: true, at: `${objectName(service)} spec.type (${spec.type})` };
    if (asArray(spec.externalIPs).length > 0) return { value: true, at: `${objectName(service)} spec.externalIPs (${asArray(spec.externalIPs).join(', ')})` };
    selecting.push(service);
  }
  for (const ingress of ingresses) {
    for (const backend of ingressBackends(ingress)) {
      const target = selecting.find((service) => service.metadata?.name === backend.service
        && sameNamespace(service.metadata?.namespace, ingress.metadata?.namespace));
      if (target) return { value: true, at: `${objectName(ingress)} ${backend.at} (routes to ${objectName(target)})` };
    }
  }
  for (const route of routes) {
    for (const backend of routeBackends(route)) {
      const target = selecting.find((service) => backendIs(backend, service));
      if (target) return { value: true, at: `${objectName(route)} ${backend.at} (routes to ${objectName(target)})` };
    }
  }
  return undefined;
}

// A Service selects the pods that carry every pair of its selector; without a selector, none.
export function serviceSelects(service: Json, labels: Record<string, string>): boolean {
  const selector = asRecord(asRecord(service.spec).selector);
  const keys = Object.keys(selector);
  for (const key of keys) {
    if (labels[key] !== selector[key]) return false;
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
