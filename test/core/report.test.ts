import { secureContainer, secureWorkload, TODAY } from './fixtures';
import { CONTROL_CATALOG, Control, DEFAULT_POLICY, assessWorkload, buildPostureReport, fileUri, renderMarkdown, renderSarif, reportFails, summaryLine } from '../../lib/core';

const WHY = 'Fluent Bit reads the node journal as root; image pinned by digest';

function sampleReport() {
  const ecs = secureWorkload('ecs-fargate', {
    containers: [secureContainer('ecs-fargate'), secureContainer('ecs-fargate', { name: 'log-router', users: [{ value: { uid: 0, gid: 0 }, at: 'ContainerDefinitions[1].User' }] })],
  });
  const k8s = secureWorkload('kubernetes', { hostNamespaces: [{ value: 'pid', at: 'spec.hostPID' }], file: 'manifests/api.yaml' });
  return buildPostureReport([
    assessWorkload(ecs, [{ control: Control.RUN_AS_NON_ROOT, justification: WHY, container: 'log-router', expires: '2027-02-01', ticket: 'SEC-7' }], DEFAULT_POLICY, TODAY),
    assessWorkload(k8s, [], DEFAULT_POLICY, TODAY),
  ], TODAY);
}

test('the JSON report gives every control of every workload a state', () => {
  const report = JSON.parse(JSON.stringify(sampleReport()));
  expect(report.date).toBe('2026-11-28');
  expect(report.summary).toEqual({ workloads: 2, violations: 1, exempted: 2, warnings: 0, exemptionErrors: 0 });
  const [ecs, k8s] = report.workloads;
  expect(ecs.controls).toHaveLength(CONTROL_CATALOG.length);
  const state = (w: any, control: string) => w.controls.find((c: any) => c.control === control).state;
  expect(state(ecs, Control.RUN_AS_NON_ROOT)).toBe('exempted');
  expect(state(ecs, Control.READ_ONLY_ROOT_FILESYSTEM)).toBe('enforced');
  expect(state(ecs, Control.NO_SERVICE_ACCOUNT_TOKEN)).toBe('not-applicable');
  expect(state(k8s, Control.NO_HOST_NAMESPACES)).toBe('violated');
  expect(reportFails(report)).toBe(true);
});

test('the Markdown report has a table per workload with exemption dates and tickets', () => {
  const markdown = renderMarkdown(sampleReport());
  expect(markdown).toContain('## Stack/Api/TaskDefinition');
  expect(markdown).toContain('| RUN_AS_NON_ROOT | exempted until 2027-02-01 (SEC-7) | log-router: the user is 0 (root); log-router: the group is 0 (root) |');
  expect(markdown).toContain('| NO_HOST_NAMESPACES | violated | the workload shares the host\'s pid namespace |');
  expect(markdown).toContain('| LOGGING | n/a |  |');
  expect(markdown).toContain(`| RUN_AS_NON_ROOT | log-router | ${WHY} | 2027-02-01 | SEC-7 |`);
});

test('a Markdown row with a violation marks which of its findings are exempted', () => {
  // GIVEN: the app container is root (not exempted), the log router too (exempted)
  const root = (i: number) => ({ users: [{ value: { uid: 0, gid: 1000 }, at: `ContainerDefinitions[${i}].User` }] });
  const ecs = secureWorkload('ecs-fargate', {
    containers: [secureContainer('ecs-fargate', root(0)), secureContainer('ecs-fargate', { name: 'log-router', ...root(1) })],
  });
  const exemption = { control: Control.RUN_AS_NON_ROOT, justification: WHY, container: 'log-router' };
  // WHEN
  const markdown = renderMarkdown(buildPostureReport([assessWorkload(ecs, [exemption], DEFAULT_POLICY, TODAY)], TODAY));
  // THEN
  expect(markdown).toContain('| RUN_AS_NON_ROOT | violated | app: the user is 0 (root); log-router: the user is 0 (root) (exempted) |');
});

