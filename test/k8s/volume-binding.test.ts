// NO_HOST_PATH_VOLUMES through PersistentVolume binding: a claim the PersistentVolume controller may bind
// to a hostPath or local PersistentVolume of the app by its storage class, the claim of a generic
// ephemeral volume, and the claims of a StatefulSet's volumeClaimTemplates.
import { join } from 'path';
import { ApiObject, App, Chart, JsonPatch, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GOLDEN, exemption, newChart, synthError } from './helpers';
import { Exemption } from '../../lib/core';
import { ChartChecks, EXEMPTIONS_ANNOTATION, SecureService, exemptionsAnnotationValue } from '../../lib/k8s';
import { runCli, writeFiles } from '../cli/fixtures';

const SPEC = '/spec/template/spec';
const EXEMPT = [exemption('NO_HOST_PATH_VOLUMES')];

/** A PersistentVolume of the node's `/` (`hostPath`, or `local` with a node affinity). */
function nodeRoot(scope: Chart, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return new ApiObject(scope, 'node-root', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'node-root', ...metadata },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/' }, ...spec },
  });
}

/** A claim named data, without volumeName: the controller binds it. */
function dataClaim(scope: Chart, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return new ApiObject(scope, 'data-claim', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', ...metadata },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } }, ...spec },
  });
}

/** The golden-path service with the claim data mounted, built by `more`; the synthesis error ('' when it synthesizes). */
function mountedClaimError(more: (chart: Chart) => void, exemptions: Exemption[] = [], namespace?: string): string {
  const { app, chart } = newChart(namespace);
  const api = new SecureService(chart, 'api', { ...GOLDEN, exemptions });
  api.deployment.containers[0].mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'ref', 'data'), { name: 'data' }));
  more(chart);
  return synthError(app);
}

