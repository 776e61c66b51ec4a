import { secureContainer, secureWorkload, TODAY } from './fixtures';
import { Control, DEFAULT_POLICY, Exemption, assessWorkload, blockingFindings, evaluate, formatFinding, resolvePolicy } from '../../lib/core';

const WHY = 'Fluent Bit reads the node journal as root; image pinned by digest';
const writable = { readOnlyRootFilesystem: { value: false, at: 'ContainerDefinitions[1].ReadonlyRootFilesystem' } };

function twoContainers() {
  return secureWorkload('ecs-fargate', { containers: [secureContainer('ecs-fargate'), secureContainer('ecs-fargate', { name: 'log-router', ...writable })] });
}

test('an exempted finding comes back marked as exempted, with its exemption', () => {
  const exemption: Exemption = { control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: WHY, container: 'log-router' };
  const findings = evaluate(twoContainers(), [exemption], DEFAULT_POLICY, TODAY);
  expect(findings).toEqual([expect.objectContaining({ control: Control.READ_ONLY_ROOT_FILESYSTEM, container: 'log-router', status: 'exempted', exemption })]);
  expect(blockingFindings(findings)).toEqual([]);
});

test('an exemption for another container or another control covers nothing', () => {
  for (const exemption of [
    { control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: WHY, container: 'app' },
    { control: Control.RUN_AS_NON_ROOT, justification: WHY, container: 'log-router' },
  ]) {
    expect(blockingFindings(evaluate(twoContainers(), [exemption], DEFAULT_POLICY, TODAY))).toHaveLength(1);
  }
});

test('an exemption without a container covers every container and the workload', () => {
  const workload = secureWorkload('kubernetes', { hostNamespaces: [{ value: 'network', at: 'spec.hostNetwork' }] });
  const findings = evaluate(workload, [{ control: Control.NO_HOST_NAMESPACES, justification: WHY }], DEFAULT_POLICY, TODAY);
  expect(findings.map((f) => f.status)).toEqual(['exempted']);
});

test('an invalid exemption (expired, placeholder, non-waivable) covers nothing', () => {
  const policy = resolvePolicy({ nonWaivable: [Control.READ_ONLY_ROOT_FILESYSTEM] });
  for (const [exemption, p] of [
    [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: WHY, expires: '2026-01-01' }, DEFAULT_POLICY],
    [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: 'TODO' }, DEFAULT_POLICY],
    [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: WHY }, policy],
  ] as const) {
    expect(blockingFindings(evaluate(twoContainers(), [exemption], p, TODAY))).toEqual([expect.objectContaining({ control: Control.READ_ONLY_ROOT_FILESYSTEM, status: 'violated' })]);
  }
});

