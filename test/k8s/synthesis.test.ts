// Within one synthesis every object is rendered once, shared by every validation pass and the
// output; these tests pin that, and that nothing rendered in one synthesis leaks into the next.
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GOLDEN, TODAY, newChart, synthError } from './helpers';
import { ChartChecks, SecureService, TODAY_CONTEXT_KEY } from '../../lib/k8s';
import * as posture from '../../lib/k8s/posture';
import { renderOncePerSynthesis } from '../../lib/k8s/synthesis';

/** How many times each object was rendered by cdk8s while `run` ran. */
function renderings(run: () => void): Map<unknown, number> {
  const spy = jest.spyOn(ApiObject.prototype, 'toJson');
  try {
    run();
    const counts = new Map<unknown, number>();
    for (const object of spy.mock.contexts) counts.set(object, (counts.get(object) ?? 0) + 1);
    return counts;
  } finally {
    spy.mockRestore();
  }
}

function twoChartApp(): { app: App; services: SecureService[] } {
  const app = Testing.app();
  app.node.setContext(TODAY_CONTEXT_KEY, TODAY);
  const services = ['a', 'b'].flatMap((id) => {
    const chart = new Chart(app, id);
    new ChartChecks(chart, 'checks');
    return [new SecureService(chart, `${id}1`, GOLDEN), new SecureService(chart, `${id}2`, GOLDEN)];
  });
  return { app, services };
}

describe('one rendering per object per synthesis', () => {
  test.each([
    ['app.synthYaml()', (app: App) => app.synthYaml()],
    ['app.synth()', (app: App) => app.synth()],
  ])('%s renders each object once, for every validation pass and the output', (_, synthesize) => {
    // GIVEN: two charts, so cdk8s validates the app three times
    const { app, services } = twoChartApp();

    // WHEN
    const counts = renderings(() => synthesize(app));

    // THEN
    const objects = app.node.findAll().filter(ApiObject.isApiObject);
    expect(objects.length).toBe(services.length * 5);
    for (const object of objects) expect(counts.get(object)).toBe(1);
  });

  test('Testing.synth(chart) renders each object of the app once', () => {
    // GIVEN
    const { app } = twoChartApp();

    // WHEN
    const counts = renderings(() => Testing.synth(app.charts[0]));

    // THEN: the other chart's objects too (its services are validated), but once each
    for (const object of app.node.findAll().filter(ApiObject.isApiObject)) expect(counts.get(object)).toBe(1);
  });

  test('the output is a copy of cdk8s-plus\'s rendering, equal to it: the JSON the checks read', () => {
    // GIVEN: cdk8s-plus's own renderer of the service's Deployment, watched
    const { app, services } = twoChartApp();
    const deployment = ApiObject.of(services[0].deployment);
    const renderer = jest.spyOn(Object.getPrototypeOf(deployment), 'toJson');
    const reads = jest.spyOn(posture, 'readWorkloadsAt');

    // WHEN
    let written: unknown[] = [];
    let rendered: unknown[] = [];
    let read: unknown[] = [];
    try {
      written = app.charts[0].toJson();
      rendered = renderer.mock.contexts.flatMap((object, i) => object === deployment ? [renderer.mock.results[i].value] : []);
      read = reads.mock.calls.flatMap(([objects]) => objects);
    } finally {
      renderer.mockRestore();
      reads.mockRestore();
    }

    // THEN: rendered once, written and read as a copy that is not cdk8s-plus's object but equals it, key order included
    const writtenDeployment = written.find((o: any) => o.kind === 'Deployment' && o.metadata.name === services[0].name);
    expect(rendered).toHaveLength(1);
    expect(writtenDeployment).not.toBe(rendered[0]);
    expect(writtenDeployment).toStrictEqual(rendered[0]);
    expect(JSON.stringify(writtenDeployment)).toBe(JSON.stringify(rendered[0]));
    expect(read).toContain(writtenDeployment);
  });

  test('a patch on a Deployment between two syntheses in the same tick is checked and written by the second', () => {
    // GIVEN
    const { app, chart } = newChart();
    const svc = new SecureService(chart, 'api', GOLDEN);
    expect(synthError(app)).toBe('');

    // WHEN
    ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));

    // THEN
    expect(synthError(app)).toContain('NOT_PRIVILEGED');
    const written = ApiObject.of(svc.deployment).toJson();
    expect(written).toMatchObject({ spec: { template: { spec: { containers: [{ securityContext: { privileged: true } }] } } } });
  });

  test('a synthesis that fails ends: later reads render afresh', () => {
    // GIVEN: a synthesis that fails
    const { app, chart } = newChart();
    const svc = new SecureService(chart, 'api', GOLDEN);
    const deployment = ApiObject.of(svc.deployment);
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostPid', true));
    expect(synthError(app)).toContain('NO_HOST_NAMESPACES');

    // WHEN
    deployment.addJsonPatch(JsonPatch.add('/metadata/labels/after', 'failure'));

    // THEN
    expect(deployment.toJson()).toMatchObject({ metadata: { labels: { after: 'failure' } } });
    expect(svc.assess().errors.join('\n')).toContain('NO_HOST_NAMESPACES');
  });

  test('objects other code created are still checked, and written as rendered', () => {
    // GIVEN: a chart-wide check and a raw Deployment next to a service
    const { app, chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    new ChartChecks(chart, 'checks');
    new kplus.Deployment(chart, 'raw', { containers: [{ image: 'nginx:1.27', securityContext: { ensureNonRoot: false } }] });

    // WHEN
    const error = synthError(app);

    // THEN
    expect(error).toContain('[test/checks]');
    expect(error).toContain('RUN_AS_NON_ROOT');
  });

  test('an object whose toJson() was replaced keeps it, inside and outside a synthesis', () => {
    // GIVEN: an object of the chart with its own renderer, offered for sharing
    const { chart } = newChart();
    const object = new ApiObject(chart, 'custom', { apiVersion: 'v1', kind: 'ConfigMap' });
    object.toJson = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' } });
    renderOncePerSynthesis(object, [object]);

    // WHEN
    const outside = object.toJson();
    const inside = Testing.synth(chart);

    // THEN
    expect(outside).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' } });
    expect(inside).toEqual([outside]);
  });
});
