/**
 * The app's objects as SecureService validations read them outside a synthesis (see synthesis.ts;
 * inside one, they share its renderings). Every SecureService checks its own objects against the
 * NetworkPolicies and ServiceAccounts of the whole app; finding and rendering those once per service
 * made validation quadratic in services (500 services: 500 tree walks and 500 x 1,000 renderings).
 * Within one validation pass they are found and rendered once.
 *
 * cdk8s validates every construct in tree order from the app, so a validation on the app opens the
 * pass before any SecureService validates. The pass closes when each SecureService present at its
 * start has validated, when one throws, or at the next microtask: nothing read outside a validation
 * pass (`assess()`, a later synthesis after more patches) ever sees its renderings.
 */
import { IConstruct } from 'constructs';
import { AppObjects, appObjectsReadOnce, freshAppObjects } from './app-objects';
import { runningSynthesis } from './synthesis';

interface Pass {
  readonly objects: AppObjects;
  /** The validations still to come in this pass. */
  readonly pending: Set<IConstruct>;
}

const PASSES = new WeakMap<IConstruct, Pass>();
// Not Symbol.for: each copy of the library keeps its own passes, so each registers its own opener.
const OPENER = Symbol('secure-service.k8s.validationPassOpener');

/**
 * Makes every validation pass of `scope`'s app outside a synthesis open a pass for validations of
 * constructs that `isParticipant` picks (once per app).
 */
export function openPassesOn(scope: IConstruct, isParticipant: (c: IConstruct) => boolean): void {
  const root = scope.node.root as IConstruct & { [OPENER]?: true };
  if (root[OPENER]) return;
  Object.defineProperty(root, OPENER, { value: true });
  root.node.addValidation({
    validate: () => {
      if (runningSynthesis(root)) return [];
      const objects = appObjectsReadOnce(root, (object) => object.toJson());
      const pass: Pass = { objects, pending: new Set(objects.constructs().filter(isParticipant)) };
      PASSES.set(root, pass);
      queueMicrotask(() => close(root, pass));
      return [];
    },
  });
}

/**
 * Runs `check` for `participant` with the objects of the running synthesis, else of the open pass
 * when `participant` is part of it, else with fresh ones.
 */
export function withAppObjects<T>(participant: IConstruct, check: (objects: AppObjects) => T): T {
  const synthesis = runningSynthesis(participant);
  if (synthesis) return check(synthesis);
  const root = participant.node.root;
  const pass = PASSES.get(root);
  if (!pass?.pending.delete(participant)) return check(freshAppObjects(participant));
  try {
    return check(pass.objects);
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
