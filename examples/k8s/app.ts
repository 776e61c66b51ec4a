// The shared service definitions as Kubernetes workloads, one chart per team namespace.
import { App, Chart, YamlOutputType } from 'cdk8s';
import { SecurityPolicy, k8s } from '../../lib';
import { ACME_POLICY } from '../platform/acme-policy';
import { api, web, worker } from '../services';

/** Builds the example cdk8s app; `outdir` is where `app.synth()` writes the manifests. */
export function buildKubernetesApp(outdir?: string): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });

  new k8s.SecureService(shop, 'orders-api', {
    ...api,
    secrets: { DB_PASSWORD: { secretName: 'orders-db', key: 'password' } },
    allowFrom: [{ podLabels: { 'app.kubernetes.io/name': 'web' } }],
  });
  new k8s.SecureService(shop, 'web', { ...web, allowFrom: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }] });

  const invoices = new k8s.SecureService(shop, 'invoice-worker', worker);
  invoices.addContainer('metrics-exporter', {
    image: 'ghcr.io/acme/queue-exporter:0.9.0',
    cpu: 0.1,
    memoryMiB: 64,
  });

  // An Acme team chart: the platform policy applies to everything in it.
  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  SecurityPolicy.of(payments).apply(ACME_POLICY);
  new k8s.SecureService(payments, 'payments-api', { ...api, image: 'ghcr.io/acme/payments:2.0.0' });
  return app;
}

if (require.main === module) buildKubernetesApp().synth();
