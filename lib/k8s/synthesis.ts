/**
 * One rendering of each object per synthesis.
 *
 * cdk8s validates the whole app when `app.synth()` starts and again inside every chart's `toJson()`,
 * then renders each object for output. SecureService checks read the final JSON, so reading it afresh
 * in every validation pass rendered every object two to three times per synthesis (the benchmark
 * measured 1.9x the hand-written cost at 500 services). Within one synthesis, a call of `app.synth()`,
 * `app.synthYaml()` or `chart.toJson()`, only cdk8s runs between those passes and the output, and it
 * changes no object (validations and lazy values that patch objects while they are read are not
 * supported), so each object is rendered once and the checks and the output share that rendering.
 * The synthesis ends when its outermost call returns or throws: a patch added afterwards, even in the
 * same tick, is read by the next one.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppObjects, appObjectsReadOnce } from './app-objects';

/** App root → the objects of the synthesis running in it. */
const RUNNING = new WeakMap<IConstruct, AppObjects>();
// Not Symbol.for: each copy of the library keeps its own syntheses, so each wraps the entry points itself.
const ENTRY_POINT = Symbol('secure-service.k8s.synthesisEntryPoint');

type Method = (...args: unknown[]) => unknown;

/** The objects of the synthesis running in `scope`'s app, each rendered once; undefined outside a synthesis. */
export function runningSynthesis(scope: IConstruct): AppObjects | undefined {
  return RUNNING.get(scope.node.root);
}

/**
 * Makes each call of `synth()` / `synthYaml()` of `scope`'s app, and of `toJson()` of the charts that
 * enclose `scope`, one synthesis; and makes `toJson()` of `objects` return their rendering in the
 * running synthesis, so the output is the JSON the checks read.
 */
export function renderOncePerSynthesis(scope: IConstruct, objects: readonly ApiObject[] = []): void {
  const root = scope.node.root;
  wrapEntryPoint(root, 'synth', root);
  wrapEntryPoint(root, 'synthYaml', root);
  for (let enclosing = scope.node.scope; enclosing; enclosing = enclosing.node.scope) {
    if (Chart.isChart(enclosing)) wrapEntryPoint(enclosing, 'toJson', root);
  }
  for (const object of objects) shareRendering(object);
}

function wrapEntryPoint(target: IConstruct, name: string, root: IConstruct): void {
  const original = (target as unknown as Record<string, Method | undefined>)[name];
  if (typeof original !== 'function' || ENTRY_POINT in original) return;
  const entryPoint = function (this: unknown, ...args: unknown[]) {
    if (RUNNING.has(root)) return original.apply(this, args);
    RUNNING.set(root, appObjectsReadOnce(root, renderForOutput));
    try {
      return original.apply(this, args);
    } finally {
      RUNNING.delete(root);
    }
  };
  Object.defineProperty(entryPoint, ENTRY_POINT, { value: true });
  Object.defineProperty(target, name, { value: entryPoint, configurable: true, writable: true });
}

// One property and one shared function per object, not closures: hundreds of services hold thousands
// of objects, and each property added to an object gives it another hidden class.
function shareRendering(object: ApiObject): void {
  // An object whose own toJson() was already replaced keeps it: it is rendered by it, unshared.
  if (Object.prototype.hasOwnProperty.call(object, 'toJson')) return;
  Object.defineProperty(object, 'toJson', { value: sharedToJson, configurable: true, writable: true });
}

function sharedToJson(this: ApiObject): unknown {
  const running = runningSynthesis(this);
  return running ? running.json(this) : renderUnshared(this);
}

/**
 * Renders an object the checks read in a synthesis, and makes its output that rendering: rendered again,
 * a value that changes from one call to the next (a Lazy) would be written unchecked. Objects other code
 * adds to the app (`ChartChecks` reads them all) are shared as the services' own are.
 */
function renderForOutput(object: ApiObject): unknown {
  shareRendering(object);
  return renderUnshared(object);
}

function renderUnshared(object: ApiObject): unknown {
  return object.toJson === sharedToJson ? (Object.getPrototypeOf(object) as ApiObject).toJson.call(object) : object.toJson();
}
