import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { App, Aws, Fn, Stack, aws_ec2 as ec2, aws_ecr as ecr, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { CfnTaskDefinition, ContainerImage, EnvironmentFile } from 'aws-cdk-lib/aws-ecs';
import { exemptionAnnotation, hardenedDeploymentYaml, hardenedTaskDefinition, hostPidDeploymentYaml, routedDeploymentYaml, runCli, writeFiles } from './fixtures';
import { Control } from '../../lib/core';
import { SecureService } from '../../lib/ecs';

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

  test('an HTTPRoute to the Service of a Deployment exposes it: NO_PUBLIC_IP names the route; an exemption covers it', () => {
    const dir = writeFiles({ 'api.yaml': routedDeploymentYaml() });
    const { code, out } = runCli('check', join(dir, 'api.yaml'), '--format', 'json', ...TODAY);
    const noPublicIp = (report: any) => report.workloads[0].controls.find((c: any) => c.control === 'NO_PUBLIC_IP');
    expect(noPublicIp(JSON.parse(out))).toMatchObject({ state: 'violated' });
    expect(out).toContain('HTTPRoute/shop/web spec.rules[0].backendRefs[0] (routes to Service/shop/api)');
    expect(code).toBe(1);

    const internal = writeFiles({ 'api.yaml': routedDeploymentYaml(exemptionAnnotation({ control: 'NO_PUBLIC_IP', justification: 'The Gateway edge is internal (GatewayClass internal-only), reached over the VPN' })) });
    const exempted = runCli('check', join(internal, 'api.yaml'), '--format', 'json', ...TODAY);
    expect(noPublicIp(JSON.parse(exempted.out))).toMatchObject({ state: 'exempted' });
    expect(exempted.code).toBe(0);
  });

  test('the files are read together: a NetworkPolicy in one applies, and a LoadBalancer Service in another exposes', () => {
    // GIVEN: the hardened Deployment and its NetworkPolicy, in two files
    const [deployment, policy] = hardenedDeploymentYaml().split(/^---$/m);
    const split = writeFiles({ 'deployment.yaml': deployment, 'policy.yaml': policy });
    // THEN
    const clean = runCli('check', split, ...TODAY);
    expect(clean.out).toContain('1 workload(s): 0 violation(s)');
    expect(clean.code).toBe(0);
    // WHEN: another file exposes the pods
    const exposed = writeFiles({
      'api.yaml': hardenedDeploymentYaml(),
      'edge.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: public, namespace: shop }\nspec: { type: LoadBalancer, selector: { app: api }, ports: [{ port: 443 }] }\n',
    });
    const { code, out } = runCli('check', exposed, ...TODAY);
    // THEN
    expect(out).toMatch(/NO_PUBLIC_IP\s+violated\s+a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster/);
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

  test('items are read as kubectl applies them: of any object that has them, without kind taking the List\'s', () => {
    const pod = { metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } };
    const dir = writeFiles({
      'config.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, items: [{ apiVersion: 'v1', kind: 'Pod', ...pod }] }),
      'pods.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ ...pod, metadata: { name: 'kindless' } }] }),
    });
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    const report = JSON.parse(out);
    expect(report.workloads.map((w: any) => w.name)).toEqual(['Pod/debug', 'Pod/kindless']);
    expect(report.workloads[1].controls.find((c: any) => c.control === 'RUN_AS_NON_ROOT').state).toBe('violated');
    expect(code).toBe(1);
  });

  test.each([
    ['empty', { apiVersion: '', kind: '' }], ['null', { apiVersion: null, kind: null }], ['an empty kind and no apiVersion', { kind: '' }],
  ])('an item whose kind and apiVersion are %s takes the List\'s, as apimachinery fills them: its host namespace is judged', (_, naming) => {
    const deployment = {
      ...naming,
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { hostPID: true, containers: [{ name: 'api', image: 'busybox' }] } } },
    };
    const dir = writeFiles({ 'list.json': JSON.stringify({ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [deployment] }) });
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    const [workload] = JSON.parse(out).workloads;
    expect(workload.name).toBe('Deployment/shop/api');
    expect(workload.controls.find((c: any) => c.control === 'NO_HOST_NAMESPACES').state).toBe('violated');
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
    expect(out).toBe(`${file}: 1 workload(s): 1 violation(s), 0 exempted, 0 warning(s), 0 invalid exemption(s), 0 input(s) not read\n`);
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: 'NO_HOST_NAMESPACES', level: 'error' })]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(`file://${join(dir, 'api.yaml')}`);
    expect(code).toBe(1);
  });

  test('sarif: an invalid exemption is a result at the workload\'s file, not a notification', () => {
    const annotation = exemptionAnnotation({ control: 'NO_HOST_NAMESPACES', expires: '2026-11-01' });
    const expired = writeFiles({ 'api.yaml': hostPidDeploymentYaml(annotation) });
    const { code, out } = runCli('check', expired, '--format', 'sarif', ...TODAY);
    const [run] = JSON.parse(out).runs;
    const invalid = run.results.filter((r: any) => r.ruleId === 'INVALID_EXEMPTION');
    expect(invalid).toEqual([expect.objectContaining({
      level: 'error',
      message: { text: expect.stringMatching(/^Deployment\/shop\/api: exemptions\[0\] \(NO_HOST_NAMESPACES\): expired on 2026-11-01/) },
      locations: [{
        physicalLocation: { artifactLocation: { uri: `file://${join(expired, 'api.yaml')}` } },
        logicalLocations: [{ fullyQualifiedName: 'Deployment/shop/api', kind: 'resource' }],
      }],
      properties: { control: 'NO_HOST_NAMESPACES', exemptionIndex: 0 },
    })]);
    expect(run.tool.driver.rules[invalid[0].ruleIndex].id).toBe('INVALID_EXEMPTION');
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
    expect(code).toBe(1);
  });

  test('sarif: file locations are URI references, percent-encoded per segment', () => {
    const root = writeFiles({ 'dir with space/host pid#1.yaml': hostPidDeploymentYaml() });
    const file = join(root, 'dir with space', 'host pid#1.yaml');
    const uriOf = (path: string) => JSON.parse(runCli('check', path, '--format', 'sarif', ...TODAY).out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;

    const absolute = uriOf(file);
    expect(absolute).toBe(`file://${join(root, 'dir%20with%20space', 'host%20pid%231.yaml')}`);
    expect(decodeURIComponent(new URL(absolute).pathname)).toBe(file);

    const relativePath = relative(process.cwd(), file);
    const relativeUri = uriOf(relativePath);
    expect(relativeUri).not.toMatch(/^file:/);
    expect(relativeUri).toMatch(/\/dir%20with%20space\/host%20pid%231\.yaml$/);
    expect(decodeURIComponent(new URL(relativeUri, `file://${process.cwd()}/`).pathname)).toBe(file);
  });
});

