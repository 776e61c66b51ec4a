// The reader over plain JSON, as the `secure-service check` CLI will use it on hand-written YAML.
import { Control, DEFAULT_POLICY, WorkloadPosture, evaluate } from '../../lib/core';
import { readWorkloads } from '../../lib/k8s';

/** What the NETWORK_ISOLATION rule makes of the ingress the reader found. */
function isolated(posture: WorkloadPosture): boolean {
  return !evaluate(posture, [], DEFAULT_POLICY, new Date()).some((f) => f.control === Control.NETWORK_ISOLATION);
}

const POD_SPEC = {
  securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { runAsNonRoot: false } }],
  containers: [{
    name: 'app',
    image: 'nginx:1.27',
    ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, hostPort: 9090 }],
    env: [{ name: 'A', value: '1' }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    envFrom: [{ secretRef: { name: 'bulk' } }],
    volumeMounts: [{ name: 'creds', mountPath: '/creds' }],
    resources: { requests: { cpu: 1, memory: '64Mi' } },
    securityContext: { runAsUser: 20001, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, seccompProfile: { type: 'Localhost' } },
  }],
  volumes: [{ name: 'creds', secret: { secretName: 'creds' } }, { name: 'h', hostPath: { path: '/' } }],
  hostNetwork: true,
};

const KINDS: [string, string, any][] = [
  ['v1', 'Pod', { metadata: { name: 'x', labels: { app: 'x' } }, spec: POD_SPEC }],
  ['apps/v1', 'Deployment', { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: POD_SPEC } } }],
  ['apps/v1', 'StatefulSet', { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: POD_SPEC } } }],
  ['apps/v1', 'DaemonSet', { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: POD_SPEC } } }],
  ['apps/v1', 'ReplicaSet', { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: POD_SPEC } } }],
  ['batch/v1', 'Job', { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: POD_SPEC } } }],
  ['batch/v1', 'CronJob', { metadata: { name: 'x' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'x' } }, spec: POD_SPEC } } } } }],
];

test('readWorkloads: a projected volume with a Secret source counts as a secret mount, one without does not', () => {
  const spec = {
    ...POD_SPEC,
    containers: [{ ...POD_SPEC.containers[0], volumeMounts: [{ name: 'mixed', mountPath: '/etc/mixed' }, { name: 'config', mountPath: '/etc/config' }] }],
    volumes: [
      { name: 'mixed', projected: { sources: [{ configMap: { name: 'c' } }, { secret: { name: 's' } }] } },
      { name: 'config', projected: { sources: [{ configMap: { name: 'c' } }] } },
    ],
  };
  const [workload] = readWorkloads([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec }]);
  expect(workload.posture.containers[1].secretNames).toEqual(['S', 'envFrom secret bulk', '/etc/mixed']);
});

describe.each(KINDS)('readWorkloads: %s %s', (apiVersion, kind, body) => {
  const [workload] = readWorkloads([{ apiVersion, kind, ...body }]);
  const specPath = { Pod: 'spec', CronJob: 'spec.jobTemplate.spec.template.spec' }[kind as 'Pod'] ?? 'spec.template.spec';
  const [init, app] = workload.posture.containers;

  test('init containers count like containers', () => {
    expect(workload.posture.containers.map((c) => [c.name, c.init])).toEqual([['init', true], ['app', false]]);
    expect(init.runAsNonRoot).toEqual([
      { value: true, at: `${specPath}.securityContext.runAsNonRoot` },
      { value: false, at: `${specPath}.initContainers[0].securityContext.runAsNonRoot` },
    ]);
  });

  test('pod and container levels are both recorded, outermost first', () => {
    expect(app.users).toEqual([
      { value: { uid: 10001, gid: undefined }, at: `${specPath}.securityContext` },
      { value: { uid: 20001, gid: undefined }, at: `${specPath}.containers[0].securityContext` },
    ]);
    expect(app.seccompProfiles.map((p) => p.value)).toEqual(['RuntimeDefault', 'Localhost']);
    expect(init.seccompProfiles.map((p) => p.value)).toEqual(['RuntimeDefault']);
    expect(init.seccompWhenUnset).toBe('Unconfined');
  });

  test('container settings: capabilities, host ports, environment, secrets, resources', () => {
    expect(app.capabilitiesAdded).toEqual([{ value: 'NET_ADMIN', at: `${specPath}.containers[0].securityContext.capabilities.add[0]` }]);
    expect(app.capabilitiesDropped.value).toEqual(['ALL']);
    expect(init.capabilitiesDropped.value).toEqual([]);
    expect(init.readOnlyRootFilesystem.value).toBeUndefined();
    expect(app.hostPorts).toEqual([{ value: 9090, at: `${specPath}.containers[0].ports[1].hostPort` }]);
    expect(app.plainEnvironment).toEqual([{ name: 'A', at: `${specPath}.containers[0].env[0]` }]);
    expect(app.secretNames).toEqual(['S', 'envFrom secret bulk', '/creds']);
    expect(app.resources.cpuRequest).toEqual({ value: '1', at: `${specPath}.containers[0].resources.requests.cpu` });
    expect(app.resources.cpuLimit).toBeUndefined();
  });

  test('workload settings: volumes, host namespaces, token, ingress', () => {
    expect(workload.posture.name).toBe(`${kind}/x`);
    expect(workload.posture.volumes.map((v) => v.kind)).toEqual(['secret', 'hostPath']);
    expect(workload.posture.hostNamespaces).toEqual([{ value: 'network', at: `${specPath}.hostNetwork` }]);
    expect(workload.posture.serviceAccountToken?.value).toBe(true);
    expect(workload.posture.ingress?.unrestricted?.value).toContain('no NetworkPolicy');
    expect(isolated(workload.posture)).toBe(false);
  });
});

