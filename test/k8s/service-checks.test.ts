// In a synthesis the services of an app are checked together (lib/k8s/service-checks.ts); each must
// still get exactly its own result, judged under its own policy and day.
import { ApiObject, App, Chart, JsonPatch, Testing, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GOLDEN, TODAY, exemption, newChart } from './helpers';
import { DEFAULT_POLICY, SecurityPolicy } from '../../lib/core';
import { SecureService, TODAY_CONTEXT_KEY } from '../../lib/k8s';
import { freshAppObjects } from '../../lib/k8s/app-objects';
import { checkServices } from '../../lib/k8s/service-checks';

/** The errors `app.synthYaml()` reports, by construct path. */
function errorsByPath(app: App): Map<string, string[]> {
  let message = '';
  try {
    app.synthYaml();
  } catch (e) {
    message = (e as Error).message;
  }
  const byPath = new Map<string, string[]>();
  for (const [, path, error] of message.matchAll(/^ {2}\[([^\]]+)\] (.*)$/gm)) byPath.set(path, [...byPath.get(path) ?? [], error]);
  return byPath;
}

describe('services checked together', () => {
  test('each service gets its own errors, under its own policy and day, the same as assess()', () => {
    // GIVEN: the same service under the default policy, under a policy that wants tickets, and on a later day
    const app = Testing.app();
    app.node.setContext(TODAY_CONTEXT_KEY, TODAY);
    const plain = new Chart(app, 'plain');
    const strict = new Chart(app, 'strict');
    SecurityPolicy.of(strict).apply({ requireTicket: true });
    const later = new Chart(app, 'later');
    later.node.setContext(TODAY_CONTEXT_KEY, '2027-01-01');
    const props = { ...GOLDEN, readOnlyRootFilesystem: false, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { expires: '2026-06-30' })] };
    const services = [plain, strict, later].flatMap((chart) => [new SecureService(chart, 'api', props), new SecureService(chart, 'web', GOLDEN)]);
    // and one service weakened after construction
    ApiObject.of(services[1].deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));

    // WHEN
    const errors = errorsByPath(app);

    // THEN
    expect([...errors.keys()].sort()).toEqual(['later/api', 'plain/web', 'strict/api']);
    expect(errors.get('plain/web')!.join('\n')).toContain('NO_HOST_NAMESPACES');
    expect(errors.get('strict/api')!.join('\n')).toContain('ticket');
    expect(errors.get('later/api')!.join('\n')).toContain('expired on 2026-06-30');
    for (const service of services) expect(errors.get(service.node.path) ?? []).toEqual(service.assess().errors);
  });

  test('services read at different moments of one UTC day are judged on that day; a moment of the next day on the next', () => {
    // GIVEN: three services whose exemption expires on 2026-06-30, read late on that day, early on it, and just after midnight
    const { chart } = newChart();
    const props = { ...GOLDEN, readOnlyRootFilesystem: false, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { expires: '2026-06-30' })] };
    const moments = ['2026-06-30T23:59:59Z', '2026-06-30T00:00:00Z', '2026-07-01T00:00:01Z'];
    const services = moments.map((moment, i) => {
      const service = new SecureService(chart, `api${i}`, props);
      const objects = [service.deployment, service.serviceAccount, service.networkPolicy, service.service!].map((c) => ApiObject.of(c));
      return { objects, policy: DEFAULT_POLICY, today: new Date(moment) };
    });

    // WHEN
    const results = checkServices(services, freshAppObjects(chart));

    // THEN: valid through its expiry day; from the next, expired and so covering nothing
    expect(results.map((r) => r.errors)).toEqual([[], [], [
      expect.stringContaining('expired on 2026-06-30'),
      expect.stringContaining('[READ_ONLY_ROOT_FILESYSTEM] Deployment/api2'),
    ]]);
  });
});

describe('what a service check reads beyond its own objects', () => {
  test('a Service exposing the pods, from exposeViaService, fails assess() and synthesis alike', () => {
    // GIVEN
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    // WHEN
    api.deployment.exposeViaService({ name: 'api-public', serviceType: kplus.ServiceType.NODE_PORT });
    // THEN
    const expected = '[NO_PUBLIC_IP] Deployment/api: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster at Service/api-public spec.type (NodePort)';
    expect(api.assess().errors).toEqual([expect.stringContaining(expected)]);
    expect(errorsByPath(app).get('test/api')).toEqual([expect.stringContaining(expected)]);
  });

  test('the ClusterIP Service of the golden path leaves NO_PUBLIC_IP not applicable', () => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    expect(api.assess().assessments[0].notApplicable).toContain('NO_PUBLIC_IP');
  });
});