describe('options', () => {
  test.each([[['check', '--help']], [['check', '-h']], [['check', '.', '--format', 'xml', '--help']]])('%j prints the usage and exits 0', (...argv) => {
    const { code, out, err } = runCli(...argv[0]);
    expect(out).toContain('usage: secure-service check <cdk.out dir | template.json | manifest.yaml | dir | ->... [options]');
    expect(out).toContain('-h, --help');
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('--output to a path that cannot be written exits 2 and names the path', () => {
    const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml() });
    const target = join(dir, 'no-such-dir', 'report.sarif');
    const { code, err } = runCli('check', dir, '--format', 'sarif', '--output', target, ...TODAY);
    expect(err).toMatch(new RegExp(`^secure-service: --output ${target}: cannot write the report \\(ENOENT.*\\); name a file in an existing, writable directory\n$`));
    expect(code).toBe(2);
  });
});

describe('directory scans read every workload, or say which they could not', () => {
  const withStray = (stray: string) => `${hostPidDeploymentYaml()}---\n${stray}`;
  // The stray document's first line: after the Deployment and NetworkPolicy documents and the separator.
  const strayLine = hostPidDeploymentYaml().split('\n').length + 1;

  test.each(['directory', 'file'])('a document beside Kubernetes objects that is not one (named by %s): the objects are judged, the stray named, exit 2', (how) => {
    const dir = writeFiles({ 'api.yaml': withStray('foo: bar\n') });
    const { code, out, err } = runCli('check', how === 'directory' ? dir : join(dir, 'api.yaml'), ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+violated/);
    expect(out).toContain('1 workload(s): 1 violation(s)');
    expect(err).toBe(`secure-service: ${join(dir, 'api.yaml')}:${strayLine}: document 3 is not a Kubernetes object (it needs apiVersion and kind, found: {"foo":"bar"}); the file's other objects were checked without it: fix or remove it\n`);
    expect(code).toBe(2);
  });

  test('a Deployment with a typo\'d apiversion beside other objects is named', () => {
    const typo = hostPidDeploymentYaml().replace('apiVersion: apps/v1', 'apiversion: apps/v1');
    const dir = writeFiles({ 'api.yaml': typo });
    const { code, out, err } = runCli('check', dir, ...TODAY);
    expect(out).toContain('0 workload(s)');
    expect(err).toContain(`${join(dir, 'api.yaml')}:1: document 1 is not a Kubernetes object (kind Deployment has no apiVersion, found keys: apiversion, kind, metadata, spec)`);
    expect(code).toBe(2);
  });

  test.each([
    ['a Deployment without apiVersion', 'deploy.yaml', 'kind: Deployment\nmetadata: { name: api }\n', ':1: document 1 holds a Deployment, but the file was not read: kind Deployment has no apiVersion, found keys: kind, metadata;'],
    ['Pods in a plain JSON list', 'pods.json', '[{"apiVersion": "v1", "kind": "Pod"}]', ':1: document 1 holds a Pod in a plain list, but the file was not read: it is a plain list; put the objects in a kind: List'],
    ['an ECS task definition outside a template', 'taskdef.json', '{"family": "api", "containerDefinitions": [{"name": "api", "image": "nginx"}]}', ':1: document 1 holds an ECS task definition (containerDefinitions; the CLI reads task definitions from CloudFormation templates)'],
  ])('a file that is not read but holds a workload fails: %s', (_, name, text, message) => {
    const dir = writeFiles({ [name]: text, 'api.yaml': hardenedDeploymentYaml() });
    const { code, out, err } = runCli('check', dir, ...TODAY);
    expect(out).toContain('1 workload(s): 0 violation(s)');
    expect(err).toContain(`secure-service: ${join(dir, name)}${message}`);
    expect(code).toBe(2);
  });

  test.each(['List', 'PodList'])('a %s item that is not an object is named with its position and line', (kind) => {
    const list = `apiVersion: v1\nkind: ${kind}\nitems:\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: { name: api }\n  - kind: Pod\n    metadata: { name: debug }\n`;
    const dir = writeFiles({ 'list.yaml': list });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'list.yaml')}:7: document 1, items[1] is not a Kubernetes object (kind Pod has no apiVersion, found keys: kind, metadata)`);
    expect(code).toBe(2);
  });

  test('invalid YAML in a directory is named, and the other files are still judged', () => {
    const dir = writeFiles({ 'a-bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n', 'api.yaml': hostPidDeploymentYaml() });
    const { code, out, err } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+violated/);
    expect(err).toMatch(new RegExp(`^secure-service: ${join(dir, 'a-bad.yaml')}:\\d+: invalid YAML \\(`));
    expect(code).toBe(2);
  });

  test('JSON and YAML that is not ours (package.json, Helm\'s Chart.yaml and values, cdk.out manifests) is passed over quietly', () => {
    const dir = writeFiles({
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', scripts: { build: 'tsc' } }),
      'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'chart/values.yaml': 'image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.2\nreplicaCount: 2\n',
      'cdk.out/manifest.json': '{"version": "36.0.0", "artifacts": {}}',
      'api.yaml': hardenedDeploymentYaml(),
    });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('a directory is read as kubectl apply -R -f reads it: .json, .yaml and .yml in that case only; a file named is read whatever its name', () => {
    // GIVEN the Deployment and, in files kubectl passes over in a directory, its NetworkPolicy and a debug workload
    const [deployment, policy] = hardenedDeploymentYaml().split('---\n');
    const debug = hostPidDeploymentYaml().split('---\n')[0].replace(/name: api/g, 'name: debug');
    const dir = writeFiles({ 'api.yaml': deployment, 'POLICY.YAML': policy, 'debug.Yml': debug });
    // WHEN the directory is checked THEN neither is read, as kubectl would apply neither: the pods are not isolated
    const report = JSON.parse(runCli('check', dir, '--format', 'json', ...TODAY).out);
    expect(report.workloads.map((w: any) => w.name)).toEqual(['Deployment/shop/api']);
    const violated = (workload: any) => workload.controls.filter((c: any) => c.state === 'violated').map((c: any) => c.control);
    expect(violated(report.workloads[0])).toEqual(['NETWORK_ISOLATION']);
    // WHEN the files are named THEN each is read
    const named = JSON.parse(runCli('check', join(dir, 'api.yaml'), join(dir, 'POLICY.YAML'), join(dir, 'debug.Yml'), '--format', 'json', ...TODAY).out);
    expect(named.workloads.map((w: any) => [w.name, violated(w)])).toEqual([
      ['Deployment/shop/api', []],
      ['Deployment/shop/debug', ['NO_HOST_NAMESPACES']],
    ]);
  });

  test('asset directories are passed over in a cloud assembly only: elsewhere kubectl apply -R applies them', () => {
    const dir = writeFiles({
      'k8s/asset.api/debug.yaml': hostPidDeploymentYaml(),
      'cdk.out/manifest.json': '{"version": "36.0.0", "artifacts": {}}',
      'cdk.out/asset.0123/debug.yaml': hostPidDeploymentYaml().replace(/name: api/g, 'name: lambda-bundle'),
    });
    const report = JSON.parse(runCli('check', dir, '--format', 'json', ...TODAY).out);
    expect(report.workloads.map((w: any) => [w.name, w.file])).toEqual([['Deployment/shop/api', join(dir, 'k8s', 'asset.api', 'debug.yaml')]]);
  });

  test('symbolic links to directories and files are followed, each file read once, cycles walked once', () => {
    const root = writeFiles({ 'real-manifests/api.yaml': hostPidDeploymentYaml(), 'elsewhere/debug.yml': hardenedDeploymentYaml().replace(/name: api/g, 'name: debug') });
    mkdirSync(join(root, 'linkroot'));
    symlinkSync('../real-manifests', join(root, 'linkroot', 'manifests'));
    symlinkSync('../elsewhere/debug.yml', join(root, 'linkroot', 'debug.yml'));
    symlinkSync('..', join(root, 'real-manifests', 'loop'));
    symlinkSync('manifests', join(root, 'linkroot', 'same-manifests'));
    const { code, out, err } = runCli('check', join(root, 'linkroot'), '--format', 'json', ...TODAY);
    const report = JSON.parse(out);
    expect(report.workloads.map((w: any) => [w.name, w.file])).toEqual([
      ['Deployment/shop/debug', join(root, 'linkroot', 'debug.yml')],
      ['Deployment/shop/api', join(root, 'linkroot', 'manifests', 'api.yaml')],
    ]);
    expect(err).toBe('');
    expect(code).toBe(1);
  });

  test('a broken symbolic link to a manifest is named', () => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml() });
    symlinkSync('gone.yaml', join(dir, 'debug.yaml'));
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toBe(`secure-service: ${join(dir, 'debug.yaml')}: cannot be read: a symbolic link to a file or directory that does not exist\n`);
    expect(code).toBe(2);
  });
});

describe('bad input exits 2 with a message naming the file', () => {
  test.each([
    [{ 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n' }, 'bad.yaml', /bad\.yaml:\d+: invalid YAML \(/],
    [{ 'bad.json': '{\n  "Resources": {\n    "A": ,\n  }\n}' }, 'bad.json', /bad\.json:3: invalid JSON \(/],
    [{ 'notes.json': '{"hello": "world"}' }, 'notes.json', /notes\.json: neither a CloudFormation template \(no Resources\) nor Kubernetes objects/],
    [
      { 'loop.json': JSON.stringify({ Transform: 'AWS::LanguageExtensions', Resources: { 'Fn::ForEach::Groups': ['G', ['A'], { 'Group${G}': { Type: 'AWS::EC2::SecurityGroup', Properties: {} } }] } }) },
      'loop.json',
      /loop\.json: uses Fn::ForEach \(AWS::LanguageExtensions\), whose loops write keys and resources, which CloudFormation expands only when it deploys the stack/,
    ],
    [
      { 'module.json': JSON.stringify({ Resources: { Api: { Type: 'Acme::Ecs::Service::MODULE', Properties: { User: '0:0', AssignPublicIp: 'ENABLED' } } } }) },
      'module.json',
      /module\.json: uses the module Api \(Acme::Ecs::Service::MODULE\), which CloudFormation expands into the resources of its registered template/,
    ],
    [
      { 'daemon.json': JSON.stringify({ Resources: { Agent: { Type: 'AWS::ECS::DaemonTaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'agent', Image: 'agent:7', Privileged: true }] } } } }) },
      'daemon.json',
      /daemon\.json: Resources\.Agent \(AWS::ECS::DaemonTaskDefinition\) runs containers on every instance whose settings the checks do not read: no control can be proven for them; run the containers in a SecureService/,
    ],
    [
      { 'legacy.json': JSON.stringify({ Resources: { Workers: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/acme/workers.json' } } } }) },
      'legacy.json',
      /legacy\.json: Resources\.Workers \(AWS::CloudFormation::Stack\) deploys a template the checks do not read \(https:\/\/s3\.amazonaws\.com\/acme\/workers\.json\): .*; deploy that template as a NestedStack/,
    ],
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

  test.each([
    [['--policy', 'org.json', '--policy', 'team.json'], '--policy given twice, found: "org.json" and "team.json"; merge the two policies into one file'],
    [['--today', '2026-11-28', '--today', '2026-12-01'], '--today given twice, found: "2026-11-28" and "2026-12-01"; give one day'],
    [['--format', 'json', '--format', 'sarif'], '--format given twice, found: "json" and "sarif"; give one format, or run the check once per format'],
    [['--output', 'a.txt', '--output', 'b.txt'], '--output given twice, found: "a.txt" and "b.txt"; give one file, or run the check once per file'],
    [['--output', ''], '--output needs a file name, found: ""; name the file to write the report to, or leave --output out to print it'],
    [['--output', '  '], '--output needs a file name, found: "  "; name the file to write the report to, or leave --output out to print it'],
  ])('%j: exit 2, naming the option, the values and the fix, and nothing is written', (options, message) => {
    // GIVEN: two valid policies, so only the repetition can fail
    const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml(), 'org.json': '{"requireTicket":true}', 'team.json': '{"allowedRegistries":["ghcr.io/acme"]}' });
    const inDir = options.map((o) => (o.endsWith('.json') || o.endsWith('.txt') ? join(dir, o) : o));
    // WHEN
    const { code, err, out } = runCli('check', join(dir, 'api.yaml'), ...inDir);
    // THEN
    expect(err).toBe(`secure-service: ${message.replace(/"(\w+\.(json|txt))"/g, (_, file) => JSON.stringify(join(dir, file)))}\n`);
    expect(out).toBe('');
    expect(code).toBe(2);
    expect(existsSync(join(dir, 'a.txt')) || existsSync(join(dir, 'b.txt'))).toBe(false);
  });

  test('one of each option is still read', () => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml(), 'org.json': '{"requireTicket":true}' });
    const { code, out } = runCli('check', dir, '--policy', join(dir, 'org.json'), '--today', '2026-11-28', '--format', 'json', '--output', join(dir, 'report.json'));
    expect(out).toContain('report.json: 1 workload(s): 0 violation(s)');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).summary.workloads).toBe(1);
    expect(code).toBe(0);
  });

  test('an invalid policy file', () => {
    const dir = writeFiles({ 'policy.json': JSON.stringify({ defaultUser: { uid: 0, gid: 0 } }) });
    const { code, err } = runCli('check', dir, '--policy', join(dir, 'policy.json'));
    expect(err).toMatch(/policy\.json: not a valid security policy \(invalid security policy:\n {2}- defaultUser must have numeric uid and gid from 1 to 2147483647/);
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

describe('CloudFormation templates are read with their stack environment from the cloud assembly', () => {
  // An ECR image of the stack's own account: its URL suffix is known only from the region.
  function cloudAssembly(): string {
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-env-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
    });
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repository', 'api');
    new SecureService(stack, 'Api', {
      vpc, image: ContainerImage.fromEcrRepository(repository, '1.4.2'), containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'],
    });
    app.synth();
    writeFileSync(join(outdir, 'policy.json'), JSON.stringify({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] }));
    return outdir;
  }

  test("an ECR image of the stack's account passes the allow-list, as in synthesis", () => {
    const outdir = cloudAssembly();
    const { code, out } = runCli('check', join(outdir, 'Shop.template.json'), '--policy', join(outdir, 'policy.json'), ...TODAY);
    expect(out).toMatch(/IMAGE_PINNED\s+enforced/);
    expect(code).toBe(0);
  });

  test('an environment file asset is read from the assembly, as in synthesis: one of configuration only passes', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-envfile-'));
    const file = join(outdir, 'source.env');
    writeFileSync(file, 'LOG_LEVEL=info\n');
    const app = new App({ outdir: join(outdir, 'cdk.out'), context: { 'secure-service:today': '2026-11-28' } });
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
    });
    const svc = new SecureService(stack, 'Api', { vpc, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
    const { s3Location } = EnvironmentFile.fromAsset(file).bind(stack);
    const arn = Fn.join('', ['arn:', Aws.PARTITION, ':s3:::', s3Location.bucketName, '/', s3Location.objectKey]);
    (svc.taskDefinition.node.defaultChild as CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.EnvironmentFiles', [{ Type: 's3', Value: arn }]);
    app.synth();
    const { code, out } = runCli('check', join(outdir, 'cdk.out', 'Shop.template.json'), ...TODAY);
    expect(out).toMatch(/SECRETS_NOT_IN_ENVIRONMENT\s+enforced/);
    expect(code).toBe(0);
  });

  test('without the manifest the registry cannot be proven, and says so', () => {
    const outdir = cloudAssembly();
    rmSync(join(outdir, 'manifest.json'));
    const { code, out } = runCli('check', join(outdir, 'Shop.template.json'), '--policy', join(outdir, 'policy.json'), ...TODAY);
    expect(out).toMatch(/IMAGE_PINNED\s+violated\s+.*cannot be proven to come from an allowed registry/);
    expect(code).toBe(1);
  });
});

describe('CloudFormation conditions (Fn::If) are read in every combination, as in synthesis', () => {
  /** A hardened Fargate task definition whose added capabilities are `add`. */
  const template = (add: unknown) => JSON.stringify({ Resources: { Task: hardenedTaskDefinition({ LinuxParameters: { Capabilities: { Drop: ['ALL'], Add: add } } }) } });

  test('a task definition whose assessment depends on a condition is reported once per branch, named with it', () => {
    // GIVEN
    const dir = writeFiles({ 'shop.template.json': template({ 'Fn::If': ['On', ['SYS_PTRACE'], { Ref: 'AWS::NoValue' }] }) });
    // WHEN
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    // THEN
    const state = (workload: any) => workload.controls.find((c: any) => c.control === 'DROP_ALL_CAPABILITIES').state;
    const workloads = JSON.parse(out).workloads.map((w: any) => [w.name.replace(/ of \S+shop\.template\.json/, ' of shop.template.json'), state(w)]);
    expect(workloads).toEqual([['Task (when condition On of shop.template.json is false)', 'enforced'], ['Task (when condition On of shop.template.json is true)', 'violated']]);
    expect(code).toBe(1);
  });

  test('more conditions than it combines is bad input, naming them', () => {
    // GIVEN
    const add = Array.from({ length: 9 }, (_, i) => ({ 'Fn::If': [`C${i}`, 'SYS_PTRACE', { Ref: 'AWS::NoValue' }] }));
    const dir = writeFiles({ 'shop.template.json': template(add) });
    // WHEN
    const { code, err } = runCli('check', dir, ...TODAY);
    // THEN
    expect(err).toMatch(/9 conditions \(Fn::If\) decide values of ECS, network, log and IAM resources of the templates \(\S+shop\.template\.json: C0, .*C8\); the report covers every combination of at most 8/);
    expect(code).toBe(2);
  });
});

describe('a state machine whose definition is in S3 is read through its role, as in synthesis', () => {
  test("only the task definition its role may run (grantRun) needs the exemptions; the other's controls stay enforced", () => {
    // GIVEN: a cloud assembly that synthesized, the batch job exempted
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-sfn-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    const stack = new Stack(app, 'Shop');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
    });
    const props = { vpc, image: ContainerImage.fromRegistry('ghcr.io/acme/api:1.4.2'), containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] };
    new SecureService(stack, 'Api', props);
    const justification = 'The nightly batch runs from a reviewed state machine in public subnets; SEC-12';
    const batch = new SecureService(stack, 'Batch', { ...props, exemptions: [{ control: Control.NO_PUBLIC_IP, justification }, { control: Control.NETWORK_ISOLATION, justification }] });
    const definition = sfn.DefinitionBody.fromFile(join(__dirname, '..', 'ecs', 'flows', 'public-run-task.asl.json'));
    batch.taskDefinition.grantRun(new sfn.StateMachine(stack, 'Flow', { definitionBody: definition }));
    app.synth();
    // WHEN
    const { code, out } = runCli('check', join(outdir, 'Shop.template.json'), ...TODAY);
    // THEN
    const [api, batchJob] = out.split(/\n\s*\n/);
    expect(api).toMatch(/^ApiTaskDefinition\w+ {2}\(ecs-fargate/);
    expect(api).toMatch(/NO_PUBLIC_IP\s+enforced/);
    expect(api).toMatch(/NETWORK_ISOLATION\s+enforced/);
    expect(batchJob).toMatch(/^BatchTaskDefinition\w+ {2}\(ecs-fargate/);
    expect(batchJob).toMatch(/NO_PUBLIC_IP\s+exempted/);
    expect(batchJob).toMatch(/NETWORK_ISOLATION\s+exempted/);
    expect(code).toBe(0);
  });
});
