import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Lazy, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { GOLDEN, TODAY, newChart, synthError } from './helpers';
import { parseYaml } from '../../lib/cli/yaml-documents';
import { SecurityPolicy } from '../../lib/core';
import { ChartChecks, SecureService, SecureServiceValidation, ValidationPluginContext, checkChart, checkObjects } from '../../lib/k8s';

const INSECURE_POD_SPEC = { containers: [{ name: 'main', image: 'nginx:1.27', securityContext: { privileged: true } }], hostPID: true };
const HARDENED_POD_SPEC = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'main',
    image: 'nginx:1.27',
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  }],
};

function handWritten(scope: any, kind: 'Deployment' | 'CronJob' | 'Pod', name: string, podSpec: any, annotations?: Record<string, string>) {
  const metadata = { name, annotations };
  const template = { metadata: { labels: { app: name } }, spec: podSpec };
  const props = {
    Deployment: { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: { app: name } }, template } },
    CronJob: { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...podSpec, restartPolicy: 'Never' } } } } } },
    Pod: { apiVersion: 'v1', kind, metadata: { ...metadata, labels: { app: name } }, spec: podSpec },
  }[kind];
  return new ApiObject(scope, name, props);
}

function denyAll(scope: any) {
  return new ApiObject(scope, 'deny-all', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
}

describe('chart-wide checks', () => {
  test.each(['Deployment', 'CronJob', 'Pod'] as const)('an insecure hand-written %s fails synthesis with ChartChecks', (kind) => {
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    handWritten(chart, kind, 'legacy', INSECURE_POD_SPEC);
    const error = synthError(app);
    expect(error).toContain('[test/SecureServiceChecks]');
    for (const control of ['RUN_AS_NON_ROOT', 'NOT_PRIVILEGED', 'NO_HOST_NAMESPACES', 'SECCOMP_RUNTIME_DEFAULT', 'RESOURCE_LIMITS', 'NO_SERVICE_ACCOUNT_TOKEN', 'NETWORK_ISOLATION']) {
      expect(error).toContain(`[${control}] ${kind}/legacy`);
    }
  });

  test('an exemption is offered as the annotation a hand-written workload records it in; a SecureService\'s as its prop', () => {
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    handWritten(chart, 'Deployment', 'legacy', INSECURE_POD_SPEC);
    new SecureService(chart, 'api', { ...GOLDEN, privileged: true, allowPrivilegeEscalation: true });
    const error = synthError(app);
    expect(error).toContain("[NOT_PRIVILEGED] Deployment/legacy container 'main': the container is privileged");
    expect(error).toContain('(or record an exemption in the secure-service.dev/exemptions annotation: {"control":"NOT_PRIVILEGED","container":"main","justification":"..."})');
    expect(error).toMatch(/\[NOT_PRIVILEGED\] Deployment\/api container 'api': [^\n]*\(or add an exemption \{ control: Control\.NOT_PRIVILEGED, container: 'api', justification: '\.\.\.' \}\)/);
  });

  describe('an object another may replace is not what was checked', () => {
    /** A hardened Deployment and a NetworkPolicy `web` that isolates it in chart shop, with `more` added to the app. */
    function isolatedWeb(yamlOutputType: YamlOutputType, more: (app: ReturnType<typeof Testing.app>) => void) {
      const app = Testing.app({ yamlOutputType });
      app.node.setContext('secure-service:today', TODAY);
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      handWritten(shop, 'Deployment', 'web', HARDENED_POD_SPEC);
      webPolicy(shop, 'policy', { app: 'web' });
      new ChartChecks(app, 'Checks');
      more(app);
      return app;
    }
    const webPolicy = (scope: Chart, id: string, podSelector: Record<string, string>) => new ApiObject(scope, id, {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web' }, spec: { podSelector: { matchLabels: podSelector }, policyTypes: ['Ingress'] },
    });

    test('a file per resource: a NetworkPolicy of the same name in another namespace is written to its file and replaces it', () => {
      const app = isolatedWeb(YamlOutputType.FILE_PER_RESOURCE, (a) => webPolicy(new Chart(a, 'other', { namespace: 'other' }), 'policy', { app: 'nothing' }));
      expect(synthError(app)).toContain('[Checks] NetworkPolicy/shop/web at shop/policy and NetworkPolicy/other/web at other/policy are written to one file, '
        + 'NetworkPolicy.web (a file per resource is named by kind and name alone): the one written last replaces the other; give one of them another name');
    });

    test('one file: a NetworkPolicy of the same name and namespace is judged as either may be applied last (an exemptable finding)', () => {
      const app = isolatedWeb(YamlOutputType.FILE_PER_CHART, (a) => webPolicy(a.node.findChild('shop') as Chart, 'again', { app: 'nothing' }));
      const error = synthError(app);
      expect(error).toContain('[Checks] [NETWORK_ISOLATION] Deployment/shop/web: no NetworkPolicy with policyType Ingress selects the pods '
        + '(NetworkPolicy/shop/web would, but it is written twice, the other time not selecting them');
      expect(error).not.toContain('written to one file');
    });

    test("a pair with a SecureService's own object is named by the service alone", () => {
      const app = isolatedWeb(YamlOutputType.FILE_PER_RESOURCE, (a) => new SecureService(new Chart(a, 'other', { namespace: 'other' }), 'web', GOLDEN));
      const error = synthError(app);
      expect(error).toContain('[other/web] NetworkPolicy/other/web at other/web/NetworkPolicy and NetworkPolicy/shop/web at shop/policy are written to one file');
      expect(error).not.toContain('[Checks] NetworkPolicy');
    });

    test('files per chart: the same name in other charts and namespaces replaces nothing', () => {
      const app = isolatedWeb(YamlOutputType.FILE_PER_CHART, (a) => webPolicy(new Chart(a, 'other', { namespace: 'other' }), 'policy', { app: 'nothing' }));
      expect(synthError(app)).toBe('');
    });
  });

  test('a hardened hand-written workload behind a deny-all policy passes', () => {
    const { app, chart } = newChart();
    new ChartChecks(app, 'SecureServiceChecks');
    handWritten(chart, 'Deployment', 'good', HARDENED_POD_SPEC);
    denyAll(chart);
    expect(synthError(app)).toBe('');
  });

  test.each([
    ['the chart\'s policy, checked from the app', 'chart', 'app'],
    ['a stricter app policy does not override a chart\'s own', 'chart', 'chart'],
  ])('each workload is judged with the policy nearest its own object: %s', (_, policyOn, checksOn) => {
    const { app, chart } = newChart();
    if (policyOn === 'chart' && checksOn === 'chart') SecurityPolicy.of(app).apply({ allowedRegistries: ['ghcr.io/strict'] });
    SecurityPolicy.of(chart).apply({ allowedRegistries: ['ghcr.io/acme'] });
    new ChartChecks(checksOn === 'app' ? app : chart, 'SecureServiceChecks');
    denyAll(chart);
    handWritten(chart, 'Deployment', 'miner', { ...HARDENED_POD_SPEC, containers: [{ ...HARDENED_POD_SPEC.containers[0], image: 'docker.io/evil/miner:1.0' }] });
    handWritten(chart, 'Deployment', 'good', { ...HARDENED_POD_SPEC, containers: [{ ...HARDENED_POD_SPEC.containers[0], image: 'ghcr.io/acme/api:1.4.2' }] });
    const error = synthError(app);
    expect(error).toContain('[IMAGE_PINNED] Deployment/miner container \'main\': image docker.io/evil/miner:1.0 comes from docker.io');
    expect(error).toContain('pull from an allowed registry: ghcr.io/acme');
    expect(error).not.toContain('Deployment/good');
  });

  test('recorded exemptions are honoured, and still judged', () => {
    const exempt = (controls: string[], expires = '2026-12-31') => ({
      'secure-service.dev/exemptions': JSON.stringify(controls.map((control) => ({ control, justification: 'Node exporter reads host process table; owned by SRE, reviewed quarterly', expires }))),
    });
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    denyAll(chart);
    const spec = { ...HARDENED_POD_SPEC, hostPID: true };
    handWritten(chart, 'Deployment', 'exempted', spec, exempt(['NO_HOST_NAMESPACES']));
    expect(synthError(app)).toBe('');

    const expired = newChart();
    new ChartChecks(expired.chart, 'SecureServiceChecks');
    denyAll(expired.chart);
    handWritten(expired.chart, 'Deployment', 'expired', spec, exempt(['NO_HOST_NAMESPACES'], '2025-12-31'));
    const error = synthError(expired.app);
    expect(error).toContain('Deployment/expired: exemptions[0] (NO_HOST_NAMESPACES): expired on 2025-12-31');
    expect(error).toContain('[NO_HOST_NAMESPACES] Deployment/expired');
  });

  test('services check themselves: chart-wide checks skip them unless asked', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, readOnlyRootFilesystem: false });
    expect(checkChart(chart).assessments).toHaveLength(0);
    expect(checkChart(chart, { includeSecureServices: true }).errors).toEqual([expect.stringContaining('[READ_ONLY_ROOT_FILESYSTEM] Deployment/api')]);
  });

  test("only a service's own Deployment is skipped: a mark another workload carries, as the services once had, skips nothing", () => {
    const { chart } = newChart();
    const pod = new ApiObject(chart, 'legacy', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'legacy' }, spec: { hostPID: true, containers: [{ name: 'main', image: 'busybox:1.36' }] },
    });
    Object.defineProperty(pod, Symbol.for('secure-service.k8s.checkedByService'), { value: true });
    expect(checkChart(chart).errors).toEqual(expect.arrayContaining([expect.stringContaining('[NO_HOST_NAMESPACES] Pod/legacy')]));
  });

  test('a workload wrapped in a List is checked, and named by the List', () => {
    // GIVEN: an insecure Deployment as the item of a List
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    denyAll(chart);
    const item = handWritten(chart, 'Deployment', 'x', INSECURE_POD_SPEC).toJson();
    chart.node.tryRemoveChild('x');
    new ApiObject(chart, 'legacy', { apiVersion: 'v1', kind: 'List', metadata: { name: 'legacy' }, items: [item] });
    // WHEN
    const error = synthError(app);
    // THEN
    expect(error).toContain("[NOT_PRIVILEGED] List/legacy items[0] Deployment/x container 'main': the container is privileged");
    expect(checkObjects([{ apiVersion: 'v1', kind: 'List', items: [item] }], { today: TODAY }).errors).toContainEqual(
      expect.stringContaining("[NOT_PRIVILEGED] List/<unnamed> items[0] Deployment/x container 'main'"));
  });

  test('a LoadBalancer Service selecting a hand-written workload violates NO_PUBLIC_IP; an exemption covers it', () => {
    const build = (annotations?: Record<string, string>) => {
      const { app, chart } = newChart();
      new ChartChecks(chart, 'SecureServiceChecks');
      denyAll(chart);
      handWritten(chart, 'Deployment', 'good', HARDENED_POD_SPEC, annotations);
      new ApiObject(chart, 'public', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'public' }, spec: { type: 'LoadBalancer', selector: { app: 'good' }, ports: [{ port: 80 }] } });
      return app;
    };
    expect(synthError(build())).toContain('[NO_PUBLIC_IP] Deployment/good: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster at Service/public spec.type (LoadBalancer)');
    const exempt = { 'secure-service.dev/exemptions': JSON.stringify([{ control: 'NO_PUBLIC_IP', justification: 'Public storefront; the WAF in front of the load balancer is owned by SRE' }]) };
    expect(synthError(build(exempt))).toBe('');
  });

  /** A Service spec that exposes the pods of 'good' on every node. */
  const NODE_PORT_TO_GOOD = { type: 'NodePort', selector: { app: 'good' }, ports: [{ port: 80 }] };

  /** A checked chart holding a hardened hand-written Deployment 'good' behind a deny-all policy, and another chart of the same app. */
  function checkedGoodAndOther() {
    const { app, chart } = newChart();
    const other = new Chart(app, 'other');
    new ChartChecks(chart, 'SecureServiceChecks');
    denyAll(chart);
    handWritten(chart, 'Deployment', 'good', HARDENED_POD_SPEC);
    return { app, chart, other };
  }

  test('a Service elsewhere in the app exposes pods below the checked chart', () => {
    const { chart, other } = checkedGoodAndOther();
    new ApiObject(other, 'public', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'public' }, spec: { type: 'NodePort', selector: { app: 'good' }, ports: [{ port: 80 }] } });
    expect(checkChart(chart).errors).toEqual([expect.stringContaining('[NO_PUBLIC_IP] Deployment/good: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster at Service/public spec.type (NodePort)')]);
  });

  test.each([
    ['inside a List', (other: Chart) => new ApiObject(other, 'exposing', {
      apiVersion: 'v1', kind: 'List', metadata: { name: 'extras' }, items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'exposing' }, spec: NODE_PORT_TO_GOOD }],
    })],
    ['patched from a Secret', (other: Chart) => new ApiObject(other, 'exposing', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'exposing' } })
      .addJsonPatch(JsonPatch.replace('/kind', 'Service'), JsonPatch.add('/spec', NODE_PORT_TO_GOOD))],
  ])('a Service elsewhere in the app %s exposes pods below the checked chart', (_, addService) => {
    // GIVEN
    const { chart, other } = checkedGoodAndOther();
    // WHEN
    addService(other);
    // THEN
    expect(checkChart(chart).errors).toEqual([expect.stringContaining(
      '[NO_PUBLIC_IP] Deployment/good: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster at Service/exposing spec.type (NodePort)',
    )]);
  });

  test('an HTTPRoute elsewhere in the app to a ClusterIP Service selecting a hand-written workload violates NO_PUBLIC_IP', () => {
    // GIVEN
    const { app, chart, other } = checkedGoodAndOther();
    new ApiObject(chart, 'internal', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'internal' }, spec: { selector: { app: 'good' }, ports: [{ port: 80 }] } });
    // WHEN
    new ApiObject(other, 'web', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web' },
      spec: { parentRefs: [{ name: 'edge' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'internal', port: 80 }] }] },
    });
    // THEN
    const expected = '[NO_PUBLIC_IP] Deployment/good: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster at HTTPRoute/web spec.rules[0].backendRefs[0] (routes to Service/internal)';
    expect(checkChart(chart).errors).toEqual([expect.stringContaining(expected)]);
    expect(synthError(app)).toContain(expected);
  });

  test('a key << in a written object is refused: cdk8s writes a YAML merge key, which kubectl merges', () => {
    // GIVEN: privileged: true hidden under a merge key of a hand-written Deployment's container
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    denyAll(chart);
    const [container] = HARDENED_POD_SPEC.containers;
    const legacy = handWritten(chart, 'Deployment', 'legacy', { ...HARDENED_POD_SPEC, containers: [{ ...container, securityContext: { ...container.securityContext, '<<': { privileged: true } } }] });
    // THEN: what cdk8s writes is a merge key, which kubectl reads as privileged: true
    const written = parseYaml('legacy.yaml', Yaml.stringify(legacy.toJson()))[0].value as any;
    expect(written.spec.template.spec.containers[0].securityContext.privileged).toBe(true);
    expect(synthError(app)).toContain(
      'Deployment/legacy at test/legacy: key "<<" at spec.template.spec.containers[0].securityContext: cdk8s writes it unquoted, as a YAML merge key, so kubectl '
      + 'merges its value into that map, which the checks read as an unknown key; write the keys out in the map itself',
    );
  });

  test('a key << in an object that applies to the pods only once merged is refused too: a Service whose selector is in it', () => {
    // GIVEN: a hardened service, and a LoadBalancer Service elsewhere selecting its pods only through a merge key
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    const other = new Chart(app, 'other');
    new ApiObject(other, 'lb', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb' },
      spec: { 'type': 'LoadBalancer', 'ports': [{ port: 80, targetPort: 8080 }], '<<': { selector: api.deployment.matchLabels } },
    });
    // THEN
    expect(synthError(app)).toContain('Service/lb at other/lb: key "<<" at spec: cdk8s writes it unquoted, as a YAML merge key');
  });

  test('a key << at the top of an object can make it any kind: a ConfigMap that kubectl applies as a privileged Pod is refused', () => {
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    new ApiObject(chart, 'settings', {
      'apiVersion': 'v1',
      'kind': 'ConfigMap',
      'metadata': { name: 'settings' },
      '<<': { kind: 'Pod', spec: { containers: [{ name: 'x', image: 'busybox:1.36', securityContext: { privileged: true } }] } },
    });
    expect(synthError(app)).toContain('ConfigMap/settings at test/settings: key "<<" at the top level');
  });

  test('a key << inside a value the synthesis keeps as it is (an object of a class, from a custom toJson) is refused too', () => {
    // GIVEN: a service (so the synthesis shares one copy of every rendering) and a ConfigMap whose data is an object of a class
    const { app, chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    class Settings {
      public readonly '<<' = { kind: 'Pod' };
    }
    class CustomObject extends ApiObject {
      public toJson(): any {
        return { ...super.toJson(), data: new Settings() };
      }
    }
    new CustomObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    // THEN
    expect(synthError(app)).toContain('ConfigMap/settings at test/settings: key "<<" at data: cdk8s writes it unquoted');
  });

  test('a key << in an object that applies to the pods is refused too', () => {
    // GIVEN: a NetworkPolicy whose merge key admits every peer on every port
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    new ApiObject(chart, 'policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'legacy' },
      spec: { 'podSelector': {}, 'policyTypes': ['Ingress'], '<<': { ingress: [{}] } },
    });
    handWritten(chart, 'Deployment', 'legacy', HARDENED_POD_SPEC);
    // THEN
    expect(synthError(app)).toContain('NetworkPolicy/legacy at test/policy: key "<<" at spec: cdk8s writes it unquoted');
  });

  describe('text kubectl reads otherwise than cdk8s means it (0o7, 0X1F, 0B1 as numbers; U+2028 as a line break) is refused', () => {
    const asKubectlReads = (object: ApiObject) => parseYaml('x.yaml', Yaml.stringify(object.toJson()))[0].value as any;
    const SA = '/spec/template/spec';

    test('a NetworkPolicy port "0o1" with an endPort, which kubectl reads as ports 1-65535', () => {
      // GIVEN: a hardened service, and another policy selecting its pods
      const { app, chart } = newChart();
      new SecureService(chart, 'api', GOLDEN);
      const policy = new ApiObject(chart, 'api-metrics', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'api-metrics' },
        spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: '0o1', endPort: 65535 }] }] },
      });
      // THEN: kubectl opens every port; the checks, reading text, took it for a port name or a policy the API server rejects
      expect(asKubectlReads(policy).spec.ingress[0].ports[0].port).toBe(1);
      expect(synthError(app)).toContain('NetworkPolicy/api-metrics at test/api-metrics: "0o1" at spec.ingress[0].ports[0].port: cdk8s writes this text unquoted, '
        + 'and kubectl reads it as the number 1: it refuses the object where text is needed, and elsewhere takes the number; '
        + 'write the number if that is meant, otherwise text that does not read as a number');
    });

    test('an annotation "0o7" on the service NetworkPolicy, which makes kubectl refuse it and leave the pods open', () => {
      const { app, chart } = newChart();
      const api = new SecureService(chart, 'api', GOLDEN);
      ApiObject.of(api.networkPolicy).metadata.addAnnotation('acme.io/revision', '0o7');
      expect(asKubectlReads(ApiObject.of(api.networkPolicy)).metadata.annotations['acme.io/revision']).toBe(7);
      expect(synthError(app)).toMatch(/NetworkPolicy\/[^:]+: "0o7" at metadata\.annotations\.acme\.io\/revision: cdk8s writes this text unquoted/);
    });

    test('a label key "0X1" on a default ServiceAccount the pods rely on, which kubectl refuses, so the cluster default mounts the token', () => {
      const { app, chart } = newChart();
      const api = new SecureService(chart, 'api', GOLDEN);
      ApiObject.of(api.deployment).addJsonPatch(JsonPatch.remove(`${SA}/automountServiceAccountToken`), JsonPatch.replace(`${SA}/serviceAccountName`, 'default'));
      new ApiObject(chart, 'default-sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', labels: { '0X1': 'a' } }, automountServiceAccountToken: false });
      expect(synthError(app)).toContain('ServiceAccount/default at test/default-sa: key "0X1" at metadata.labels: cdk8s writes it unquoted, and kubectl reads it as the number 1, '
        + 'so the key it applies is "1"; write that key if it is meant, otherwise a key that does not read as a number');
    });

    test('in an object only ChartChecks read: a hand-written deny-all policy annotated "0B1"', () => {
      const { app, chart } = newChart();
      new ChartChecks(chart, 'SecureServiceChecks');
      denyAll(chart).metadata.addAnnotation('note', '0B1');
      handWritten(chart, 'Deployment', 'legacy', HARDENED_POD_SPEC);
      expect(synthError(app)).toContain('NetworkPolicy/deny-all at test/deny-all: "0B1" at metadata.annotations.note: cdk8s writes this text unquoted');
    });

    test('an annotation holding U+2028 on the service NetworkPolicy, which kubectl refuses (the pods would run open)', () => {
      const { app, chart } = newChart();
      const api = new SecureService(chart, 'api', GOLDEN);
      ApiObject.of(api.networkPolicy).metadata.addAnnotation('acme.io/owner', 'team-a\u2028team-b');
      expect(synthError(app)).toMatch(/NetworkPolicy\/[^:]+: text at metadata\.annotations\.acme\.io\/owner holds U\+2028, written as it is by cdk8s, which kubectl reads as a line break/);
    });

    test('text YAML 1.1 reads as a number is quoted by cdk8s, and passes', () => {
      const { app, chart } = newChart();
      const api = new SecureService(chart, 'api', GOLDEN);
      ApiObject.of(api.networkPolicy).metadata.addAnnotation('acme.io/revision', '0x1f');
      expect(asKubectlReads(ApiObject.of(api.networkPolicy)).metadata.annotations['acme.io/revision']).toBe('0x1f');
      expect(() => app.synth()).not.toThrow();
    });
  });

  test('an object only ChartChecks read is written as they read it: a value that changes between renderings cannot reach the output unchecked', () => {
    // GIVEN: a hand-written Deployment whose container is privileged from its second rendering on
    const { chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    denyAll(chart);
    let renderings = 0;
    const [container] = HARDENED_POD_SPEC.containers;
    const privileged = Lazy.any({ produce: () => renderings++ > 0 });
    const legacy = handWritten(chart, 'Deployment', 'legacy', { ...HARDENED_POD_SPEC, containers: [{ ...container, securityContext: { ...container.securityContext, privileged } }] });
    // WHEN
    const written = Testing.synth(chart).find((o) => o.metadata.name === 'legacy');
    // THEN: one rendering, checked and written
    expect(written.spec.template.spec.containers[0].securityContext.privileged).toBe(false);
    expect(legacy.toJson().spec.template.spec.containers[0].securityContext.privileged).toBe(true);
  });

  test('a key << patched into a SecureService object that keeps it is refused', () => {
    // GIVEN: labels are a map of any keys, so the L1 keeps a key << there
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    const deployment = ApiObject.of(api.deployment);
    deployment.addJsonPatch(JsonPatch.add('/metadata/labels/<<', { team: 'x' }));
    // THEN
    expect(deployment.toJson().metadata.labels['<<']).toEqual({ team: 'x' });
    expect(synthError(app)).toMatch(/Deployment\/[^:]+: key "<<" at metadata\.labels: cdk8s writes it unquoted/);
  });

  test('checkObjects on plain objects, judged on a given day', () => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'good' }, spec: { template: { metadata: { labels: { app: 'good' } }, spec: HARDENED_POD_SPEC } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {} } },
    ];
    const result = checkObjects(objects, { today: TODAY });
    expect(result.assessments.map((a) => a.workload.name)).toEqual(['Deployment/good']);
    expect(result.errors).toEqual([]);
    expect(() => checkObjects(objects, { today: '2026-13-01' })).toThrow('today must be a valid date (a Date or YYYY-MM-DD), found: "2026-13-01"');
  });
});

