/**
 * What the report artifact says, in every format: the inputs it could not read (so an archived report
 * never looks like a complete scan when it is not), and where each exemption stands.
 */
import '@microsoft/jest-sarif';
import { readFileSync } from 'fs';
import { join } from 'path';
import { exemptionAnnotation, hardenedDeploymentYaml, hostPidDeploymentYaml, runCli, writeFiles } from './fixtures';

const TODAY = ['--today', '2026-11-28'];

/** A clean Deployment, and a weakened one that cannot be read: a mis-indented line (line 12) hides its hostPID. */
function partialScan(): { dir: string; unread: string } {
  const broken = hostPidDeploymentYaml().replace('      labels: { app: api }\n', '      labels: { app: api }\n     bad: indentation\n').replace(/name: api/g, 'name: worker');
  const dir = writeFiles({ 'good.yaml': hardenedDeploymentYaml(), 'worker.yaml': broken });
  return { dir, unread: join(dir, 'worker.yaml') };
}

describe('inputs that could not be read are part of the report', () => {
  test('SARIF: the run is not successful, and names the file and line in a notification', () => {
    const { dir, unread } = partialScan();
    const file = join(dir, 'posture.sarif');
    const { code, out } = runCli('check', dir, '--format', 'sarif', '--output', file, ...TODAY);
    const log = JSON.parse(readFileSync(file, 'utf8'));
    expect(log.runs[0].invocations).toEqual([{
      executionSuccessful: false,
      toolExecutionNotifications: [{
        level: 'error',
        message: { text: expect.stringMatching(new RegExp(`^not read, so not checked: ${unread}:12: invalid YAML \\(`)) },
        locations: [{ physicalLocation: { artifactLocation: { uri: `file://${unread}` }, region: { startLine: 12 } } }],
      }],
    }]);
    expect(log).toBeValidSarifLog();
    expect(out).toBe(`${file}: 1 workload(s): 0 violation(s), 0 exempted, 0 warning(s), 0 invalid exemption(s), 1 input(s) not read\n`);
    expect(code).toBe(2);
  });

  test('JSON: unreadInputs lists file, line and reason', () => {
    const { dir, unread } = partialScan();
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    expect(JSON.parse(out).unreadInputs).toEqual([{ file: unread, line: 12, reason: expect.stringMatching(/^invalid YAML \(All mapping items must start at the same column/) }]);
    expect(code).toBe(2);
  });

  test('Markdown and the table: a section of their own, and the count in the summary', () => {
    const { dir, unread } = partialScan();
    const markdown = runCli('check', dir, '--format', 'markdown', ...TODAY).out;
    expect(markdown).toContain(`## Inputs not read\n\nThe report does not cover these: fix them and check again.\n\n- ${unread}:12: invalid YAML (`);
    expect(markdown).toContain('1 workload(s): 0 violation(s), 0 exempted finding(s), 0 warning(s), 0 invalid exemption(s), 1 input(s) not read.');
    const table = runCli('check', dir, ...TODAY).out;
    expect(table).toContain(`not read, so not checked:\n  ${unread}:12: invalid YAML (`);
    expect(table).toContain('1 input(s) not read');
  });

  test('a complete scan says so: SARIF successful, JSON unreadInputs empty', () => {
    const dir = writeFiles({ 'api.yaml': hardenedDeploymentYaml() });
    const sarif = JSON.parse(runCli('check', dir, '--format', 'sarif', ...TODAY).out);
    expect(sarif.runs[0].invocations).toEqual([{ executionSuccessful: true }]);
    expect(JSON.parse(runCli('check', dir, '--format', 'json', ...TODAY).out).unreadInputs).toEqual([]);
  });

  test.each([
    ['a directory with nothing to check (dist/ before cdk8s synth)', { 'package.json': '{"name": "app"}' }],
    ['an empty directory', {}],
  ])('%s: exit 2, and the report says why', (_, files) => {
    const dir = writeFiles(files);
    const { code, out, err } = runCli('check', dir, '--format', 'json', ...TODAY);
    const reason = 'found no CloudFormation template or Kubernetes manifest to check (is it the right directory, and was the app synthesized?)';
    expect(JSON.parse(out)).toMatchObject({ summary: { workloads: 0 }, unreadInputs: [{ file: dir, reason }] });
    expect(err).toBe(`secure-service: ${dir}: ${reason}\n`);
    expect(code).toBe(2);
  });
});

describe('each exemption the report lists has a status', () => {
  // hostPID exempted by one that expired, another in force, and NOT_PRIVILEGED exempted for nothing.
  const exemptions = `    secure-service.dev/exemptions: '${JSON.stringify([
    { control: 'NO_HOST_NAMESPACES', justification: 'Node exporter reads host process stats for the dashboards', expires: '2026-11-01', ticket: 'SEC-7' },
    { control: 'NO_HOST_NAMESPACES', justification: 'Node exporter reads host process stats for the dashboards', container: 'api', expires: '2027-06-30' },
    { control: 'NOT_PRIVILEGED', justification: 'Node exporter reads host process stats for the dashboards', ticket: 'SEC-8' },
  ])}'\n`;
  const dir = writeFiles({ 'api.yaml': hostPidDeploymentYaml(exemptions) });

  test('JSON: status and the reasons for it', () => {
    const [workload] = JSON.parse(runCli('check', dir, '--format', 'json', ...TODAY).out).workloads;
    expect(workload.exemptions.map((e: any) => [e.control, e.status, e.statusReasons])).toEqual([
      ['NO_HOST_NAMESPACES', 'invalid', [expect.stringMatching(/^exemptions\[0\] \(NO_HOST_NAMESPACES\): expired on 2026-11-01/)]],
      // hostPID is workload-wide: an exemption of one container does not cover it
      ['NO_HOST_NAMESPACES', 'unused', [expect.stringMatching(/^exemptions\[1\] \(NO_HOST_NAMESPACES, container 'api'\) on Deployment\/shop\/api: unused: it names container 'api'/)]],
      ['NOT_PRIVILEGED', 'unused', [expect.stringMatching(/^exemptions\[2\] \(NOT_PRIVILEGED\) on Deployment\/shop\/api: unused, nothing weakens NOT_PRIVILEGED here/)]],
    ]);
  });

  test('Markdown: a status column', () => {
    const markdown = runCli('check', dir, '--format', 'markdown', ...TODAY).out;
    expect(markdown).toContain('| Exemption for control | Container | Justification | Expires | Ticket | Status |');
    expect(markdown).toContain('| NO_HOST_NAMESPACES | (all) | Node exporter reads host process stats for the dashboards | 2026-11-01 | SEC-7 | invalid: exemptions[0] (NO_HOST_NAMESPACES): expired on 2026-11-01');
    expect(markdown).toContain('| NOT_PRIVILEGED | (all) | Node exporter reads host process stats for the dashboards | never | SEC-8 | unused: exemptions[2] (NOT_PRIVILEGED)');
  });

  test('the table: container, justification and status of each', () => {
    const { out } = runCli('check', dir, ...TODAY);
    expect(out).toContain([
      '  exemption of NO_HOST_NAMESPACES (every container): invalid, until 2026-11-01, ticket SEC-7',
      '    justification: Node exporter reads host process stats for the dashboards',
      '  exemption of NO_HOST_NAMESPACES (container api): unused, until 2027-06-30',
      '    justification: Node exporter reads host process stats for the dashboards',
      '  exemption of NOT_PRIVILEGED (every container): unused, no expiry, ticket SEC-8',
    ].join('\n'));
  });

  test('in force and expiring', () => {
    const soon = writeFiles({ 'api.yaml': hostPidDeploymentYaml(exemptionAnnotation({ control: 'NO_HOST_NAMESPACES', expires: '2026-12-05' })) });
    const later = writeFiles({ 'api.yaml': hostPidDeploymentYaml(exemptionAnnotation({ control: 'NO_HOST_NAMESPACES', expires: '2027-06-30' })) });
    const statusOf = (d: string) => JSON.parse(runCli('check', d, '--format', 'json', ...TODAY).out).workloads[0].exemptions[0];
    expect(statusOf(soon)).toMatchObject({ status: 'expiring', statusReasons: [expect.stringMatching(/expires on 2026-12-05, in 7 day\(s\)/)] });
    expect(statusOf(later)).toMatchObject({ status: 'in-force', statusReasons: [] });
  });

  test('the --output summary line counts warnings', () => {
    const file = join(dir, 'report.md');
    const { out } = runCli('check', dir, '--format', 'markdown', '--output', file, ...TODAY);
    expect(out).toBe(`${file}: 1 workload(s): 1 violation(s), 0 exempted, 2 warning(s), 1 invalid exemption(s), 0 input(s) not read\n`);
  });
});
