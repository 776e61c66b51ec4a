/**
 * A task definition that reads differently under a template's conditions is reported once per distinct
 * reading, named with only the conditions that decide it, and counted once.
 */
import { hardenedTaskDefinition, runCli, writeFiles } from './fixtures';

const TODAY = ['--today', '2026-11-28'];

/** A hardened Fargate task definition, with `container` merged into its container. */
const ptraceWhen = (condition: unknown) => ({ LinuxParameters: { Capabilities: { Drop: ['ALL'], Add: { 'Fn::If': [condition, ['SYS_PTRACE'], { Ref: 'AWS::NoValue' }] } } } });

/** Each workload as [name, state of the control], the template's path left out of the names. */
function readings(out: string, control: string): string[][] {
  return JSON.parse(out).workloads.map((w: any) => [w.name.replace(/ of \S+shop\.template\.json/g, ''), w.controls.find((c: any) => c.control === control).state]);
}

test('each reading names only the conditions that decide it, and the summary counts task definitions', () => {
  // GIVEN: Debug decides Api's capabilities; IsProd decides Worker's root filesystem
  const template = {
    Conditions: { Debug: { 'Fn::Equals': ['a', 'b'] }, IsProd: { 'Fn::Equals': ['a', 'a'] } },
    Resources: {
      Api: hardenedTaskDefinition(ptraceWhen('Debug')),
      Worker: hardenedTaskDefinition({ ReadonlyRootFilesystem: { 'Fn::If': ['IsProd', true, false] } }),
    },
  };
  const dir = writeFiles({ 'shop.template.json': JSON.stringify(template) });
  // WHEN
  const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
  // THEN
  expect(readings(out, 'DROP_ALL_CAPABILITIES')).toEqual([
    ['Api (when condition Debug is false)', 'enforced'],
    ['Api (when condition Debug is true)', 'violated'],
    ['Worker (when condition IsProd is false)', 'enforced'],
    ['Worker (when condition IsProd is true)', 'enforced'],
  ]);
  expect(readings(out, 'READ_ONLY_ROOT_FILESYSTEM').slice(2)).toEqual([
    ['Worker (when condition IsProd is false)', 'violated'],
    ['Worker (when condition IsProd is true)', 'enforced'],
  ]);
  expect(JSON.parse(out).summary).toMatchObject({ workloads: 2, violations: 2 });
  expect(runCli('check', dir, ...TODAY).out).toContain('2 workload(s): 2 violation(s)');
  expect(code).toBe(1);
});

test('a condition that changes nothing the report shows (a log level) leaves the task definition one reading, counted once', () => {
  const template = {
    Conditions: { On: { 'Fn::Equals': ['a', 'b'] } },
    Resources: { Api: hardenedTaskDefinition({ Privileged: true, Environment: [{ Name: 'MODE', Value: { 'Fn::If': ['On', 'debug', 'prod'] } }] }) },
  };
  const dir = writeFiles({ 'shop.template.json': JSON.stringify(template) });
  const { out } = runCli('check', dir, '--format', 'json', ...TODAY);
  expect(readings(out, 'NOT_PRIVILEGED')).toEqual([['Api', 'violated']]);
  expect(JSON.parse(out).summary).toMatchObject({ workloads: 1, violations: 2 });
});

test('a reading that no single condition value picks out is named with each combination that gives it', () => {
  // GIVEN: SYS_PTRACE is added when exactly one of A and B is true
  const xor = { 'Fn::If': ['A', { 'Fn::If': ['B', [], ['SYS_PTRACE']] }, { 'Fn::If': ['B', ['SYS_PTRACE'], []] }] };
  const template = {
    Conditions: { A: { 'Fn::Equals': ['a', 'b'] }, B: { 'Fn::Equals': ['a', 'a'] }, Unused: { 'Fn::Equals': ['a', 'c'] } },
    Resources: { Task: hardenedTaskDefinition({ LinuxParameters: { Capabilities: { Drop: ['ALL'], Add: xor } }, Essential: { 'Fn::If': ['Unused', true, true] } }) },
  };
  const dir = writeFiles({ 'shop.template.json': JSON.stringify(template) });
  // WHEN
  const { out } = runCli('check', dir, '--format', 'json', ...TODAY);
  // THEN: the condition that changes nothing is left out
  expect(readings(out, 'DROP_ALL_CAPABILITIES')).toEqual([
    ['Task (when condition A is false, condition B is false; or when condition A is true, condition B is true)', 'enforced'],
    ['Task (when condition A is true, condition B is false; or when condition A is false, condition B is true)', 'violated'],
  ]);
  expect(JSON.parse(out).summary.workloads).toBe(1);
});

