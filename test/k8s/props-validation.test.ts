import { Chart } from 'cdk8s';
import { GOLDEN, exemption, newChart, podSpec } from './helpers';
import { SecureContainerProps, SecureService, SecureServiceProps } from '../../lib/k8s';
import { ingressNetworkPolicy } from '../../lib/k8s/network-policy';

/** A value of the wrong type, as JavaScript callers and JSON configs can pass it. */
const wrong = <T>(value: unknown) => value as T;

// Each bad input, and the message (prop, value received, fix) it must produce at construction.
const BAD_PROPS: [string, Partial<SecureServiceProps>, string][] = [
  ['name not a DNS-1123 label', { name: 'Shop_API' }, 'name must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters), found: "Shop_API"; use a valid name, e.g. "shop-api"'],
  ['name too long', { name: 'a'.repeat(64) }, `name must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), found: "${'a'.repeat(64)}"`],
  ['namespace', { namespace: 'Shop' }, 'namespace must be a DNS-1123 label'],
  ['label key', { labels: { 'bad key!': 'x' } }, 'labels has an invalid label key, found: "bad key!"'],
  ['label value', { labels: { team: 'a b' } }, 'labels.team has an invalid label value, found: "a b"'],
  ['selector label', { labels: { 'app.kubernetes.io/name': 'other' } }, 'labels cannot set app.kubernetes.io/name, found: "other"; it selects the service\'s pods and is always the name, set name instead'],
  ['empty allowFrom peer', { allowFrom: [{}] }, 'allowFrom[0] needs podLabels or namespaceLabels, found: {}'],
  ['allowFrom labels', { allowFrom: [{ podLabels: { app: 'a b' } }] }, 'allowFrom[0].podLabels.app has an invalid label value, found: "a b"'],
  ['servicePort range', { servicePort: 70000 }, 'servicePort must be a whole number from 1 to 65535, found: 70000'],
  ['servicePort without containerPort', { containerPort: undefined, healthCheck: undefined, servicePort: 80 }, 'servicePort needs a containerPort to forward to, found: servicePort 80 without containerPort'],
  ['image', { image: '' }, 'image must be an image reference such as \'ghcr.io/acme/api:1.4.2\', found: ""'],
  ['cpu below 1m', { cpu: 0.0001 }, 'cpu must be at least 0.001 (1m) on Kubernetes, found: 0.0001'],
  ['cpu too large to write', { cpu: 1e21 }, 'cpu is too large to write as a Kubernetes quantity, found: 1e+21'],
  ['memory too large to write', { memoryMiB: 1e21 }, 'memoryMiB is too large to write as a Kubernetes quantity, found: 1e+21'],
  ['secret env name', { secrets: { 'db-password': { secretName: 'db', key: 'password' } } }, 'secrets name must be a valid environment variable name'],
  ['secret also in environment', { environment: { DB_PASSWORD: 'x' }, secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } } }, 'DB_PASSWORD is both in environment and in secrets; keep it in secrets only'],
  ['secretName', { secrets: { DB_PASSWORD: { secretName: 'DB', key: 'password' } } }, 'secrets.DB_PASSWORD.secretName must be a Secret name (a DNS-1123 subdomain, e.g. \'db\'), found: "DB"'],
  ['secret key', { secrets: { DB_PASSWORD: { secretName: 'db', key: 'pass word' } } }, 'secrets.DB_PASSWORD.key must be a key of the Secret (letters, digits, \'-\', \'_\' or \'.\'), found: "pass word"'],
  ['secretsMountPath', { secretsAsFiles: true, secretsMountPath: 'run/secrets' }, 'secretsMountPath must be an absolute path, found: "run/secrets"'],
  ['copyFromImage outside writablePaths', { copyFromImage: ['/var/cache'] }, 'copyFromImage lists a path that is not in writablePaths, found: "/var/cache"; add it to writablePaths too'],
  ['writablePathSizeMiB', { writablePathSizeMiB: 0.5 }, 'writablePathSizeMiB must be a whole number of MiB, at least 1, found: 0.5'],
  ['hostPort range', { hostPort: 0 }, 'hostPort must be a whole number from 1 to 65535, found: 0'],
  ['hostPort without containerPort', { containerPort: undefined, healthCheck: undefined, hostPort: 80 }, 'hostPort needs a containerPort to bind, found: hostPort 80 without containerPort'],
  ['allowFrom without containerPort', { containerPort: undefined, healthCheck: undefined, allowFrom: [{ podLabels: { app: 'web' } }] },
    'allowFrom needs a containerPort to admit its peers to, found: allowFrom [{"podLabels":{"app":"web"}}] without containerPort'],
  ['allowFrom with empty namespace labels', { allowFrom: [{ namespaceLabels: {} }] }, 'allowFrom[0].namespaceLabels cannot be empty, found: {}; an empty selector admits every namespace'],
  ['allowFrom with empty pod labels', { allowFrom: [{ podLabels: {}, namespaceLabels: { team: 'web' } }] }, 'allowFrom[0].podLabels cannot be empty, found: {}; an empty selector admits every pod'],
  ['hostPath relative', { hostPathMounts: [{ hostPath: 'var/log', mountPath: '/logs' }] }, 'hostPathMounts[0].hostPath must be an absolute path, found: "var/log"'],
  ['mountPath relative', { hostPathMounts: [{ hostPath: '/var/log', mountPath: 'logs' }] }, 'hostPathMounts[0].mountPath must be an absolute path, found: "logs"'],
  ['healthCheck.path without containerPort', { containerPort: undefined }, 'healthCheck.path needs a containerPort to be checked on, found: path "/healthz" without containerPort'],
  // a prop that only means something with another one, set without it
  ['secretsMountPath without secretsAsFiles', { secretsMountPath: '/etc/app/secrets' }, 'secretsMountPath needs secretsAsFiles: true, found: secretsMountPath "/etc/app/secrets" '
    + 'without secretsAsFiles; add secretsAsFiles: true to mount the secrets as files there, or remove secretsMountPath to keep them in environment variables'],
  ['secretsMountPath with secretsAsFiles false', { secretsAsFiles: false, secretsMountPath: '/etc/app/secrets' }, 'secretsMountPath needs secretsAsFiles: true, '
    + 'found: secretsMountPath "/etc/app/secrets" with secretsAsFiles false; add secretsAsFiles: true to mount the secrets as files there, or remove secretsMountPath'],
  ['writablePathSizeMiB without writablePaths', { writablePaths: undefined, writablePathSizeMiB: 1024 }, 'writablePathSizeMiB needs writablePaths to size, '
    + 'found: writablePathSizeMiB 1024 without writablePaths; list the paths the process writes to in writablePaths, or remove writablePathSizeMiB'],
  ['writablePathSizeMiB with writablePaths empty', { writablePaths: [], writablePathSizeMiB: 64 }, 'writablePathSizeMiB needs writablePaths to size, found: writablePathSizeMiB 64 without writablePaths'],
  ['privileged without escalation', { privileged: true }, 'privileged: true needs allowPrivilegeEscalation: true as well'],
  // shared props, checked by core, surface here too
  ['containerPort', { containerPort: 0 }, 'containerPort must be a whole number from 1 to 65535, found: 0'],
  ['CAP_ prefix', { capabilities: { add: ['CAP_NET_BIND_SERVICE'] } }, 'capabilities.add takes names without the CAP_ prefix, found: "CAP_NET_BIND_SERVICE"; use "NET_BIND_SERVICE"'],
  ['unknown capability', { capabilities: { add: ['NET_BIND'] } }, 'capabilities.add has an unknown capability, found: "NET_BIND"'],
  ['writable path', { writablePaths: ['tmp'] }, 'writablePaths[0] must be an absolute path, found: "tmp"'],
  ['user uid', { user: { uid: -1 } }, 'user.uid must be a whole number from 0 to 2147483647, found: -1'],
  ['replicas', { replicas: 1.5 }, 'replicas must be a whole number, 0 or more, found: 1.5'],
  ['memory', { memoryMiB: 4 }, 'memoryMiB must be a whole number of MiB, at least 6, found: 4'],
  // Kubernetes reads `from: []` as every source
  ['empty allowFrom', { allowFrom: [] }, 'allowFrom cannot be empty, found: []; Kubernetes reads an empty list of peers as every source: leave allowFrom out to admit any peer on the service port, or list the peers'],
  // a Service name is a DNS-1035 label
  ['Service name starting with a digit', { name: '2fa-api' }, 'name must start with a letter, found: "2fa-api"; it names the Service, and a Service name is a DNS-1035 label (a DNS-1123 label starting with a letter), use e.g. "svc-2fa-api"'],
  // booleans: a string renders a string the API server rejects, or that no check reads as true
  ['hostNetwork a string', { hostNetwork: wrong('false') }, 'hostNetwork must be true or false, found: "false"; write false without quotes'],
  ['hostPID a string', { hostPID: wrong('true') }, 'hostPID must be true or false, found: "true"; write true without quotes'],
  ['hostIPC a string', { hostIPC: wrong('true') }, 'hostIPC must be true or false, found: "true"; write true without quotes'],
  ['automountServiceAccountToken a string', { automountServiceAccountToken: wrong('true') }, 'automountServiceAccountToken must be true or false, found: "true"; write true without quotes'],
  ['privileged a string', { privileged: wrong('true') }, 'privileged must be true or false, found: "true"; write true without quotes'],
  ['secretsAsFiles a string', { secretsAsFiles: wrong('yes') }, 'secretsAsFiles must be true or false, found: "yes"; write true or false'],
  ['hostPathMounts readOnly a string', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/logs', readOnly: wrong('true') }] }, 'hostPathMounts[0].readOnly must be true or false, found: "true"; write true without quotes'],
  // one path mounted twice in a container
  ['host path on a writable path', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/tmp/' }] }, 'hostPathMounts[0].mountPath mounts "/tmp/", which writablePaths[0] already mounts; a container can mount a path once, choose another path'],
  ['two host paths on one path', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/logs' }, { hostPath: '/var/run', mountPath: '/logs' }] }, 'hostPathMounts[1].mountPath mounts "/logs", which hostPathMounts[0].mountPath already mounts'],
  ['secret file on a writable path', { writablePaths: ['/etc/app/DB_PASSWORD'], secretsAsFiles: true, secretsMountPath: '/etc/app/' }, 'secrets.DB_PASSWORD (a file, with secretsAsFiles) mounts "/etc/app/DB_PASSWORD", which writablePaths[0] already mounts'],
  // wrong shapes: named, never crashing nor spread into characters
  ['secrets null', { secrets: wrong(null) }, 'secrets must be an object of variable names to Secret keys, found: null; e.g. { DB_PASSWORD: { secretName: \'db\', key: \'password\' } }, or leave it out'],
  ['a secret as a string', { secrets: { DB_PASSWORD: wrong('db') } }, 'secrets.DB_PASSWORD must be an object with secretName and key, found: "db"; e.g. { secretName: \'db\', key: \'password\' }'],
  ['copyFromImage a string', { copyFromImage: wrong('/tmp') }, 'copyFromImage must be a list of paths from writablePaths, found: "/tmp"; write ["/tmp"]'],
  ['hostPathMounts an object', { hostPathMounts: wrong({ hostPath: '/var/log', mountPath: '/logs' }) }, 'hostPathMounts must be a list of mounts, found: {"hostPath":"/var/log","mountPath":"/logs"}; write [{"hostPath":"/var/log","mountPath":"/logs"}]'],
  ['hostPathMounts a string', { hostPathMounts: wrong('/var/log') }, 'hostPathMounts must be a list of mounts, found: "/var/log"; e.g. [{ hostPath: \'/var/log\', mountPath: \'/host/log\' }]'],
  ['allowFrom an object', { allowFrom: wrong({ podLabels: { app: 'web' } }) }, 'allowFrom must be a list of peers, found: {"podLabels":{"app":"web"}}; write [{"podLabels":{"app":"web"}}], or leave allowFrom out to admit any peer on the service port'],
  ['allowFrom a string', { allowFrom: wrong('web') }, 'allowFrom must be a list of peers, found: "web"; e.g. [{ podLabels: { app: \'web\' } }], or leave allowFrom out'],
  ['labels null', { labels: wrong(null) }, 'labels must be an object of label keys to values, found: null; e.g. { team: \'payments\' }'],
  ['allowFrom podLabels a string', { allowFrom: [{ podLabels: wrong('app=web') }] }, 'allowFrom[0].podLabels must be an object of label keys to values, found: "app=web"'],
  ['exemptions an object', { exemptions: wrong(exemption('LOGGING')) }, 'exemptions must be a list of exemptions, found: {"control":"LOGGING"'],
  ['exemptions holding null', { exemptions: wrong([null]) }, 'exemptions[0] must be an object with control and justification, found: null'],
  ['healthCheck null', { healthCheck: wrong(null) }, 'healthCheck must be an object with path or command, found: null'],
  ['user null', { user: wrong(null) }, 'user must be an object with a numeric uid, found: null'],
  ['environment null, secrets given', { environment: wrong(null) }, 'environment must be an object of variable names to strings, found: null'],
  ['writablePaths a string', { writablePaths: wrong('/tmp') }, 'writablePaths must be a list of absolute paths, found: "/tmp"; write ["/tmp"]'],
  ['command a string', { command: wrong('node server.js') }, 'command must be a non-empty list of non-empty arguments, found: "node server.js"; write ["node","server.js"]'],
  ['capabilities.add a string', { capabilities: { add: wrong('NET_ADMIN') } }, 'capabilities.add must be a list of capability names, found: "NET_ADMIN"; write ["NET_ADMIN"]'],
];

describe.each(BAD_PROPS)('bad input: %s', (_, props, message) => {
  test('is rejected at construction with prop, value and fix', () => {
    const { chart } = newChart();
    expect(() => new SecureService(chart, 'api', { ...GOLDEN, ...props })).toThrow(message);
  });
});

describe('bad input: wrong shapes', () => {
  test('are reported alone, each once: the checks that read inside them do not run', () => {
    const { chart } = newChart();
    const error = () => new SecureService(chart, 'api', { ...GOLDEN, capabilities: { add: wrong('NET_ADMIN') }, copyFromImage: wrong('/tmp'), cpu: -1 });
    expect(error).toThrow('invalid SecureService props at test/api:\n'
      + '  - capabilities.add must be a list of capability names, found: "NET_ADMIN"; write ["NET_ADMIN"]\n'
      + '  - copyFromImage must be a list of paths from writablePaths, found: "/tmp"; write ["/tmp"]');
  });

  test.each<[string, Partial<SecureContainerProps>, string]>([
    ['exemptions an object', { exemptions: wrong(exemption('LOGGING')) }, "container 'helper': exemptions must be a list of exemptions"],
    ['exemptions holding null', { exemptions: wrong([null]) }, "container 'helper': exemptions[0] must be an object with control and justification, found: null"],
    ['secrets null', { secrets: wrong(null) }, "container 'helper': secrets must be an object of variable names to Secret keys, found: null"],
    ['command a string', { command: wrong('helper --serve') }, "container 'helper': command must be a non-empty list of non-empty arguments, found: \"helper --serve\"; write [\"helper\",\"--serve\"]"],
  ])('sidecar: %s', (_, options, message) => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    expect(() => api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0', ...options })).toThrow(message);
    expect(api.deployment.containers.map((c) => c.name)).toEqual(['api']);
  });
});

describe('dependent props: secretsMountPath and writablePathSizeMiB', () => {
  test('a sidecar is held to the same rule, its message naming the container', () => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    expect(() => api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0', writablePathSizeMiB: 64 })).toThrow(
      "container 'helper': writablePathSizeMiB needs writablePaths to size, found: writablePathSizeMiB 64 without writablePaths; "
      + 'list the paths the process writes to in writablePaths, or remove writablePathSizeMiB');
    expect(() => api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0', secretsMountPath: '/etc/helper' })).toThrow(
      "container 'helper': secretsMountPath needs secretsAsFiles: true, found: secretsMountPath \"/etc/helper\" without secretsAsFiles");
  });

  test('with the prop they depend on, both are used', () => {
    // GIVEN
    const { chart } = newChart();
    // WHEN
    new SecureService(chart, 'api', { ...GOLDEN, secretsAsFiles: true, secretsMountPath: '/etc/app/secrets', writablePathSizeMiB: 1024 });
    // THEN
    const spec = podSpec(chart.toJson());
    expect(spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPath: '/etc/app/secrets/DB_PASSWORD' })]));
    expect(spec.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ emptyDir: expect.objectContaining({ sizeLimit: '1024Mi' }) })]));
  });
});

