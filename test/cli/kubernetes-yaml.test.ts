/**
 * Kubernetes YAML is read as kubectl reads it (sigs.k8s.io/yaml, go-yaml v2: YAML 1.1). The expected
 * values were checked against kubectl 1.32 (`kubectl annotate --local -f FILE x=y -o json`).
 */
import { join } from 'path';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { hardenedDeploymentYaml, runCli, writeFiles } from './fixtures';
import { parseYaml } from '../../lib/cli/yaml-documents';
import { goYamlNumber } from '../../lib/k8s/go-yaml-numbers';

const TODAY = ['--today', '2026-11-28'];

function controlsOf(out: string): { [control: string]: { state: string; problems: string[] } } {
  const [workload] = JSON.parse(out).workloads;
  return Object.fromEntries(workload.controls.map((c: any) => [c.control, { state: c.state, problems: c.findings.map((f: any) => f.problem) }]));
}

describe('what kubectl applies is judged', () => {
  test('merge keys (<<) in the pod spec and the container: host namespaces and a hostPath of / are violations', () => {
    // GIVEN: the hardened Deployment, weakened through merge keys only
    const yaml = hardenedDeploymentYaml()
      .replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n'
        + '      <<: { hostPID: true, hostNetwork: true, volumes: [{ name: host, hostPath: { path: / } }] }\n')
      .replace('            capabilities: { drop: [ALL] }\n', '            capabilities: { drop: [ALL] }\n          <<: { volumeMounts: [{ name: host, mountPath: /host }] }\n');
    const dir = writeFiles({ 'api.yaml': yaml });
    // WHEN
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    // THEN
    const controls = controlsOf(out);
    expect(controls.NO_HOST_NAMESPACES).toEqual({ state: 'violated', problems: ["the workload shares the host's network namespace", "the workload shares the host's pid namespace"] });
    expect(controls.NO_HOST_PATH_VOLUMES).toEqual({ state: 'violated', problems: ['volume "host" is of kind hostPath: it mounts the host\'s filesystem'] });
    expect(code).toBe(1);
  });

  test('a merge key from an anchor applies too, the map\'s own keys after it winning', () => {
    const yaml = hardenedDeploymentYaml()
      .replace('metadata:\n  name: api\n', 'metadata:\n  name: api\n  labels: &host { hostPID: true, hostIPC: false }\n')
      .replace('      automountServiceAccountToken: false\n', '      <<: *host\n      hostIPC: true\n      automountServiceAccountToken: false\n');
    const { code, out } = runCli('check', writeFiles({ 'api.yaml': yaml }), '--format', 'json', ...TODAY);
    expect(controlsOf(out).NO_HOST_NAMESPACES.problems).toEqual(["the workload shares the host's pid namespace", "the workload shares the host's ipc namespace"]);
    expect(code).toBe(1);
  });

  test.each(['yes', 'on', 'y', 'Y', 'YES', 'On'])('hostPID: %s is true, as kubectl reads it', (word) => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml().replace('      automountServiceAccountToken: false\n', `      automountServiceAccountToken: false\n      hostPID: ${word}\n`) });
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+violated\s+the workload shares the host's pid namespace/);
    expect(code).toBe(1);
  });

  test('runAsUser: 0_0 is 0 (root), as kubectl reads it (YAML 1.2 reads text)', () => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml().replace('runAsUser: 65532', 'runAsUser: 0_0') });
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    expect(controlsOf(out).RUN_AS_NON_ROOT).toEqual({ state: 'violated', problems: ['the user is 0 (root)'] });
    expect(code).toBe(1);
  });

  test('an ordinary manifest reads the same as YAML 1.2 reads it', () => {
    const text = hardenedDeploymentYaml();
    expect(parseYaml('api.yaml', text).map((d) => d.value)).toEqual(parseAllDocuments(text).map((d) => d.toJS()));
  });
});

describe('a document with apiVersion or kind is Kubernetes objects, whatever else it holds', () => {
  // kubectl applies a List's items and ignores the List's other fields; CloudFormation refuses a template with apiVersion or kind.
  const list = (format: (value: object) => string) => format({
    apiVersion: 'v1',
    kind: 'List',
    Resources: {},
    items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evil', namespace: 'shop' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'alpine:3.19' }] } }],
  });

  test.each([['api.yaml', (value: object) => Yaml.stringify(value)], ['api.json', (value: object) => JSON.stringify(value)]])(
    'a kind: List with a map of Resources beside its items (%s): its host-PID Pod is judged, not taken for an empty template', (file, format) => {
      const dir = writeFiles({ [file]: list(format) });
      const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
      expect(code).toBe(1);
      expect(JSON.parse(out).workloads.map((w: any) => w.name)).toEqual(['Pod/shop/evil']);
      expect(controlsOf(out).NO_HOST_NAMESPACES.state).toBe('violated');
    },
  );
});