describe('cdk8s CLI validation plugin', () => {
  /** A ValidationContext with the CLI's shape, recording what the plugin reports. */
  function context(manifests: string[]) {
    const violations: any[] = [];
    const logs: string[] = [];
    const submitted: any[] = [];
    const ctx: ValidationPluginContext = {
      manifests,
      report: { addViolation: (v) => violations.push(v), submit: (status, metadata) => submitted.push({ status, metadata }) },
      logger: { log: (m) => logs.push(m) },
    };
    return { ctx, violations, logs, submitted };
  }

  function synthesizedManifest(build: (chart: any) => void): string {
    const { app, chart } = newChart();
    build(chart);
    const out = fs.mkdtempSync(path.join(app.outdir, 'plugin-'));
    const file = path.join(out, 'app.k8s.yaml');
    fs.writeFileSync(file, Yaml.stringify(...chart.toJson()));
    return file;
  }

  test('passes the synthesized golden path and fails a weakened workload, naming control, resource and location', async () => {
    const good = synthesizedManifest((chart) => new SecureService(chart, 'api', GOLDEN));
    const bad = synthesizedManifest((chart) => handWritten(chart, 'Deployment', 'legacy', INSECURE_POD_SPEC));

    const passing = context([good]);
    await new SecureServiceValidation({ today: TODAY }).validate(passing.ctx);
    expect(passing.submitted).toEqual([{ status: 'success', metadata: { workloads: '1' } }]);
    expect(passing.violations).toEqual([]);

    const failing = context([good, bad]);
    await new SecureServiceValidation({ today: TODAY }).validate(failing.ctx);
    expect(failing.submitted).toEqual([{ status: 'failure', metadata: { workloads: '2' } }]);
    expect(failing.violations).toContainEqual({
      ruleName: 'secure-service/NOT_PRIVILEGED',
      recommendation: "Deployment/legacy container 'main': the container is privileged: it has every device and capability of the host",
      fix: 'remove privileged; grant the one thing the process needs instead (or record an exemption in the secure-service.dev/exemptions annotation)',
      violatingResources: [{ resourceName: 'legacy', locations: ['spec.template.spec.containers[0].securityContext.privileged'], manifestPath: bad }],
    });
    expect(failing.violations.every((v) => v.violatingResources[0].manifestPath === bad)).toBe(true);
  });

  test('offers no exemption for what no exemption can cover: a non-waivable control, an image from a registry not allowed', async () => {
    const bad = synthesizedManifest((chart) => handWritten(chart, 'Deployment', 'legacy', INSECURE_POD_SPEC));
    const run = context([bad]);
    await new SecureServiceValidation({ today: TODAY, policy: { nonWaivable: ['NOT_PRIVILEGED'], allowedRegistries: ['ghcr.io/acme'] } }).validate(run.ctx);
    const fixOf = (rule: string) => run.violations.find((v) => v.ruleName === `secure-service/${rule}`)?.fix;
    expect(fixOf('NOT_PRIVILEGED')).toBe('remove privileged; grant the one thing the process needs instead (an exemption cannot cover this: the security policy makes this control non-waivable)');
    expect(fixOf('IMAGE_PINNED')).toMatch(/^pull from an allowed registry: ghcr\.io\/acme[^]*\(an exemption cannot cover this: [^)]*\)$/);
    expect(fixOf('RUN_AS_NON_ROOT')).toMatch(/\(or record an exemption in the secure-service\.dev\/exemptions annotation\)$/);
  });

  test('reads the manifests as kubectl does: one it would read otherwise is reported, and the others are still checked', async () => {
    // GIVEN: hostPID written twice, which cdk8s's own YAML reader takes without a word
    const good = synthesizedManifest((chart) => new SecureService(chart, 'api', GOLDEN));
    const twice = path.join(path.dirname(good), 'twice.k8s.yaml');
    fs.writeFileSync(twice, [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: legacy}', 'spec:', '  template:', '    spec:',
      '      hostPID: false', '      hostPID: true', '      containers: [{name: main, image: "nginx:1.27"}]',
    ].join('\n'));
    // WHEN
    const run = context([good, twice]);
    await new SecureServiceValidation({ today: TODAY }).validate(run.ctx);
    // THEN
    expect(run.submitted).toEqual([{ status: 'failure', metadata: { workloads: '1' } }]);
    expect(run.violations).toEqual([{
      ruleName: 'secure-service/UNREADABLE_MANIFEST',
      recommendation: `${twice}:8: key "hostPID" is given twice (as kubectl reads the keys); keep one: the objects in it were not checked`,
      fix: 'write the file so that kubectl reads what it says (YAML 1.1, each key once), or leave it out of the output',
      violatingResources: [{ resourceName: 'twice.k8s.yaml', locations: ['line 8'], manifestPath: twice }],
    }]);
  });

  test('fails a workload wrapped in a DeploymentList', async () => {
    const bad = synthesizedManifest((chart) => {
      const item = handWritten(chart, 'Deployment', 'x', INSECURE_POD_SPEC).toJson();
      chart.node.tryRemoveChild('x');
      new ApiObject(chart, 'legacy', { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: { name: 'legacy' }, items: [item] });
    });
    const run = context([bad]);
    await new SecureServiceValidation({ today: TODAY }).validate(run.ctx);
    expect(run.submitted).toEqual([{ status: 'failure', metadata: { workloads: '1' } }]);
    expect(run.violations).toContainEqual(expect.objectContaining({
      ruleName: 'secure-service/NOT_PRIVILEGED',
      recommendation: "DeploymentList/legacy items[0] Deployment/x container 'main': the container is privileged: it has every device and capability of the host",
      violatingResources: [{ resourceName: 'x', locations: ['spec.template.spec.containers[0].securityContext.privileged'], manifestPath: bad }],
    }));
  });

  test('honours the policy properties, and reports exemption errors and warnings', async () => {
    const manifest = synthesizedManifest((chart) => new SecureService(chart, 'api', {
      ...GOLDEN,
      image: 'ghcr.io/acme/api:latest',
      readOnlyRootFilesystem: false,
      exemptions: [{ control: 'READ_ONLY_ROOT_FILESYSTEM', justification: 'Legacy reporting engine writes its cache under /opt/app' }],
    }));
    const strict = context([manifest]);
    await new SecureServiceValidation({ today: TODAY, policy: { requireTicket: true } }).validate(strict.ctx);
    expect(strict.submitted[0].status).toBe('failure');
    expect(strict.violations.map((v) => v.ruleName).sort()).toEqual(['secure-service/EXEMPTION', 'secure-service/READ_ONLY_ROOT_FILESYSTEM']);

    const lenient = context([manifest]);
    await new SecureServiceValidation({ today: TODAY }).validate(lenient.ctx);
    expect(lenient.submitted[0].status).toBe('success');
    expect(lenient.logs).toEqual([expect.stringMatching(/^\[secure-service\] warning: \[IMAGE_PINNED\] Deployment\/api/)]);
  });

  test('fails a workload a GRPCRoute in the same manifest routes to', async () => {
    const manifest = synthesizedManifest((chart) => {
      denyAll(chart);
      handWritten(chart, 'Deployment', 'api', HARDENED_POD_SPEC);
      new ApiObject(chart, 'api-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 8080 }] } });
      new ApiObject(chart, 'rpc', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'rpc' }, spec: { rules: [{ backendRefs: [{ name: 'api', port: 8080 }] }] } });
    });
    const run = context([manifest]);
    await new SecureServiceValidation({ today: TODAY }).validate(run.ctx);
    expect(run.submitted).toEqual([{ status: 'failure', metadata: { workloads: '1' } }]);
    expect(run.violations).toEqual([expect.objectContaining({
      ruleName: 'secure-service/NO_PUBLIC_IP',
      violatingResources: [{ resourceName: 'api', locations: ['GRPCRoute/rpc spec.rules[0].backendRefs[0] (routes to Service/api)'], manifestPath: manifest }],
    })]);
  });

  test('a synthesized app (the files cdk8s writes) is what the plugin reads', async () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    app.synth();
    const manifests = fs.readdirSync(app.outdir).filter((f) => f.endsWith('.k8s.yaml')).map((f) => path.join(app.outdir, f));
    expect(manifests).toHaveLength(1);
    const run = context(manifests);
    await new SecureServiceValidation({ today: TODAY }).validate(run.ctx);
    expect(run.submitted).toEqual([{ status: 'success', metadata: { workloads: '1' } }]);
    expect(Testing.synth(chart)).toHaveLength(5);
  });

  test('reads the files together: the golden path written one file per resource passes', async () => {
    // GIVEN
    const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    app.node.setContext('secure-service:today', TODAY);
    new SecureService(new Chart(app, 'shop'), 'api', GOLDEN);
    app.synth();
    const manifests = fs.readdirSync(app.outdir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(app.outdir, f));
    expect(manifests).toHaveLength(5);
    // WHEN
    const run = context(manifests);
    await new SecureServiceValidation({ today: TODAY }).validate(run.ctx);
    // THEN: the NetworkPolicy and ServiceAccount in their own files apply to the Deployment in its own
    expect(run.violations).toEqual([]);
    expect(run.submitted).toEqual([{ status: 'success', metadata: { workloads: '1' } }]);
  });

  test("reads the files together: a LoadBalancer Service in another chart's file exposes a workload", async () => {
    // GIVEN
    const workloads = synthesizedManifest((chart) => {
      denyAll(chart);
      handWritten(chart, 'Deployment', 'legacy', HARDENED_POD_SPEC);
    });
    const edge = synthesizedManifest((chart) => new ApiObject(chart, 'public', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy-public' }, spec: { type: 'LoadBalancer', selector: { app: 'legacy' }, ports: [{ port: 443 }] },
    }));
    // WHEN
    const run = context([workloads, edge]);
    await new SecureServiceValidation({ today: TODAY }).validate(run.ctx);
    // THEN
    expect(run.submitted).toEqual([{ status: 'failure', metadata: { workloads: '1' } }]);
    expect(run.violations).toEqual([expect.objectContaining({
      ruleName: 'secure-service/NO_PUBLIC_IP',
      violatingResources: [{ resourceName: 'legacy', locations: ['Service/legacy-public spec.type (LoadBalancer)'], manifestPath: workloads }],
    })]);
  });
});
