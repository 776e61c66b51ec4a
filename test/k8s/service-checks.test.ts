// In a synthesis the services of an app are checked together (lib/k8s/service-checks.ts); each must
// still get exactly its own result, judged under its own policy and day.
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
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
