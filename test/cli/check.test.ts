import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { exemptionAnnotation, hardenedDeploymentYaml, hostPidDeploymentYaml, runCli, writeFiles } from './fixtures';

const TODAY = ['--today', '2026-11-28'];

describe('Kubernetes YAML written by hand', () => {
  test('a hardened Deployment is clean: exit 0, every control enforced or n/a', () => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml() });
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toContain('Deployment/shop/api  (kubernetes,');
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+enforced/);
    expect(out).toMatch(/LOGGING\s+n\/a/);
    expect(out).toContain('1 workload(s): 0 violation(s), 0 exempted, 0 warning(s), 0 invalid exemption(s)');
    expect(code).toBe(0);
  });

  test('an insecure one fails with exit 1 and names the setting', () => {
    const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml() });
    const { code, out } = runCli('check', join(dir, 'api.yaml'), ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+violated\s+the workload shares the host's pid namespace/);
    expect(code).toBe(1);
  });

  test('a recorded exemption is honoured, and shown with its expiry and ticket', () => {
    const annotation = exemptionAnnotation({ control: 'NO_HOST_NAMESPACES', expires: '2027-01-31', ticket: 'SEC-9' });
    const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml(annotation) });
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+exempted until 2027-01-31 \(SEC-9\)/);
    expect(code).toBe(0);
  });

  test('an expired recorded exemption covers nothing', () => {
    const annotation = exemptionAnnotation({ control: 'NO_HOST_NAMESPACES', expires: '2026-11-01' });
    const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml(annotation) });
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/error: exemptions\[0\] \(NO_HOST_NAMESPACES\).*expired on 2026-11-01/);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+violated/);
    expect(code).toBe(1);
  });

  test('a List of objects and several documents per file are read', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } }] });
    const dir = writeFiles({ 'list.json': list, 'api.yaml': hardenedDeploymentYaml() });
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    const report = JSON.parse(out);
    expect(report.workloads.map((w: any) => w.name)).toEqual(['Deployment/shop/api', 'Pod/debug']);
    const pod = report.workloads[1];
    const state = (control: string) => pod.controls.find((c: any) => c.control === control).state;
    expect(state('RUN_AS_NON_ROOT')).toBe('violated');
    expect(state('IMAGE_PINNED')).toBe('warning');
    expect(code).toBe(1);
  });

  test('the policy given with --policy applies', () => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml(), 'policy.json': JSON.stringify({ allowedRegistries: ['registry.acme.internal'] }) });
    const { code, out } = runCli('check', join(dir, 'api.yaml'), '--policy', join(dir, 'policy.json'), ...TODAY);
    expect(out).toMatch(/IMAGE_PINNED\s+violated\s+api: image ghcr.io\/acme\/api:1.4.2 comes from ghcr.io, which the security policy does not allow/);
    expect(code).toBe(1);
  });
});

describe('formats', () => {
  const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml() });

  test('markdown', () => {
    const { out } = runCli('check', dir, '--format', 'markdown', ...TODAY);
    expect(out).toContain('| NO_HOST_NAMESPACES | violated | the workload shares the host\'s pid namespace |');
  });

  test('sarif, written to a file with --output', () => {
    const file = join(dir, 'report.sarif');
    const { code, out } = runCli('check', join(dir, 'api.yaml'), '--format', 'sarif', '--output', file, ...TODAY);
    expect(out).toBe(`${file}: 1 workload(s), 1 violation(s), 0 invalid exemption(s)\n`);
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: 'NO_HOST_NAMESPACES', level: 'error' })]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(join(dir, 'api.yaml'));
    expect(code).toBe(1);
  });
});

describe('bad input exits 2 with a message naming the file', () => {
  test.each([
    [{ 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n' }, 'bad.yaml', /bad\.yaml:\d+: invalid YAML \(/],
    [{ 'bad.json': '{\n  "Resources": {\n    "A": ,\n  }\n}' }, 'bad.json', /bad\.json:3: invalid JSON \(/],
    [{ 'notes.json': '{"hello": "world"}' }, 'notes.json', /notes\.json: neither a CloudFormation template \(no Resources\) nor Kubernetes objects/],
  ])('%j', (files, name, message) => {
    const dir = writeFiles(files);
    const { code, err, out } = runCli('check', join(dir, name));
    expect(err).toMatch(message);
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  test.each([
    [['check', '/no/such/file.yaml'], 'secure-service: /no/such/file.yaml: no such file or directory'],
    [['check'], 'check needs at least one file or directory (see --help)'],
    [['check', '.', '--format', 'xml'], '--format must be one of table, json, markdown, sarif, found: "xml"'],
    [['check', '.', '--today', '28/11/2026'], '--today must be a date YYYY-MM-DD, found: "28/11/2026"'],
    [['check', '.', '--output'], '--output needs a value (see --help)'],
    [['check', '.', '--verbose'], 'unknown option --verbose (see --help)'],
    [['scan', '.'], 'unknown command "scan"; use \'check\' (see --help)'],
  ])('%j', (argv, message) => {
    const { code, err } = runCli(...argv);
    expect(err).toContain(message);
    expect(code).toBe(2);
  });

  test('an invalid policy file', () => {
    const dir = writeFiles({ 'policy.json': JSON.stringify({ defaultUser: { uid: 0, gid: 0 } }) });
    const { code, err } = runCli('check', dir, '--policy', join(dir, 'policy.json'));
    expect(err).toMatch(/policy\.json: not a valid security policy \(invalid security policy:\n {2}- defaultUser must have numeric uid and gid above 0/);
    expect(code).toBe(2);
  });

  test('files in directories that are neither templates nor manifests are passed over', () => {
    const dir = writeFiles({ 'manifest.json': '{"version": "55.0.0"}', 'api.yaml': hardenedDeploymentYaml() });
    expect(runCli('check', dir, ...TODAY).code).toBe(0);
  });
});

const BIN = join(__dirname, '..', '..', 'bin', 'secure-service');
const COMPILED = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

// The test task compiles lib/ to dist/ first; the package's bin runs that build.
(existsSync(COMPILED) ? test : test.skip)('the secure-service command (package bin) exits with the report status', () => {
  const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml() });
  const run = spawnSync(process.execPath, [BIN, 'check', dir, '--format', 'json', ...TODAY], { encoding: 'utf8' });
  expect(JSON.parse(run.stdout).summary.violations).toBe(1);
  expect(run.status).toBe(1);
  expect(spawnSync(process.execPath, [BIN, 'check', join(dir, 'missing.yaml')], { encoding: 'utf8' }).status).toBe(2);
});
