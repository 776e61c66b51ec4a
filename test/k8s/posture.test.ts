// The reader over plain JSON, as the `secure-service check` CLI will use it on hand-written YAML.
import { Control, DEFAULT_POLICY, WorkloadPosture, evaluate } from '../../lib/core';
import { checkObjects, isKubernetesList, readWorkloads, unpackLists } from '../../lib/k8s';

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
    expect(app.plainEnvironment).toEqual([{ name: 'A', at: `${specPath}.containers[0].env[0]`, value: '1' }]);
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
    // A port name the pods do not declare admits nothing on them (a platform's namespace-wide Prometheus policy).
    ['a port name the pods do not declare', { podSelector: {}, ingress: [{ ports: [{ port: 'metrics' }] }] }, true],
    ['deny all', { podSelector: {}, policyTypes: ['Ingress'] }, true],
    ['a rule without ports', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }, false],
    ['a range beyond the port', { podSelector: {}, ingress: [{ ports: [{ port: 8080, endPort: 8090 }] }] }, false],
    ['UDP on the TCP port', { podSelector: {}, ingress: [{ ports: [{ port: 8080, protocol: 'UDP' }] }] }, false],
    ['egress only', { podSelector: {}, policyTypes: ['Egress'] }, false],
    ['empty policyTypes, which the API server sets to Ingress', { podSelector: {}, policyTypes: [], ingress: [{ ports: [{ port: 8080 }] }] }, true],
    ['another selector', { podSelector: { matchLabels: { app: 'web' } }, ingress: [] }, false],
    ['NotIn excludes the pods', { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] } }, false],
  ])('NetworkPolicy %s: isolated %s', (_, spec, expected) => {
    expect(isolated(readWorkloads([deployment(), policy(spec)])[0].posture)).toBe(expected);
  });

  test('a label value written as a number (YAML `version: 1`) cannot be decoded: such a policy isolates nothing', () => {
    const numbered = deployment();
    (numbered.spec.template.metadata.labels as any).version = 1;
    const { ingress } = readWorkloads([numbered, policy({ podSelector: { matchLabels: { version: 1 } }, policyTypes: ['Ingress'] })])[0].posture;
    expect(ingress?.unrestricted?.value).toContain('NetworkPolicy/shop/p would, but the API server rejects it: spec.podSelector.matchLabels.version is 1, not a string');
    expect(isolated(readWorkloads([numbered, policy({ podSelector: { matchLabels: { version: '1' } }, policyTypes: ['Ingress'] })])[0].posture)).toBe(false);
  });

  test.each([
    ['policyTypes as a string', { podSelector: {}, policyTypes: 'Ingress' }, 'spec.policyTypes is "Ingress", not a list'],
    ['more than two policy types', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Egress'] }, 'policyTypes holds 3 types, and the API server takes at most two'],
    ['a podSelector as text', { podSelector: 'app=api', policyTypes: ['Ingress'] }, 'spec.podSelector is "app=api", not an object'],
    ['ingress as a map', { podSelector: {}, ingress: { ports: [{ port: 8080 }] } }, 'spec.ingress is {"ports":[{"port":8080}]}, not a list'],
  ])('a NetworkPolicy the API server cannot take (%s) isolates nothing', (_, spec, why) => {
    const { ingress } = readWorkloads([deployment(), policy(spec)])[0].posture;
    expect(ingress?.unrestricted?.value).toContain(`NetworkPolicy/shop/p would, but the API server rejects it: ${why}`);
  });

  test('a NetworkPolicy of an apiVersion that does not serve them isolates nothing', () => {
    const { ingress } = readWorkloads([deployment(), { ...policy({ podSelector: {}, policyTypes: ['Ingress'] }), apiVersion: 'networking.k8s.io/v2' }])[0].posture;
    expect(ingress?.unrestricted?.value).toContain('its apiVersion "networking.k8s.io/v2" does not serve NetworkPolicies (networking.k8s.io/v1 does)');
  });

  test('a field NetworkPolicies do not have: rejected as kubectl applies by default, so it isolates nothing, yet without validation it opens', () => {
    // GIVEN: deny-all, and an allow-all policy with a misspelled field
    const denyAll = policy({ podSelector: {}, policyTypes: ['Ingress'] });
    const typo = { ...policy({ podSelector: {}, ingress: [{}], ingres: [] }), metadata: { name: 'allow-all', namespace: 'shop' } };
    // THEN: alone it isolates nothing; beside deny-all its rule still opens every port
    expect(readWorkloads([deployment(), typo])[0].posture.ingress?.unrestricted?.value)
      .toContain('NetworkPolicy/shop/allow-all would, but spec.ingres is not a field of NetworkPolicy, which kubectl\'s default strict field validation rejects');
    expect(readWorkloads([deployment(), denyAll, typo])[0].posture.ingress?.openings.map((o) => o.value.source)).toEqual(['NetworkPolicy/shop/allow-all spec.ingress[0]']);
  });

  test('a native sidecar\'s ports are container ports, by number and by name', () => {
    const withSidecar = deployment({ initContainers: [{ name: 'debug-agent', restartPolicy: 'Always', ports: [{ containerPort: 6060, name: 'debug' }] }] });
    const { ingress } = readWorkloads([withSidecar, policy({ podSelector: {}, ingress: [{ ports: [{ port: 'debug' }, { port: 6060 }] }] })])[0].posture;
    expect(ingress?.containerPorts).toEqual([{ protocol: 'TCP', port: 8080, name: 'http' }, { protocol: 'TCP', port: 6060, name: 'debug' }]);
    expect(isolated(readWorkloads([withSidecar, policy({ podSelector: {}, ingress: [{ ports: [{ port: 'debug' }, { port: 6060 }] }] })])[0].posture)).toBe(true);
  });

  test('an empty policyTypes is Ingress, as the API server sets it: its rules open ports', () => {
    const denyAll = policy({ podSelector: {}, policyTypes: ['Ingress'] });
    const allowAll = { ...policy({ podSelector: {}, policyTypes: [], ingress: [{}] }), metadata: { name: 'allow-all', namespace: 'shop' } };
    expect(isolated(readWorkloads([deployment(), denyAll, allowAll])[0].posture)).toBe(false);
  });

  test('a policy that may be in the pods\' namespace opens its ports to them, though it isolates them only when certainly there', () => {
    // GIVEN: the pods isolated in shop, and an allow-all policy without a namespace (kubectl apply -n shop puts it there)
    const denyAll = policy({ podSelector: {}, policyTypes: ['Ingress'] });
    const allowAll = { ...policy({ podSelector: {}, ingress: [{}] }), metadata: { name: 'allow-all' } };
    // THEN
    const { ingress } = readWorkloads([deployment(), denyAll, allowAll])[0].posture;
    expect(ingress?.openings.map((o) => o.value)).toEqual([{ source: 'NetworkPolicy/allow-all spec.ingress[0]', protocol: 'ALL' }]);
    expect(isolated(readWorkloads([deployment(), denyAll, allowAll])[0].posture)).toBe(false);
    // and one certainly in another namespace does not
    const elsewhere = { ...allowAll, metadata: { name: 'allow-all', namespace: 'other' } };
    expect(isolated(readWorkloads([deployment(), denyAll, elsewhere])[0].posture)).toBe(true);
  });

  test('a policy in another namespace does not apply', () => {
    expect(isolated(readWorkloads([deployment(), policy({ podSelector: {} }, 'other')])[0].posture)).toBe(false);
  });

  test('a NetworkPolicy of another API group (Calico, Antrea) neither isolates nor opens: another schema, for a CNI that may not be there', () => {
    const calico = { ...policy({ podSelector: {}, policyTypes: ['Ingress'] }), apiVersion: 'projectcalico.org/v3' };
    expect(isolated(readWorkloads([deployment(), calico])[0].posture)).toBe(false);
    const allowAll = { ...policy({ podSelector: {}, ingress: [{}] }), apiVersion: 'crd.antrea.io/v1beta1' };
    expect(isolated(readWorkloads([deployment(), policy({ podSelector: {}, policyTypes: ['Ingress'] }), allowAll])[0].posture)).toBe(true);
  });

  test.each([
    ['matchExpressions that is not a list', { matchExpressions: 5 }],
    ['an expression that is null', { matchExpressions: [null] }],
    ['values that are not a list', { matchExpressions: [{ key: 'app', operator: 'In', values: 5 }] }],
  ])('a selector with %s selects nothing (the API server rejects it)', (_, podSelector) => {
    expect(isolated(readWorkloads([deployment(), policy({ podSelector, policyTypes: ['Ingress'] })])[0].posture)).toBe(false);
  });

  test('a policy or account protects the pods only when certainly in their namespace: both set and equal, or both unset', () => {
    const unset = (o: any) => ({ ...o, metadata: { ...o.metadata, namespace: undefined } });
    const denyAll = policy({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(readWorkloads([deployment(), unset(denyAll)])[0].posture.ingress?.unrestricted?.value).toBe('no NetworkPolicy with policyType Ingress selects the pods '
      + '(NetworkPolicy/p would, but it has no namespace (it goes wherever it is applied) and the pods namespace shop: give both the same namespace), '
      + 'so every port is open to every peer');
    expect(isolated(readWorkloads([unset(deployment()), denyAll])[0].posture)).toBe(false);
    expect(isolated(readWorkloads([unset(deployment()), unset(denyAll)])[0].posture)).toBe(true);
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api' }, automountServiceAccountToken: false };
    expect(readWorkloads([deployment(), sa])[0].posture.serviceAccountToken?.value).toBe(true);
    expect(readWorkloads([unset(deployment()), sa])[0].posture.serviceAccountToken?.value).toBe(false);
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

describe('readWorkloads: Lists', () => {
  const pod = (name: string, spec: any = { containers: [{ name: 'c' }] }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec });
  const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };

  test('items of a List and of *List kinds are read, named by the List, at the List\'s position', () => {
    // GIVEN: a Pod, a List holding a Pod and a nested DeploymentList
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: { labels: { app: 'd' } }, spec: { containers: [] } } } };
    const objects = [
      pod('a'),
      { apiVersion: 'v1', kind: 'List', metadata: { name: 'legacy' }, items: [pod('b'), { apiVersion: 'apps/v1', kind: 'DeploymentList', items: [deployment] }] },
    ];
    // WHEN
    const workloads = readWorkloads(objects, { file: 'app.yaml' });
    // THEN
    expect(workloads.map((w) => [w.index, w.posture.name, w.posture.location])).toEqual([
      [0, 'Pod/a', 'app.yaml#0'],
      [1, 'List/legacy items[0] Pod/b', 'app.yaml#1 items[0]'],
      [1, 'List/legacy items[1] DeploymentList/<unnamed> items[0] Deployment/d', 'app.yaml#1 items[1] DeploymentList/<unnamed> items[0]'],
    ]);
  });

  test('a NetworkPolicy in a List applies to the pods beside it', () => {
    const [workload] = readWorkloads([{ apiVersion: 'v1', kind: 'List', items: [pod('a'), denyAll] }]);
    expect(isolated(workload.posture)).toBe(true);
  });

  test('exemptions recorded on an item are the item\'s', () => {
    const item: any = pod('a');
    item.metadata.annotations = { 'secure-service.dev/exemptions': JSON.stringify([{ control: 'NOT_PRIVILEGED', justification: 'x' }]) };
    expect(readWorkloads([{ kind: 'List', items: [item] }])[0].exemptions).toEqual([{ control: 'NOT_PRIVILEGED', justification: 'x' }]);
  });

  test('a List that holds itself is unpacked once; objects without a List are passed as they are', () => {
    const list: any = { kind: 'List', items: [pod('a')] };
    list.items.push(list);
    expect(unpackLists([list]).objects).toEqual([list.items[0], list]);
    const plain = [pod('a')];
    expect(unpackLists(plain)).toEqual({ objects: plain });
  });

  test('items is what makes a List, as kubectl decodes it: a *List kind without items is an object like any other, any kind with items a List', () => {
    expect(isKubernetesList({ kind: 'PodList', items: [] })).toBe(true);
    expect(isKubernetesList({ kind: 'PodList' })).toBe(false);
    expect(isKubernetesList({ kind: 'ConfigMap', items: [] })).toBe(true);
    expect(isKubernetesList({ kind: 'ConfigMap', items: {} })).toBe(false);
  });

  test('an item without kind and apiVersion takes the List\'s apiVersion and its kind without List; one with either keeps its own', () => {
    const spec = { containers: [] };
    expect(unpackLists([{ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'a' }, spec }] }]).objects)
      .toEqual([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec }]);
    expect(unpackLists([{ apiVersion: 'v1', kind: 'PodList', items: [{ kind: 'Pod', spec }, { apiVersion: 'v1', spec }] }]).objects)
      .toEqual([{ kind: 'Pod', spec }, { apiVersion: 'v1', spec }]);
  });
});

