/**
 * Property: every VALID service definition (see arbitraries.ts) synthesizes on both targets, and what
 * comes out passes our own rules (read back from the final output) and the independent checkers:
 * Control Tower CT.ECS.PR.1-12 (cfn-guard) for ECS; PSS baseline + restricted and the practices
 * rules (monokle, every rule on) and the kubernetes-models schemas for Kubernetes.
 *
 * Synthesis is amortised: each fast-check run is a batch of definitions synthesized in ONE CDK stack
 * and ONE cdk8s chart, each service under its own scope (with its own SecurityPolicy). Our rules run
 * inside the property; the third-party checkers run once over everything collected, afterwards, and
 * each finding is mapped back to its run and definition.
 *
 * Reproduce: the seed is fixed (SECURE_SERVICE_PROPERTY_SEED overrides it); fast-check prints seed and
 * path of a failing run, and third-party failures print the seed, run and definition.
 * Larger run: SECURE_SERVICE_PROPERTY_RUNS=10000 npx jest test/proof/properties.test.ts
 */
import { App, Stack, aws_ec2 as ec2, aws_ecs as awsecs, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { App as K8sApp, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ContainerDefinition, ServiceDefinition, TODAY, serviceDefinition } from './arbitraries';
import { ecs, k8s } from '../../lib';
import { Finding, WorkloadAssessment, WorkloadPosture, assessWorkload, blockingFindings, formatFinding, nonRootUser, resolvePolicy, SecurityPolicy } from '../../lib/core';
import { controlTowerEcsFindingsBatch } from '../support/third-party-ecs';
import { checkPodSecurity, validateSchemas } from '../support/third-party-k8s';

const CASES = Number(process.env.SECURE_SERVICE_PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.SECURE_SERVICE_PROPERTY_SEED ?? 20260601);
/** Definitions per app: at most 8 CloudFormation resources each keeps a stack under 500 (asserted). */
const BATCH = 40;
const RUNS = Math.ceil(CASES / BATCH);
/**
 * Cases also run through cfn-guard (~10-30 ms per task definition, the slowest checker): a spread
 * of the default run, every case of a larger run. monokle and the schemas see every case.
 */
const GUARD_CASES = Number(process.env.SECURE_SERVICE_PROPERTY_GUARD_CASES ?? (process.env.SECURE_SERVICE_PROPERTY_RUNS ? CASES : 200));
const GUARD_EVERY = Math.max(1, Math.floor(RUNS / Math.ceil(GUARD_CASES / BATCH)));

// What the property runs leave for the third-party checkers: one entry per run that passed our rules.
interface Batch {
  readonly run: number;
  readonly definitions: readonly ServiceDefinition[];
  readonly template: any;
  readonly objects: any[];
}
const batches: Batch[] = [];
let runCounter = 0;

// ---------------------------------------------------------------------------------------------
// building both targets from one definition

function ecsSecrets(scope: Construct, container: string, secrets: ContainerDefinition['secrets']): { [name: string]: awsecs.Secret } {
  return Object.fromEntries(Object.entries(secrets).map(([name, ref]) => {
    const secret = secretsmanager.Secret.fromSecretNameV2(scope, `Secret-${container}-${name}`, ref.secretName);
    return [name, awsecs.Secret.fromSecretsManager(secret, ref.key)];
  }));
}

function synthEcs(definitions: readonly ServiceDefinition[]): any {
  const app = new App({ context: { [ecs.TODAY_CONTEXT_KEY]: TODAY }, builtinCloudFormationValidation: false, treeMetadata: false });
  const stack = new Stack(app, 'Props');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
  });
  const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED });
  definitions.forEach((d, i) => {
    const scope = new Construct(stack, `S${i}`);
    if (d.policy) SecurityPolicy.of(scope).apply(d.policy);
    const svc = new ecs.SecureService(scope, 'Svc', {
      ...d.spec, cluster, secrets: ecsSecrets(scope, 'app', d.spec.secrets), enableExecuteCommand: d.ecs.enableExecuteCommand,
    });
    for (const sidecar of d.sidecars) {
      const secrets = ecsSecrets(scope, sidecar.name, sidecar.options.secrets);
      svc.addContainer(sidecar.name, { ...sidecar.options, secrets, essential: sidecar.essential });
    }
  });
  const template = app.synth().getStackByName(stack.stackName).template;
  const resources = Object.keys(template.Resources).length;
  if (resources >= 500) throw new Error(`${resources} resources in one stack: lower BATCH, CloudFormation takes at most 500`);
  return template;
}