test('the SARIF log is SARIF 2.1.0 with one rule per control and exemptions as suppressions', () => {
  const sarif = JSON.parse(JSON.stringify(renderSarif(sampleReport())));
  expect(sarif.version).toBe('2.1.0');
  const [run] = sarif.runs;
  expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual([...CONTROL_CATALOG.map((c) => c.id), 'INVALID_EXEMPTION', 'EXEMPTION_WARNING', 'UNREAD_CONTAINERS']);
  expect(run.tool.driver.rules.find((r: any) => r.id === Control.IMAGE_PINNED).defaultConfiguration.level).toBe('warning');
  expect(run.results).toHaveLength(3);
  const suppressed = run.results.filter((r: any) => r.suppressions);
  expect(suppressed).toHaveLength(2);
  expect(suppressed[0]).toMatchObject({
    ruleId: 'RUN_AS_NON_ROOT',
    ruleIndex: 0,
    level: 'error',
    suppressions: [{ kind: 'external', status: 'accepted', justification: WHY }],
    locations: [{ logicalLocations: [{ fullyQualifiedName: 'Stack/Api/TaskDefinition/log-router' }] }],
  });
  const violated = run.results.find((r: any) => !r.suppressions);
  expect(violated).toMatchObject({ ruleId: 'NO_HOST_NAMESPACES', ruleIndex: 6, locations: [{ physicalLocation: { artifactLocation: { uri: 'manifests/api.yaml' } } }] });
});

test('a clean report does not fail', () => {
  const report = buildPostureReport([assessWorkload(secureWorkload('kubernetes'), [], DEFAULT_POLICY, TODAY)], TODAY);
  expect(reportFails(report)).toBe(false);
  expect(report.workloads[0].controls.every((c) => ['enforced', 'not-applicable'].includes(c.state))).toBe(true);
});

/** The cells of a Markdown table row as GitHub splits them: a backslash escapes the next character, an unescaped pipe ends a cell. */
function gfmCells(row: string): string[] {
  return [...row.trim().replace(/^\|/, '').matchAll(/((?:\\.|[^\\|])*)\|/g)].map((m) => m[1].trim());
}