describe('readWorkloads: null is unset, and only what Kubernetes knows counts', () => {
  const podWith = (spec: any) => readWorkloads([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec }])[0].posture;

  test('a value beside valueFrom: null is plain; value: null beside a secretKeyRef is not', () => {
    const [c] = podWith({
      containers: [{
        name: 'c',
        env: [
          { name: 'API_TOKEN', value: 's3cr3t-token', valueFrom: null },
          { name: 'DB_PASSWORD', value: null, valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } },
          { name: 'EMPTY', value: null },
        ],
      }],
    }).containers;
    expect(c.plainEnvironment).toEqual([{ name: 'API_TOKEN', at: 'spec.containers[0].env[0]', value: 's3cr3t-token' }]);
    expect(c.secretNames).toEqual(['DB_PASSWORD']);
  });

  test.each([
    ['emptyDir: null before a hostPath', { name: 'h', emptyDir: null, hostPath: { path: '/' } }, ['hostPath']],
    ['an ECS efs key before a hostPath', { name: 'h', efs: { fileSystemId: 'fs-1' }, hostPath: { path: '/' } }, ['hostPath']],
    ['two sources (the API server rejects it): each is judged', { name: 'h', emptyDir: {}, nfs: { server: 's', path: '/' } }, ['emptyDir', 'nfs']],
    ['only a key Kubernetes does not know: the API server makes it an emptyDir', { name: 'h', efs: { fileSystemId: 'fs-1' } }, ['emptyDir']],
    ['no source at all', { name: 'h' }, ['emptyDir']],
    ['hostPath: null beside a secret', { name: 'h', hostPath: null, secret: { secretName: 's' } }, ['secret']],
  ])('volume with %s', (_, volume, kinds) => {
    const posture = podWith({ containers: [], volumes: [volume] });
    expect(posture.volumes).toEqual(kinds.map((kind) => ({ name: 'h', kind, at: 'spec.volumes[0]' })));
  });

  test('null settings in security contexts are unset', () => {
    const [c] = podWith({
      securityContext: { runAsNonRoot: null, runAsUser: null, runAsGroup: null, seccompProfile: null, seLinuxOptions: null, appArmorProfile: null },
      containers: [{ name: 'c', securityContext: { procMount: null, seccompProfile: null, seLinuxOptions: { type: null } }, resources: { limits: { cpu: null } } }],
    }).containers;
    expect([c.users, c.runAsNonRoot, c.seccompProfiles, c.confinement, c.resources.cpuLimit]).toEqual([[], [], [], [], undefined]);
  });
});