function synthK8s(definitions: readonly ServiceDefinition[]): any[] {
  const app: K8sApp = Testing.app();
  app.node.setContext(k8s.TODAY_CONTEXT_KEY, TODAY);
  const chart = new Chart(app, 'props');
  definitions.forEach((d, i) => {
    const scope = new Construct(chart, `s${i}`);
    if (d.policy) SecurityPolicy.of(scope).apply(d.policy);
    const svc = new k8s.SecureService(scope, `svc-${i}`, { ...d.spec, ...d.k8s, secretsAsFiles: d.k8s.secretsAsFiles });
    for (const sidecar of d.sidecars) svc.addContainer(sidecar.name, { ...sidecar.options, secretsAsFiles: d.k8s.secretsAsFiles });
  });
  // What app.synthYaml() does (every construct's validation, then each chart's toJson), without
  // printing the YAML text, a third of the cost and no part of what is checked.
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return chart.toJson();
}

// ---------------------------------------------------------------------------------------------
// our rules, and what the output must say about the definition

/** Everything wrong with one workload read back from the output: blocking findings, invalid exemptions, lost settings. */
function workloadProblems(posture: WorkloadPosture, assessment: WorkloadAssessment, d: ServiceDefinition): string[] {
  const problems: string[] = [
    ...blockingFindings(assessment.findings).map((f: Finding) => formatFinding(f)),
    ...assessment.exemptionProblems.filter((p) => p.severity === 'error').map((p) => p.message),
  ];
  const policy = resolvePolicy(d.policy);
  const expected: [string, ContainerDefinition][] = [['main', d.spec], ...d.sidecars.map((s): [string, ContainerDefinition] => [s.name, s.options])];
  const containers = posture.containers.filter((c) => !c.init);
  if (containers.length !== expected.length) problems.push(`${posture.name}: ${containers.length} containers in the output, ${expected.length} defined`);
  containers.forEach((c, i) => {
    const [, options] = expected[i] ?? [];
    if (!options) return;
    // A sidecar without a user of its own runs as the main container's user unless that is root, on both targets.
    const mainUser = d.spec.user ? { uid: d.spec.user.uid, gid: d.spec.user.gid ?? d.spec.user.uid } : policy.defaultUser;
    const user = options.user ?? (i > 0 ? nonRootUser(mainUser, policy.defaultUser) : policy.defaultUser);
    const uid = user.uid;
    const gid = user.gid ?? user.uid;
    const effective = c.users[c.users.length - 1]?.value;
    if (effective?.uid !== uid || (effective.gid ?? gid) !== gid) problems.push(`${posture.name} ${c.name}: runs as ${JSON.stringify(effective)}, defined ${uid}:${gid}`);
    if (c.readOnlyRootFilesystem.value !== true) problems.push(`${posture.name} ${c.name}: root filesystem is not read-only`);
    if (!c.capabilitiesDropped.value.includes('ALL') || c.capabilitiesAdded.length > 0) problems.push(`${posture.name} ${c.name}: capabilities are not drop ALL, add none`);
    const plain = c.plainEnvironment.map((v) => v.name).sort();
    const env = Object.keys(options.environment ?? {}).sort();
    if (JSON.stringify(plain) !== JSON.stringify(env)) problems.push(`${posture.name} ${c.name}: plain environment ${plain}, defined ${env}`);
    // With secretsAsFiles, Kubernetes mounts each secret as a read-only file named like its variable.
    const asFiles = posture.platform === 'kubernetes' && d.k8s.secretsAsFiles;
    const missing = Object.keys(options.secrets).filter((s) => !c.secretNames.includes(asFiles ? `/run/secrets/${s}` : s));
    if (missing.length > 0) problems.push(`${posture.name} ${c.name}: secrets ${missing} are missing from the output`);
  });
  return problems;
}