describe('exemptions in the report', () => {
  const k8s = secureWorkload('kubernetes', { hostNamespaces: [{ value: 'pid', at: 'spec.hostPID' }], file: 'manifests/api.yaml' });

  test('the summary counts invalid exemptions, not their problems', () => {
    const twoProblems = { control: Control.NO_HOST_NAMESPACES, justification: 'TBD', expires: '2020-01-01' };
    const oneProblem = { control: Control.NO_PRIVILEGE_ESCALATION, justification: WHY, expires: '2020-01-01' };
    const assessment = assessWorkload(k8s, [twoProblems, oneProblem], DEFAULT_POLICY, TODAY);
    expect(assessment.exemptionProblems.filter((p) => p.severity === 'error')).toHaveLength(3);
    const report = buildPostureReport([assessment], TODAY);
    expect(report.summary.exemptionErrors).toBe(2);
    expect(report.workloads[0].exemptionProblems.map((p) => [p.index, p.control])).toEqual([
      [0, 'NO_HOST_NAMESPACES'], [0, 'NO_HOST_NAMESPACES'], [1, 'NO_PRIVILEGE_ESCALATION'],
    ]);
    expect(renderMarkdown(report)).toContain('1 workload(s): 1 violation(s), 0 exempted finding(s), 0 warning(s), 2 invalid exemption(s), 0 input(s) not read.');
    expect(reportFails(report)).toBe(true);
  });

  test('exemptions whose record could not be read count one each', () => {
    const report = buildPostureReport([{ ...assessWorkload(k8s, [], DEFAULT_POLICY, TODAY), recordProblems: ['annotation a is not a list', 'annotation b is not a list'] }], TODAY);
    expect(report.summary.exemptionErrors).toBe(2);
  });

  test('Markdown escapes every cell that comes from user input', () => {
    const covering = { control: Control.NO_HOST_NAMESPACES, justification: 'Node exporter reads \\| host /proc | needed for metrics', expires: '2027-01-31', ticket: 'SEC-1|OPS-2' };
    const oddContainer = { control: Control.IMAGE_PINNED, justification: WHY, expires: '2027-01-31|x', container: 'side|car' };
    const markdown = renderMarkdown(buildPostureReport([assessWorkload(k8s, [covering, oddContainer], DEFAULT_POLICY, TODAY)], TODAY));
    const row = (start: string) => markdown.split('\n').find((l) => l.startsWith(start))!;

    const first = row('| NO_HOST_NAMESPACES | (all) |');
    expect(first).toBe('| NO_HOST_NAMESPACES | (all) | Node exporter reads \\\\\\| host /proc \\| needed for metrics | 2027-01-31 | SEC-1\\|OPS-2 | in force |');
    expect(gfmCells(first)).toEqual(['NO_HOST_NAMESPACES', '(all)', 'Node exporter reads \\\\\\| host /proc \\| needed for metrics', '2027-01-31', 'SEC-1\\|OPS-2', 'in force']);
    expect(gfmCells(row('| IMAGE_PINNED | side'))).toEqual(['IMAGE_PINNED', 'side\\|car', WHY, '2027-01-31\\|x', '', expect.stringMatching(/^invalid: exemptions\[1\] \(IMAGE_PINNED, container 'side\\\|car'\): expires must be an ISO date/)]);
    expect(gfmCells(row('| NO_HOST_NAMESPACES | exempted'))).toEqual(['NO_HOST_NAMESPACES', 'exempted until 2027-01-31 (SEC-1\\|OPS-2)', 'the workload shares the host\'s pid namespace']);
  });

  test('SARIF gives an invalid exemption an error result, an unused one a warning, at the workload\'s file', () => {
    const expired = { control: Control.NO_HOST_NAMESPACES, justification: WHY, expires: '2026-01-01', container: 'app' };
    const unused = { control: Control.NOT_PRIVILEGED, justification: WHY };
    const sarif = JSON.parse(JSON.stringify(renderSarif(buildPostureReport([assessWorkload(k8s, [expired, unused], DEFAULT_POLICY, TODAY)], TODAY))));
    const [run] = sarif.runs;
    const exemptionResults = run.results.filter((r: any) => r.ruleId.includes('EXEMPTION'));
    expect(exemptionResults).toEqual([
      {
        ruleId: 'INVALID_EXEMPTION',
        ruleIndex: CONTROL_CATALOG.length,
        level: 'error',
        message: { text: expect.stringMatching(/^Deployment\/default\/api: exemptions\[0\] \(NO_HOST_NAMESPACES, container 'app'\): expired on 2026-01-01/) },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'manifests/api.yaml' } }, logicalLocations: [{ fullyQualifiedName: 'Deployment/default/api/app', kind: 'resource' }] }],
        properties: { control: 'NO_HOST_NAMESPACES', exemptionIndex: 0 },
      },
      expect.objectContaining({
        ruleId: 'EXEMPTION_WARNING',
        ruleIndex: CONTROL_CATALOG.length + 1,
        level: 'warning',
        message: { text: expect.stringMatching(/^exemptions\[1\] \(NOT_PRIVILEGED\) on Deployment\/default\/api: unused/) },
      }),
    ]);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });
});

test.each([
  ['manifests/api.yaml', 'manifests/api.yaml'],
  ['dir with space/host pid.yaml', 'dir%20with%20space/host%20pid.yaml'],
  ['../out/#1?.yaml', '../out/%231%3F.yaml'],
  ['a:b/c.yaml', 'a%3Ab/c.yaml'],
  ['manifests\\api.yaml', 'manifests/api.yaml'],
  ['/tmp/dir with space/api.yaml', 'file:///tmp/dir%20with%20space/api.yaml'],
  ['C:\\work\\my app\\api.yaml', 'file:///C:/work/my%20app/api.yaml'],
  ['\\\\server\\share\\api.yaml', 'file://server/share/api.yaml'],
  ['cdk.out/Stäck.template.json', 'cdk.out/St%C3%A4ck.template.json'],
])('the SARIF artifact URI of %j is %j', (path, uri) => {
  expect(fileUri(path)).toBe(uri);
});