describe('readWorkloads: environment from a ConfigMap', () => {
  test('a configMapKeyRef is plain text and says where it comes from; fieldRef and resourceFieldRef are not plain', () => {
    const [c] = readWorkloads([{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'x' },
      spec: {
        containers: [{
          name: 'c',
          env: [
            { name: 'API_TOKEN', valueFrom: { configMapKeyRef: { name: 'cm', key: 'tok' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          ],
        }],
      },
    }])[0].posture.containers;
    expect(c.plainEnvironment).toEqual([{ name: 'API_TOKEN', at: 'spec.containers[0].env[0].valueFrom.configMapKeyRef', source: 'ConfigMap "cm"' }]);
  });

  const configMap = (name: string, data: Record<string, string>, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
  const podFrom = (envFrom: object[], namespace?: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace }, spec: { initContainers: [{ name: 'init', envFrom }], containers: [{ name: 'c', envFrom }] },
  });

  test('envFrom a ConfigMap among the objects: every key is a plain variable, with the prefix, its value and where it comes from', () => {
    // GIVEN
    const objects = [podFrom([{ configMapRef: { name: 'app' } }, { prefix: 'DB_', configMapRef: { name: 'db' } }]), configMap('app', { LOG_LEVEL: 'info' }), configMap('db', { PASSWORD: 'hunter2' })];
    // WHEN
    const [init, c] = readWorkloads(objects)[0].posture.containers;
    // THEN
    const expected = [
      { name: 'LOG_LEVEL', at: 'spec.containers[0].envFrom[0].configMapRef', source: 'ConfigMap "app"', value: 'info' },
      { name: 'DB_PASSWORD', at: 'spec.containers[0].envFrom[1].configMapRef', source: 'ConfigMap "db"', value: 'hunter2' },
    ];
    expect(c.plainEnvironment).toEqual(expected);
    expect(init.plainEnvironment).toEqual(expected.map((v) => ({ ...v, at: v.at.replace('containers', 'initContainers') })));
  });

  test('a ConfigMap of another namespace, or of another name, is not read; nor is a secretRef', () => {
    const objects = [podFrom([{ configMapRef: { name: 'app' } }, { secretRef: { name: 'app' } }], 'shop'), configMap('app', { PASSWORD: 'x' }, 'other'), configMap('db', { PASSWORD: 'x' }, 'shop')];
    expect(readWorkloads(objects)[0].posture.containers[1].plainEnvironment).toEqual([]);
  });

  test('checkObjects: a secret-like key or a URL with a password in an envFrom ConfigMap violates SECRETS_NOT_IN_ENVIRONMENT', () => {
    const objects = [podFrom([{ configMapRef: { name: 'app' } }]), configMap('app', { API_KEY: 'abc', DATABASE_URL: 'postgres://app:s3cret@db:5432/app', LOG_LEVEL: 'info' })];
    const errors = checkObjects(objects, { today: '2026-06-01' }).errors.filter((e) => e.startsWith('[SECRETS_NOT_IN_ENVIRONMENT]'));
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining("container 'c': environment variable API_KEY looks like a secret but comes from ConfigMap \"app\", which is plain text, not a secret store at spec.containers[0].envFrom[0].configMapRef"),
      expect.stringContaining("container 'c': environment variable DATABASE_URL holds a password in plain text (postgres://app:****@db:5432/app) at spec.containers[0].envFrom[0].configMapRef"),
    ]));
    expect(errors.join('\n')).not.toContain('LOG_LEVEL');
  });
});

