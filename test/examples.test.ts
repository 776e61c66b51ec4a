// Every example is type-checked (the typecheck:examples task) and synthesized here, then checked by our
// rules and by the independent checkers.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Testing } from 'cdk8s';
import { runCli } from './cli/fixtures';
import { buildEcsApp } from '../examples/ecs/app';
import { buildKubernetesApp } from '../examples/k8s/app';
import { DEFAULT_POLICY, buildPostureReport } from '../lib';
import { assessInputs } from '../lib/cli';
import { cdkNagEcsFindings, controlTowerEcsFindingsBatch } from './support/third-party-ecs';
import { checkPodSecurity, validateSchemas } from './support/third-party-k8s';

const TODAY = new Date('2026-11-28T00:00:00Z');

describe('the ECS example app', () => {
  const app = buildEcsApp({ context: { 'secure-service:today': '2026-11-28' } });
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));

  test('synthesizes both stacks', () => {
    expect(Object.keys(templates).sort()).toEqual(['AcmePayments', 'SecureServices']);
  });

  test('passes every Control Tower ECS rule, except the one its justified exemption names', () => {
    const findings = controlTowerEcsFindingsBatch(templates);
    expect(findings.AcmePayments).toEqual([]);
    // The FireLens router runs as root under a RUN_AS_NON_ROOT exemption: CT.ECS.PR.3 sees exactly that.
    expect(findings.SecureServices.map((f) => [f.rule, f.resource])).toEqual([['CT.ECS.PR.3', expect.stringMatching(/^InvoiceWorkerTaskDefinition/)]]);
  });

  test('passes cdk-nag ECS4 (Container Insights) and ECS7 (logging)', () => {
    for (const stack of app.node.children.filter(Stack.isStack)) {
      expect(cdkNagEcsFindings(stack).filter((f) => ['AwsSolutions-ECS4', 'AwsSolutions-ECS7'].includes(f.rule))).toEqual([]);
    }
  });

  test('records the exemption on the task definition', () => {
    const template = Template.fromJSON(templates.SecureServices);
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition', { Metadata: { 'secure-service:exemptions': [{ control: 'RUN_AS_NON_ROOT' }] } }));
    expect(taskDefinition.Metadata['secure-service:exemptions']).toEqual([{
      control: 'RUN_AS_NON_ROOT',
      justification: expect.stringContaining('FireLens'),
      expires: '2027-09-30',
      ticket: 'SEC-1421',
      container: 'log-router',
    }]);
  });

  test('the secure-service check CLI reads the cloud assembly: clean, with the exemption shown', () => {
    const { code, out } = runCli('check', assembly.directory, '--today', '2026-11-28');
    expect(out).toMatch(/RUN_AS_NON_ROOT\s+exempted until 2027-09-30 \(SEC-1421\)/);
    expect(out).toContain('4 workload(s): 0 violation(s), 2 exempted, 0 warning(s), 0 invalid exemption(s)');
    expect(code).toBe(0);
  });

  test('reads back clean, with the exempted findings shown', () => {
    const inputs = assembly.stacks.map((s) => ({ kind: 'cloudformation' as const, file: s.templateFile, template: s.template }));
    const report = buildPostureReport(assessInputs(inputs, DEFAULT_POLICY, TODAY).assessments, TODAY);
    expect(report.summary).toEqual({ workloads: 4, violations: 0, exempted: 2, warnings: 0, exemptionErrors: 0 });
  });
});

describe('the Kubernetes example app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'secure-service-k8s-'));
  const app = buildKubernetesApp(outdir);
  const objects = app.charts.flatMap((chart) => Testing.synth(chart));

  test('synthesizes every service of both charts', () => {
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => `${o.metadata.namespace}/${o.metadata.name}`))
      .toEqual(['shop/orders-api', 'shop/web', 'shop/invoice-worker', 'payments/payments-api']);
  });

  test('passes Pod Security Standards restricted, and the practices rules but one documented exception', () => {
    const problems = checkPodSecurity(objects);
    expect(problems.filter((p) => p.ruleId.startsWith('PSS'))).toEqual([]);
    // nginx-unprivileged's files belong to uid/gid 101: monokle prefers uids above 10000.
    expect(problems.map((p) => `${p.ruleId} ${p.object}`).sort()).toEqual(['KBP104 Deployment/web', 'KBP105 Deployment/web']);
  });

  test('passes schema validation', () => {
    expect(validateSchemas(objects)).toEqual([]);
  });

  test('reads back clean', () => {
    const inputs = [{ kind: 'kubernetes' as const, file: 'k8s', objects }];
    const report = buildPostureReport(assessInputs(inputs, DEFAULT_POLICY, TODAY).assessments, TODAY);
    expect(report.summary).toEqual({ workloads: 4, violations: 0, exempted: 0, warnings: 0, exemptionErrors: 0 });
  });

  test('the secure-service check CLI reads the synthesized YAML clean', () => {
    app.synth();
    const { code, out } = runCli('check', outdir, '--format', 'json', '--today', '2026-11-28');
    expect(JSON.parse(out).workloads.map((w: any) => w.name)).toEqual(['Deployment/payments/payments-api', 'Deployment/shop/orders-api', 'Deployment/shop/web', 'Deployment/shop/invoice-worker']);
    expect(code).toBe(0);
  });
});
