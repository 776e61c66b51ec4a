/**
 * The app's objects as SecureService validations read them. Every SecureService checks its own
 * objects against the NetworkPolicies and ServiceAccounts of the whole app; finding and rendering
 * those once per service made synthesis quadratic in services (500 services: 500 tree walks and
 * 500 x 1,000 renderings per validation). Within one validation pass they are found and rendered
 * once.
 *
 * cdk8s validates every construct in tree order from the app, so a validation on the app opens the
 * pass before any SecureService validates. The pass closes when each SecureService present at its
 * start has validated, when one throws, or at the next microtask: nothing read outside a validation
 * pass (`assess()`, a later synthesis after more patches) ever sees its renderings.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podContextFinder } from './posture';

/** How a check finds and renders the app's objects. */
export interface AppObjects {
  /** The final JSON of `object`. */
  json(object: ApiObject): unknown;
  /** The app's NetworkPolicies and ServiceAccounts that can apply to the pods of `workload` (its JSON), in tree order. */
  contextFor(workload: unknown): readonly ApiObject[];
}

interface Pass extends AppObjects {
  /** The validations still to come in this pass. */
  readonly pending: Set<IConstruct>;
}

const PASSES = new WeakMap<IConstruct, Pass>();
// Not Symbol.for: each copy of the library keeps its own passes, so each registers its own opener.
const OPENER = Symbol('secure-service.k8s.validationPassOpener');

/** Reads the app fresh: every call walks the tree and renders. */
export function freshAppObjects(scope: IConstruct): AppObjects {
  const json = (object: ApiObject) => object.toJson();
  return { json, contextFor: contextFinder(scope.node.root.node.findAll().filter(isContextObject), json) };
}

/**
 * Makes every validation pass of `scope`'s app open a pass for validations of constructs that
 * `isParticipant` picks (once per app).
 */
export function openPassesOn(scope: IConstruct, isParticipant: (c: IConstruct) => boolean): void {
  const root = scope.node.root as IConstruct & { [OPENER]?: true };
  if (root[OPENER]) return;
  Object.defineProperty(root, OPENER, { value: true });
  root.node.addValidation({
    validate: () => {
      const all = root.node.findAll();
      const rendered = new Map<ApiObject, unknown>();
      const json = (object: ApiObject) => {
        if (!rendered.has(object)) rendered.set(object, object.toJson());
        return rendered.get(object);
      };
      let finder: AppObjects['contextFor'] | undefined;
      const pass: Pass = {
        pending: new Set(all.filter(isParticipant)),
        json,
        contextFor: (workload) => (finder ??= contextFinder(all.filter(isContextObject), json))(workload),
      };
      PASSES.set(root, pass);
      queueMicrotask(() => close(root, pass));
      return [];
    },
  });
}

/**
 * Runs `check` for `participant` with the open pass's objects when `participant` is part of it,
 * else with fresh ones.
 */
export function withAppObjects<T>(participant: IConstruct, check: (objects: AppObjects) => T): T {
  const root = participant.node.root;
  const pass = PASSES.get(root);
  if (!pass?.pending.delete(participant)) return check(freshAppObjects(participant));
  try {
    return check(pass);
  } catch (e) {
    close(root, pass);
    throw e;
  } finally {
    if (pass.pending.size === 0) close(root, pass);
  }
}

function close(root: IConstruct, pass: Pass): void {
  if (PASSES.get(root) === pass) PASSES.delete(root);
}

function contextFinder(context: readonly ApiObject[], json: (object: ApiObject) => unknown): AppObjects['contextFor'] {
  const find = podContextFinder(context.map(json));
  return (workload) => find(workload).map((index) => context[index]);
}

function isContextObject(c: IConstruct): c is ApiObject {
  return ApiObject.isApiObject(c) && (c.kind === 'NetworkPolicy' || c.kind === 'ServiceAccount');
}