describe('an object of the service written twice', () => {
  const policyNamedApi = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };

  const twinWarning = 'NetworkPolicy/shop/api at test/api/NetworkPolicy is written again at platform/np, another chart: applied to one namespace of one cluster, '
    + 'the one applied last replaces the other; give one of them another name or namespace';

  test('in another chart: a warning (the charts may go to other clusters); the same name of another kind or namespace: nothing', () => {
    // GIVEN the service's NetworkPolicy written again, the same, in another chart (one chart per environment)
    const { app, chart } = newChart('shop');
    const api = new SecureService(chart, 'api', GOLDEN);
    const platform = new Chart(app, 'platform');
    new ApiObject(platform, 'np', api.networkPolicy.toJson());
    new ApiObject(platform, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api' } });
    new ApiObject(new Chart(app, 'other', { namespace: 'other' }), 'np', policyNamedApi);
    // WHEN
    const result = api.assess();
    // THEN
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([twinWarning]);
  });

  test('in another chart, a NetworkPolicy that would not isolate the pods: NETWORK_ISOLATION fails too (applied together, it may replace the service\'s)', () => {
    // GIVEN
    const { app, chart } = newChart('shop');
    const api = new SecureService(chart, 'api', GOLDEN);
    new ApiObject(new Chart(app, 'platform'), 'np', policyNamedApi);
    // WHEN
    const result = api.assess();
    // THEN
    expect(result.errors).toEqual([expect.stringContaining('[NETWORK_ISOLATION] Deployment/shop/api: no NetworkPolicy with policyType Ingress selects the pods '
      + '(NetworkPolicy/shop/api would, but it is written twice, the other time not selecting them, and kubectl apply keeps the one it applies last)')]);
    expect(result.warnings).toEqual([twinWarning]);
  });

  test('an object of another API group with the kind and name of one of the service\'s is another resource: nothing', () => {
    const { chart } = newChart('shop');
    const api = new SecureService(chart, 'api', GOLDEN);
    new ApiObject(chart, 'calico', { ...policyNamedApi, apiVersion: 'projectcalico.org/v3', metadata: { name: 'api', namespace: 'shop' } });
    new ApiObject(chart, 'knative', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' } });
    expect(api.assess().errors).toEqual([]);
  });

  test('in another chart of an app written as one file: an error', () => {
    // GIVEN
    const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_APP });
    app.node.setContext(TODAY_CONTEXT_KEY, TODAY);
    const api = new SecureService(new Chart(app, 'test'), 'api', GOLDEN);
    new ApiObject(new Chart(app, 'platform'), 'np', policyNamedApi);
    // THEN
    expect(api.assess().errors).toEqual([
      expect.stringContaining('[NETWORK_ISOLATION] Deployment/api: no NetworkPolicy with policyType Ingress selects the pods (NetworkPolicy/api would, but it is written twice'),
      'NetworkPolicy/api at test/api/NetworkPolicy is written again at platform/np: kubectl apply keeps only the one it applies last, '
      + 'so the other may replace it; give one of them another name or namespace',
    ]);
  });

  test.each([
    ['a file per resource, any chart: an error', YamlOutputType.FILE_PER_RESOURCE, 'other', true],
    ['a folder per chart, the same chart: an error', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'test', true],
    ['a folder per chart, another chart: nothing', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'other', false],
    ['a file per chart: nothing', YamlOutputType.FILE_PER_CHART, 'test', false],
  ])('an object of the kind and name of one of the service\'s, in another namespace, written with %s', (_, yamlOutputType, chartId, fails) => {
    // GIVEN an app writing files named by kind and name alone, and a NetworkPolicy named like the service's for another namespace
    const app = Testing.app({ yamlOutputType });
    app.node.setContext(TODAY_CONTEXT_KEY, TODAY);
    const chart = new Chart(app, 'test', { namespace: 'prod' });
    const api = new SecureService(chart, 'api', GOLDEN);
    const otherChart = chartId === 'test' ? chart : new Chart(app, chartId);
    new ApiObject(otherChart, 'staging-np', { ...api.networkPolicy.toJson(), metadata: { name: 'api', namespace: 'staging' } });
    // THEN
    const expected = 'NetworkPolicy/prod/api at test/api/NetworkPolicy and NetworkPolicy/staging/api at '
      + `${chartId}/staging-np are written to one file, NetworkPolicy.api (a file per resource is named by kind and name alone): the one written last replaces the other; give one of them another name`;
    expect(api.assess().errors).toEqual(fails ? [expected] : []);
  });

  test('a folder per chart names a file by the object as constructed: one renamed by a JSON patch still overwrites the service\'s', () => {
    // GIVEN: cdk8s names the file NetworkPolicy.api from the ApiObject, before the patch renames what it renders
    const app = Testing.app({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    app.node.setContext(TODAY_CONTEXT_KEY, TODAY);
    const chart = new Chart(app, 'test', { namespace: 'prod' });
    const api = new SecureService(chart, 'api', GOLDEN);
    const allow = new ApiObject(chart, 'allow', {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api' }, spec: { podSelector: { matchLabels: { app: 'other' } }, ingress: [{}] },
    });
    allow.addJsonPatch(JsonPatch.replace('/metadata/name', 'other-allow'));
    // THEN
    expect(api.assess().errors).toEqual(['NetworkPolicy/prod/api at test/api/NetworkPolicy and NetworkPolicy/prod/other-allow at test/allow are written to one file, '
      + 'NetworkPolicy.api (a file per resource is named by kind and name alone): the one written last replaces the other; give one of them another name']);
  });

  test('inside a List of a chart nested in the service\'s chart: an error, named by the List', () => {
    // GIVEN
    const { app, chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    new ApiObject(new Chart(chart, 'nested'), 'extras', { apiVersion: 'v1', kind: 'List', metadata: { name: 'extras' }, items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } }] });
    // THEN
    expect(errorsByPath(app).get('test/api')).toEqual([
      'Deployment/api at test/api/Deployment/Resource is written again at test/nested/extras items[0]: kubectl apply keeps only the one it applies last, '
      + 'so the other may replace it; give one of them another name or namespace',
    ]);
  });
});
