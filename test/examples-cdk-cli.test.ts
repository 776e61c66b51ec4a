// `cdk synth` on the ECS example, as a user runs it from examples/ecs with its cdk.json.
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

test('cdk synth works on the ECS example', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cdk-'));
  const cdk = join(__dirname, '..', 'node_modules', '.bin', 'cdk');
  const run = spawnSync(cdk, ['synth', '--quiet', '--no-notices', '--output', outdir], {
    cwd: join(__dirname, '..', 'examples', 'ecs'),
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  // The CLI logs to stderr, or to stdout when CI=true (as on the CI machine).
  expect(`${run.stdout}${run.stderr}`).toContain(`Successfully synthesized to ${outdir}`);
  expect(run.status).toBe(0);
  const template = JSON.parse(readFileSync(join(outdir, 'SecureServices.template.json'), 'utf8'));
  expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ECS::TaskDefinition')).toHaveLength(3);
  expect(existsSync(join(outdir, 'AcmePayments.template.json'))).toBe(true);
}, 120_000);
