/**
 * Routes: a Gateway API route (gateway.networking.k8s.io: HTTPRoute, GRPCRoute, TLSRoute, TCPRoute,
 * UDPRoute) sends traffic that reaches a Gateway to the Services its rules name, and an OpenShift Route
 * (route.openshift.io) traffic that reaches the cluster's router to the Services it names, exactly as an
 * Ingress does. Whether the Gateway or the router faces the internet depends on the cluster and the cloud,
 * which the manifests do not say, so a route is judged as an Ingress is: it exposes the pods of the Services it names.
 */
import { Json, asArray, asRecord, isSet, namespaceOf } from './objects';
import { sameNamespace } from './selectors';

const OPENSHIFT_ROUTE = 'Route';

/**
 * The route kinds, by kind alone (any apiVersion): routes moved from v1alpha2 to v1beta1 and v1 and
 * will move again, and a same-named kind of another group counted too errs on the safe side.
 */
export const ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', OPENSHIFT_ROUTE];

const ROUTE_KIND_SET: ReadonlySet<string> = new Set(ROUTE_KINDS);

/** Whether `object` is a route: a Gateway API route or an OpenShift Route. */
export function isRoute(object: Json): boolean {
  return ROUTE_KIND_SET.has(object.kind);
}

/** A Service a route sends traffic to, and where the route names it. */
export interface RouteBackend {
  readonly service: string;
  /** The Service's namespace: the backendRef's, else the route's (undefined when neither is set). */
  readonly namespace: string | undefined;
  readonly at: string;
}

/**
 * The Services `route` sends traffic to: every `spec.rules[].backendRefs[]` of the core group and kind
 * Service (the defaults), and the Services requests are mirrored to (mirrored requests reach the pods
 * too). A backendRef to another namespace takes effect only with a ReferenceGrant there, which may be
 * created outside these manifests: counted anyway. The port is not read: any port of the Service reaches
 * the pods it selects.
 */
export function routeBackends(route: Json): RouteBackend[] {
  const routeNamespace = namespaceOf(route);
  const backends: RouteBackend[] = [];
  if (route.kind === OPENSHIFT_ROUTE) {
    // `spec.to` and each of `spec.alternateBackends`: a Service of the Route's namespace (kind Service or unset).
    const spec = asRecord(route.spec);
    addOpenShiftBackend(spec.to, 'spec.to', routeNamespace, backends);
    asArray(spec.alternateBackends).forEach((backend, i) => addOpenShiftBackend(backend, `spec.alternateBackends[${i}]`, routeNamespace, backends));
    return backends;
  }
  const rules = asArray(asRecord(route.spec).rules);
  for (let i = 0; i < rules.length; i++) {
    const rule = asRecord(rules[i]);
    const refs = asArray(rule.backendRefs);
    for (let j = 0; j < refs.length; j++) {
      addService(refs[j], `spec.rules[${i}].backendRefs[${j}]`, routeNamespace, backends);
      addMirrors(asRecord(refs[j]).filters, `spec.rules[${i}].backendRefs[${j}].filters`, routeNamespace, backends);
    }
    addMirrors(rule.filters, `spec.rules[${i}].filters`, routeNamespace, backends);
  }
  return backends;
}

/** Whether `backend` can be `service` (an unset namespace may be any, as `sameNamespace` reads it). */
export function backendIs(backend: RouteBackend, service: Json): boolean {
  return backend.service === service.metadata?.name && sameNamespace(backend.namespace, service.metadata?.namespace);
}

function addMirrors(filters: unknown, at: string, routeNamespace: string | undefined, into: RouteBackend[]): void {
  const list = asArray(filters);
  for (let k = 0; k < list.length; k++) {
    const mirror = asRecord(list[k]).requestMirror;
    if (isSet(mirror)) addService(asRecord(mirror).backendRef, `${at}[${k}].requestMirror.backendRef`, routeNamespace, into);
  }
}

// A backendRef names a Service when its group is core ('' or unset) and its kind Service or unset.
function addService(ref: unknown, at: string, routeNamespace: string | undefined, into: RouteBackend[]): void {
  const { name, namespace, group, kind } = asRecord(ref);
  if (typeof name !== 'string') return;
  if (isSet(group) && group !== '' && group !== 'core') return;
  if (isSet(kind) && kind !== 'Service') return;
  into.push({ service: name, namespace: typeof namespace === 'string' ? namespace : routeNamespace, at });
}

function addOpenShiftBackend(backend: unknown, at: string, routeNamespace: string | undefined, into: RouteBackend[]): void {
  const { name, kind } = asRecord(backend);
  if (typeof name !== 'string' || (isSet(kind) && kind !== 'Service')) return;
  into.push({ service: name, namespace: routeNamespace, at });
}
