/**
 * How SecureService checks read the app's objects: each object's final JSON, and the app's
 * NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes that can apply to a
 * workload's pods, and the ConfigMaps its containers take every key of (`envFrom`).
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GATEWAY_ROUTE_KINDS } from './gateway-routes';
import { isKubernetesList, itemLocation, unpackLists } from './lists';
import { isRecord } from './objects';
import { podContextFinder } from './pod-context';
import { withSharedShapes } from './shared-shapes';

/** An object that can apply to a workload's pods: its final JSON and where it is (its construct path, and its place in a List). */
export interface ContextObject {
  readonly json: unknown;
  readonly location: string;
}

/** How a check finds and renders the app's objects. */
export interface AppObjects {
  /** Whether every check of one synthesis or validation pass reads through these, so work for all of them can be done once. */
  readonly shared: boolean;
  /** Every construct of the app, in tree order. */
  constructs(): readonly IConstruct[];
  /** The final JSON of `object`. */
  json(object: ApiObject): unknown;
  /**
   * The app's NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes that can apply
   * to the pods of `workload` (its JSON), in tree order: wherever in the app they were created
   * (`exposeViaService`, `exposeViaIngress`, another chart), a Service, an Ingress or a route can expose
   * the pods (NO_PUBLIC_IP). Found by their final kind (a JSON patch can change it) and inside Lists too.
   */
  contextFor(workload: unknown): readonly ContextObject[];
}

/** Reads the app fresh: every call walks the tree and renders. */
export function freshAppObjects(scope: IConstruct): AppObjects {
  const json = (object: ApiObject) => object.toJson();
  const constructs = () => scope.node.root.node.findAll();
  return { shared: false, constructs, json, contextFor: contextFinder(contextObjects(constructs(), json)) };
}

/**
 * Reads the app once: each object is rendered (by `render`) at most once, and copied into objects V8
 * reads fast (`withSharedShapes`), and the tree is walked at most once, however many checks read them.
 * Only for as long as the objects and the tree cannot change.
 */
export function appObjectsReadOnce(root: IConstruct, render: (object: ApiObject) => unknown): AppObjects {
  const rendered = new Map<ApiObject, unknown>();
  const json = (object: ApiObject) => {
    if (!rendered.has(object)) rendered.set(object, withSharedShapes(render(object)));
    return rendered.get(object);
  };
  let all: IConstruct[] | undefined;
  const constructs = () => (all ??= root.node.findAll());
  let finder: AppObjects['contextFor'] | undefined;
  return {
    shared: true,
    constructs,
    json,
    contextFor: (workload) => (finder ??= contextFinder(contextObjects(constructs(), json)))(workload),
  };
}

function contextFinder(context: readonly ContextObject[]): AppObjects['contextFor'] {
  const find = podContextFinder(context.map((c) => c.json));
  return (workload) => find(workload).map((index) => context[index]);
}

/** The kinds that change how a workload's pods are read, wherever they are in the app. */
const CONTEXT_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy', 'ServiceAccount', 'Service', 'Ingress', ...GATEWAY_ROUTE_KINDS, 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume',
]);

function isContextKind(object: unknown): boolean {
  return isRecord(object) && CONTEXT_KINDS.has(object.kind as string);
}

/**
 * The objects among `constructs` whose final JSON is of a context kind, Lists unpacked. Judged by the
 * rendering, not by `ApiObject.kind`: a JSON patch can make any object a Service.
 */
export function contextObjects(constructs: readonly IConstruct[], json: (object: ApiObject) => unknown): ContextObject[] {
  const context: ContextObject[] = [];
  for (const object of constructs) {
    if (!ApiObject.isApiObject(object)) continue;
    const rendered = json(object);
    // A List first: kubectl applies the items of any object that has them, whatever its kind says.
    if (isKubernetesList(rendered)) {
      const { objects, prefixes } = unpackLists([rendered]);
      objects.forEach((item, i) => {
        if (isContextKind(item)) context.push({ json: item, location: itemLocation(object.node.path, prefixes![i]) });
      });
    } else if (isContextKind(rendered)) {
      context.push({ json: rendered, location: object.node.path });
    }
  }
  return context;
}
