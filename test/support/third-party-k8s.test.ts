// Proves the third-party harness actually detects things: a hardened
// Deployment is clean, and each weakened variant trips exactly the expected
// monokle rule ids. If monokle silently stops checking, these fail.
import { checkPodSecurity, MonokleProblem, validateSchemas } from './third-party-k8s';

function hardenedDeployment(name = 'hardened'): any {
  const id = 65532;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: id,
            runAsGroup: id,
            fsGroup: id,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: 'app',
            image: 'registry.example.com/app:1.0.0',
            securityContext: {
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              privileged: false,
              capabilities: { drop: ['ALL'] },
              runAsNonRoot: true,
              runAsUser: id,
              runAsGroup: id,
            },
            resources: {
              requests: { cpu: '100m', memory: '128Mi' },
              limits: { cpu: '500m', memory: '256Mi' },
            },
          }],
        },
      },
    },
  };
}

/** A hardened Deployment named `name`, weakened by `mutate(podSpec, container)`. */
function variant(name: string, mutate: (pod: any, container: any) => void): any {
  const d = hardenedDeployment(name);
  mutate(d.spec.template.spec, d.spec.template.spec.containers[0]);
  return d;
}

// name -> [weakening, exact set of rule ids monokle must report]
const VARIANTS: Record<string, [(pod: any, c: any) => void, string[]]> = {
  'privileged': [(_, c) => { c.securityContext.privileged = true; }, ['PSS103']],
  'host-pid': [(p) => { p.hostPID = true; }, ['PSS102']],
  'no-seccomp': [(p) => { delete p.securityContext.seccompProfile; }, ['PSS205']],
  'sys-admin': [(_, c) => { c.securityContext.capabilities.add = ['SYS_ADMIN']; }, ['KBP100', 'PSS104', 'PSS206']],
  // PSS allow-lists use bare names; the CAP_ spelling is not on any list.
  'cap-prefixed': [(_, c) => { c.securityContext.capabilities.add = ['CAP_NET_BIND_SERVICE']; }, ['PSS104', 'PSS206']],
  'bare-net-bind': [(_, c) => { c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; }, []],
  'pod-root-user': [(p) => { p.securityContext.runAsUser = 0; }, ['PSS204']],
  'priv-escalation': [(_, c) => { c.securityContext.allowPrivilegeEscalation = true; }, ['PSS202']],
  'host-path': [(p) => { p.volumes = [{ name: 'h', hostPath: { path: '/var/run' } }]; }, ['PSS105', 'PSS201']],
  'low-uid': [(_, c) => { c.securityContext.runAsUser = 1000; }, ['KBP104']],
  'root-group': [(_, c) => { c.securityContext.runAsGroup = 0; }, ['KBP109']],
  'no-drop-all': [(_, c) => { delete c.securityContext.capabilities; }, ['KBP103', 'PSS206']],
};

function ruleIdsByObject(problems: MonokleProblem[]): Record<string, string[]> {
  const byObject: Record<string, string[]> = {};
  for (const p of problems) (byObject[p.object] ??= []).push(p.ruleId);
  for (const k of Object.keys(byObject)) byObject[k] = [...new Set(byObject[k])].sort();
  return byObject;
}

describe('checkPodSecurity (monokle)', () => {
  test('hardened Deployment has no problems', () => {
    expect(checkPodSecurity([hardenedDeployment()])).toEqual([]);
  });

  test('each weakened variant is flagged with exactly the expected rule ids', () => {
    // One child process for the whole batch.
    const objects = Object.entries(VARIANTS).map(([name, [mutate]]) => variant(name, mutate));
    const actual = ruleIdsByObject(checkPodSecurity(objects));
    for (const [name, [, expected]] of Object.entries(VARIANTS)) {
      expect({ name, ruleIds: actual[`Deployment/${name}`] ?? [] }).toEqual({ name, ruleIds: expected });
    }
  });

  test('problems carry rule name, level, message and field path', () => {
    const [problem] = checkPodSecurity([variant('host-pid', (p) => { p.hostPID = true; })]);
    expect(problem).toEqual({
      ruleId: 'PSS102',
      ruleName: 'host-namespaces',
      level: 'error',
      message: expect.any(String),
      object: 'Deployment/host-pid',
      path: 'spec.template.spec.hostPID',
    });
  });

  test('a malformed pod spec makes the check throw instead of passing silently', () => {
    const broken = hardenedDeployment('broken');
    broken.spec.template.spec.containers = 'x';
    expect(() => checkPodSecurity([broken])).toThrow(/monokle rules crashed/);
  });
});

describe('validateSchemas (kubernetes-models)', () => {
  test('hardened Deployment and a Service are schema-valid', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { selector: { app: 'hardened' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    expect(validateSchemas([hardenedDeployment(), service])).toEqual([]);
  });

  test('wrong field types are reported with their path', () => {
    const bad = hardenedDeployment('bad');
    bad.spec.replicas = 'two';
    bad.spec.template.spec.containers = 'x';
    expect(validateSchemas([bad])).toEqual([
      'Deployment/bad: /spec/replicas must be integer',
      'Deployment/bad: /spec/template/spec/containers must be array',
    ]);
  });

  test('unknown kinds are an error, not skipped', () => {
    expect(validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]))
      .toEqual(['Widget/w: no schema for apiVersion=example.com/v1 kind=Widget']);
  });
});