describe('readWorkloads: claims bound to PersistentVolumes of the node', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } };
  const claim = (volumeName?: string, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace }, spec: { volumeName } });
  const volume = (source: Record<string, unknown>, claimRef?: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { ...source, claimRef } });
  const kinds = (objects: unknown[]) => readWorkloads(objects)[0].posture.volumes.map((v) => `${v.kind} at ${v.at}`);

  test.each([
    ['named by the claim (volumeName)', [claim('pv'), volume({ hostPath: { path: '/' } })], 'hostPath at spec.volumes[0].persistentVolumeClaim (bound to PersistentVolume/pv, spec.hostPath)'],
    ['reserved for the claim (claimRef), a local volume', [claim(), volume({ local: { path: '/mnt/disk' } }, { name: 'data', namespace: 'shop' })], 'hostPath at spec.volumes[0].persistentVolumeClaim (bound to PersistentVolume/pv, spec.local)'],
    ['reserved for the claim, the claim not among the objects', [volume({ hostPath: { path: '/' } }, { name: 'data', namespace: 'shop' })], 'hostPath at spec.volumes[0].persistentVolumeClaim (bound to PersistentVolume/pv, spec.hostPath)'],
    ['of network storage', [claim('pv'), volume({ csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } })], 'persistentVolumeClaim at spec.volumes[0]'],
    ['reserved for a claim of another namespace', [volume({ hostPath: { path: '/' } }, { name: 'data', namespace: 'other' })], 'persistentVolumeClaim at spec.volumes[0]'],
    ['not among the objects', [claim('pv')], 'persistentVolumeClaim at spec.volumes[0]'],
  ])('a PersistentVolume %s', (_, others, expected) => {
    expect(kinds([pod, ...others])).toEqual([expected]);
  });
});

describe('readWorkloads: which containers a host volume reaches', () => {
  const hostPathFindings = (objects: unknown[], exemptions: Parameters<typeof evaluate>[1] = []) => {
    const [workload] = readWorkloads(objects);
    return evaluate(workload.posture, exemptions, DEFAULT_POLICY, new Date('2026-06-01T00:00:00Z'))
      .filter((f) => f.control === Control.NO_HOST_PATH_VOLUMES).map((f) => [f.container, f.setting, f.status]);
  };

  test('a finding per container that mounts it (volumeMounts, volumeDevices, init containers); one no container mounts is the pod\'s', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'prepare', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
        containers: [
          { name: 'app', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] },
          { name: 'shipper', volumeMounts: [{ name: 'logs', mountPath: '/logs', readOnly: true }], volumeDevices: [{ name: 'disk', devicePath: '/dev/xvdb' }] },
        ],
        volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }, { name: 'disk', hostPath: { path: '/dev/sdb' } }, { name: 'spare', hostPath: { path: '/srv' } }],
      },
    };
    expect(hostPathFindings([pod], [{ control: Control.NO_HOST_PATH_VOLUMES, container: 'shipper', justification: 'ships the node logs to the central store' }])).toEqual([
      ['prepare', 'spec.volumes[0]', 'violated'],
      ['app', 'spec.volumes[0]', 'violated'],
      ['shipper', 'spec.volumes[0]', 'exempted'],
      ['shipper', 'spec.volumes[1]', 'exempted'],
      [undefined, 'spec.volumes[2]', 'violated'],
    ]);
  });

  test.each([
    ['shareProcessNamespace', { shareProcessNamespace: true }],
    ['hostPID', { hostPID: true }],
  ])('containers that share a process namespace (%s) reach each other\'s files: a host volume is the whole pod\'s', (_, sharing) => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        ...sharing,
        containers: [{ name: 'app' }, { name: 'shipper', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
        volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
      },
    };
    expect(hostPathFindings([pod], [{ control: Control.NO_HOST_PATH_VOLUMES, container: 'shipper', justification: 'ships the node logs to the central store' }]))
      .toEqual([[undefined, 'spec.volumes[0]', 'violated']]);
  });

  test("a claim bound to the node's filesystem reaches the containers that mount the claim's volume", () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, { name: 'd' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } };
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { volumeName: 'pv' } };
    const volume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { hostPath: { path: '/' } } };
    expect(hostPathFindings([pod, claim, volume])).toEqual([['c', 'spec.volumes[0].persistentVolumeClaim (bound to PersistentVolume/pv, spec.hostPath)', 'violated']]);
  });
});