describe('bad input: Service names, container names, network peers', () => {
  test('a name starting with a digit is fine without a Service (a worker)', () => {
    const { chart } = newChart();
    expect(() => new SecureService(chart, '2fa-worker', { image: GOLDEN.image })).not.toThrow();
  });

  test('copy init containers whose names the 63-character cut makes one are rejected, for the service and for a sidecar', () => {
    const { chart } = newChart();
    const long = 'payments-reconciliation-batch-exporter-service-eu-west';
    const paths = { writablePaths: ['/var/cache', '/var/lib/app'], copyFromImage: ['/var/cache', '/var/lib/app'] };
    const clash = `copyFromImage "/var/cache" and "/var/lib/app" need init containers of one name, 'copy-${long}-var' (copy-<container>-<path>, cut to 63 characters)`;
    expect(() => new SecureService(chart, long, { ...GOLDEN, ...paths })).toThrow(clash);
    const api = new SecureService(chart, 'api', GOLDEN);
    expect(() => api.addContainer(long, { image: 'ghcr.io/acme/x:1.0.0', ...paths })).toThrow(`container '${long}': ${clash}`);
  });

  test("a sidecar whose copy init container would take an existing container's name is rejected before anything is added", () => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    api.addContainer('copy-x-tmp', { image: 'ghcr.io/acme/helper:1.0.0' });
    expect(() => api.addContainer('x', { image: 'ghcr.io/acme/x:1.0.0', writablePaths: ['/tmp'], copyFromImage: ['/tmp'] })).toThrow(
      "container 'x': copyFromImage \"/tmp\" needs an init container named 'copy-x-tmp' (copy-<container>-<path>), but a container of api already has that name; rename that container");
    expect(api.deployment.containers.map((c) => c.name)).toEqual(['api', 'copy-x-tmp']);
    expect(api.deployment.initContainers).toEqual([]);
    // the same sidecar under another name seeds its path
    api.addContainer('y', { image: 'ghcr.io/acme/x:1.0.0', writablePaths: ['/tmp'], copyFromImage: ['/tmp'] });
    expect(api.deployment.initContainers.map((c) => c.name)).toEqual(['copy-y-tmp']);
  });

  test('an empty allowFrom is rejected with the props, before any object is rendered', () => {
    const { chart } = newChart();
    expect(() => new SecureService(chart, 'api', { ...GOLDEN, allowFrom: [] })).toThrow('invalid SecureService props at test/api:\n  - allowFrom cannot be empty, found: []');
    expect(chart.node.findAll().filter((c) => c.node.id === 'NetworkPolicy')).toEqual([]);
  });

  test('the NetworkPolicy refuses an empty peer list from any caller: Kubernetes would admit every source', () => {
    const { chart } = newChart();
    expect(() => ingressNetworkPolicy(chart, 'Policy', { name: 'api', labels: {}, podSelector: { app: 'api' }, port: 8080, allowFrom: [] }))
      .toThrow('test: allowFrom cannot be empty, found: []; Kubernetes reads an empty list of peers as every source: leave allowFrom out to admit any peer on the service port, or list the peers');
  });
});

