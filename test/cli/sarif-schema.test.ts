/**
 * The SARIF the CLI writes, validated against the SARIF 2.1.0 schema (OASIS, as shipped by Microsoft's
 * `@microsoft/jest-sarif`): violations, exempted findings (suppressions), invalid and unused exemptions
 * (results of their own), and file locations whose paths need encoding.
 */
import '@microsoft/jest-sarif';
import { join, relative } from 'path';
import { exemptionAnnotation, hardenedDeploymentYaml, hostPidDeploymentYaml, runCli, writeFiles } from './fixtures';

const TODAY = ['--today', '2026-11-28'];

function everyKindOfResult(): string {
  return writeFiles({
    'with space/violated.yaml': hostPidDeploymentYaml(),
    'with space/expired exemption.yaml': hostPidDeploymentYaml(exemptionAnnotation({ control: 'NO_HOST_NAMESPACES', expires: '2026-11-01' })),
    'with space/exempted#1.yaml': hostPidDeploymentYaml(exemptionAnnotation({ control: 'NO_HOST_NAMESPACES' })),
    'with space/unused exemption.yaml': hardenedDeploymentYaml(exemptionAnnotation({ control: 'NOT_PRIVILEGED' })),
  });
}

test.each([
  ['absolute', (dir: string) => join(dir, 'with space')],
  ['relative', (dir: string) => relative(process.cwd(), join(dir, 'with space'))],
])('the report is a valid SARIF 2.1.0 log, with %s paths', (_, pathOf) => {
  const { out } = runCli('check', pathOf(everyKindOfResult()), '--format', 'sarif', ...TODAY);
  const log = JSON.parse(out);
  // The run holds what the schema is asked to judge: each kind of result, and suppressed ones.
  const ruleIds = new Set(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId));
  expect([...ruleIds].sort()).toEqual(['EXEMPTION_WARNING', 'INVALID_EXEMPTION', 'NO_HOST_NAMESPACES']);
  expect(log.runs[0].results.some((r: { suppressions?: unknown[] }) => r.suppressions?.length)).toBe(true);
  expect(log).toBeValidSarifLog();
});

test('the validator rejects what the schema forbids: a raw path with a space as a URI', () => {
  const { out } = runCli('check', join(everyKindOfResult(), 'with space'), '--format', 'sarif', ...TODAY);
  const log = JSON.parse(out);
  log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'with space/violated.yaml';
  expect(log).not.toBeValidSarifLog();
});
