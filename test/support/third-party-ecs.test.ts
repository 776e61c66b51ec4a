/**
 * Proves the third-party checkers work: a hand-hardened Fargate stack passes every
 * Control Tower ECS control and the cdk-nag ECS rules, and each weakening is caught
 * by the real rule id. If a checker silently stops working, these tests fail.
 *
 * cdk-nag AwsSolutions has only three ECS rules (ECS2, ECS4, ECS7). The other cdk-nag ECS
 * rule, ECSTaskDefinitionUserForHostMode, is only in the NIST 800-53 R5 / HIPAA / PCI packs,
 * and is not applicable to Fargate (awsvpc) task definitions anyway.
 */
import { App, Aws, CfnCondition, CfnElement, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  cdkNagEcsFindings, CONTROL_TOWER_ECS_RULES, controlTowerEcsFindings, controlTowerEcsFindingsBatch,
  GuardFinding, NagFinding,
} from './third-party-ecs';

type Role = 'cluster' | 'taskDef' | 'service' | 'ec2TaskDef';

interface Knobs {
  readonly container?: Partial<ecs.ContainerDefinitionOptions>;
  readonly service?: Partial<ecs.FargateServiceProps>;
  readonly cluster?: Partial<ecs.ClusterProps>;
  /** A second, EC2 task definition: Fargate rejects privileged / host-mode containers. */
  readonly ec2TaskDef?: { props?: ecs.Ec2TaskDefinitionProps; container?: Partial<ecs.ContainerDefinitionOptions> };
  /** Escape hatch applied to the Fargate task definition's L1 after construction. */
  readonly override?: (cfn: ecs.CfnTaskDefinition) => void;
}

function hardenedContainer(scope: Construct, id: string): ecs.ContainerDefinitionOptions {
  const linuxParameters = new ecs.LinuxParameters(scope, `${id}Linux`, { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  return {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27'),
    user: '65532:65532',
    readonlyRootFilesystem: true,
    memoryLimitMiB: 512,
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: id,
      logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    }),
    linuxParameters,
  };
}

function buildStack(knobs: Knobs = {}) {
  const stack = new Stack(new App(), 'Svc');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  // containerInsightsV2 replaces the deprecated `containerInsights: true` (same template output).
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED, ...knobs.cluster });
  const taskDef = new ecs.FargateTaskDefinition(stack, 'TaskDef', { cpu: 256, memoryLimitMiB: 512 });
  taskDef.addContainer('app', { ...hardenedContainer(stack, 'app'), ...knobs.container });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition: taskDef,
    assignPublicIp: false,
    platformVersion: ecs.FargatePlatformVersion.LATEST,
    circuitBreaker: { rollback: true },
    ...knobs.service,
  });
  const l1 = { cluster: cluster.node.defaultChild, taskDef: taskDef.node.defaultChild, service: service.node.defaultChild } as
    Partial<Record<Role, CfnElement>>;
  if (knobs.ec2TaskDef) {
    const ec2TaskDef = new ecs.Ec2TaskDefinition(stack, 'Ec2TaskDef', { networkMode: ecs.NetworkMode.AWS_VPC, ...knobs.ec2TaskDef.props });
    ec2TaskDef.addContainer('side', { ...hardenedContainer(stack, 'side'), ...knobs.ec2TaskDef.container });
    l1.ec2TaskDef = ec2TaskDef.node.defaultChild as CfnElement;
  }
  knobs.override?.(taskDef.node.defaultChild as ecs.CfnTaskDefinition);
  return { stack, l1: l1 as Record<Role, CfnElement> };
}

type Expected = Record<string, Role>; // rule id -> which resource it must be reported on

interface Case { readonly knobs: Knobs; readonly guard: Expected; readonly nag: Expected }

