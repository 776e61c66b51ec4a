// Independent checkers grade our output: @monokle/validation (PSS baseline + restricted, all rules on,
// plus capability and uid/gid practices) and kubernetes-models schemas. One monokle call for everything.
import { ApiObject, Chart } from 'cdk8s';
import { GOLDEN, exemption, newChart } from './helpers';
import { SecureService, SecureServiceProps } from '../../lib/k8s';
import { checkPodSecurity, MonokleProblem, validateSchemas } from '../support/third-party-k8s';

type Controls = Parameters<typeof exemption>[0];

// Hardened variants: every one must pass with zero problems.
const HARDENED: [string, Partial<SecureServiceProps>][] = [
  ['golden', {}],
  ['worker', { containerPort: undefined, healthCheck: undefined, replicas: 1 }],
  ['files', { secretsAsFiles: true }],
  ['seeded', { writablePaths: ['/tmp', '/var/cache/app'], copyFromImage: ['/var/cache/app'] }],
  ['own-user', { user: { uid: 20001, gid: 20002 }, namespace: 'shop', labels: { team: 'payments' } }],
  ['restricted-peers', { allowFrom: [{ podLabels: { app: 'web' } }], healthCheck: { command: ['/app/health'] } }],
];

// Weakened and exempted variants: each must fail exactly the monokle rules its exemptions stand for.
const EXEMPTED: [string, Partial<SecureServiceProps>, Controls[], string[]][] = [
  ['privileged', { privileged: true, allowPrivilegeEscalation: true }, ['NOT_PRIVILEGED', 'NO_PRIVILEGE_ESCALATION'], ['PSS103', 'PSS202']],
  ['escalation', { allowPrivilegeEscalation: true }, ['NO_PRIVILEGE_ESCALATION'], ['PSS202']],
  ['host-pid', { hostPID: true }, ['NO_HOST_NAMESPACES'], ['PSS102']],
  ['host-network', { hostNetwork: true }, ['NO_HOST_NAMESPACES'], ['PSS102']],
  ['host-port', { hostPort: 8080 }, ['NO_HOST_NAMESPACES'], ['PSS106']],
  ['host-path', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host/log' }] }, ['NO_HOST_PATH_VOLUMES'], ['PSS105', 'PSS201']],
  ['root', { user: { uid: 0 } }, ['RUN_AS_NON_ROOT'], ['KBP109', 'PSS203', 'PSS204']],
  ['ptrace', { capabilities: { add: ['SYS_PTRACE'] } }, ['DROP_ALL_CAPABILITIES'], ['PSS104', 'PSS206']],
  ['unconfined', { seccompProfile: 'Unconfined' }, ['SECCOMP_RUNTIME_DEFAULT'], ['PSS110']],
  // Controls PSS does not cover: exempted, and monokle rightly has nothing to say.
  ['writable-root', { readOnlyRootFilesystem: false }, ['READ_ONLY_ROOT_FILESYSTEM'], []],
  ['net-bind', { capabilities: { add: ['NET_BIND_SERVICE'] } }, ['DROP_ALL_CAPABILITIES'], []],
  ['token', { automountServiceAccountToken: true }, ['NO_SERVICE_ACCOUNT_TOKEN'], []],
];

function objectsOf(chart: Chart): any[] {
  return chart.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson());
}

describe('third-party checks of synthesized output', () => {
  const { app, chart } = newChart();
  const services = [
    ...HARDENED.map(([name, props]) => new SecureService(chart, name, { ...GOLDEN, ...props })),
    ...EXEMPTED.map(([name, props, controls]) =>
      new SecureService(chart, name, { ...GOLDEN, ...props, exemptions: controls.map((c) => exemption(c)) })),
  ];
  const withSidecar = new SecureService(chart, 'sidecar', GOLDEN);
  withSidecar.addContainer('log-router', { image: 'ghcr.io/acme/log-router:2.1.0', writablePaths: ['/tmp'], secrets: { TOKEN_FILE: { secretName: 't', key: 'k' } }, secretsAsFiles: true });
  services.push(withSidecar);
  const objects = objectsOf(chart);
  const problems = checkPodSecurity(objects);
  const byObject: Record<string, string[]> = {};
  for (const p of problems) (byObject[p.object] ??= []).push(p.ruleId);

  test('the whole chart synthesizes: every weakening is exempted', () => {
    expect(() => app.synthYaml()).not.toThrow();
    expect(services.every((s) => s.assess().errors.length === 0)).toBe(true);
  });

  test.each([...HARDENED.map(([n]) => n), 'sidecar'])('%s passes PSS baseline + restricted and the practices rules with zero problems', (name) => {
    expect(problems.filter((p: MonokleProblem) => p.object === `Deployment/${name}`)).toEqual([]);
  });

  test.each(EXEMPTED)('%s (exempted) fails exactly the rules its exemptions name', (name, _props, _controls, ruleIds) => {
    expect([...new Set(byObject[`Deployment/${name}`] ?? [])].sort()).toEqual(ruleIds);
  });

  test('every object is schema-valid (kubernetes-models)', () => {
    expect(objects.length).toBeGreaterThan(50);
    expect(validateSchemas(objects)).toEqual([]);
  });
});
