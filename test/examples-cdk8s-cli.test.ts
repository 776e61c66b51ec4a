// `cdk8s synth` with our validation plugin in cdk8s.yaml: on the Kubernetes example, as a user runs it
// from examples/k8s (its cdk8s.yaml names the plugin's file in dist/), and on an app that writes an
// insecure manifest, whose cdk8s.yaml names the package as the README does (a local path: its
// package.json `main`). Both load dist/, which the test task's compile step builds.
import { SpawnSyncReturns, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';

const CDK8S = join(__dirname, '..', 'node_modules', '.bin', 'cdk8s');
const PACKAGE = join(__dirname, '..');

/** `cdk8s synth` in `cwd` (no upgrade check: it asks the npm registry). */
function cdk8sSynth(cwd: string, outdir: string): SpawnSyncReturns<string> & { printed: string } {
  const run = spawnSync(CDK8S, ['synth', '--no-check-upgrade', '--output', outdir], { cwd, encoding: 'utf8' });
  return { ...run, printed: `${run.stdout}${run.stderr}` };
}

test('cdk8s synth works on the Kubernetes example, and the plugin passes it', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cdk8s-'));
  const run = cdk8sSynth(join(__dirname, '..', 'examples', 'k8s'), outdir);
  expect(run.printed).toMatch(/Status\s+│ success/);
  expect(run.printed).toMatch(/workloads\s+│ 4/);
  expect(run.status).toBe(0);
  for (const file of ['shop.k8s.yaml', 'payments.k8s.yaml']) expect(existsSync(join(outdir, file))).toBe(true);
  const kinds = parseAllDocuments(readFileSync(join(outdir, 'shop.k8s.yaml'), 'utf8')).map((d) => d.toJS()?.kind);
  expect(kinds).toContain('Deployment');
}, 120_000);

test('cdk8s synth fails when the plugin finds an insecure workload, naming the controls', () => {
  // GIVEN: an app that writes a plain Deployment (root, writable root filesystem, no NetworkPolicy)
  const app = mkdtempSync(join(tmpdir(), 'secure-service-cdk8s-app-'));
  writeFileSync(join(app, 'write.js'), [
    "const fs = require('fs');",
    'fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });',
    "fs.writeFileSync(require('path').join(process.env.CDK8S_OUTDIR, 'legacy.k8s.yaml'),",
    "  'apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: legacy}\\nspec:\\n  selector: {matchLabels: {app: legacy}}\\n'",
    "  + '  template:\\n    metadata: {labels: {app: legacy}}\\n    spec: {containers: [{name: web, image: nginx:1.27}]}\\n');",
  ].join('\n'));
  writeFileSync(join(app, 'cdk8s.yaml'), [
    'language: typescript',
    'app: node write.js',
    'validations:',
    `  - { package: ${JSON.stringify(PACKAGE)}, class: SecureServiceValidation, version: 0.0.0, installEnv: {}, properties: {} }`,
  ].join('\n'));

  // WHEN
  const run = cdk8sSynth(app, join(app, 'dist'));

  // THEN
  expect(run.status).not.toBe(0);
  expect(run.printed).toContain('Validation failed');
  for (const control of ['RUN_AS_NON_ROOT', 'READ_ONLY_ROOT_FILESYSTEM', 'NETWORK_ISOLATION']) expect(run.printed).toContain(`secure-service/${control}`);
}, 120_000);