describe('NO_HOST_PATH_VOLUMES: a claim the controller may bind by storage class', () => {
  test('a claim of the storage class of a hostPath PersistentVolume fails, naming the volume, the claim and the class', () => {
    // WHEN
    const error = mountedClaimError((chart) => { nodeRoot(chart); dataClaim(chart); });
    // THEN
    expect(error).toMatch(
      /\[NO_HOST_PATH_VOLUMES\] Deployment\/api container 'api': volume "data" is of kind hostPath: it mounts the host's filesystem at spec\.template\.spec\.volumes\[\d\]\.persistentVolumeClaim \(claim "data" may be bound by storage class "manual" to PersistentVolume\/node-root, spec\.hostPath\)/,
    );
  });

  test("a claim that names no class may get the cluster's default one: a local PersistentVolume of any class fails", () => {
    // WHEN
    const error = mountedClaimError((chart) => {
      nodeRoot(chart, { hostPath: undefined, local: { path: '/mnt/disk' }, storageClassName: 'local-storage' });
      dataClaim(chart, { storageClassName: undefined });
    });
    // THEN
    expect(error).toMatch(/\(claim "data" may be bound by the cluster's default storage class \(it names none\) to PersistentVolume\/node-root, spec\.local\)/);
  });

  test('the class in the legacy beta annotation wins over the field, as in the controller', () => {
    // WHEN
    const error = mountedClaimError((chart) => {
      nodeRoot(chart);
      dataClaim(chart, { storageClassName: 'fast' }, { annotations: { 'volume.beta.kubernetes.io/storage-class': 'manual' } });
    });
    // THEN
    expect(error).toMatch(/claim "data" may be bound by storage class "manual" to PersistentVolume\/node-root/);
  });

  test('a hostPath PersistentVolume in a chart of another namespace is found: PersistentVolumes are cluster-wide', () => {
    // WHEN
    const error = mountedClaimError((chart) => { nodeRoot(new Chart(App.of(chart), 'infra', { namespace: 'infra' })); dataClaim(chart); }, [], 'shop');
    // THEN
    expect(error).toMatch(/claim "data" may be bound by storage class "manual" to PersistentVolume\/infra\/node-root, spec\.hostPath/);
  });

  test.each([
    ['of another storage class', (chart: Chart) => { nodeRoot(chart); dataClaim(chart, { storageClassName: 'fast' }); }],
    ['with no class, the claim naming one', (chart: Chart) => { nodeRoot(chart, { storageClassName: undefined }); dataClaim(chart); }],
    ['reserved for another claim (claimRef)', (chart: Chart) => { nodeRoot(chart, { claimRef: { name: 'logs' } }); dataClaim(chart); }],
    ["whose labels the claim's selector does not match", (chart: Chart) => { nodeRoot(chart, {}, { labels: { tier: 'node' } }); dataClaim(chart, { selector: { matchLabels: { tier: 'db' } } }); }],
    ['while the claim names another volume (volumeName)', (chart: Chart) => { nodeRoot(chart); dataClaim(chart, { volumeName: 'ebs-data' }); }],
  ])('a hostPath PersistentVolume %s cannot be bound: passes', (_, more) => {
    expect(mountedClaimError(more)).toBe('');
  });

  test('a valid exemption of the control passes, where without it synthesis fails', () => {
    const bypass = (chart: Chart) => { nodeRoot(chart); dataClaim(chart); };
    expect(mountedClaimError(bypass)).toMatch(/\[NO_HOST_PATH_VOLUMES\] Deployment\/api/);
    expect(mountedClaimError(bypass, EXEMPT)).toBe('');
  });
});

describe('NO_HOST_PATH_VOLUMES: the claim of a generic ephemeral volume', () => {
  /** The golden-path service with an ephemeral volume of `claimSpec` mounted at /host, and a hostPath PersistentVolume; the synthesis error. */
  function ephemeralError(claimSpec: Record<string, unknown>, volume: Record<string, unknown> = {}, exemptions: Exemption[] = []): string {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, exemptions });
    nodeRoot(chart, volume);
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...claimSpec };
    ApiObject.of(api.deployment).addJsonPatch(
      JsonPatch.add(`${SPEC}/volumes/-`, { name: 'host', ephemeral: { volumeClaimTemplate: { spec } } }),
      JsonPatch.add(`${SPEC}/containers/0/volumeMounts/-`, { name: 'host', mountPath: '/host' }),
    );
    return synthError(app);
  }

  test('a template naming the hostPath PersistentVolume (volumeName) fails, naming the volume and the claim', () => {
    expect(ephemeralError({ storageClassName: '', volumeName: 'node-root' })).toMatch(
      /\[NO_HOST_PATH_VOLUMES\] Deployment\/api container 'api': volume "host" is of kind hostPath: it mounts the host's filesystem at spec\.template\.spec\.volumes\[\d\]\.ephemeral \(the pod's claim <pod>-host is bound by its volumeName to PersistentVolume\/node-root, spec\.hostPath\)/,
    );
  });

  test('a template of the storage class of the hostPath PersistentVolume fails', () => {
    expect(ephemeralError({ storageClassName: 'manual' })).toMatch(
      /volume "host" is of kind hostPath: .*\.ephemeral \(the pod's claim <pod>-host may be bound by storage class "manual" to PersistentVolume\/node-root, spec\.hostPath\)/,
    );
  });

  test("a PersistentVolume reserved for a claim of the volume's name (claimRef) fails: the pod's name is generated", () => {
    expect(ephemeralError({ storageClassName: 'fast' }, { claimRef: { name: 'api-7d9f-x2x4k-host' } })).toMatch(/the pod's claim <pod>-host is bound by the volume's claimRef/);
  });

  test.each([
    ['of another storage class', { storageClassName: 'fast' }, {}],
    ['reserved for the claim of another volume', { storageClassName: 'manual' }, { claimRef: { name: 'api-7d9f-x2x4k-logs' } }],
  ])('a template %s passes', (_, claimSpec, volume) => {
    expect(ephemeralError(claimSpec, volume)).toBe('');
  });

  test.each([
    ['by volumeName', { storageClassName: '', volumeName: 'node-root' }],
    ['by storage class', { storageClassName: 'manual' }],
  ])('a valid exemption of the control passes, where without it synthesis fails (%s)', (_, claimSpec) => {
    expect(ephemeralError(claimSpec)).toMatch(/\[NO_HOST_PATH_VOLUMES\] Deployment\/api/);
    expect(ephemeralError(claimSpec, {}, EXEMPT)).toBe('');
  });
});

/** A StatefulSet other code writes, hardened but for its claim templates, with a NetworkPolicy for its pods. */
function statefulSet(templateSpec: Record<string, unknown>, annotations?: Record<string, string>): Record<string, unknown>[] {
  const labels = { app: 'db' };
  const spec = {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'main',
      image: 'ghcr.io/acme/db:3.1.0',
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'data', mountPath: '/var/lib/db' }],
    }],
  };
  const volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...templateSpec } }];
  return [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', annotations }, spec: { serviceName: 'db', selector: { matchLabels: labels }, template: { metadata: { labels }, spec }, volumeClaimTemplates } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-db' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'] } },
  ];
}

const HOST_PV = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'node-root' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/' } } };

