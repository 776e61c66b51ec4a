/**
 * Kubernetes scenarios: N services built with `k8s.SecureService` ("ours") or with cdk8s-plus-27 and
 * the JSON patches it needs for the same hardening ("hand"), all in one chart on both sides.
 */
import { ApiObject, App, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { Side } from './ecs-scenarios';
import { library } from './library';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const PORT = 8080;
const UID = 65532;

/** `k8s.SecureService`: every setting from its secure defaults. */
function ours(chart: Chart, name: string): void {
  const { SecureService } = library().k8s;
  new SecureService(chart, name, {
    image: IMAGE,
    containerPort: PORT,
    cpu: 0.25,
    memoryMiB: 512,
    replicas: 2,
    writablePaths: ['/tmp'],
    environment: { LOG_LEVEL: 'info' },
    secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } },
    healthCheck: { path: '/healthz' },
  });
}

/**
 * The same five objects by hand. cdk8s-plus-27 cannot express seccomp or `drop: [ALL]`, so those are
 * JSON patches, as anyone hardening it by hand must write them.
 */
function hand(chart: Chart, name: string, db: kplus.ISecret): void {
  const labels = { 'app.kubernetes.io/name': name };
  const metadata = { name, labels };
  const serviceAccount = new kplus.ServiceAccount(chart, `${name}-sa`, { metadata, automountToken: false });
  const deployment = new kplus.Deployment(chart, `${name}-deployment`, {
    metadata,
    replicas: 2,
    select: false,
    serviceAccount,
    automountServiceAccountToken: false,
    hostNetwork: false,
    securityContext: { ensureNonRoot: true, user: UID, group: UID, fsGroup: UID },
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  deployment.podMetadata.addLabel('app.kubernetes.io/name', name);
  const resources = { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(250) };
  const container = deployment.addContainer({
    name,
    image: IMAGE,
    ports: [{ number: PORT }],
    envVariables: {
      LOG_LEVEL: kplus.EnvValue.fromValue('info'),
      DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db, key: 'password' }),
    },
    resources: { cpu: resources, memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) } },
    securityContext: {
      ensureNonRoot: true, user: UID, group: UID, readOnlyRootFilesystem: true, privileged: false, allowPrivilegeEscalation: false,
    },
    liveness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
    readiness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
  });
  container.mount('/tmp', kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, `${name}-tmp`, { sizeLimit: Size.mebibytes(256) }));
  const deploymentObject = ApiObject.of(deployment);
  deploymentObject.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
  deploymentObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }));

  const service = new kplus.Service(chart, `${name}-service`, { metadata, ports: [{ port: PORT, targetPort: PORT }] });
  service.selectLabel('app.kubernetes.io/name', name);
  new kplus.k8s.KubeNetworkPolicy(chart, `${name}-network-policy`, {
    metadata: { name, labels: { ...labels } },
    spec: {
      podSelector: { matchLabels: { ...labels } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: kplus.k8s.IntOrString.fromNumber(PORT), protocol: 'TCP' }] }],
    },
  });
  new kplus.k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
    metadata: { name, labels: { ...labels } },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...labels } } },
  });
}

/** An app with one chart holding `n` services. */
export function buildK8sApp(side: Side, n: number, outdir: string): App {
  const app = new App({ outdir });
  // secure-service's `k8s.TODAY_CONTEXT_KEY`, written out: a hand-written process loads none of our code.
  app.node.setContext('secure-service:today', '2026-06-01');
  const chart = new Chart(app, 'services');
  const db = kplus.Secret.fromSecretName(chart, 'db', 'db');
  for (let i = 0; i < n; i++) {
    if (side === 'ours') ours(chart, `svc${i}`);
    else hand(chart, `svc${i}`, db);
  }
  return app;
}

/**
 * The chart-wide check alone: synthesizes the hand-written chart to JSON, then returns the call that
 * runs `checkObjects` over those N workloads (and their NetworkPolicies and ServiceAccounts) once.
 */
export function prepareK8sChecks(n: number, outdir: string): () => { violations: number } {
  const app = buildK8sApp('hand', n, outdir);
  const objects = app.charts.flatMap((chart) => chart.toJson());
  // Read before the clock (the warm-up loaded it): what is measured is the check.
  const { checkObjects } = library().k8s;
  return () => {
    const result = checkObjects(objects, { today: '2026-06-01' });
    if (result.assessments.length !== n) throw new Error(`expected ${n} workloads, checked ${result.assessments.length}`);
    return { violations: result.errors.length };
  };
}