describe('readWorkloads: an object the pods depend on, written twice (kubectl apply keeps the one it applies last)', () => {
  const labels = { app: 'api' };
  const deployment = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: 'api', containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }], ...spec } } },
  });
  const account = (automount?: boolean) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: automount });
  const policy = (podSelector: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { podSelector, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }] },
  });
  const read = (...others: unknown[]) => readWorkloads([deployment(), ...others])[0].posture;

  test.each([
    ['unset', undefined, 'unset: Kubernetes mounts the token'],
    ['true', true, 'true'],
  ])('a ServiceAccount that turns automounting off, written again with it %s: the token counts as mounted', (_, automount, setting) => {
    expect(read(account(false), account(automount)).serviceAccountToken).toEqual({
      value: true,
      at: `ServiceAccount/shop/api automountServiceAccountToken (${setting}; the ServiceAccount is written twice, and kubectl apply keeps the one it applies last)`,
    });
    expect(read(account(automount), account(false)).serviceAccountToken?.value).toBe(true);
  });

  test('a ServiceAccount written twice, off both times, keeps the token off', () => {
    expect(read(account(false), account(false)).serviceAccountToken?.value).toBe(false);
  });

  test('a NetworkPolicy that isolates the pods, written again selecting other pods, does not isolate them', () => {
    const ingress = read(policy({ matchLabels: labels }), policy({ matchLabels: { app: 'other' } })).ingress!;
    expect(ingress.unrestricted?.value).toBe('no NetworkPolicy with policyType Ingress selects the pods (NetworkPolicy/shop/api would, but it is written twice, '
      + 'the other time not selecting them, and kubectl apply keeps the one it applies last), so every port is open to every peer');
    const errors = checkObjects([deployment(), policy({ matchLabels: { app: 'other' } }), policy({ matchLabels: labels })], { today: '2026-06-01' }).errors;
    expect(errors.filter((e) => e.startsWith('[NETWORK_ISOLATION] Deployment/shop/api'))).toHaveLength(1);
  });

  test('a copy written with namespace: null (unset, as kubectl reads it) may replace the first', () => {
    const unset = <T extends { metadata: Record<string, unknown> }>(object: T) => ({ ...object, metadata: { ...object.metadata, namespace: null } });
    const posture = read(policy({ matchLabels: labels }), unset(policy({ matchLabels: { app: 'other' } })), account(false), unset(account(true)));
    expect(posture.ingress!.unrestricted?.value).toContain('NetworkPolicy/shop/api would, but it is written twice');
    expect(posture.serviceAccountToken?.value).toBe(true);
  });

  test('namespace "" is no namespace, as kubectl reads it: such a Service exposes the pods, such a copy may replace the first', () => {
    const emptied = <T extends { metadata: Record<string, unknown> }>(object: T) => ({ ...object, metadata: { ...object.metadata, namespace: '' } });
    const exposing = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-public', namespace: '' }, spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80 }] } };
    const posture = read(policy({ matchLabels: labels }), emptied(policy({ matchLabels: { app: 'other' } })), account(false), emptied(account(true)), exposing);
    expect(posture.ingress!.unrestricted?.value).toContain('NetworkPolicy/shop/api would, but it is written twice');
    expect(posture.serviceAccountToken?.value).toBe(true);
    expect(posture.publicIp?.value).toBe(true);
  });

  test.each([
    ['an apiVersion that does not serve ServiceAccounts', { apiVersion: 'rbac.authorization.k8s.io/v1' }, 'its apiVersion "rbac.authorization.k8s.io/v1" does not serve ServiceAccounts'],
    ['an invalid label value', { metadata: { name: 'api', namespace: 'shop', labels: { 'helm.sh/chart': 'api-1.4.2+build.7' } } }, 'metadata.labels.helm.sh/chart has an invalid label value'],
    ['imagePullSecrets that are not references', { imagePullSecrets: ['regcred'] }, 'imagePullSecrets[0] is "regcred", not an object, which the API server cannot decode'],
    ['a reference whose name is not text', { imagePullSecrets: [{ name: 5 }] }, 'imagePullSecrets[0].name is 5, not a string, which the API server cannot decode'],
    ['an annotation that is not text', { metadata: { name: 'api', namespace: 'shop', annotations: { 'owner-team': 42 } } }, 'metadata.annotations.owner-team is 42, not a string'],
    ['a field ServiceAccounts do not have', { automountToken: false }, 'automountToken is not a field of ServiceAccount, which kubectl\'s default strict field validation rejects'],
  ])('a ServiceAccount the API server rejects (%s) turns nothing off: the pods get the token', (_, change, why) => {
    const token = read({ ...account(false), ...change }).serviceAccountToken!;
    expect(token.value).toBe(true);
    expect(token.at).toContain(`ServiceAccount/shop/api is rejected by the API server: ${why}`);
  });

  test('a NetworkPolicy with an invalid label value is rejected: it isolates nothing', () => {
    const labelled = { ...policy({ matchLabels: labels }), metadata: { name: 'api', namespace: 'shop', labels: { tier: 'a b' } } };
    expect(read(labelled).ingress!.unrestricted?.value).toContain('NetworkPolicy/shop/api would, but the API server rejects it: metadata.labels.tier has an invalid label value');
  });

  test('a NetworkPolicy written twice, both copies selecting the pods, one of them without a namespace: the pods stay isolated', () => {
    const withoutNamespace = { ...policy({ matchLabels: labels }), metadata: { name: 'api' } };
    expect(read(policy({ matchLabels: labels }), withoutNamespace).ingress!.unrestricted).toBeUndefined();
  });

  test('a ServiceAccount copy the API server rejects (a setting that is not a boolean) replaces nothing', () => {
    expect(read(account(false), { ...account(), automountServiceAccountToken: 'true' }).serviceAccountToken?.value).toBe(false);
  });

  test('a NetworkPolicy written again in a form the API server rejects replaces nothing: the pods stay isolated', () => {
    const rejected = { ...policy({ matchLabels: { app: 'other' } }), spec: { podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Sideways'] } };
    expect(read(policy({ matchLabels: labels }), rejected).ingress!.unrestricted).toBeUndefined();
  });

  test('a NetworkPolicy written twice, selecting the pods both times, isolates them: the openings of both count', () => {
    const wider = { ...policy({ matchLabels: labels }), spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9090 }] }] } };
    const ingress = read(policy({ matchLabels: labels }), wider).ingress!;
    expect(ingress.unrestricted).toBeUndefined();
    expect(ingress.openings.map((o) => o.value.from)).toEqual([8080, 9090]);
    expect(read(policy({ matchLabels: labels }), policy({ matchLabels: labels })).ingress!.unrestricted).toBeUndefined();
  });

  test('a ConfigMap written twice, its key read into a secret-like name: one finding, whatever the values', () => {
    const configMap = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { pw: value } });
    const workload = deployment({ containers: [{ name: 'api', env: [{ name: 'DB_PASSWORD', valueFrom: { configMapKeyRef: { name: 'settings', key: 'pw' } } }] }] });
    const errors = checkObjects([workload, policy({ matchLabels: labels }), configMap('a'), configMap('b')], { today: '2026-06-01' }).errors;
    expect(errors.filter((e) => e.startsWith('[SECRETS_NOT_IN_ENVIRONMENT]'))).toHaveLength(1);
  });

  test("a PersistentVolumeClaim written twice: either one may bind the node's filesystem", () => {
    const claim = (storageClassName: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: { storageClassName } });
    const hostVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'node-root' }, spec: { storageClassName: 'manual', hostPath: { path: '/' } } };
    const workload = deployment({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] });
    const kinds = (...claims: unknown[]) => readWorkloads([workload, ...claims, hostVolume])[0].posture.volumes.map((v) => v.kind);
    expect(kinds(claim('gp3'))).toEqual(['persistentVolumeClaim']);
    expect(kinds(claim('gp3'), claim('manual'))).toEqual(['hostPath']);
    expect(kinds(claim('manual'), claim('gp3'))).toEqual(['hostPath']);
  });

  test('a ConfigMap written twice: a password in either one is a plain secret', () => {
    const configMap = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { DATABASE_URL: value } });
    const workload = deployment({ containers: [{ name: 'api', env: [{ name: 'DATABASE_URL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'DATABASE_URL' } } }] }] });
    const objects = [workload, policy({ matchLabels: labels }), configMap('postgres://db:5432/app'), configMap('postgres://app:hunter2@db:5432/app')];
    expect(readWorkloads(objects)[0].posture.containers[0].plainEnvironment.map((v) => v.value)).toEqual(['postgres://db:5432/app', 'postgres://app:hunter2@db:5432/app']);
    const errors = checkObjects(objects, { today: '2026-06-01' }).errors.filter((e) => e.startsWith('[SECRETS_NOT_IN_ENVIRONMENT]'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('DATABASE_URL');
  });
});

test.each([
  ['fsGroup', { fsGroup: '0o0' }, 'spec.template.spec.securityContext.fsGroup'],
  ['supplementalGroups', { supplementalGroups: ['0o0'] }, 'spec.template.spec.securityContext.supplementalGroups[0]'],
])('a %s written as text (kubectl reads 0o0 as 0) cannot be proven not root', (_, groups, at) => {
  const labels = { app: 'api' };
  const securityContext = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' }, ...groups };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { securityContext, containers: [{ name: 'api', image: 'ghcr.io/acme/api:1.0.0' }] } } },
  };
  const errors = checkObjects([deployment], { today: '2026-06-01' }).errors.filter((e) => e.startsWith('[RUN_AS_NON_ROOT]'));
  expect(errors).toEqual([expect.stringContaining(`the pod gives the process group "0o0", which is not a number: it may be 0 (root) at ${at}`)]);
});

describe('readWorkloads: projected service account tokens', () => {
  const pod = (mounted: boolean) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x' },
    spec: {
      automountServiceAccountToken: false,
      initContainers: [{ name: 'init', volumeMounts: mounted ? [{ name: 'tok', mountPath: '/var/run/tokens' }] : [] }],
      containers: [{ name: 'c' }],
      volumes: [{ name: 'tok', projected: { sources: [{ configMap: { name: 'ca' } }, { serviceAccountToken: { path: 'token', expirationSeconds: 600 } }] } }],
    },
  });

  test('a mounted projection is a mounted token, even with automounting off', () => {
    expect(readWorkloads([pod(true)])[0].posture.serviceAccountToken).toEqual({
      value: true,
      at: "spec.volumes[0].projected.sources[1].serviceAccountToken (mounted at /var/run/tokens by container 'init')",
    });
  });

  test('a projection no container mounts gives no container the token', () => {
    expect(readWorkloads([pod(false)])[0].posture.serviceAccountToken).toEqual({ value: false, at: 'spec.automountServiceAccountToken' });
  });
});

describe('readWorkloads: ServiceAccount token Secrets', () => {
  const tokenSecret = (namespace = 'shop') => ({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'tok', namespace } });
  const pod = (spec: Record<string, unknown>) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'shop' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c' }], ...spec },
  });
  const token = (...objects: unknown[]) => readWorkloads(objects)[0].posture.serviceAccountToken;

  test.each([
    ['an envFrom secretRef of an init container', { initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'tok' } }] }] }, 'spec.initContainers[0].envFrom[0].secretRef'],
    [
      'a mounted projected secret source',
      { containers: [{ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/t' }] }], volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 'tok' } }] } }] },
      "spec.volumes[0].projected.sources[0].secret (mounted at /t by container 'c')",
    ],
  ])('%s is a mounted token', (_, spec, at) => {
    expect(token(pod(spec), tokenSecret())).toEqual({ value: true, at: `${at}, Secret/shop/tok of type kubernetes.io/service-account-token` });
  });

  test('an unmounted secret volume, an opaque Secret and a token Secret of another namespace are not', () => {
    const unmounted = pod({ volumes: [{ name: 'v', secret: { secretName: 'tok' } }] });
    const reading = pod({ containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'tok' } }] }] });
    expect(token(unmounted, tokenSecret())?.value).toBe(false);
    expect(token(reading, { ...tokenSecret(), type: 'Opaque' })?.value).toBe(false);
    expect(token(reading, tokenSecret('other'))?.value).toBe(false);
  });
});

