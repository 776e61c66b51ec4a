/**
 * A resource that runs containers no check reads (a stack of a template in S3, a daemon task definition)
 * is judged by the CLI as the validation plugin judged it: refused unless an acknowledgement of
 * secure-service::UNREAD_CONTAINERS with a justified reason covers it, and then listed in the report.
 */
import '@microsoft/jest-sarif';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnStack, NestedStack, Stack, Validations, aws_ec2 as ec2, aws_ecs as ecs } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { runCli } from './fixtures';
import { SecureService } from '../../lib/ecs';

const TODAY = ['--today', '2026-11-28'];
const REASON = 'Workers template reviewed by platform security in SEC-2240; it runs no containers';
const URL = 'https://s3.eu-west-1.amazonaws.com/acme-templates/workers.template.json';
const PROBLEM = `Resources.LegacyWorkers (AWS::CloudFormation::Stack) deploys a template the checks do not read (${URL}): `
  + 'no control can be proven for the containers it may run';

/** The constructs of an app holding a clean SecureService and a CfnStack of a template in S3. */
interface LegacyApp {
  readonly stack: Stack;
  readonly legacy: CfnStack;
}

/** Synthesizes the app after `acknowledge` (synthesis passes only when it acknowledges the CfnStack) and returns its directory. */
function synthesized(acknowledge: (app: LegacyApp) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-unread-'));
  const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
  const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
  new SecureService(stack, 'Api', { vpc, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
  const legacy = new CfnStack(stack, 'LegacyWorkers', { templateUrl: URL });
  acknowledge({ stack, legacy });
  app.synth();
  return outdir;
}

const acknowledged = (scope: IConstruct, reason = REASON) => Validations.of(scope).acknowledge({ id: 'secure-service::UNREAD_CONTAINERS', reason });

/** Rewrites the stack's metadata file, as someone editing the assembly after synthesis would. */
function editMetadata(outdir: string, edit: (text: string) => string): void {
  const file = join(outdir, 'Shop.metadata.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

describe('resources whose containers are not read, in a cloud assembly', () => {
  test('one acknowledged with a reason passes, and every format lists it with the reason and where it was acknowledged', () => {
    // GIVEN
    const outdir = synthesized(({ legacy }) => acknowledged(legacy));
    const template = join(outdir, 'Shop.template.json');
    // WHEN
    const table = runCli('check', outdir, ...TODAY);
    const json = JSON.parse(runCli('check', outdir, '--format', 'json', ...TODAY).out);
    const markdown = runCli('check', outdir, '--format', 'markdown', ...TODAY).out;
    const sarif = JSON.parse(runCli('check', outdir, '--format', 'sarif', ...TODAY).out);
    // THEN
    expect(json.unreadContainers).toEqual([{ file: template, resource: 'LegacyWorkers', problem: PROBLEM, justification: REASON, acknowledgedAt: 'Shop/LegacyWorkers' }]);
    expect(json.summary).toEqual({ workloads: 1, violations: 0, exempted: 0, warnings: 0, exemptionErrors: 0 });
    expect(table.out).toContain(`containers not read, so not checked, passed by acknowledgement:\n  ${template}: ${PROBLEM}; acknowledged at Shop/LegacyWorkers: ${REASON}\n`);
    expect(table.out).toContain('1 workload(s): 0 violation(s), 0 exempted, 0 warning(s), 0 invalid exemption(s), 0 input(s) not read, '
      + '1 acknowledged resource(s) with containers not read');
    expect(markdown).toContain('## Containers not read (acknowledged)');
    expect(markdown).toContain(`| ${template} | LegacyWorkers | ${PROBLEM} | Shop/LegacyWorkers | ${REASON} |`);
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'UNREAD_CONTAINERS');
    expect(result).toMatchObject({ level: 'error', message: { text: PROBLEM }, locations: [{ logicalLocations: [{ fullyQualifiedName: 'LegacyWorkers' }] }] });
    expect(result.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: REASON, properties: { acknowledgedAt: 'Shop/LegacyWorkers' } }]);
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('UNREAD_CONTAINERS');
    expect(sarif).toBeValidSarifLog();
    expect(table.code).toBe(0);
  });

  test('one acknowledged on its stack: the closest acknowledgement up the construct path, as CDK picks it', () => {
    const outdir = synthesized(({ stack }) => acknowledged(stack));
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    expect(JSON.parse(out).unreadContainers).toMatchObject([{ resource: 'LegacyWorkers', acknowledgedAt: 'Shop' }]);
    expect(code).toBe(0);
  });

  test('a daemon task definition in a NestedStack, acknowledged there, is read with its parent and listed', () => {
    const outdir = synthesized(({ stack, legacy }) => {
      acknowledged(legacy);
      const inner = new NestedStack(stack, 'Agents');
      acknowledged(new ecs.CfnDaemonTaskDefinition(inner, 'Agent', { containerDefinitions: [{ name: 'agent', image: 'datadog/agent:7', privileged: true }] }),
        'Datadog agent daemon reviewed by platform security in SEC-2231');
    });
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    expect(JSON.parse(out).unreadContainers).toMatchObject([
      { resource: 'LegacyWorkers', acknowledgedAt: 'Shop/LegacyWorkers' },
      { file: expect.stringMatching(/ShopAgents\w+\.nested\.template\.json$/), resource: 'Agent', acknowledgedAt: 'Shop/Agents/Agent' },
    ]);
    expect(code).toBe(0);
  });

  test('daemon task definitions of one logical id in two NestedStacks, each acknowledged: each is found in its own template', () => {
    const outdir = synthesized(({ stack, legacy }) => {
      acknowledged(legacy);
      for (const [id, image] of [['Blue', 'datadog/agent:7'], ['Green', 'datadog/agent:7.1']]) {
        acknowledged(new ecs.CfnDaemonTaskDefinition(new NestedStack(stack, id), 'Agent', { containerDefinitions: [{ name: 'agent', image }] }),
          `Datadog agent daemon of the ${id} fleet, reviewed in SEC-2231`);
      }
    });
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    expect(JSON.parse(out).unreadContainers.map((r: any) => r.acknowledgedAt)).toEqual(['Shop/LegacyWorkers', 'Shop/Blue/Agent', 'Shop/Green/Agent']);
    expect(code).toBe(0);
  });

  test('one whose acknowledgement has a placeholder reason (written into the assembly afterwards) is refused, with why', () => {
    const outdir = synthesized(({ legacy }) => acknowledged(legacy));
    editMetadata(outdir, (text) => text.replace(REASON, 'TODO'));
    const { code, out, err } = runCli('check', outdir, ...TODAY);
    expect(err).toContain(`secure-service: ${join(outdir, 'Shop.template.json')}: ${PROBLEM}, and the acknowledgement of secure-service::UNREAD_CONTAINERS `
      + 'at Shop/LegacyWorkers does not count: justification must be at least 20 characters after trimming, found 4: "TODO"');
    expect(err).toContain('; fix: give the acknowledgement a real justification');
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  test('one no acknowledgement covers (removed from the assembly afterwards) is refused, as synthesis fails on it', () => {
    const outdir = synthesized(({ legacy }) => acknowledged(legacy));
    editMetadata(outdir, (text) => text.replace('secure-service::UNREAD_CONTAINERS', 'secure-service::DROP_ALL_CAPABILITIES'));
    const { code, err } = runCli('check', outdir, ...TODAY);
    expect(err).toContain(`${PROBLEM}; deploy that template as a NestedStack of the app`);
    expect(err).toContain('or, where the team that owns the policy has reviewed them, acknowledge secure-service::UNREAD_CONTAINERS on the resource with that reason');
    expect(code).toBe(2);
  });
});
