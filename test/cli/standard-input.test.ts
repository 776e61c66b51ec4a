/**
 * What kubectl reads before it parses: standard input (`-f -`), UTF-16 files, and JSON files of one object
 * after another. The expected readings were checked against kubectl 1.32 (`kubectl annotate --local -f FILE x=y -o name`).
 */
import { spawnSync } from 'child_process';
import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { hardenedDeploymentYaml, hardenedTaskDefinition, hostPidDeploymentYaml, runCli, runCliReading, writeFiles } from './fixtures';
import { main } from '../../lib/cli';

const TODAY = ['--today', '2026-11-28'];

const HOST_PID_POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { hostPID: true, containers: [{ name: 'a', image: 'busybox' }] } };
const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } };

function workloadsOf(out: string): { name: string; violated: string[] }[] {
  return JSON.parse(out).workloads.map((w: any) => ({
    name: w.name,
    violated: w.controls.filter((c: any) => c.state === 'violated').map((c: any) => c.control),
  }));
}

describe('check - reads Kubernetes manifests from standard input, as kubectl apply -f - does', () => {
  test('YAML: the workloads are judged, and the report names <stdin>', () => {
    const { code, out } = runCliReading(hostPidDeploymentYaml(), 'check', '-', '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([{ name: 'Deployment/shop/api', violated: ['NO_HOST_NAMESPACES'] }]);
    expect(JSON.parse(out).workloads[0].file).toBe('<stdin>');
    expect(code).toBe(1);
  });

  test('a hardened manifest passes', () => {
    expect(runCliReading(hardenedDeploymentYaml(), 'check', '-', ...TODAY).code).toBe(0);
  });

  test('JSON, told by its first character as kubectl tells it: objects one after another', () => {
    const { code, out } = runCliReading(`${JSON.stringify(CONFIG_MAP)}\n${JSON.stringify(HOST_PID_POD)}`, 'check', '-', '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([expect.objectContaining({ name: 'Pod/shop/p', violated: expect.arrayContaining(['NO_HOST_NAMESPACES']) })]);
    expect(code).toBe(1);
  });

  test('read together with files, as one app: the NetworkPolicy in a file isolates the Deployment from standard input', () => {
    const [deployment, networkPolicy] = hardenedDeploymentYaml().split('---\n');
    const dir = writeFiles({ 'policy.yaml': networkPolicy });
    expect(runCliReading(deployment, 'check', '-', dir, ...TODAY).code).toBe(0);
    const { code, out } = runCliReading(deployment, 'check', '-', ...TODAY);
    expect(out).toContain('NETWORK_ISOLATION');
    expect(code).toBe(1);
  });

  test('a CloudFormation template is refused: it is read with its cloud assembly, which standard input cannot carry', () => {
    const template = JSON.stringify({ Resources: { Task: hardenedTaskDefinition() } });
    const { code, err } = runCliReading(template, 'check', '-', ...TODAY);
    expect(err).toContain('secure-service: <stdin>: is a CloudFormation template, which is read with the cloud assembly beside its file');
    expect(err).toContain('give the template\'s file or the cdk.out directory instead of -');
    expect(code).toBe(2);
  });

  test.each([
    ['nothing', '', '<stdin>: neither a CloudFormation template'],
    ['invalid YAML', 'a: [b\n', '<stdin>:'],
    ['invalid JSON', '{"apiVersion": "v1",}', '<stdin>:1: invalid JSON'],
  ])('%s on standard input is bad input, named <stdin>', (_, input, message) => {
    const { code, err } = runCliReading(input, 'check', '-', ...TODAY);
    expect(err).toContain(message);
    expect(code).toBe(2);
  });

  test('- given twice is refused: standard input can be read once', () => {
    const { code, err } = runCliReading(hardenedDeploymentYaml(), 'check', '-', '-', ...TODAY);
    expect(err).toBe('secure-service: - (standard input) given twice: it can be read once; give - once\n');
    expect(code).toBe(2);
  });

  test('standard input that cannot be read names the error', () => {
    let out = '';
    let err = '';
    const code = main(['check', '-'], {
      out: (t) => { out += t; },
      err: (t) => { err += t; },
      readStandardInput: () => { throw new Error('EAGAIN: resource temporarily unavailable, read'); },
    });
    expect(err).toBe('secure-service: <stdin>: cannot be read (EAGAIN: resource temporarily unavailable, read)\n');
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  const BIN = join(__dirname, '..', '..', 'bin', 'secure-service');
  // The test task compiles lib/ to dist/ first; the package's bin runs that build.
  (existsSync(join(__dirname, '..', '..', 'dist', 'cli', 'main.js')) ? test : test.skip)('the secure-service command reads the process\'s standard input', () => {
    const run = spawnSync(process.execPath, [BIN, 'check', '-', '--format', 'json', ...TODAY], { input: hostPidDeploymentYaml(), encoding: 'utf8' });
    expect(workloadsOf(run.stdout)).toEqual([{ name: 'Deployment/shop/api', violated: ['NO_HOST_NAMESPACES'] }]);
    expect(run.status).toBe(1);
  });
});

describe('files as kubectl decodes them', () => {
  function utf16(text: string, order: 'le' | 'be'): Buffer {
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    return order === 'le' ? le : le.swap16();
  }

  test.each(['le', 'be'] as const)('UTF-16 (%s) with its byte order mark, as Windows PowerShell 5 writes `>`: read', (order) => {
    const dir = writeFiles({});
    writeFileSync(join(dir, 'api.yaml'), utf16(hostPidDeploymentYaml(), order));
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([{ name: 'Deployment/shop/api', violated: ['NO_HOST_NAMESPACES'] }]);
    expect(code).toBe(1);
  });

  test('UTF-16 on standard input', () => {
    const { out } = runCliReading(utf16(hostPidDeploymentYaml(), 'le'), 'check', '-', '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([{ name: 'Deployment/shop/api', violated: ['NO_HOST_NAMESPACES'] }]);
  });

  test('a JSON file of objects one after another (jq \'.items[]\'), with or without white space between them: each is read', () => {
    const pod = JSON.stringify(HOST_PID_POD);
    for (const text of [`${JSON.stringify(CONFIG_MAP)}${pod}`, `${JSON.stringify(CONFIG_MAP, undefined, 2)}\n${JSON.stringify(HOST_PID_POD, undefined, 2)}\n`]) {
      const { out } = runCli('check', writeFiles({ 'objects.json': text }), '--format', 'json', ...TODAY);
      expect(workloadsOf(out)).toEqual([expect.objectContaining({ name: 'Pod/shop/p', violated: expect.arrayContaining(['NO_HOST_NAMESPACES']) })]);
    }
  });

  test('brackets and quotes inside strings do not end an object early', () => {
    const noted = { ...HOST_PID_POD, metadata: { ...HOST_PID_POD.metadata, annotations: { note: 'a } ] " \\" { [' } } };
    const { out } = runCli('check', writeFiles({ 'objects.json': `${JSON.stringify(noted)}${JSON.stringify(CONFIG_MAP)}` }), '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([expect.objectContaining({ name: 'Pod/shop/p', violated: expect.arrayContaining(['NO_HOST_NAMESPACES']) })]);
  });

  test.each([
    ['a comma between the objects, where kubectl stops', `${JSON.stringify(CONFIG_MAP)},\n${JSON.stringify(HOST_PID_POD)}`, ':1: invalid JSON'],
    ['a --- between them, which is not JSON', `${JSON.stringify(CONFIG_MAP)}\n---\n${JSON.stringify(HOST_PID_POD)}`, ':2: a --- between JSON objects'],
    ['an error on a later line, named by its line and not by its place in the object', `${JSON.stringify(CONFIG_MAP)}\n{\n"apiVersion": "v1",\n}`, ':4: invalid JSON (Expected double-quoted property name in JSON)'],
    ['a number beyond a 64-bit float (Go refuses it, JavaScript reads infinity)', JSON.stringify({ ...CONFIG_MAP, data: undefined, spec: 1 }).replace('"spec":1', '"spec":1e999'),
      ':1: a number beyond what a 64-bit float holds, which kubectl refuses'],
    ['JSON nested deeper than Go reads', `${JSON.stringify(CONFIG_MAP).slice(0, -1)},"x":${'['.repeat(10_001)}${']'.repeat(10_001)}}`, ':1: JSON nested 10002 deep, beyond the 10000 kubectl reads'],
    ['an object that never closes', `${JSON.stringify(CONFIG_MAP)}\n{"apiVersion": "v1"`, ':2: invalid JSON'],
  ])('%s: the file is refused with its line', (_, text, message) => {
    const dir = writeFiles({ 'objects.json': text });
    const { code, err } = runCli('check', join(dir, 'objects.json'), ...TODAY);
    expect(err).toContain(`objects.json${message}`);
    expect(code).toBe(2);
  });

  test('null between the objects is a document kubectl skips, and so is it here', () => {
    const { out } = runCli('check', writeFiles({ 'objects.json': `${JSON.stringify(HOST_PID_POD)}\nnull\n${JSON.stringify(CONFIG_MAP)}null` }), '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([expect.objectContaining({ name: 'Pod/shop/p' })]);
  });

  test('the content, not the name, says JSON or YAML, as kubectl tells them', () => {
    const dir = writeFiles({
      'pod.json': hostPidDeploymentYaml(),
      'objects.yaml': `${JSON.stringify(CONFIG_MAP)}\n${JSON.stringify({ ...HOST_PID_POD, metadata: { name: 'q', namespace: 'shop', annotations: { note: 'a\u2028b' } } })}`,
    });
    const { out } = runCli('check', dir, '--format', 'json', ...TODAY);
    expect(workloadsOf(out).map((w) => w.name).sort()).toEqual(['Deployment/shop/api', 'Pod/shop/q']);
  });

  test('white space that fills the 4,096 bytes kubectl looks at makes JSON YAML to it, and here', () => {
    // kubectl then reads YAML, whose parser stops after the first flow mapping: the NetworkPolicy after it is never applied.
    const text = `${' '.repeat(4096)}${JSON.stringify(CONFIG_MAP)}\n${JSON.stringify(HOST_PID_POD)}`;
    const { code, err } = runCliReading(text, 'check', '-', ...TODAY);
    expect(err).toContain('<stdin>:');
    expect(err).toContain('invalid YAML');
    expect(code).toBe(2);
    expect(runCliReading(`${' '.repeat(4095)}${JSON.stringify(CONFIG_MAP)}\n${JSON.stringify(HOST_PID_POD)}`, 'check', '-', ...TODAY).code).toBe(1);
  });

  test('U+FEFF before { is not white space to kubectl: the text is YAML, one flow mapping, read as kubectl reads it', () => {
    const { code, out } = runCliReading(`\ufeff\ufeff${JSON.stringify(HOST_PID_POD)}`, 'check', '-', '--format', 'json', ...TODAY);
    expect(workloadsOf(out)).toEqual([expect.objectContaining({ name: 'Pod/shop/p', violated: expect.arrayContaining(['NO_HOST_NAMESPACES']) })]);
    expect(code).toBe(1);
  });

  test('bytes that are not UTF-8 after a UTF-8 byte order mark are refused in YAML, which kubectl passes on undecoded', () => {
    const yaml = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# r'), Buffer.from([0xe9]), Buffer.from(`seau\n${hardenedDeploymentYaml()}`)]);
    const dir = writeFiles({});
    writeFileSync(join(dir, 'api.yaml'), yaml);
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain('api.yaml: bytes that are not UTF-8 after a UTF-8 byte order mark: kubectl reads them undecoded there, and its YAML parser refuses the file');
    expect(code).toBe(2);
    // Without the mark kubectl decodes them as U+FFFD, as the CLI does.
    writeFileSync(join(dir, 'api.yaml'), yaml.subarray(3));
    expect(runCli('check', dir, ...TODAY).code).toBe(0);
  });

  test('a value after an object that is not one is a document that is not a Kubernetes object', () => {
    const dir = writeFiles({ 'objects.json': `${JSON.stringify(HOST_PID_POD)} [1]` });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain('objects.json:1: document 2 is not a Kubernetes object (it is a plain list');
    expect(code).toBe(2);
  });
});
