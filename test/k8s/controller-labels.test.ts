/**
 * Pods carry the labels their controller sets besides their template's (pod-template-hash, a StatefulSet's
 * pod name, a Job's name), whose values the manifests do not give: a selector on one may select them.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { GOLDEN, newChart, synthError } from './helpers';
import { ChartChecks, SecureService } from '../../lib/k8s';
import { podLabels } from '../../lib/k8s/controller-labels';
import { selectorMatch } from '../../lib/k8s/selectors';

const HARDENED_POD_SPEC = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'main',
    image: 'ghcr.io/acme/db:3.1.0',
    ports: [{ containerPort: 5432 }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  }],
};

function isolatedWorkload(chart: any, kind: 'StatefulSet' | 'Job' | 'Deployment', name: string): void {
  const template = { metadata: { labels: { app: name } }, spec: kind === 'Job' ? { ...HARDENED_POD_SPEC, restartPolicy: 'Never' } : HARDENED_POD_SPEC };
  const spec = kind === 'Job' ? { template } : { selector: { matchLabels: { app: name } }, serviceName: kind === 'StatefulSet' ? name : undefined, template };
  new ApiObject(chart, name, { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata: { name }, spec });
  new ApiObject(chart, `${name}-policy`, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: { podSelector: { matchLabels: { app: name } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 5432 }] }] },
  });
}

function loadBalancer(chart: any, selector: Record<string, string>): void {
  new ApiObject(chart, 'debug', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'debug' }, spec: { type: 'LoadBalancer', selector, ports: [{ port: 5432 }] } });
}

describe('a Service selecting pods by a label their controller sets exposes them', () => {
  test.each([
    ['StatefulSet', { 'statefulset.kubernetes.io/pod-name': 'db-0' }],
    ['StatefulSet', { 'apps.kubernetes.io/pod-index': '0', 'app': 'db' }],
    ['Job', { 'batch.kubernetes.io/job-name': 'db' }],
    ['Job', { 'job-name': 'db' }],
    ['Deployment', { 'pod-template-hash': '5d8f7c9b6' }],
  ] as const)('a LoadBalancer selecting a %s\'s pods by %j', (kind, selector) => {
    // GIVEN
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    isolatedWorkload(chart, kind, 'db');
    loadBalancer(chart, selector);
    // THEN
    expect(synthError(app)).toContain(`[NO_PUBLIC_IP] ${kind}/db: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster `
      + 'at Service/debug spec.type (LoadBalancer)');
  });

  test('a label only another kind\'s controller sets is the template\'s to give: a Deployment labelled job-name: other is not selected', () => {
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    isolatedWorkload(chart, 'Deployment', 'db');
    loadBalancer(chart, { 'job-name': 'other' });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a Job\'s pods are labelled with its name, which its manifest gives', () => {
  test('a NetworkPolicy selecting job-name isolates them; a LoadBalancer selecting another Job\'s name does not expose them', () => {
    const { app, chart } = newChart();
    new ChartChecks(chart, 'SecureServiceChecks');
    const template = { metadata: { labels: { app: 'db' } }, spec: { ...HARDENED_POD_SPEC, restartPolicy: 'Never' } };
    new ApiObject(chart, 'migrate', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template } });
    new ApiObject(chart, 'policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'migrate' },
      spec: { podSelector: { matchLabels: { 'job-name': 'migrate' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 5432 }] }] },
    });
    loadBalancer(chart, { 'batch.kubernetes.io/job-name': 'other' });
    expect(() => app.synth()).not.toThrow();
  });

  test('a Job that selects its own pods (manualSelector) gives them no name label for certain', () => {
    expect(podLabels({ kind: 'Job', metadata: { name: 'migrate' }, spec: { manualSelector: true } }, { labels: {} }).unknown.has('job-name')).toBe(true);
    expect(podLabels({ kind: 'Job', metadata: { name: 'migrate' } }, { labels: {} }).known).toEqual({ 'job-name': 'migrate', 'batch.kubernetes.io/job-name': 'migrate' });
    expect(podLabels({ kind: 'CronJob', metadata: { name: 'nightly' } }, { labels: {} }).unknown.has('job-name')).toBe(true);
  });
});

describe('a NetworkPolicy selecting pods by a label their controller sets', () => {
  test('opens what it admits: an allow-all policy selecting pod-template-hash (Exists) fails beside the service\'s own policy', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    new ApiObject(chart, 'debug', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'debug' },
      spec: { podSelector: { matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] }, policyTypes: ['Ingress'], ingress: [{}] },
    });
    expect(synthError(app)).toMatch(/\[NETWORK_ISOLATION\] Deployment\/api: NetworkPolicy\/debug spec\.ingress\[0\] admits every port/);
  });

  test('does not isolate them: the service\'s policy patched to select only pods without pod-template-hash, which is none', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    ApiObject.of(api.networkPolicy).addJsonPatch(JsonPatch.add('/spec/podSelector/matchExpressions', [{ key: 'pod-template-hash', operator: 'DoesNotExist' }]));
    expect(synthError(app)).toMatch(new RegExp('\\[NETWORK_ISOLATION\\] Deployment/api: no NetworkPolicy with policyType Ingress selects the pods '
      + '\\(NetworkPolicy/api selects them by pod-template-hash, which their controller sets to values the manifests do not give, so it may select some or none of them: '
      + 'select the pods by their template\'s labels\\), so every port is open to every peer'));
  });
});

describe('selectorMatch', () => {
  const labels = { app: 'db' };
  const unknown = new Set(['pod-template-hash']);
  test.each([
    [{ matchLabels: { app: 'db' } }, 'yes'],
    [{ matchLabels: { app: 'web' } }, 'no'],
    [{ matchLabels: { 'app': 'db', 'pod-template-hash': 'x' } }, 'maybe'],
    [{ matchLabels: { 'app': 'web', 'pod-template-hash': 'x' } }, 'no'],
    [{ matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] }, 'maybe'],
    [{ matchExpressions: [{ key: 'pod-template-hash', operator: 'DoesNotExist' }] }, 'maybe'],
    [{ matchExpressions: [{ key: 'pod-template-hash', operator: 'NotIn', values: ['x'] }] }, 'maybe'],
    [{ matchExpressions: [{ key: 'pod-template-hash', operator: 'Matches' }] }, 'no'],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, 'yes'],
    [{}, 'yes'],
  ])('%j: %s', (selector, expected) => {
    expect(selectorMatch(selector as any, labels, unknown)).toBe(expected);
  });

  test('a controller\'s label in the template is the controller\'s to set', () => {
    const deployment = { kind: 'Deployment' };
    expect(podLabels(deployment, { labels: { 'app': 'db', 'pod-template-hash': 'abc' } })).toEqual({ known: { app: 'db' }, unknown: new Set(['pod-template-hash']) });
    expect(podLabels({ kind: 'Pod' }, { labels: { 'pod-template-hash': 'abc' } })).toEqual({ known: { 'pod-template-hash': 'abc' }, unknown: new Set() });
  });
});
