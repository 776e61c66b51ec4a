import { secureContainer, secureWorkload, TODAY } from './fixtures';
import { CONTROL_CATALOG, Control, DEFAULT_POLICY, assessWorkload, buildPostureReport, renderMarkdown, renderSarif, reportFails } from '../../lib/core';

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

test('the SARIF log is SARIF 2.1.0 with one rule per control and exemptions as suppressions', () => {
  const sarif = JSON.parse(JSON.stringify(renderSarif(sampleReport())));
  expect(sarif.version).toBe('2.1.0');
  const [run] = sarif.runs;
  expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(CONTROL_CATALOG.map((c) => c.id));
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
