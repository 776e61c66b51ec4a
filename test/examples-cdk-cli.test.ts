// `cdk synth` on the ECS example, as a user runs it from examples/ecs with its cdk.json.
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
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

// The CLI runs the app with the context @aws-cdk/core:failSynthOnValidationErrors set to false and fails on
// the validation report itself: a weakened service must still fail `cdk synth`, with the finding.
test('cdk synth fails on a service weakened after construction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secure-service-cdk-weak-'));
  const repo = join(__dirname, '..');
  writeFileSync(join(dir, 'app.ts'), [
    'import { App, Stack, aws_ec2 as ec2, aws_ecs as ecs } from \'aws-cdk-lib\';',
    `import { ecs as secure } from ${JSON.stringify(join(repo, 'lib'))};`,
    'const app = new App();',
    'const stack = new Stack(app, \'Weak\');',
    'const vpc = ec2.Vpc.fromVpcAttributes(stack, \'Vpc\', { vpcId: \'vpc-0123456789abcdef0\', availabilityZones: [\'eu-west-1a\'], privateSubnetIds: [\'subnet-0aaaaaaaaaaaaaaa1\'] });',
    'const svc = new secure.SecureService(stack, \'Api\', { image: \'ghcr.io/acme/api:1.4.2\', cluster: new ecs.Cluster(stack, \'Cluster\', { vpc }), containerPort: 8080 });',
    '(svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride(\'ContainerDefinitions.0.User\', \'0:0\');',
    'app.synth();',
  ].join('\n'));
  const app = `${join(repo, 'node_modules', '.bin', 'ts-node')} --transpile-only --project ${join(repo, 'examples', 'tsconfig.json')} app.ts`;
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app }));
  const run = spawnSync(join(repo, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--output', join(dir, 'out')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', NODE_PATH: join(repo, 'node_modules') },
  });
  expect(`${run.stdout}${run.stderr}`).toContain('ERROR [RUN_AS_NON_ROOT] Weak/Api/TaskDefinition container \'app\': the group is 0 (root)');
  expect(run.status).not.toBe(0);
}, 120_000);