describe('lines inside a quoted scalar or a flow collection, which go-yaml reads at any indentation (checked against kubectl 1.32)', () => {
  const valueOf = (yaml: string) => parseYaml('api.yaml', yaml)[0].value as any;

  test('the Multus annotation, its lines at the key\'s indentation and at column 0: read, and the workload judged', () => {
    const annotation = '    k8s.v1.cni.cncf.io/networks: \'[\n    { "name": "macvlan-conf" }\n]\'\n';
    const yaml = hardenedDeploymentYaml(annotation);
    expect(valueOf(yaml).metadata.annotations['k8s.v1.cni.cncf.io/networks']).toBe('[ { "name": "macvlan-conf" } ]');
    const { code, err } = runCli('check', writeFiles({ 'api.yaml': yaml }), ...TODAY);
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('a double-quoted scalar folds its lines as go-yaml does: an escaped line break, a blank line, a tab', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  dq: "a   \n b\\\n      c\n\n\td  \n e"\n';
    expect(valueOf(yaml).data.dq).toBe('a bc\nd e');
  });

  test('a flow mapping with a line less indented than its key: what it sets is judged', () => {
    const yaml = hardenedDeploymentYaml().replace('            capabilities: { drop: [ALL] }\n', '            capabilities: { drop: [ALL] }\n            seLinuxOptions: {type: spc_t,\n  level: "s0"}\n');
    expect(valueOf(yaml).spec.template.spec.containers[0].securityContext.seLinuxOptions).toEqual({ type: 'spc_t', level: 's0' });
    const { code, out } = runCli('check', writeFiles({ 'api.yaml': yaml }), '--format', 'json', ...TODAY);
    expect(controlsOf(out).NOT_PRIVILEGED.problems).toEqual(['the SELinux type is spc_t']);
    expect(code).toBe(1);
  });

  test.each([
    ['a --- line inside a quoted scalar, where kubectl splits the file', '    note: \'a\n---\n  b\'\n', ':7: invalid YAML'],
    ['a ... line inside one, where go-yaml ends the document', '    note: \'a\n...\n  b\'\n', ':9: a document that follows another without a --- line'],
    ['a key over two lines in a flow mapping', '    note: { "a\n b": c }\n', ':7: invalid YAML'],
    ['a quoted scalar never closed', '    note: \'a\n  b\n', ':48: invalid YAML (Missing closing \'quote)'],
  ])('%s is still refused, as kubectl refuses it', (_, annotation, message) => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml(annotation) });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'api.yaml')}${message}`);
    expect(code).toBe(2);
  });
});

describe('numbers and text as go-yaml v2 reads them (checked against kubectl 1.32)', () => {
  test.each([
    ['0777', 511], ['0o17', 15], ['0O17', 15], ['-0o17', -15], ['0x1F', 31], ['0X1F', 31], ['0b101', 5], ['-0b11', -3], ['1_000', 1000],
    ['+_1', 1], ['0x_1F', 31], ['08', 8], ['1.0', 1], ['1.', 1], ['.5', 0.5], ['.5_0', 0.5], ['1e3', 1000], ['1_0.5', 10.5], ['+12', 12],
    ['1:30', '1:30'], ['12:30:45', '12:30:45'], ['2001-12-14', '2001-12-14'], ['1e999', '1e999'], ['.', '.'], ['0x_', '0x_'], ['._5', '._5'],
    ['1__2', 12], ['0b2', '0b2'], ['-', '-'],
  ])('%s reads as %j', (text, value) => {
    expect(goYamlNumber(text)).toBe(value);
  });

  test('in a manifest: a plain date and a sexagesimal-looking value stay text; n is false, as a value and as a key', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { day: 2001-12-14, time: 1:30, octal: 0777, flag: n, n: 1 }\n';
    expect(parseYaml('c.yaml', yaml)[0].value).toMatchObject({ data: { day: '2001-12-14', time: '1:30', octal: 511, flag: false, false: 1 } });
  });
});

describe('what cannot be read as kubectl reads it is bad input, named with its line', () => {
  test.each([
    ['a key set before a merge key that sets it too (kubectl takes the merged value)', '      hostPID: false\n      <<: { hostPID: true }\n',
      ':14: merge key (<<) sets hostPID after the map set it: kubectl takes the merged value, YAML the map\'s own; put << first in the map'],
    ['a tag kubectl ignores', '      hostPID: !Ref HostPid\n', ':13: cannot be read as kubectl reads it (Unresolved tag: !Ref); remove the tag'],
    ['a standard tag it reads otherwise', '      hostname: !!binary aGVsbG8=\n', ':13: cannot be read as kubectl reads it (Unresolved tag: tag:yaml.org,2002:binary); remove the tag'],
    ['infinity, which kubectl cannot convert to JSON', '      priority: .inf\n', ':13: cannot be read as kubectl reads it (.inf is infinity or NaN, which kubectl cannot convert to JSON'],
    ['an integer JavaScript cannot hold exactly', '      priority: 9007199254740993\n', ':13: cannot be read as kubectl reads it (9007199254740993 is an integer beyond 2^53'],
    ['keys that kubectl reads as one', '      yes: a\n      true: b\n', ':14: key "true" is given twice (as kubectl reads the keys); keep one'],
    ['a key given twice, as a chart may render a label', '      hostNetwork: false\n      hostNetwork: true\n', ':14: key "hostNetwork" is given twice (as kubectl reads the keys); keep one'],
    ['a byte order mark at the start of a line, which kubectl skips', '\ufeff      hostPID: true\n',
      ':13: a byte order mark (U+FEFF) after the start of the file, which kubectl skips at the start of a line and refuses elsewhere'],
    ['a key JSON cannot hold', '      1.5: a\n', ':13: a key that is not text, a boolean or an integer: kubectl cannot convert it to a JSON key; quote it'],
    ['an escape \\/, which YAML 1.2 knows and go-yaml v2 does not', '      hostname: "api\\/1"\n',
      ':13: an escape \\/, which kubectl\'s go-yaml (YAML 1.1) does not know, and refuses the file; write / without the backslash'],
    ['an anchor name with a dot', '      hostname: &host.name api\n', ':13: anchor &host.name: kubectl\'s go-yaml names anchors with letters, digits, _ and - only'],
    ['an alias name with a dot', '      hostname: &host api\n      subdomain: *host.name\n', ':14: alias *host.name: kubectl\'s go-yaml names anchors'],
  ])('%s', (_, lines, message) => {
    // GIVEN: the lines in the pod spec, after line 12 (`    spec:`)
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml().replace('      automountServiceAccountToken: false\n', `${lines}      automountServiceAccountToken: false\n`) });
    // WHEN
    const { code, err } = runCli('check', dir, '--format', 'json', ...TODAY);
    // THEN
    expect(err).toContain(`secure-service: ${join(dir, 'api.yaml')}${message}`);
    expect(code).toBe(2);
  });

  test.each([
    ['U+2028 (line separator)', '\u2028'], ['U+2029 (paragraph separator)', '\u2029'], ['U+0085 (next line)', '\u0085'], ['a carriage return without a line feed', '\r'],
  ])('%s, which ends a comment for kubectl, so that hostPID: true after it would deploy', (name, lineBreak) => {
    // GIVEN: a comment on line 13 that kubectl ends before hostPID
    const yaml = hardenedDeploymentYaml().replace('      automountServiceAccountToken: false\n', `      automountServiceAccountToken: false # pinned${lineBreak}      hostPID: true\n`);
    const dir = writeFiles({ 'api.yaml': yaml });
    // WHEN
    const { code, err } = runCli('check', dir, ...TODAY);
    // THEN
    expect(err).toContain(`${join(dir, 'api.yaml')}:13: ${name}, which kubectl and CloudFormation (YAML 1.1) read as a line break and YAML 1.2 does not`);
    expect(code).toBe(2);
  });

  test.each([
    ['U+007F', '\u007f'], ['U+0080', '\u0080'], ['U+009F', '\u009f'], ['U+FFFE', '\ufffe'], ['U+0001', '\u0001'],
  ])('%s, a control character go-yaml refuses ("control characters are not allowed"), so kubectl applies none of the file', (code, character) => {
    const yaml = hardenedDeploymentYaml(`    note: "a${character}b"\n`);
    const dir = writeFiles({ 'api.yaml': yaml });
    const { code: exit, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'api.yaml')}:7: ${code}, a control character YAML does not allow in a file: kubectl refuses the file`);
    expect(exit).toBe(2);
  });

  test('a byte order mark, which go-yaml allows, is no problem at the start of a file, YAML or JSON', () => {
    const dir = writeFiles({ 'api.yaml': `\ufeff${hardenedDeploymentYaml()}` });
    expect(runCli('check', dir, ...TODAY).code).toBe(0);
    const json = writeFiles({ 'pod.json': `\ufeff${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostPID: true, containers: [{ name: 'a', image: 'busybox' }] } })}` });
    expect(controlsOf(runCli('check', json, '--format', 'json', ...TODAY).out).NO_HOST_NAMESPACES.state).toBe('violated');
  });

  test('one at the start of a later document is refused: kubectl skips it, and would apply the spec a key \\ufeffspec hides here', () => {
    const pod = '---\n\ufeffspec: {hostPID: true, containers: [{name: a, image: busybox}]}\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n';
    const dir = writeFiles({ 'pod.yaml': `${hardenedDeploymentYaml()}${pod}` });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toMatch(/pod\.yaml:\d+: a byte order mark \(U\+FEFF\) after the start of the file/);
    expect(code).toBe(2);
  });

  test('an escaped backslash before a slash, and anchors of letters, digits, _ and -, are read as go-yaml reads them', () => {
    const yaml = hardenedDeploymentYaml('    path: "C:\\\\/api"\n    a: &base-1_X x\n    b: *base-1_X\n');
    const { code, err } = runCli('check', writeFiles({ 'api.yaml': yaml }), ...TODAY);
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('more than a hundred aliases in a document are read, as go-yaml reads them', () => {
    const env = Array.from({ length: 150 }, (_, i) => `        - name: V${i}\n          valueFrom: ${i === 0 ? '&config {configMapKeyRef: {name: c, key: a}}' : '*config'}`);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: busybox\n      env:\n${env.join('\n')}\n`;
    const { err } = runCli('check', writeFiles({ 'many.yaml': pod }), ...TODAY);
    expect(err).toBe('');
  });

  test.each([
    ['an object after the ---', '--- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}', '"{apiVersion: v1, kind: ConfigMap, met..."'],
    ['a fourth dash', '----', '"-"'],
    ['a tag', '--- !!map', '"!!map"'],
  ])('a document separator with %s, at which kubectl stops reading the file (the NetworkPolicy after it would never be applied)', (_, separator, shown) => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml().replace('---\n', `${separator}\n`) });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'api.yaml')}:33: a document separator with ${shown} after it: kubectl stops reading the file there`);
    expect(code).toBe(2);
  });

  test('a document after a ... end marker with no --- between them, which kubectl drops: here the NetworkPolicy, so the pods would be open', () => {
    // GIVEN: kubectl (1.32) applies only the Deployment of this file
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml().replace('---\n', '...\n') });
    // WHEN
    const { code, err } = runCli('check', dir, ...TODAY);
    // THEN
    expect(err).toContain(`${join(dir, 'api.yaml')}:34: a document that follows another without a --- line between them (after a ... end marker): `
      + 'kubectl splits documents only at ---, and drops this one or stops there; separate documents with ---');
    expect(code).toBe(2);
  });

  test.each([
    ['a part that opens with an end marker (go-yaml: did not find expected node content)', (yaml: string) => yaml.replace('---\n', '---\n...\n'), ':35: a document that follows another'],
    ['a file that starts with { (JSON to kubectl, which stops at the first ---)', (yaml: string) => `${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' } })}\n---\n${yaml}`,
      ':2: a --- between JSON objects: kubectl reads a file that starts with { as JSON, and stops there'],
  ])('%s is refused: the NetworkPolicy after it would never be applied', (_, edit, message) => {
    const dir = writeFiles({ 'api.yaml': edit(hardenedDeploymentYaml()) });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'api.yaml')}${message}`);
    expect(code).toBe(2);
  });

  test('an end marker, a comment or a directive before the next ---, and a --- with a comment after it (with or without a space), read as kubectl reads them', () => {
    for (const between of ['... # end\n# the policy\n---\n', '...\n%YAML 1.1\n---\n', '--- # the policy\n', '---# the policy\n']) {
      const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml().replace('---\n', between) });
      const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
      expect([between, code, controlsOf(out).NETWORK_ISOLATION.state]).toEqual([between, 0, 'enforced']);
    }
  });

  test('a %YAML directive other than 1.1', () => {
    const dir = writeFiles({ 'api.yaml': `%YAML 1.2\n---\n${hardenedDeploymentYaml()}` });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'api.yaml')}:3: %YAML 1.2: kubectl reads YAML 1.1 only; remove the directive`);
    expect(code).toBe(2);
  });
});