describe('bad input: names and collisions', () => {
  test('an id that is not a DNS-1123 label needs a name', () => {
    const { chart } = newChart();
    expect(() => new SecureService(chart, 'Api', GOLDEN))
      .toThrow('invalid SecureService props at test/Api:\n  - name (the construct id, used as the name when the name prop is not set) must be a DNS-1123 label');
    expect(() => new SecureService(chart, 'Api2', { ...GOLDEN, name: 'api' })).not.toThrow();
  });

  test('two services with one name in one namespace collide', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    expect(() => new SecureService(chart, 'api2', { ...GOLDEN, name: 'api' })).toThrow(
      'name "api" is already used by the SecureService at test/api in namespace "default": their objects would collide and their selectors (app.kubernetes.io/name=api) would pick each other\'s pods; give one of them another name');
    expect(() => new SecureService(chart, 'api3', { ...GOLDEN, name: 'api', namespace: 'other' })).not.toThrow();
  });

  test('services in a chart and a chart nested in it collide, whichever comes first', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    const nested = new Chart(chart, 'nested');
    expect(() => new SecureService(nested, 'api', GOLDEN)).toThrow('name "api" is already used by the SecureService at test/api in namespace "default"');
    new SecureService(nested, 'web', GOLDEN);
    expect(() => new SecureService(chart, 'web', GOLDEN)).toThrow('name "web" is already used by the SecureService at test/nested/web in namespace "default"');
  });

  test('sidecar names: DNS-1123 label, unique in the pod; sidecar props are checked too', () => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    const image = 'ghcr.io/acme/helper:1.0.0';
    expect(() => api.addContainer('Helper', { image })).toThrow('addContainer name must be a DNS-1123 label');
    expect(() => api.addContainer('api', { image })).toThrow('addContainer name is already used by a container of api, found: "api"; choose another name');
    expect(() => api.addContainer('helper', { image, capabilities: { add: ['CAP_CHOWN'] } }))
      .toThrow('container \'helper\': capabilities.add takes names without the CAP_ prefix, found: "CAP_CHOWN"; use "CHOWN"');
    expect(() => api.addContainer('helper', { image: 'has space:1' })).toThrow('container \'helper\': image must be an image reference');
  });
});