describe('what the report covers', () => {
  const k8s = secureWorkload('kubernetes', { hostNamespaces: [{ value: 'pid', at: 'spec.hostPID' }], file: 'manifests/api.yaml' });
  const unread = [{ file: 'manifests/worker.yaml', line: 12, reason: 'invalid YAML (bad indentation)' }, { file: 'dist', reason: 'found nothing to check' }];

  test('inputs that could not be read are in the report, fail it, and make the SARIF run unsuccessful', () => {
    const report = buildPostureReport([assessWorkload(secureWorkload('kubernetes'), [], DEFAULT_POLICY, TODAY)], TODAY, unread);
    expect(JSON.parse(JSON.stringify(report)).unreadInputs).toEqual(unread);
    expect(reportFails(report)).toBe(true);
    const [run] = JSON.parse(JSON.stringify(renderSarif(report))).runs;
    expect(run.invocations).toEqual([{
      executionSuccessful: false,
      toolExecutionNotifications: [
        { level: 'error', message: { text: 'not read, so not checked: manifests/worker.yaml:12: invalid YAML (bad indentation)' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'manifests/worker.yaml' }, region: { startLine: 12 } } }] },
        { level: 'error', message: { text: 'not read, so not checked: dist: found nothing to check' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'dist' } } }] },
      ],
    }]);
    expect(renderMarkdown(report)).toContain('## Inputs not read\n\nThe report does not cover these: fix them and check again.\n\n- manifests/worker.yaml:12: invalid YAML (bad indentation)\n- dist: found nothing to check\n');
  });

  test('a workload reported once per reading of its conditions is counted once', () => {
    const reading = (name: string) => ({ ...assessWorkload(secureWorkload('ecs-fargate', { name }), [], DEFAULT_POLICY, TODAY), workloadKey: 'shop.template.json\0Task' });
    const report = buildPostureReport([reading('Task (when condition A is true)'), reading('Task (when condition A is false)')], TODAY);
    expect(report.summary.workloads).toBe(1);
    expect(report.workloads).toHaveLength(2);
  });

  test('an exemption that stands for an acknowledgement says where it was made', () => {
    const acknowledged = { control: Control.NO_HOST_NAMESPACES, justification: WHY };
    const assessment = { ...assessWorkload(k8s, [acknowledged], DEFAULT_POLICY, TODAY), acknowledgements: [{ index: 0, path: 'Shop/Api' }] };
    const report = buildPostureReport([assessment], TODAY);
    expect(report.workloads[0].exemptions).toEqual([{ ...acknowledged, status: 'in-force', statusReasons: [], acknowledgedAt: 'Shop/Api' }]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| NO_HOST_NAMESPACES | exempted by acknowledgement at Shop/Api (no expiry) |');
    expect(markdown).toContain(`| NO_HOST_NAMESPACES | (all) | ${WHY} | never |  | in force (by acknowledgement at Shop/Api) |`);
  });
});

test('a report an earlier version wrote, without unreadContainers, renders in every format', () => {
  const { unreadContainers, ...earlier } = JSON.parse(JSON.stringify(sampleReport()));
  expect(unreadContainers).toEqual([]);
  expect(summaryLine(earlier)).toBe('2 workload(s): 1 violation(s), 2 exempted, 0 warning(s), 0 invalid exemption(s), 0 input(s) not read');
  expect(renderMarkdown(earlier)).toContain('## Stack/Api/TaskDefinition');
  expect((renderSarif(earlier) as any).runs[0].results).toHaveLength(3);
});
