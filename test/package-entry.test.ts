// What `require('secure-service')` gives a user: the compiled entry point named in package.json.
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const ENTRY = join(ROOT, pkg.main);
// The module whose declarations are the package's types (package.json `types`), compiled.
const TYPED_INDEX = join(ROOT, pkg.types.replace(/\.d\.ts$/, '.js'));

// The test task compiles lib/ to dist/ before jest runs.
const compiled = existsSync(ENTRY) && existsSync(TYPED_INDEX) ? test : test.skip;

/* eslint-disable @typescript-eslint/no-require-imports -- the compiled build is loaded as a user loads it */
compiled('the package entry point exports the public API', () => {
  const api = require(ENTRY);
  expect(pkg.main).toBe('dist/entry-point.js');
  expect(api.Control.RUN_AS_NON_ROOT).toBe('RUN_AS_NON_ROOT');
  for (const name of ['SecurityPolicy', 'evaluate', 'assessWorkload', 'buildPostureReport', 'renderMarkdown', 'renderSarif', 'validateExemptions', 'SecureServiceValidation']) {
    expect(typeof api[name]).toBe('function');
  }
  expect(typeof api.ecs.SecureService).toBe('function');
  expect(typeof api.ecs.SecureServiceChecks).toBe('function');
  expect(typeof api.k8s.SecureService).toBe('function');
  expect(typeof api.k8s.ChartChecks).toBe('function');
  expect(pkg.bin['secure-service']).toBe('bin/secure-service');
});

compiled('the entry point exports exactly the names and values its types declare', () => {
  const api = require(ENTRY);
  const typed = require(TYPED_INDEX);
  expect(Object.keys(api).sort()).toEqual(Object.keys(typed).sort());
  for (const name of Object.keys(typed)) expect([name, api[name]]).toEqual([name, typed[name]]);
  expect(api.ecs).toBe(typed.ecs);
  expect(api.k8s).toBe(typed.k8s);
  // Once loaded, a target is a plain property: apps read `ecs.SecureService` for every service.
  expect(Object.getOwnPropertyDescriptor(api, 'ecs')).toEqual(expect.objectContaining({ value: typed.ecs, enumerable: true }));
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** The packages a fresh `node` has loaded after running `use` on the entry point (`api`). */
function packagesLoadedBy(use: string): string[] {
  const script = `const api = require(${JSON.stringify(ENTRY)}); ${use};
    const names = Object.keys(require.cache).map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(?!.*node_modules)/.exec(file)?.[1]);
    console.log(JSON.stringify([...new Set(names.filter(Boolean))].sort()));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

describe('each target is loaded on its first use only', () => {
  compiled('loading the package loads neither framework', () => {
    expect(packagesLoadedBy('')).toEqual(['constructs']);
  });

  compiled('an ECS app never loads cdk8s or cdk8s-plus-27', () => {
    const loaded = packagesLoadedBy('api.ecs.SecureService; api.SecurityPolicy');
    expect(loaded).toContain('aws-cdk-lib');
    expect(loaded).not.toContain('cdk8s');
    expect(loaded).not.toContain('cdk8s-plus-27');
  });

  compiled('a cdk8s app never loads aws-cdk-lib', () => {
    const loaded = packagesLoadedBy('api.k8s.SecureService; api.SecureServiceValidation');
    expect(loaded).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus-27']));
    expect(loaded).not.toContain('aws-cdk-lib');
  });
});