function ecsProblems(template: any, definitions: readonly ServiceDefinition[]): string[] {
  const workloads = ecs.readEcsWorkloads(template);
  const problems = workloads.length === definitions.length ? [] : [`${workloads.length} task definitions for ${definitions.length} services`];
  for (const w of workloads) {
    const d = definitions[indexOf(w.logicalId, /^S(\d+)Svc/)];
    const assessment = assessWorkload(w.posture, w.exemptions, resolvePolicy(d.policy), new Date(`${TODAY}T00:00:00Z`));
    problems.push(...workloadProblems(w.posture, assessment, d), ...volumeProblems(template.Resources[w.logicalId]));
  }
  return problems;
}

/** Every writable path gets a task volume of its own: none is shared, none is dropped. */
function volumeProblems(taskDefinition: any): string[] {
  const volumes: string[] = (taskDefinition.Properties.Volumes ?? []).map((v: any) => v.Name);
  const mounts: any[] = taskDefinition.Properties.ContainerDefinitions.flatMap((c: any) => c.MountPoints ?? []);
  const problems: string[] = [];
  if (new Set(volumes).size !== volumes.length) problems.push(`volume names are not unique: ${volumes.join(', ')}`);
  if (new Set(mounts.map((m) => m.SourceVolume)).size !== mounts.length) problems.push(`two writable paths share a volume: ${JSON.stringify(mounts)}`);
  return problems;
}

function k8sProblems(objects: any[], definitions: readonly ServiceDefinition[]): string[] {
  const workloads = k8s.readWorkloads(objects);
  const problems = workloads.length === definitions.length ? [] : [`${workloads.length} Deployments for ${definitions.length} services`];
  for (const w of workloads) {
    const d = definitions[indexOf(w.posture.name, /^Deployment\/svc-(\d+)$/)];
    const assessment = assessWorkload(w.posture, w.exemptions, resolvePolicy(d.policy), new Date(`${TODAY}T00:00:00Z`));
    problems.push(...workloadProblems(w.posture, assessment, d));
  }
  return problems;
}

function indexOf(name: string, pattern: RegExp): number {
  const match = pattern.exec(name);
  if (!match) throw new Error(`cannot tell which definition ${name} comes from`);
  return Number(match[1]);
}

/** Synthesizes a batch on both targets and reads it back; throws with every problem found. */
function checkBatch(definitions: readonly ServiceDefinition[]): { template: any; objects: any[] } {
  const template = synthEcs(definitions);
  const objects = synthK8s(definitions);
  const problems = [...ecsProblems(template, definitions).map((p) => `ECS ${p}`), ...k8sProblems(objects, definitions).map((p) => `Kubernetes ${p}`)];
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { template, objects };
}