const CASES: Record<string, Case> = {
  'hardened baseline': { knobs: {}, guard: {}, nag: {} },
  // Ec2TaskDefinition in awsvpc mode silently injects an AWS_REGION environment variable, so
  // cdk-nag ECS2 fires on awsvpc EC2 task defs (bridge/host mode would fail CT.ECS.PR.4 instead).
  'privileged container (EC2 task def)': {
    knobs: { ec2TaskDef: { container: { privileged: true } } },
    guard: { 'CT.ECS.PR.11': 'ec2TaskDef' },
    nag: { 'AwsSolutions-ECS2': 'ec2TaskDef' },
  },
  'user 0': { knobs: { container: { user: '0' } }, guard: { 'CT.ECS.PR.3': 'taskDef' }, nag: {} },
  'no user': { knobs: { container: { user: undefined } }, guard: { 'CT.ECS.PR.3': 'taskDef' }, nag: {} },
  'writable root filesystem': {
    knobs: { container: { readonlyRootFilesystem: false } }, guard: { 'CT.ECS.PR.6': 'taskDef' }, nag: {},
  },
  'AWS secret in environment': {
    knobs: { container: { environment: { AWS_SECRET_ACCESS_KEY: 'x' } } },
    guard: { 'CT.ECS.PR.12': 'taskDef' },
    nag: { 'AwsSolutions-ECS2': 'taskDef' },
  },
  // cdk-nag ECS2 flags ANY plain environment variable; CT.ECS.PR.12 only three exact names.
  'harmless environment variable': {
    knobs: { container: { environment: { LOG_LEVEL: 'info' } } }, guard: {}, nag: { 'AwsSolutions-ECS2': 'taskDef' },
  },
  'public IP': { knobs: { service: { assignPublicIp: true } }, guard: { 'CT.ECS.PR.9': 'service' }, nag: {} },
  'no logging': {
    knobs: { container: { logging: undefined } },
    guard: { 'CT.ECS.PR.5': 'taskDef' },
    nag: { 'AwsSolutions-ECS7': 'taskDef' },
  },
  'pinned platform version': {
    knobs: { service: { platformVersion: ecs.FargatePlatformVersion.VERSION1_4 } }, guard: { 'CT.ECS.PR.1': 'service' }, nag: {},
  },
  'container insights disabled': {
    knobs: { cluster: { containerInsightsV2: ecs.ContainerInsights.DISABLED } },
    guard: { 'CT.ECS.PR.2': 'cluster' },
    nag: { 'AwsSolutions-ECS4': 'cluster' },
  },
  // CT.ECS.PR.2 demands the literal "enabled"; cdk-nag also accepts "enhanced".
  'container insights enhanced': {
    knobs: { cluster: { containerInsightsV2: ecs.ContainerInsights.ENHANCED } }, guard: { 'CT.ECS.PR.2': 'cluster' }, nag: {},
  },
  'soft memory limit only': {
    knobs: { container: { memoryLimitMiB: undefined, memoryReservationMiB: 256 } }, guard: { 'CT.ECS.PR.7': 'taskDef' }, nag: {},
  },
  'host PID namespace (EC2 task def)': {
    knobs: { ec2TaskDef: { props: { pidMode: ecs.PidMode.HOST } } },
    guard: { 'CT.ECS.PR.10': 'ec2TaskDef' },
    nag: { 'AwsSolutions-ECS2': 'ec2TaskDef' },
  },
  'host networking without user (EC2 task def)': {
    knobs: { ec2TaskDef: { props: { networkMode: ecs.NetworkMode.HOST }, container: { user: undefined } } },
    guard: { 'CT.ECS.PR.3': 'ec2TaskDef', 'CT.ECS.PR.4': 'ec2TaskDef', 'CT.ECS.PR.8': 'ec2TaskDef' },
    nag: {},
  },
  // The checkers must read the FINAL template: cfn-guard does, cdk-nag reads L1 props and does not.
  'escape hatch: ReadonlyRootFilesystem=false': {
    knobs: { override: cfn => cfn.addPropertyOverride('ContainerDefinitions.0.ReadonlyRootFilesystem', false) },
    guard: { 'CT.ECS.PR.6': 'taskDef' },
    nag: {},
  },
  'escape hatch: LogConfiguration deleted (cdk-nag blind)': {
    knobs: { override: cfn => cfn.addPropertyDeletionOverride('ContainerDefinitions.0.LogConfiguration') },
    guard: { 'CT.ECS.PR.5': 'taskDef' },
    nag: {},
  },
  // Intrinsics: cfn-guard fails closed on a boolean it cannot read ...
  'escape hatch: ReadonlyRootFilesystem=Fn::If': {
    knobs: {
      override: cfn => {
        const debug = new CfnCondition(cfn.stack, 'Debug', { expression: Fn.conditionEquals(Aws.REGION, 'none') });
        cfn.addPropertyOverride('ContainerDefinitions.0.ReadonlyRootFilesystem', Fn.conditionIf(debug.logicalId, false, true));
      },
    },
    guard: { 'CT.ECS.PR.6': 'taskDef' },
    nag: {},
  },
  // ... but fails OPEN on a User it cannot read (a Ref is "not in" the root-user list).
  'user from a CfnParameter passes (blind spot)': {
    knobs: { override: cfn => cfn.addPropertyOverride('ContainerDefinitions.0.User', new CfnParameter(cfn.stack, 'User').valueAsString) },
    guard: {},
    nag: {},
  },
};