describe('readWorkloads: context objects', () => {
  const deployment = (extra: any = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: 'api', tier: 'web' } }, spec: { serviceAccountName: 'api', containers: [{ name: 'c', ports: [{ containerPort: 8080, name: 'http' }] }], ...extra } } },
  });
  const policy = (spec: any, namespace = 'shop') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });

  test('the ServiceAccount decides when the pod does not; the pod wins when it does', () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: false };
    expect(readWorkloads([deployment(), sa])[0].posture.serviceAccountToken).toEqual({ value: false, at: 'ServiceAccount/shop/api automountServiceAccountToken' });
    expect(readWorkloads([deployment({ automountServiceAccountToken: true }), sa])[0].posture.serviceAccountToken?.value).toBe(true);
    expect(readWorkloads([deployment()])[0].posture.serviceAccountToken?.value).toBe(true);
  });

  test.each([
    ['ports by number', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] }, true],
    ['ports by name', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, ingress: [{ ports: [{ port: 'http' }] }] }, true],
    ['deny all', { podSelector: {}, policyTypes: ['Ingress'] }, true],
    ['a rule without ports', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }, false],
    ['a range beyond the port', { podSelector: {}, ingress: [{ ports: [{ port: 8080, endPort: 8090 }] }] }, false],
    ['UDP on the TCP port', { podSelector: {}, ingress: [{ ports: [{ port: 8080, protocol: 'UDP' }] }] }, false],
    ['egress only', { podSelector: {}, policyTypes: ['Egress'] }, false],
    ['another selector', { podSelector: { matchLabels: { app: 'web' } }, ingress: [] }, false],
    ['NotIn excludes the pods', { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] } }, false],
  ])('NetworkPolicy %s: isolated %s', (_, spec, expected) => {
    expect(isolated(readWorkloads([deployment(), policy(spec)])[0].posture)).toBe(expected);
  });

  test('a policy in another namespace does not apply', () => {
    expect(isolated(readWorkloads([deployment(), policy({ podSelector: {} }, 'other')])[0].posture)).toBe(false);
  });

  test('legacy seccomp annotations count at pod and container level', () => {
    const d = deployment();
    d.spec.template.metadata = {
      ...d.spec.template.metadata,
      annotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
        'container.seccomp.security.alpha.kubernetes.io/c': 'unconfined',
      },
    } as any;
    expect(readWorkloads([d])[0].posture.containers[0].seccompProfiles.map((p) => p.value)).toEqual(['RuntimeDefault', 'Unconfined']);
  });

  test('recorded exemptions: workload and template annotations, deduplicated; malformed ones are problems', () => {
    const entry = { control: 'NOT_PRIVILEGED', justification: 'x' };
    const d: any = deployment();
    d.metadata.annotations = { 'secure-service.dev/exemptions': JSON.stringify([entry]) };
    d.spec.template.metadata.annotations = { 'secure-service.dev/exemptions': JSON.stringify([entry, 'oops']) };
    const [workload] = readWorkloads([d]);
    expect(workload.exemptions).toEqual([entry]);
    expect(workload.problems).toEqual([
      'annotation secure-service.dev/exemptions on Deployment/shop/api (spec.template.metadata.annotations)[1] must be an object with control and justification, found: "oops"',
    ]);
  });

  test('objects that run no pods are skipped; malformed pod specs read as empty', () => {
    const workloads = readWorkloads([{ kind: 'Service' }, null, 'x', { kind: 'Deployment', metadata: { name: 'm' }, spec: { template: { spec: { containers: 'x' } } } }]);
    expect(workloads.map((w) => [w.index, w.posture.name, w.posture.containers.length])).toEqual([[3, 'Deployment/m', 0]]);
  });
});
