/**
 * How SecureService checks read the app's objects: each object's final JSON, and the app's
 * NetworkPolicies, ServiceAccounts, Services, Ingresses and Gateway API routes that can apply to a
 * workload's pods, and the ConfigMaps its containers take every key of (`envFrom`); and the objects
 * written with the kind and name of a service's, which `kubectl apply` would let replace it.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ROUTE_KINDS } from './gateway-routes';
import { kubectlReadingProblems } from './kubectl-reading';
import { isKubernetesList, itemLocation, unpackLists } from './lists';
import { Json, apiGroup, isRecord, objectName } from './objects';
import { sameFileFinder } from './output-files';
import { podContextFinder } from './pod-context';
import { sameNamespace } from './selectors';
import { copyWithSharedShapes } from './shared-shapes';

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
  /**
   * The other objects the app renders with the same kind and name as `object`, in a namespace that may
   * be its own: applied together, `kubectl apply` keeps one of them, the one it applies last.
   */
  twinsOf(object: ApiObject): readonly RenderedObject[];
  /** The other objects cdk8s writes to the file of `object` when the app writes a file per resource (`output-files.ts`). */
  sameFileAs(object: ApiObject): readonly ApiObject[];
  /**
   * One problem per key `<<`, and per key or text kubectl reads as a number, in any object of the app
   * (`kubectl-reading.ts`): a merge key can make the object anything, of any kind, applying to any pods,
   * and a number where text is needed makes kubectl refuse an object that may protect any pods, so they
   * concern every check.
   */
  kubectlReadingProblems(): readonly string[];
}

/** An object as `kubectl apply` receives it: its JSON, where it is, and the ApiObject that renders it (a List for its items). */
export interface RenderedObject extends ContextObject {
  readonly apiObject: ApiObject;
}

/** Reads the app fresh: every call walks the tree and renders. */
export function freshAppObjects(scope: IConstruct): AppObjects {
  const json = (object: ApiObject) => object.toJson();
  const constructs = () => scope.node.root.node.findAll();
  const all = renderedObjects(constructs(), json);
  return {
    shared: false,
    constructs,
    json,
    contextFor: contextFinder(all.filter(isContext)),
    twinsOf: twinFinder(all, json),
    sameFileAs: sameFileFinder(constructs(), json),
    kubectlReadingProblems: () => appKubectlReadingProblems(constructs(), json),
  };
}

/**
 * Reads the app once: each object is rendered (by `render`) at most once, and copied into objects V8
 * reads fast (`copyWithSharedShapes`), and the tree is walked at most once, however many checks read them.
 * Only the objects whose copy kubectl may read otherwise are walked for what it reads otherwise.
 * Only for as long as the objects and the tree cannot change.
 */
export function appObjectsReadOnce(root: IConstruct, render: (object: ApiObject) => unknown): AppObjects {
  const rendered = new Map<ApiObject, unknown>();
  const mayBeReadOtherwise = new Set<ApiObject>();
  const json = (object: ApiObject) => {
    if (!rendered.has(object)) {
      const copied = copyWithSharedShapes(render(object));
      rendered.set(object, copied.copy);
      if (copied.mayBeReadOtherwise) mayBeReadOtherwise.add(object);
    }
    return rendered.get(object);
  };
  let tree: IConstruct[] | undefined;
  const constructs = () => (tree ??= root.node.findAll());
  let all: RenderedObject[] | undefined;
  const everyObject = () => (all ??= renderedObjects(constructs(), json));
  let finder: AppObjects['contextFor'] | undefined;
  let twins: AppObjects['twinsOf'] | undefined;
  let sameFile: AppObjects['sameFileAs'] | undefined;
  let readOtherwise: readonly string[] | undefined;
  return {
    shared: true,
    constructs,
    json,
    contextFor: (workload) => (finder ??= contextFinder(everyObject().filter(isContext)))(workload),
    twinsOf: (object) => (twins ??= twinFinder(everyObject(), json))(object),
    sameFileAs: (object) => (sameFile ??= sameFileFinder(constructs(), json))(object),
    kubectlReadingProblems: () => (readOtherwise ??= appKubectlReadingProblems(constructs(), json, (object) => mayBeReadOtherwise.has(object))),
  };
}