/** What failed in a batch, and each definition that fails in a batch of its own: the smallest reproduction at hand. */
function failureReport(definitions: readonly ServiceDefinition[], error: Error): string {
  const alone = definitions.flatMap((definition, index) => {
    try {
      checkBatch([definition]);
      return [];
    } catch (own) {
      return [`definition ${index} fails on its own:\n${(own as Error).message}\n${JSON.stringify(definition, null, 1)}`];
    }
  });
  return [error.message, ...(alone.length > 0 ? alone : ['no definition fails on its own: only the batch together does'])].join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// mapping third-party findings back to a reproducible case

function describeCase(batch: Batch, index: number): string {
  return `seed ${SEED}, run ${batch.run}, definition ${index} (SECURE_SERVICE_PROPERTY_SEED=${SEED} SECURE_SERVICE_PROPERTY_RUNS=${CASES}):\n`
    + JSON.stringify(batch.definitions[index], null, 1);
}

/** The resources of service `index` (logical ids start with its scope, `S<index>Svc`) and the shared cluster. */
function serviceTemplate(template: any, index: number): object {
  const resources = Object.entries(template.Resources).filter(([id, r]: [string, any]) => id.startsWith(`S${index}Svc`) || r.Type === 'AWS::ECS::Cluster');
  return { Resources: Object.fromEntries(resources) };
}


describe(`property: ${RUNS * BATCH} random valid service definitions (seed ${SEED})`, () => {
  test('synthesize on both targets and pass our rules, read back from the final output', () => {
    fc.assert(fc.property(fc.array(serviceDefinition, { minLength: BATCH, maxLength: BATCH }), (definitions) => {
      try {
        batches.push({ run: runCounter++, definitions, ...checkBatch(definitions) });
      } catch (error) {
        throw new Error(failureReport(definitions, error as Error));
      }
    }), {
      numRuns: RUNS,
      seed: SEED,
      verbose: fc.VerbosityLevel.None,
      // No shrinking: each step would synthesize a batch of 40 again, for minutes and gigabytes.
      // failureReport gives the definitions that fail on their own instead.
      endOnFailure: true,
    });
    expect(batches.length * BATCH).toBeGreaterThanOrEqual(CASES);
  });

  test(`every ECS task definition of ${Math.ceil(RUNS / GUARD_EVERY) * BATCH} cases passes Control Tower CT.ECS.PR.1-12 (one cfn-guard run)`, () => {
    expect(batches.length).toBe(RUNS);
    // One cfn-guard process over one small template per service (its findings map straight back to the case).
    const guarded = batches.filter((b) => b.run % GUARD_EVERY === 0);
    const templates = Object.fromEntries(guarded.flatMap((b) => b.definitions.map((_, i) => [`${b.run}/${i}`, serviceTemplate(b.template, i)])));
    const findings = controlTowerEcsFindingsBatch(templates);
    const failures = Object.entries(findings).flatMap(([key, found]) => found.map((f) => {
      const [run, index] = key.split('/').map(Number);
      return `${f.rule} ${f.message} at ${f.paths.join(', ')}\n${describeCase(batches[run], index)}`;
    }));
    expect(failures).toEqual([]);
    const taskDefinitions = Object.values(templates).flatMap((t: any) => Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::ECS::TaskDefinition'));
    expect(taskDefinitions.length).toBe(guarded.length * BATCH);
    expect(guarded.length * BATCH).toBeGreaterThanOrEqual(Math.min(GUARD_CASES, CASES));
  });

  test('every Kubernetes workload passes PSS restricted and the practices rules (one monokle run)', () => {
    expect(batches.length).toBe(RUNS);
    // One monokle call: objects are renamed per run so every name in the batch is unique.
    const objects = batches.flatMap((b) => b.objects.map((o) => ({ ...o, metadata: { ...o.metadata, name: `r${b.run}-${o.metadata.name}` } })));
    const failures = checkPodSecurity(objects).map((p) => {
      const match = /^\w+\/r(\d+)-svc-(\d+)$/.exec(p.object);
      const where = match ? describeCase(batches[Number(match[1])], Number(match[2])) : p.object;
      return `${p.ruleId} ${p.ruleName} at ${p.path}: ${p.message}\n${where}`;
    });
    expect(failures).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Deployment').length).toBe(RUNS * BATCH);
  });

  test('every Kubernetes object is schema-valid (kubernetes-models)', () => {
    expect(batches.length).toBe(RUNS);
    const failures = batches.flatMap((b) => validateSchemas(b.objects).map((message) => {
      const match = /\/svc-(\d+)(?:\b|$)/.exec(message);
      return `${message}\n${match ? describeCase(b, Number(match[1])) : `seed ${SEED}, run ${b.run}`}`;
    }));
    expect(failures).toEqual([]);
  });
});

describe('cases the property run found', () => {
  test('ECS: writable paths that read alike (/a-b, /a.b) and a sidecar named like a prefix get volumes of their own', () => {
    // GIVEN paths that map to one volume name once '.' and '/' become '-'
    const definition: ServiceDefinition = {
      spec: { image: 'ghcr.io/acme/api:1.4.2', writablePaths: ['/a-b', '/a.b'], secrets: {}, cpu: 0.125, memoryMiB: 256 },
      sidecars: [{ name: 'app-a', options: { image: 'ghcr.io/acme/side:1.0.0', writablePaths: ['/b'], secrets: {}, cpu: 0.125, memoryMiB: 256 }, essential: true }],
      ecs: { enableExecuteCommand: false },
      k8s: { secretsAsFiles: false, copyFromImage: [] },
    };
    // WHEN
    const template = synthEcs([definition]);
    // THEN every path is mounted from its own volume
    const taskDefinition: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::ECS::TaskDefinition');
    expect(volumeProblems(taskDefinition)).toEqual([]);
    expect(taskDefinition.Properties.Volumes.map((v: any) => v.Name)).toEqual(['app-a-b', 'app-a-b-2', 'app-a-b-3']);
  });
});
