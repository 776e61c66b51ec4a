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
