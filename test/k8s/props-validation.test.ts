import { Chart } from 'cdk8s';
import { GOLDEN, newChart } from './helpers';
import { SecureService, SecureServiceProps } from '../../lib/k8s';

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
  ['secret env name', { secrets: { 'db-password': { secretName: 'db', key: 'password' } } }, 'secrets name must be a valid environment variable name'],
  ['secret also in environment', { environment: { DB_PASSWORD: 'x' }, secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } } }, 'DB_PASSWORD is both in environment and in secrets; keep it in secrets only'],
  ['secretName', { secrets: { DB_PASSWORD: { secretName: 'DB', key: 'password' } } }, 'secrets.DB_PASSWORD.secretName must be a Secret name (a DNS-1123 subdomain, e.g. \'db\'), found: "DB"'],
  ['secret key', { secrets: { DB_PASSWORD: { secretName: 'db', key: 'pass word' } } }, 'secrets.DB_PASSWORD.key must be a key of the Secret (letters, digits, \'-\', \'_\' or \'.\'), found: "pass word"'],
  ['secretsMountPath', { secretsAsFiles: true, secretsMountPath: 'run/secrets' }, 'secretsMountPath must be an absolute path, found: "run/secrets"'],
  ['copyFromImage outside writablePaths', { copyFromImage: ['/var/cache'] }, 'copyFromImage lists a path that is not in writablePaths, found: "/var/cache"; add it to writablePaths too'],
  ['writablePathSizeMiB', { writablePathSizeMiB: 0.5 }, 'writablePathSizeMiB must be a whole number of MiB, at least 1, found: 0.5'],
  ['hostPort range', { hostPort: 0 }, 'hostPort must be a whole number from 1 to 65535, found: 0'],
  ['hostPort without containerPort', { containerPort: undefined, healthCheck: undefined, hostPort: 80 }, 'hostPort needs a containerPort to bind, found: hostPort 80 without containerPort'],
  ['hostPath relative', { hostPathMounts: [{ hostPath: 'var/log', mountPath: '/logs' }] }, 'hostPathMounts[0].hostPath must be an absolute path, found: "var/log"'],
  ['mountPath relative', { hostPathMounts: [{ hostPath: '/var/log', mountPath: 'logs' }] }, 'hostPathMounts[0].mountPath must be an absolute path, found: "logs"'],
  ['healthCheck.path without containerPort', { containerPort: undefined }, 'healthCheck.path needs a containerPort to probe, found: path "/healthz" without containerPort'],
  ['privileged without escalation', { privileged: true }, 'privileged: true needs allowPrivilegeEscalation: true as well'],
  // shared props, checked by core, surface here too
  ['containerPort', { containerPort: 0 }, 'containerPort must be a whole number from 1 to 65535, found: 0'],
  ['CAP_ prefix', { capabilities: { add: ['CAP_NET_BIND_SERVICE'] } }, 'capabilities.add takes names without the CAP_ prefix, found: "CAP_NET_BIND_SERVICE"; use "NET_BIND_SERVICE"'],
  ['unknown capability', { capabilities: { add: ['NET_BIND'] } }, 'capabilities.add has an unknown capability, found: "NET_BIND"'],
  ['writable path', { writablePaths: ['tmp'] }, 'writablePaths[0] must be an absolute path, found: "tmp"'],
  ['user uid', { user: { uid: -1 } }, 'user.uid must be a non-negative whole number, found: -1'],
  ['replicas', { replicas: 1.5 }, 'replicas must be a whole number, 0 or more, found: 1.5'],
  ['memory', { memoryMiB: 4 }, 'memoryMiB must be a whole number of MiB, at least 6, found: 4'],
];

describe.each(BAD_PROPS)('bad input: %s', (_, props, message) => {
  test('is rejected at construction with prop, value and fix', () => {
    const { chart } = newChart();
    expect(() => new SecureService(chart, 'api', { ...GOLDEN, ...props })).toThrow(message);
  });
});

describe('bad input: names and collisions', () => {
  test('an id that is not a DNS-1123 label needs a name', () => {
    const { chart } = newChart();
    expect(() => new SecureService(chart, 'Api', GOLDEN))
      .toThrow('invalid SecureService props at test/Api:\n  - name (the construct id, used as the name) must be a DNS-1123 label');
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
