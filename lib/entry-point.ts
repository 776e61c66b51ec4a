/**
 * What `require('secure-service')` loads (package.json `main`): the names of `index.ts`, whose
 * declarations are the package's types, with each target loaded on its first use. Loaded eagerly,
 * `index.ts` made every ECS app load cdk8s and cdk8s-plus-27 at each `cdk synth` (about 120 ms and
 * 17 MB, more than ten ECS services cost to synthesize), and every cdk8s app the ECS code.
 * test/package-entry.test.ts proves both files export the same names and values.
 */
export * from './core';

/** Defines `name` as a getter that loads it, then replaces itself with the value: later reads cost a property read, not a `require()`. */
function loadedOnFirstUse(name: string, load: () => unknown): void {
  Object.defineProperty(exports, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = load();
      Object.defineProperty(exports, name, { enumerable: true, value });
      return value;
    },
  });
}

/* eslint-disable @typescript-eslint/no-require-imports -- require() at first use is the point of this file */
loadedOnFirstUse('ecs', () => require('./ecs'));
loadedOnFirstUse('k8s', () => require('./k8s'));
// cdk8s.yaml `validations:` names a class exported by the package's entry point.
loadedOnFirstUse('SecureServiceValidation', () => require('./k8s/validation-plugin').SecureServiceValidation);
/* eslint-enable @typescript-eslint/no-require-imports */
