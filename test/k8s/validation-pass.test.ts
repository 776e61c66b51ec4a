// Outside a synthesis of their own (see synthesis.test.ts), one validation pass renders the app's
// objects once for every SecureService (validation stays linear in services); these tests pin that,
// and that nothing read in one pass leaks into a later synthesis.
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GOLDEN, newChart, synthError } from './helpers';
import { SecureService } from '../../lib/k8s';

describe('validation passes', () => {
  test('synthesizing a chart without services validates every service, rendering each object once', () => {
    // GIVEN: services in one chart, and a chart of plain objects whose synthesis validates the whole app
    const { app, chart } = newChart();
    const services = Array.from({ length: 5 }, (_, i) => new SecureService(chart, `svc${i}`, GOLDEN));
    const plain = new Chart(app, 'plain');
    new kplus.k8s.KubeConfigMap(plain, 'settings', { data: { LOG_LEVEL: 'info' } });
    ApiObject.of(services[3].deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');

    // WHEN
    let error = '';
    try {
      Testing.synth(plain);
    } catch (e) {
      error = (e as Error).message;
    }

    // THEN
    const counts = new Map<unknown, number>();
    for (const object of spy.mock.contexts) counts.set(object, (counts.get(object) ?? 0) + 1);
    spy.mockRestore();
    expect(error).toContain('[test/svc3]');
    expect(error).toContain('NO_HOST_NAMESPACES');
    for (const object of chart.node.findAll().filter(ApiObject.isApiObject)) expect(counts.get(object)).toBe(1);
  });

  test('a NetworkPolicy patched between two syntheses in the same tick is seen by the second', () => {
    // GIVEN: many services, and another team's policy that only admits the service port
    const { app, chart } = newChart();
    for (let i = 0; i < 20; i++) new SecureService(chart, `svc${i}`, GOLDEN);
    const policy = new kplus.k8s.KubeNetworkPolicy(chart, 'other-team', {
      metadata: { name: 'other-team' },
      spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'svc7' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: kplus.k8s.IntOrString.fromNumber(8080) }] }] },
    });
    expect(synthError(app)).toBe('');

    // WHEN: the policy is patched to admit every port, synchronously after the first synthesis
    ApiObject.of(policy).addJsonPatch(JsonPatch.remove('/spec/ingress/0/ports'));

    // THEN: only the service it selects fails, with the policy named
    const error = synthError(app);
    expect(error).toContain('[test/svc7]');
    expect(error).toContain('NetworkPolicy/other-team spec.ingress[0] admits every port');
    expect(error).not.toContain('[test/svc6]');
  });

  test('assess() outside synthesis reads the objects as they are now', () => {
    // GIVEN
    const { app, chart } = newChart();
    const svc = new SecureService(chart, 'api', GOLDEN);
    expect(synthError(app)).toBe('');

    // WHEN
    ApiObject.of(svc.networkPolicy).addJsonPatch(JsonPatch.remove('/spec/ingress/0/ports'));

    // THEN
    expect(svc.assess().errors.join('\n')).toContain('admits every port');
  });

  test('a policy selecting every pod applies to every service', () => {
    // GIVEN
    const { app, chart } = newChart();
    for (let i = 0; i < 3; i++) new SecureService(chart, `svc${i}`, GOLDEN);

    // WHEN
    new kplus.k8s.KubeNetworkPolicy(chart, 'allow-all', { metadata: { name: 'allow-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } });

    // THEN
    const error = synthError(app);
    for (let i = 0; i < 3; i++) expect(error).toContain(`[test/svc${i}]`);
  });
});