describe('readWorkloads: exposure outside the cluster (publicIp)', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'api', tier: 'web' } }, spec: { containers: [] } } } };
  const service = (spec: any, name = 'api', namespace = 'shop') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: 'api' }, ...spec } });
  const ingress = (spec: any, namespace = 'shop') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace }, spec });
  const toApi = { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] };
  const publicIp = (...others: any[]) => readWorkloads([deployment, ...others])[0].posture.publicIp;
  const alias = (externalName: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias', namespace: 'shop' }, spec: { type: 'ExternalName', externalName } });
  const toAlias = { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'alias', port: { number: 80 } } } }] } }] };

  test.each([
    ['a LoadBalancer Service', [service({ type: 'LoadBalancer' })], 'Service/shop/api spec.type (LoadBalancer)'],
    ['a NodePort Service', [service({ type: 'NodePort' })], 'Service/shop/api spec.type (NodePort)'],
    ['a ClusterIP Service with externalIPs', [service({ externalIPs: ['203.0.113.7'] })], 'Service/shop/api spec.externalIPs (203.0.113.7)'],
    ['an Ingress rule to a ClusterIP Service', [service({}), ingress(toApi)], 'Ingress/shop/web spec.rules[0].http.paths[0].backend (routes to Service/shop/api)'],
    ['an Ingress default backend', [service({}), ingress({ defaultBackend: { service: { name: 'api' } } })], 'Ingress/shop/web spec.defaultBackend (routes to Service/shop/api)'],
    ['a legacy Ingress serviceName', [service({}), ingress({ backend: { serviceName: 'api', servicePort: 80 } })], 'Ingress/shop/web spec.backend (routes to Service/shop/api)'],
    ...[
      'api.shop.svc.cluster.local', 'API.shop.svc.cluster.local.', 'api.shop.svc', 'api.shop', 'api',
    ].map((externalName): [string, any[], string] => [`an Ingress to an ExternalName Service naming the ClusterIP Service as ${externalName}`,
      [service({}), alias(externalName), ingress(toAlias)], 'Ingress/shop/web spec.rules[0].http.paths[0].backend (routes to Service/shop/alias, an ExternalName of Service/shop/api)']),
  ] as [string, any[], string][])('%s exposes the pods', (_, others, at) => {
    expect(publicIp(...others)).toEqual({ value: true, at });
  });

  test.each([
    ['no Service', []],
    ['a ClusterIP Service', [service({ type: 'ClusterIP' })]],
    ['a LoadBalancer Service selecting other pods', [service({ type: 'LoadBalancer', selector: { app: 'web' } })]],
    ['a LoadBalancer Service with a selector the pods only partly match', [service({ type: 'LoadBalancer', selector: { app: 'api', tier: 'db' } })]],
    ['a LoadBalancer Service without a selector', [service({ type: 'LoadBalancer', selector: {} })]],
    ['a LoadBalancer Service in another namespace', [service({ type: 'LoadBalancer' }, 'api', 'other')]],
    ['an Ingress to a Service selecting other pods', [service({ selector: { app: 'web' } }), ingress(toApi)]],
    ['an Ingress in another namespace', [service({}), ingress(toApi, 'other')]],
    ['an Ingress to an ExternalName Service naming the Service of another namespace', [service({}), alias('api.other.svc.cluster.local'), ingress(toAlias)]],
    ['an Ingress to an ExternalName Service naming an outside host', [service({}), alias('api.example.com'), ingress(toAlias)]],
    ['an Ingress to an ExternalName Service naming a Service selecting other pods', [service({ selector: { app: 'web' } }), alias('api.shop'), ingress(toAlias)]],
  ])('%s: not applicable', (_, others) => {
    expect(publicIp(...others)).toBeUndefined();
  });

  describe('Gateway API routes, read as an Ingress is', () => {
    const route = (kind: string, backendRefs: any[], { namespace = 'shop', apiVersion = 'gateway.networking.k8s.io/v1', name = 'web' } = {}) => ({
      apiVersion, kind, metadata: { name, namespace }, spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs }] },
    });
    const otherThenApi = [{ name: 'other', port: 80 }, { name: 'api', port: 80 }];

    test.each([
      ['an HTTPRoute (v1)', route('HTTPRoute', otherThenApi), 'HTTPRoute/shop/web spec.rules[0].backendRefs[1] (routes to Service/shop/api)'],
      ['an HTTPRoute (v1beta1)', route('HTTPRoute', otherThenApi, { apiVersion: 'gateway.networking.k8s.io/v1beta1' }), 'HTTPRoute/shop/web spec.rules[0].backendRefs[1] (routes to Service/shop/api)'],
      ['a GRPCRoute', route('GRPCRoute', otherThenApi), 'GRPCRoute/shop/web spec.rules[0].backendRefs[1] (routes to Service/shop/api)'],
      ['a TLSRoute', route('TLSRoute', otherThenApi, { apiVersion: 'gateway.networking.k8s.io/v1alpha2' }), 'TLSRoute/shop/web spec.rules[0].backendRefs[1] (routes to Service/shop/api)'],
      ['a TCPRoute', route('TCPRoute', otherThenApi, { apiVersion: 'gateway.networking.k8s.io/v1alpha2' }), 'TCPRoute/shop/web spec.rules[0].backendRefs[1] (routes to Service/shop/api)'],
      ['a UDPRoute', route('UDPRoute', otherThenApi, { apiVersion: 'gateway.networking.k8s.io/v1alpha2' }), 'UDPRoute/shop/web spec.rules[0].backendRefs[1] (routes to Service/shop/api)'],
      ['an HTTPRoute with the core group and kind Service written out', route('HTTPRoute', [{ group: '', kind: 'Service', name: 'api' }]), 'HTTPRoute/shop/web spec.rules[0].backendRefs[0] (routes to Service/shop/api)'],
      ['an HTTPRoute in another namespace, its backendRef naming the namespace,', route('HTTPRoute', [{ name: 'api', namespace: 'shop' }], { namespace: 'edge' }), 'HTTPRoute/edge/web spec.rules[0].backendRefs[0] (routes to Service/shop/api)'],
      ['an HTTPRoute mirroring requests', {
        ...route('HTTPRoute', []),
        spec: { rules: [{ backendRefs: [{ name: 'other' }], filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'api', port: 80 } } }] }] },
      }, 'HTTPRoute/shop/web spec.rules[0].filters[0].requestMirror.backendRef (routes to Service/shop/api)'],
    ])('%s to a ClusterIP Service exposes the pods', (_, other, at) => {
      expect(publicIp(service({}), other)).toEqual({ value: true, at });
    });

    // Each passed-over route comes first, so the finding names the route after it only if it is passed over.
    const skipped = (kind: string, backendRefs: any[], namespace = 'shop') => route(kind, backendRefs, { namespace, name: 'skipped' });
    test.each([
      ['a route to another Service', skipped('HTTPRoute', [{ name: 'other' }])],
      ['a route to a Service selecting other pods', skipped('HTTPRoute', [{ name: 'web' }])],
      ['a backendRef of another kind', skipped('HTTPRoute', [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'api' }])],
      ['a backendRef of kind Service in another group', skipped('HTTPRoute', [{ group: 'example.com', kind: 'Service', name: 'api' }])],
      ['a route in another namespace, backendRef without namespace', skipped('TCPRoute', [{ name: 'api' }], 'edge')],
      ['a backendRef naming another namespace', skipped('HTTPRoute', [{ name: 'api', namespace: 'other' }])],
    ])('%s is passed over', (_, other) => {
      const exposing = route('HTTPRoute', [{ name: 'api' }]);
      expect(publicIp(service({}), service({ selector: { app: 'web' } }, 'web'), other, exposing))
        .toEqual({ value: true, at: 'HTTPRoute/shop/web spec.rules[0].backendRefs[0] (routes to Service/shop/api)' });
    });
  });

  describe('OpenShift Routes, read as an Ingress is', () => {
    const route = (spec: Record<string, unknown>, namespace = 'shop') => ({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'web', namespace }, spec });

    test.each([
      ['spec.to', route({ to: { kind: 'Service', name: 'api' } }), 'Route/shop/web spec.to (routes to Service/shop/api)'],
      ['an alternate backend', route({ to: { kind: 'Service', name: 'other' }, alternateBackends: [{ name: 'api', weight: 10 }] }), 'Route/shop/web spec.alternateBackends[0] (routes to Service/shop/api)'],
    ])('a Route naming the ClusterIP Service in %s exposes the pods', (_, other, at) => {
      expect(publicIp(service({}), other)).toEqual({ value: true, at });
    });

    test.each([
      ['in another namespace', route({ to: { kind: 'Service', name: 'api' } }, 'edge')],
      ['to a backend of another kind', route({ to: { kind: 'Other', name: 'api' } })],
    ])('a Route %s does not', (_, other) => {
      expect(publicIp(service({}), other)).toBeUndefined();
    });
  });

  test('the NO_PUBLIC_IP rule names the Service and says how to keep the pods private', () => {
    const [workload] = readWorkloads([deployment, service({ type: 'LoadBalancer' })]);
    const findings = evaluate(workload.posture, [], DEFAULT_POLICY, new Date());
    expect(findings.filter((f) => f.control === Control.NO_PUBLIC_IP)).toEqual([expect.objectContaining({
      setting: 'Service/shop/api spec.type (LoadBalancer)',
      problem: 'a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster',
      fix: expect.stringContaining('Service of type ClusterIP without externalIPs, and no Ingress or Gateway API route'),
    })]);
  });
});
