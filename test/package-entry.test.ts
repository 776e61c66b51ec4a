// What `require('secure-service')` gives a user: the compiled entry point named in package.json.
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const ENTRY = join(ROOT, pkg.main);

// The test task compiles lib/ to dist/ before jest runs.
(existsSync(ENTRY) ? test : test.skip)('the package entry point exports the public API', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled build is loaded as a user loads it
  const api = require(ENTRY);
  expect(pkg.main).toBe('dist/index.js');
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