describe('NO_HOST_PATH_VOLUMES: the claims of a StatefulSet (ChartChecks)', () => {
  /** ChartChecks over `objects` in one chart; the synthesis error. */
  function chartChecksError(objects: Record<string, unknown>[]): string {
    const { app, chart } = newChart();
    new ChartChecks(chart, 'Checks');
    objects.forEach((props, i) => new ApiObject(chart, `o${i}`, props as any));
    return synthError(app);
  }

  test.each([
    ['of the storage class of a hostPath PersistentVolume', { storageClassName: 'manual' }, {}, /each pod's claim data-db-<ordinal> may be bound by storage class "manual" to PersistentVolume\/node-root, spec\.hostPath/],
    ['naming a hostPath PersistentVolume (volumeName)', { storageClassName: '', volumeName: 'node-root' }, {}, /each pod's claim data-db-<ordinal> is bound by its volumeName to PersistentVolume\/node-root/],
    ["one of whose claims a hostPath PersistentVolume's claimRef names", { storageClassName: 'fast' }, { claimRef: { name: 'data-db-0' } }, /data-db-<ordinal> is bound by the volume's claimRef/],
  ])('a claim template %s fails, naming the template', (_, templateSpec, pvSpec, detail) => {
    // WHEN
    const error = chartChecksError([...statefulSet(templateSpec), { ...HOST_PV, spec: { ...HOST_PV.spec, ...pvSpec } }]);
    // THEN
    expect(error).toMatch(/\[NO_HOST_PATH_VOLUMES\] StatefulSet\/db container 'main': volume "data" is of kind hostPath: it mounts the host's filesystem at spec\.volumeClaimTemplates\[0\] \(/);
    expect(error).toMatch(detail);
  });

  test.each([
    ['of another storage class', { storageClassName: 'fast' }, {}],
    ["when the PersistentVolume's claimRef names another StatefulSet's claim", { storageClassName: 'manual' }, { claimRef: { name: 'data-cache-0' } }],
  ])('a claim template %s passes', (_, templateSpec, pvSpec) => {
    expect(chartChecksError([...statefulSet(templateSpec), { ...HOST_PV, spec: { ...HOST_PV.spec, ...pvSpec } }])).toBe('');
  });

  test('an exemption recorded on the StatefulSet passes, where without it synthesis fails', () => {
    const annotations = { [EXEMPTIONS_ANNOTATION]: exemptionsAnnotationValue(EXEMPT) };
    expect(chartChecksError([...statefulSet({ storageClassName: 'manual' }), HOST_PV])).toMatch(/\[NO_HOST_PATH_VOLUMES\] StatefulSet\/db/);
    expect(chartChecksError([...statefulSet({ storageClassName: 'manual' }, annotations), HOST_PV])).toBe('');
  });
});

describe('NO_HOST_PATH_VOLUMES: the CLI reads the same objects from YAML', () => {
  const yaml = (objects: Record<string, unknown>[]) => Yaml.stringify(...objects);
  /** The messages of the SARIF results the CLI prints for `path`, and its exit code: the text format leaves out the setting. */
  const sarifMessages = (path: string) => {
    const { code, out } = runCli('check', path, '--format', 'sarif', '--today', '2026-01-15');
    return { code, messages: JSON.parse(out).runs[0].results.map((r: any) => `${r.ruleId}: ${r.message.text}`) as string[] };
  };

  test('a StatefulSet in one file, the hostPath PersistentVolume of its class in another: exit 1, naming the volume', () => {
    // GIVEN
    const dir = writeFiles({ 'db.yaml': yaml(statefulSet({ storageClassName: 'manual' })), 'volumes/pv.yaml': yaml([HOST_PV]) });
    // WHEN
    const { code, messages } = sarifMessages(dir);
    // THEN
    expect(messages).toEqual([expect.stringMatching(
      /^NO_HOST_PATH_VOLUMES: volume "data" is of kind hostPath: .* at spec\.volumeClaimTemplates\[0\] \(each pod's claim data-db-<ordinal> may be bound by storage class "manual" to PersistentVolume\/node-root, spec\.hostPath\)/,
    )]);
    expect(code).toBe(1);
  });

  test('a claim of the PersistentVolume\'s class mounted by a Deployment: exit 1; with an exemption recorded on it: exit 0', () => {
    // GIVEN
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: 'manual' } };
    const [db, policy] = statefulSet({ storageClassName: 'fast' });
    const deployment = (annotations?: Record<string, string>) => {
      const spec = (db as any).spec;
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'db', annotations },
        spec: { selector: spec.selector, template: { ...spec.template, spec: { ...spec.template.spec, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } } },
      };
    };
    const exempted = { [EXEMPTIONS_ANNOTATION]: exemptionsAnnotationValue(EXEMPT) };
    // WHEN
    const failing = sarifMessages(join(writeFiles({ 'app.yaml': yaml([deployment(), policy, claim, HOST_PV]) }), 'app.yaml'));
    const exempt = runCli('check', join(writeFiles({ 'app.yaml': yaml([deployment(exempted), policy, claim, HOST_PV]) }), 'app.yaml'), '--today', '2026-01-15');
    // THEN
    expect(failing.messages).toEqual([expect.stringMatching(/^NO_HOST_PATH_VOLUMES: volume "data" is of kind hostPath: .*\(claim "data" may be bound by storage class "manual" to PersistentVolume\/node-root/)]);
    expect(failing.code).toBe(1);
    expect(exempt.out).toMatch(/NO_HOST_PATH_VOLUMES\s+exempted/);
    expect(exempt.code).toBe(0);
  });
});