/**
 * Each object whole, a List with its items: a key << beside `items` can add items. `mayBeReadOtherwise`
 * says, once `json` has rendered an object, whether it needs the walk.
 */
function appKubectlReadingProblems(
  constructs: readonly IConstruct[], json: (object: ApiObject) => unknown, mayBeReadOtherwise: (object: ApiObject) => boolean = () => true,
): string[] {
  return constructs.filter(ApiObject.isApiObject).flatMap((object) => {
    const rendered = json(object);
    return mayBeReadOtherwise(object) ? kubectlReadingProblems(rendered, `${objectName(rendered as Json)} at ${object.node.path}`) : [];
  });
}

function contextFinder(context: readonly ContextObject[]): AppObjects['contextFor'] {
  const find = podContextFinder(context.map((c) => c.json));
  return (workload) => find(workload).map((index) => context[index]);
}

/** The kinds that change how a workload's pods are read, wherever they are in the app. */
const CONTEXT_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy', 'ServiceAccount', 'Service', 'Ingress', ...ROUTE_KINDS, 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume',
]);

function isContext(object: ContextObject): boolean {
  return isRecord(object.json) && CONTEXT_KINDS.has(object.json.kind as string);
}

/**
 * The objects among `constructs` whose final JSON is of a context kind, Lists unpacked. Judged by the
 * rendering, not by `ApiObject.kind`: a JSON patch can make any object a Service.
 */
export function contextObjects(constructs: readonly IConstruct[], json: (object: ApiObject) => unknown): RenderedObject[] {
  return renderedObjects(constructs, json).filter(isContext);
}

/** The final JSON of every ApiObject among `constructs`, each List replaced by its items, as kubectl applies them. */
function renderedObjects(constructs: readonly IConstruct[], json: (object: ApiObject) => unknown): RenderedObject[] {
  const rendered: RenderedObject[] = [];
  for (const object of constructs) {
    if (!ApiObject.isApiObject(object)) continue;
    const objectJson = json(object);
    // kubectl applies the items of any object that has them, whatever its kind says.
    if (!isKubernetesList(objectJson)) {
      rendered.push({ json: objectJson, location: object.node.path, apiObject: object });
      continue;
    }
    const { objects, prefixes } = unpackLists([objectJson]);
    objects.forEach((item, i) => rendered.push({ json: item, location: itemLocation(object.node.path, prefixes![i]), apiObject: object }));
  }
  return rendered;
}

/** Finds, for an object, the others of its API group, kind and name in a namespace that may be its own (unset: any). */
function twinFinder(all: readonly RenderedObject[], json: (object: ApiObject) => unknown): AppObjects['twinsOf'] {
  // By name, the manifests' own strings: few objects share one, and their kinds and namespaces are then compared.
  const byName = new Map<unknown, RenderedObject[]>();
  for (const object of all) {
    if (!isRecord(object.json) || !isRecord(object.json.metadata)) continue;
    const name = object.json.metadata.name;
    (byName.get(name) ?? byName.set(name, []).get(name)!).push(object);
  }
  return (apiObject) => {
    const own = json(apiObject);
    if (!isRecord(own) || !isRecord(own.metadata)) return [];
    const namespace = own.metadata.namespace;
    // Once, not per object of the name: a construct's path is built afresh at every read.
    const location = apiObject.node.path;
    return (byName.get(own.metadata.name) ?? [])
      .filter((other) => other.location !== location && (other.json as Json).kind === own.kind
        && apiGroup(other.json as Json) === apiGroup(own) && sameNamespace((other.json as Json).metadata?.namespace, namespace));
  };
}