test('an IMAGE_PINNED exemption covers an unpinned tag, never an image from a registry the policy does not allow', () => {
  const policy = resolvePolicy({ allowedRegistries: ['ghcr.io/acme'] });
  const workload = secureWorkload('kubernetes', {}, { image: { value: 'docker.io/randomuser/miner:latest', at: 'image' } });
  const findings = evaluate(workload, [{ control: Control.IMAGE_PINNED, justification: WHY }], policy, TODAY);
  expect(findings.map((f) => [f.problem, f.status, f.waivable])).toEqual([
    ['image docker.io/randomuser/miner:latest is not pinned (tag latest): it changes under you', 'exempted', true],
    ['image docker.io/randomuser/miner:latest comes from docker.io, which the security policy does not allow', 'violated', false],
  ]);
  expect(formatFinding(blockingFindings(findings)[0])).toMatch(
    /fix: pull from an allowed registry: ghcr\.io\/acme, or have whoever sets the security policy allow docker\.io in its allowedRegistries \(an exemption does not cover the security policy's registry allow-list\)$/,
  );
});

test('a warning never blocks', () => {
  const findings = evaluate(secureWorkload('kubernetes', {}, { image: { value: 'nginx:latest', at: 'image' } }), [], DEFAULT_POLICY, TODAY);
  expect(findings).toHaveLength(1);
  expect(blockingFindings(findings)).toEqual([]);
});

describe('assessWorkload', () => {
  test('reports unused exemptions as warnings', () => {
    const assessment = assessWorkload(secureWorkload('kubernetes'), [{ control: Control.NOT_PRIVILEGED, justification: WHY }], DEFAULT_POLICY, TODAY);
    expect(assessment.exemptionProblems).toEqual([expect.objectContaining({
      severity: 'warning',
      message: 'exemptions[0] (NOT_PRIVILEGED) on Deployment/default/api: unused, nothing weakens NOT_PRIVILEGED here; remove the exemption',
    })]);
  });

  test('rejects an exemption for a container that does not exist', () => {
    const assessment = assessWorkload(twoContainers(), [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: WHY, container: 'logrouter' }], DEFAULT_POLICY, TODAY);
    expect(assessment.exemptionProblems).toEqual([expect.objectContaining({
      severity: 'error',
      message: "exemptions[0] (READ_ONLY_ROOT_FILESYSTEM, container 'logrouter') on Stack/Api/TaskDefinition: names container 'logrouter', which does not exist; containers: app, log-router; name one of them, or leave container out to cover every container",
    })]);
  });

  test('an exemption naming a container says so when the control is weakened for the whole workload', () => {
    const workload = secureWorkload('kubernetes', { hostNamespaces: [{ value: 'pid', at: 'spec.template.spec.hostPID' }] });
    const assessment = assessWorkload(workload, [{ control: Control.NO_HOST_NAMESPACES, justification: WHY, container: 'app' }], DEFAULT_POLICY, TODAY);
    expect(blockingFindings(assessment.findings)).toEqual([expect.objectContaining({ control: Control.NO_HOST_NAMESPACES, container: undefined })]);
    expect(assessment.exemptionProblems).toEqual([expect.objectContaining({
      severity: 'warning',
      message: "exemptions[0] (NO_HOST_NAMESPACES, container 'app') on Deployment/default/api: unused: it names container 'app', but NO_HOST_NAMESPACES is weakened for the whole workload (spec.template.spec.hostPID), which an exemption of one container does not cover; leave container out to exempt the workload",
    })]);
  });

  test('an unused exemption of a control the policy itself forbids says that no exemption covers it', () => {
    const policy = resolvePolicy({ allowedRegistries: ['ghcr.io/acme'] });
    const workload = secureWorkload('kubernetes', {}, { image: { value: 'docker.io/randomuser/miner:1.2.3', at: 'image' } });
    const assessment = assessWorkload(workload, [{ control: Control.IMAGE_PINNED, justification: WHY }], policy, TODAY);
    expect(assessment.exemptionProblems).toEqual([expect.objectContaining({
      severity: 'warning',
      message: "exemptions[0] (IMAGE_PINNED) on Deployment/default/api: unused: an exemption does not cover the security policy's registry allow-list, "
        + 'and IMAGE_PINNED is violated only by that (image docker.io/randomuser/miner:1.2.3 comes from docker.io, which the security policy does not allow); '
        + 'pull from an allowed registry: ghcr.io/acme, or have whoever sets the security policy allow docker.io in its allowedRegistries, and remove the exemption',
    })]);
  });

  test('lists the controls that do not apply', () => {
    expect(assessWorkload(secureWorkload('kubernetes'), [], DEFAULT_POLICY, TODAY).notApplicable).toEqual([Control.LOGGING, Control.NO_PUBLIC_IP]);
    expect(assessWorkload(secureWorkload('ecs-fargate'), [], DEFAULT_POLICY, TODAY).notApplicable).toEqual([Control.NO_SERVICE_ACCOUNT_TOKEN]);
  });
});

test('formatFinding names control, workload, container, setting, problem and fix', () => {
  const [finding] = evaluate(twoContainers(), [], DEFAULT_POLICY, TODAY);
  expect(formatFinding(finding)).toBe(
    "[READ_ONLY_ROOT_FILESYSTEM] Stack/Api/TaskDefinition container 'log-router': the root filesystem is writable (false) at ContainerDefinitions[1].ReadonlyRootFilesystem; "
    + 'fix: keep the root filesystem read-only and mount a volume at each path the process writes to (a SecureService: writablePaths) '
    + "(or add an exemption { control: Control.READ_ONLY_ROOT_FILESYSTEM, container: 'log-router', justification: '...' })",
  );
  // Where exemptions are recorded (a hand-written workload's annotation), they are shown as written there.
  expect(formatFinding(finding, { exemptionsRecordedIn: 'the x annotation' }))
    .toMatch(/\(or record an exemption in the x annotation: \{"control":"READ_ONLY_ROOT_FILESYSTEM","container":"log-router","justification":"\.\.\."\}\)$/);
  // findings.map(formatFinding), which TypeScript refuses but JavaScript runs, passes an index as the options: the default wording.
  expect([finding].map(formatFinding as (f: typeof finding) => string)[0]).toBe(formatFinding(finding));
  const [nonWaivable] = evaluate(twoContainers(), [], resolvePolicy({ nonWaivable: [Control.READ_ONLY_ROOT_FILESYSTEM] }), TODAY);
  expect(formatFinding(nonWaivable)).toMatch(/\(the security policy makes this control non-waivable\)$/);
});
