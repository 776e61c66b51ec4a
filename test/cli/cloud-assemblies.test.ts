/**
 * A cloud assembly is judged by the CLI as the validation plugin judged it during synthesis: with the
 * acknowledgements CDK recorded in the stack's metadata, and with nested stacks in their parent's
 * environment and linked to it.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnResource, NestedStack, Stack, Validations, aws_ec2 as ec2, aws_ecs as ecs } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { hardenedTaskDefinition, runCli, writeFiles } from './fixtures';
import { SecureService, SecureServiceChecks } from '../../lib/ecs';

const TODAY = ['--today', '2026-11-28'];
const REASON = 'The profiler attaches to the app process with ptrace during load tests';

/** An app whose service adds SYS_PTRACE by a raw override; `acknowledge` acknowledges it where it says. Synthesis passes. */
function acknowledgedApp(acknowledge: (stack: Stack, service: SecureService) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-ack-'));
  const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
  const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
  const service = new SecureService(stack, 'Api', { vpc, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
  (service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.LinuxParameters.Capabilities.Add', ['SYS_PTRACE']);
  acknowledge(stack, service);
  app.synth();
  return outdir;
}

const onService = (_: Stack, service: SecureService) => Validations.of(service).acknowledge({ id: 'secure-service::DROP_ALL_CAPABILITIES', reason: REASON });

function dropAll(out: string): any {
  return JSON.parse(out).workloads[0].controls.find((c: any) => c.control === 'DROP_ALL_CAPABILITIES');
}

describe('acknowledgements, as the validation plugin honours them', () => {
  test('an acknowledgement on the service exempts the control, with its reason and path, in every format', () => {
    // GIVEN
    const outdir = acknowledgedApp(onService);
    // WHEN
    const table = runCli('check', outdir, ...TODAY);
    const json = JSON.parse(runCli('check', outdir, '--format', 'json', ...TODAY).out);
    const sarif = JSON.parse(runCli('check', outdir, '--format', 'sarif', ...TODAY).out);
    // THEN
    expect(table.out).toMatch(/DROP_ALL_CAPABILITIES\s+exempted by acknowledgement at Shop\/Api \(no expiry\)/);
    expect(table.out).toContain(`  exemption of DROP_ALL_CAPABILITIES (every container): in force, by acknowledgement at Shop/Api, no expiry\n    justification: ${REASON}`);
    expect(json.workloads[0].exemptions).toEqual([{ control: 'DROP_ALL_CAPABILITIES', justification: REASON, status: 'in-force', statusReasons: [], acknowledgedAt: 'Shop/Api' }]);
    expect(json.summary).toMatchObject({ violations: 0, exempted: 1, exemptionErrors: 0 });
    const suppressed = sarif.runs[0].results.find((r: any) => r.ruleId === 'DROP_ALL_CAPABILITIES');
    expect(suppressed.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: REASON, properties: { acknowledgedAt: 'Shop/Api' } }]);
    expect(table.code).toBe(0);
  });

  test('one on the stack applies to the resources below it, the closest one as CDK picks it', () => {
    const outdir = acknowledgedApp((stack) => Validations.of(stack).acknowledge({ id: 'secure-service::DROP_ALL_CAPABILITIES', reason: REASON }));
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    expect(dropAll(out)).toMatchObject({ state: 'exempted', exemptions: [{ justification: REASON, acknowledgedAt: 'Shop' }] });
    expect(code).toBe(0);
  });

  test('one of another control exempts nothing (written into the assembly afterwards: synthesis would fail)', () => {
    const outdir = acknowledgedApp(onService);
    const metadataFile = join(outdir, 'Shop.metadata.json');
    writeFileSync(metadataFile, readFileSync(metadataFile, 'utf8').replace('secure-service::DROP_ALL_CAPABILITIES', 'secure-service::NOT_PRIVILEGED'));
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    expect(dropAll(out)).toMatchObject({ state: 'violated', exemptions: [] });
    expect(code).toBe(1);
  });

  test('one the security policy does not accept (it requires a ticket) is an invalid exemption, as in synthesis', () => {
    const outdir = acknowledgedApp(onService);
    writeFileSync(join(outdir, 'policy.json'), JSON.stringify({ requireTicket: true }));
    const { code, out } = runCli('check', outdir, '--policy', join(outdir, 'policy.json'), ...TODAY);
    expect(out).toMatch(/DROP_ALL_CAPABILITIES\s+violated\s+app: capability SYS_PTRACE is added/);
    expect(out).toContain('error: the acknowledgement of secure-service::DROP_ALL_CAPABILITIES at Shop/Api does not count: the security policy requires a ticket');
    expect(code).toBe(1);
  });

  test('one whose reason is a placeholder (written into the assembly afterwards) does not count', () => {
    const outdir = acknowledgedApp(onService);
    const metadataFile = join(outdir, 'Shop.metadata.json');
    writeFileSync(metadataFile, readFileSync(metadataFile, 'utf8').replace(REASON, 'TODO'));
    const { code, out } = runCli('check', outdir, ...TODAY);
    expect(out).toMatch(/DROP_ALL_CAPABILITIES\s+violated/);
    expect(out).toContain('error: the acknowledgement of secure-service::DROP_ALL_CAPABILITIES at Shop/Api does not count: ');
    expect(code).toBe(1);
  });

  describe('one that does not count, which synthesis fails on whatever it covers (the assembly written as `cdk synth` writes it)', () => {
    /** The app, with `acknowledge` applied, synthesized as `cdk synth` does: the assembly is written, the validation report fails. */
    function writtenDespiteErrors(acknowledge: (stack: Stack, service: SecureService) => void, weaken = true): string {
      const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-ack-'));
      const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28', '@aws-cdk/core:failSynthOnValidationErrors': false } });
      const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
      const service = new SecureService(stack, 'Api', { vpc, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
      if (weaken) (service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.LinuxParameters.Capabilities.Add', ['SYS_PTRACE']);
      acknowledge(stack, service);
      app.synth();
      return outdir;
    }
    const placeholder = (scope: IConstruct, id = 'secure-service::DROP_ALL_CAPABILITIES') => Validations.of(scope).acknowledge({ id, reason: 'TODO' });
    const PLACEHOLDER_PROBLEM = 'does not count: justification must be at least 20 characters after trimming, found 4: "TODO"';

    test('one CDK does not apply, at the path of one that counts: an invalid exemption of the task definition', () => {
      const outdir = writtenDespiteErrors((_, service) => {
        placeholder(service);
        Validations.of(service).acknowledge({ id: 'secure-service::DROP_ALL_CAPABILITIES', reason: REASON });
      });
      const { code, out } = runCli('check', outdir, ...TODAY);
      expect(out).toContain(`error: the acknowledgement of secure-service::DROP_ALL_CAPABILITIES at Shop/Api ${PLACEHOLDER_PROBLEM}`);
      expect(out).toContain('1 invalid exemption(s)');
      expect(code).toBe(1);
    });

    test('one over a clean task definition, or of a misspelled rule on the stack: an invalid exemption of each task definition below it', () => {
      const unused = runCli('check', writtenDespiteErrors((_, service) => placeholder(service), false), ...TODAY);
      expect(unused.out).toContain(`error: the acknowledgement of secure-service::DROP_ALL_CAPABILITIES at Shop/Api ${PLACEHOLDER_PROBLEM}`);
      expect(unused.code).toBe(1);
      const misspelled = runCli('check', writtenDespiteErrors((stack) => placeholder(stack, 'secure-service::DROP_ALL_CAPABILITES'), false), ...TODAY);
      expect(misspelled.out).toContain(`error: the acknowledgement of secure-service::DROP_ALL_CAPABILITES at Shop ${PLACEHOLDER_PROBLEM}`);
      expect(misspelled.code).toBe(1);
    });

    test('one over no task definition: the assembly is refused, naming it', () => {
      const outdir = writtenDespiteErrors((stack) => placeholder(stack.node.findChild('Vpc')), false);
      const { code, err } = runCli('check', outdir, ...TODAY);
      expect(err).toContain(`Shop.template.json: the acknowledgement of secure-service::DROP_ALL_CAPABILITIES at Shop/Vpc ${PLACEHOLDER_PROBLEM}`);
      expect(err).toContain('synthesis fails on it, whatever it covers');
      expect(code).toBe(2);
    });
  });

  test('one in a NestedStack whose task definition has the logical id of one in its parent: each template\'s resources are its own', () => {
    // GIVEN: two services named Api, one in the stack and one in a NestedStack (both ApiTaskDefinition...), the nested one acknowledged
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-ack-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const cluster = new ecs.Cluster(stack, 'Cluster', {
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] }),
    });
    const props = { cluster, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] };
    new SecureService(stack, 'Api', props);
    const nested = new SecureService(new NestedStack(stack, 'Inner'), 'Api', props);
    (nested.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.LinuxParameters.Capabilities.Add', ['SYS_PTRACE']);
    onService(stack, nested);
    app.synth();
    // WHEN
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    // THEN
    const exempted = JSON.parse(out).workloads.map((w: any) => w.controls.find((c: any) => c.control === 'DROP_ALL_CAPABILITIES'));
    expect(exempted).toEqual([
      expect.objectContaining({ state: 'enforced' }),
      expect.objectContaining({ state: 'exempted', exemptions: [expect.objectContaining({ acknowledgedAt: 'Shop/Inner/Api' })] }),
    ]);
    expect(code).toBe(0);
  });

  test('one on a security group rule another stack adds is found in that stack\'s metadata, as CDK applies it there', () => {
    // GIVEN: stack Ops opens port 22 on the service's security group, the rule acknowledged
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-ack-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    const env = { account: '123456789012', region: 'eu-west-1' };
    const shop = new Stack(app, 'Shop', { env });
    const vpc = ec2.Vpc.fromVpcAttributes(shop, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    const service = new SecureService(shop, 'Api', { vpc, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
    const rule = new ec2.CfnSecurityGroupIngress(new Stack(app, 'Ops', { env }), 'Bastion', {
      groupId: service.connections.securityGroups[0].securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/8',
    });
    Validations.of(rule).acknowledge({ id: 'secure-service::NETWORK_ISOLATION', reason: 'The ops bastion reaches the debug port through this reviewed rule, SEC-2210' });
    app.synth();
    // WHEN
    const { code, out } = runCli('check', outdir, '--format', 'json', ...TODAY);
    // THEN
    const isolation = JSON.parse(out).workloads[0].controls.find((c: any) => c.control === 'NETWORK_ISOLATION');
    expect(isolation).toMatchObject({ state: 'exempted', exemptions: [{ acknowledgedAt: 'Ops/Bastion' }] });
    expect(code).toBe(0);
  });

  test('metadata kept in the manifest rather than a metadata file is read too', () => {
    const outdir = acknowledgedApp(onService);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    manifest.artifacts.Shop.metadata = JSON.parse(readFileSync(join(outdir, manifest.artifacts.Shop.additionalMetadataFile), 'utf8'));
    delete manifest.artifacts.Shop.additionalMetadataFile;
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest));
    rmSync(join(outdir, 'Shop.metadata.json'));
    const { code, out } = runCli('check', outdir, ...TODAY);
    expect(out).toMatch(/DROP_ALL_CAPABILITIES\s+exempted by acknowledgement at Shop\/Api/);
    expect(code).toBe(0);
  });
});

describe('nested stacks are read with their parent', () => {
  test('a SecureService in a NestedStack of an env-specific stack is clean, as in synthesis (its log group in the region of the parent)', () => {
    // GIVEN
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-nested-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    new SecureService(new NestedStack(stack, 'Inner'), 'Api', { cluster, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
    app.synth();
    // WHEN
    const { code, out } = runCli('check', outdir, ...TODAY);
    // THEN
    expect(out).toMatch(/^ApiTaskDefinition\w+ {2}\(ecs-fargate, \S+ShopInner\w+\.nested\.template\.json\)/);
    expect(out).toMatch(/LOGGING\s+enforced/);
    expect(out).toContain('1 workload(s): 0 violation(s)');
    expect(code).toBe(0);
  });

  test('NestedStacks three deep in an environment-agnostic stack are each linked to their parent through the TemplateURL CDK wrote', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-nested-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    const stack = new Stack(app, 'Shop');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    const deepest = new NestedStack(new NestedStack(new NestedStack(stack, 'One'), 'Two'), 'Three');
    new SecureService(deepest, 'Api', { vpc, image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080, cpu: 0.25, memoryMiB: 512, writablePaths: ['/tmp'] });
    app.synth();
    const { code, out, err } = runCli('check', outdir, ...TODAY);
    expect(err).toBe('');
    expect(out).toContain('1 workload(s): 0 violation(s)');
    expect(code).toBe(0);
  });

  /** A parent with a log group kept a year, passed as a parameter to the nested stack whose task definition logs to it. */
  function handWrittenAssembly(): string {
    const hash = '49ef1975da365e8ea201a4020d13603dbcf2267635c7fff9394bf4c3fba143d9';
    const parent = {
      Resources: {
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } },
        Inner: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: {
            Parameters: { LogGroupName: { Ref: 'Logs' } },
            TemplateURL: { 'Fn::Join': ['', ['https://s3.eu-west-1.', { Ref: 'AWS::URLSuffix' }, `/cdk-hnb659fds-assets-123456789012-eu-west-1/${hash}.json`]] },
          },
        },
      },
    };
    const logging = { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'LogGroupName' }, 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'api' } };
    const nested = {
      Parameters: { LogGroupName: { Type: 'String' } },
      Resources: {
        Task: hardenedTaskDefinition({ LogConfiguration: logging }),
      },
    };
    const assets = { files: { [hash]: { source: { path: 'ShopInner.nested.template.json', packaging: 'file' }, destinations: { d: { bucketName: 'cdk-hnb659fds-assets-123456789012-eu-west-1', objectKey: `${hash}.json`, region: 'eu-west-1' } } } } };
    const manifest = { artifacts: { Shop: { type: 'aws:cloudformation:stack', environment: 'aws://123456789012/eu-west-1', properties: { templateFile: 'Shop.template.json' } } } };
    return writeFiles({
      'manifest.json': JSON.stringify(manifest),
      'Shop.assets.json': JSON.stringify(assets),
      'Shop.template.json': JSON.stringify(parent),
      'ShopInner.nested.template.json': JSON.stringify(nested),
    });
  }

  test("a nested stack's parameter is followed to its parent's log group, found through the assets manifest", () => {
    const { code, out } = runCli('check', handWrittenAssembly(), '--format', 'json', ...TODAY);
    const logging = JSON.parse(out).workloads[0].controls.find((c: any) => c.control === 'LOGGING');
    expect(logging).toMatchObject({ state: 'enforced', findings: [] });
    expect(code).toBe(0);
  });

  test('a parent whose TemplateURL points elsewhere deploys a template not read: the nested template is read alone, and the parent refused', () => {
    const dir = handWrittenAssembly();
    const parent = JSON.parse(readFileSync(join(dir, 'Shop.template.json'), 'utf8'));
    parent.Resources.Inner.Properties.TemplateURL = 'https://s3.eu-west-1.amazonaws.com/evil/legacy.template.json';
    writeFileSync(join(dir, 'Shop.template.json'), JSON.stringify(parent));
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain('Shop.template.json: Resources.Inner (AWS::CloudFormation::Stack) deploys a template the checks do not read '
      + '(https://s3.eu-west-1.amazonaws.com/evil/legacy.template.json)');
    expect(code).toBe(2);
  });

  test('a TemplateURL of the same object key in another bucket deploys another template: the parent is refused', () => {
    const dir = handWrittenAssembly();
    const parent = JSON.parse(readFileSync(join(dir, 'Shop.template.json'), 'utf8'));
    const url = 'https://attacker-bucket.s3.amazonaws.com/49ef1975da365e8ea201a4020d13603dbcf2267635c7fff9394bf4c3fba143d9.json';
    parent.Resources.Inner.Properties.TemplateURL = url;
    writeFileSync(join(dir, 'Shop.template.json'), JSON.stringify(parent));
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`Shop.template.json: Resources.Inner (AWS::CloudFormation::Stack) deploys a template the checks do not read (${url})`);
    expect(code).toBe(2);
  });

  test("the parent's template given alone: the nested stack's template is not read, so the parent is refused", () => {
    const dir = handWrittenAssembly();
    const { code, err } = runCli('check', join(dir, 'Shop.template.json'), ...TODAY);
    expect(err).toContain('Shop.template.json: Resources.Inner (AWS::CloudFormation::Stack) deploys a template the checks do not read');
    expect(err).toContain('secure-service check reads it when given with the template that deploys it (the cloud assembly directory)');
    expect(code).toBe(2);
  });

  test('two NestedStacks of one content share one published template: each is linked to a file of its own', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'secure-service-cli-nested-'));
    const app = new App({ outdir, context: { 'secure-service:today': '2026-11-28' } });
    Validations.of(app).addPlugins(new SecureServiceChecks());
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const { Properties } = hardenedTaskDefinition() as { Properties: Record<string, unknown> };
    for (const id of ['Blue', 'Green']) new CfnResource(new NestedStack(stack, id), 'Task', { type: 'AWS::ECS::TaskDefinition', properties: Properties });
    app.synth();
    const nested = readdirSync(outdir).filter((f) => f.endsWith('.nested.template.json'));
    expect(nested.map((f) => readFileSync(join(outdir, f), 'utf8'))).toEqual([expect.any(String), readFileSync(join(outdir, nested[0]), 'utf8')]);
    const { code, out, err } = runCli('check', outdir, ...TODAY);
    expect(err).toBe('');
    expect(out).toContain('2 workload(s): 0 violation(s)');
    expect(code).toBe(0);
  });

  test('without the assets manifest, a stack of a fixed URL is still refused, whatever its metadata names', () => {
    const dir = handWrittenAssembly();
    rmSync(join(dir, 'Shop.assets.json'));
    const parent = JSON.parse(readFileSync(join(dir, 'Shop.template.json'), 'utf8'));
    parent.Resources.Evil = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/evil/privileged.json' } };
    parent.Resources.Inner.Properties.TemplateURL = 'https://s3.amazonaws.com/evil/other.json';
    parent.Resources.Inner.Metadata = { 'aws:asset:path': 'ShopInner.nested.template.json' };
    writeFileSync(join(dir, 'Shop.template.json'), JSON.stringify(parent));
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain('Resources.Inner (AWS::CloudFormation::Stack) deploys a template the checks do not read (https://s3.amazonaws.com/evil/other.json)');
    delete parent.Resources.Inner;
    writeFileSync(join(dir, 'Shop.template.json'), JSON.stringify(parent));
    expect(runCli('check', dir, ...TODAY).err).toContain('Resources.Evil (AWS::CloudFormation::Stack) deploys a template the checks do not read');
    expect(code).toBe(2);
  });

  test('without the assets manifest the nested template is read alone, and the retention cannot be proven', () => {
    const dir = handWrittenAssembly();
    rmSync(join(dir, 'Shop.assets.json'));
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/LOGGING\s+violated/);
    expect(code).toBe(1);
  });
});