const summarize = (findings: Array<GuardFinding | NagFinding>, locate: (f: any) => string) =>
  Object.fromEntries(findings.map(f => [f.rule, locate(f)]));

describe('third-party ECS checkers', () => {
  const built = Object.fromEntries(Object.entries(CASES).map(([name, c]) => [name, buildStack(c.knobs)]));
  let guard: Record<string, GuardFinding[]>;

  beforeAll(() => {
    // One cfn-guard process for every case: this is how property tests should use it.
    guard = controlTowerEcsFindingsBatch(Object.fromEntries(
      Object.entries(built).map(([name, b]) => [name, Template.fromStack(b.stack).toJSON()])));
  });

  test.each(Object.keys(CASES))('%s', name => {
    const { stack, l1 } = built[name];
    const roleOfLogicalId = (id: string) => Object.entries(l1).find(([, e]) => stack.getLogicalId(e) === id)?.[0] ?? id;
    const roleOfPath = (p: string) => Object.entries(l1).find(([, e]) => e.node.path === p)?.[0] ?? p;

    expect(summarize(guard[name], f => roleOfLogicalId(f.resource))).toEqual(CASES[name].guard);
    expect(guard[name]).toHaveLength(Object.keys(CASES[name].guard).length); // no duplicate resources
    expect(summarize(cdkNagEcsFindings(stack), f => roleOfPath(f.path))).toEqual(CASES[name].nag);
  });

  test('single-template API agrees with the batch and reports paths and titles', () => {
    const template = Template.fromStack(built['user 0'].stack).toJSON();
    const [finding] = controlTowerEcsFindings(template);
    expect(finding).toEqual(guard['user 0'][0]);
    expect(finding).toMatchObject({
      rule: 'CT.ECS.PR.3',
      guardRule: 'ecs_task_definition_nonroot_user_check',
      message: 'Require any Amazon ECS task definition to specify a user that is not the root',
      paths: [expect.stringMatching(/^\/Resources\/\w+\/Properties\/ContainerDefinitions\/0\/User$/)],
    });
    expect(controlTowerEcsFindingsBatch({})).toEqual({});
  });

  test('all twelve Control Tower ECS controls are loaded', () => {
    expect(CONTROL_TOWER_ECS_RULES.map(r => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `CT.ECS.PR.${i + 1}`));
  });

  test('cdk-nag host-mode rule (NIST pack) is stricter than CT.ECS.PR.8', () => {
    // Non-root user, not privileged: CT.ECS.PR.8 accepts either; cdk-nag demands privileged AND non-root.
    const { stack } = buildStack({ ec2TaskDef: { props: { networkMode: ecs.NetworkMode.HOST } } });
    expect(cdkNagEcsFindings(stack, [new NIST80053R5Checks()]).map(f => [f.rule, f.path])).toEqual([
      ['NIST.800.53.R5-ECSTaskDefinitionUserForHostMode', 'Svc/Ec2TaskDef/Resource'],
    ]);
    expect(controlTowerEcsFindings(Template.fromStack(stack).toJSON()).map(f => f.rule)).toEqual(['CT.ECS.PR.4']);
  });

  describe('tool failures throw instead of looking compliant', () => {
    // Core modules are shared with the module under test, so spying here intercepts its spawnSync.
    const childProcess: typeof import('child_process') = jest.requireActual('child_process');
    const template = { Resources: {} };
    const fakeGuard = (status: number, stdout: string) => jest.spyOn(childProcess, 'spawnSync')
      .mockReturnValue({ status, stdout, stderr: 'boom', pid: 0, output: [], signal: null } as any);
    afterEach(() => jest.restoreAllMocks());

    test('rule parse error (exit 5, all rules skipped)', () => {
      fakeGuard(5, '[{"name":"/t/0.json","status":"SKIP","not_compliant":[],"not_applicable":[],"compliant":[]}]');
      expect(() => controlTowerEcsFindings(template)).toThrow(/exited with 5: boom/);
    });
    test('rules silently not evaluated', () => {
      fakeGuard(0, '[{"name":"/t/0.json","status":"SKIP","not_compliant":[],"not_applicable":[],"compliant":[]}]');
      expect(() => controlTowerEcsFindings(template)).toThrow(/did not evaluate CT.ECS.PR.1, /);
    });
    test('unparseable output', () => {
      fakeGuard(19, 'Error occurred');
      expect(() => controlTowerEcsFindings(template)).toThrow(/not JSON/);
    });
    test('missing result for a template', () => {
      fakeGuard(0, '[]');
      expect(() => controlTowerEcsFindings(template)).toThrow(/no result for: template/);
    });
  });
});