test('an exemption one reading uses is in force in the others, with no warning to remove it', () => {
  // GIVEN: SYS_PTRACE only when Debug, exempted
  const exemption = { control: 'DROP_ALL_CAPABILITIES', justification: 'the profiler attaches to the app process while debugging' };
  const template = {
    Conditions: { Debug: { 'Fn::Equals': ['a', 'b'] } },
    Resources: { Api: { ...hardenedTaskDefinition(ptraceWhen('Debug')), Metadata: { 'secure-service:exemptions': [exemption] } } },
  };
  const dir = writeFiles({ 'shop.template.json': JSON.stringify(template) });
  // WHEN
  const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
  // THEN
  const report = JSON.parse(out.replace(/ of \S+shop\.template\.json/g, ''));
  expect(report.workloads.map((w: any) => [w.name, w.exemptions.map((e: any) => [e.status, e.statusReasons])])).toEqual([
    ['Api (when condition Debug is false)', [['in-force', ['covers nothing in this reading, and covers findings when condition Debug is true']]]],
    ['Api (when condition Debug is true)', [['in-force', []]]],
  ]);
  expect(report.workloads.flatMap((w: any) => w.exemptionProblems)).toEqual([]);
  expect(report.summary).toMatchObject({ workloads: 1, violations: 0, exempted: 1, warnings: 0 });
  expect(runCli('check', dir, ...TODAY).out.replace(/ of \S+shop\.template\.json/g, '')).toContain(
    'exemption of DROP_ALL_CAPABILITIES (every container): in force, no expiry, covers nothing in this reading, and covers findings when condition Debug is true',
  );
  expect(code).toBe(0);
});

test('an exemption no reading uses is still reported unused in each', () => {
  const exemption = { control: 'NOT_PRIVILEGED', justification: 'the profiler attaches to the app process while debugging' };
  const template = {
    Conditions: { Debug: { 'Fn::Equals': ['a', 'b'] } },
    Resources: { Api: { ...hardenedTaskDefinition(ptraceWhen('Debug')), Metadata: { 'secure-service:exemptions': [exemption] } } },
  };
  const report = JSON.parse(runCli('check', writeFiles({ 'shop.template.json': JSON.stringify(template) }), '--format', 'json', ...TODAY).out);
  expect(report.workloads.map((w: any) => w.exemptions[0].status)).toEqual(['unused', 'unused']);
  expect(report.workloads.flatMap((w: any) => w.exemptionProblems.map((p: any) => p.message))).toEqual([
    'exemptions[0] (NOT_PRIVILEGED) on Api: unused, nothing weakens NOT_PRIVILEGED here; remove the exemption',
    'exemptions[0] (NOT_PRIVILEGED) on Api: unused, nothing weakens NOT_PRIVILEGED here; remove the exemption',
  ]);
  // One exemption of one task definition: one warning
  expect(report.summary).toMatchObject({ workloads: 1, violations: 1, warnings: 1 });
});

test('a finding every reading shares is counted once in the summary', () => {
  // GIVEN: privileged always; SYS_PTRACE only when Debug
  const template = {
    Conditions: { Debug: { 'Fn::Equals': ['a', 'b'] } },
    Resources: { Api: hardenedTaskDefinition({ ...ptraceWhen('Debug'), Privileged: true }) },
  };
  const dir = writeFiles({ 'shop.template.json': JSON.stringify(template) });
  const report = JSON.parse(runCli('check', dir, '--format', 'json', ...TODAY).out);
  expect(readings(JSON.stringify(report), 'NOT_PRIVILEGED')).toEqual([
    ['Api (when condition Debug is false)', 'violated'],
    ['Api (when condition Debug is true)', 'violated'],
  ]);
  // NOT_PRIVILEGED and DROP_ALL_CAPABILITIES (privileged gives every capability) in both, SYS_PTRACE in one
  const violations = report.workloads.map((w: any) => w.controls.flatMap((c: any) => c.findings.filter((f: any) => f.status === 'violated' && f.severity === 'error')).length);
  expect(report.summary.violations).toBe(Math.max(...violations));
  expect(violations[0]).toBeLessThan(violations[1]);
});
