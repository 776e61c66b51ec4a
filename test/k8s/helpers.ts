// Shared test fixtures: an app with a fixed day, the golden-path props, and lookups in synthesized output.
import { App, Chart, Testing } from 'cdk8s';
import { Control, Exemption } from '../../lib/core';
import { SecureServiceProps, TODAY_CONTEXT_KEY } from '../../lib/k8s';

export const TODAY = '2026-01-15';

/** A fresh app (judging exemptions on TODAY) and a chart in it. */
export function newChart(namespace?: string): { app: App; chart: Chart } {
  const app = Testing.app();
  app.node.setContext(TODAY_CONTEXT_KEY, TODAY);
  return { app, chart: new Chart(app, 'test', { namespace }) };
}

/** The golden path of the issue. */
export const GOLDEN: SecureServiceProps = {
  image: 'ghcr.io/acme/api:1.4.2',
  containerPort: 8080,
  cpu: 0.25,
  memoryMiB: 512,
  replicas: 2,
  writablePaths: ['/tmp'],
  environment: { LOG_LEVEL: 'info' },
  secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } },
  healthCheck: { path: '/healthz' },
  exemptions: [],
};

/** An exemption of `control` with a justification good enough for any policy. */
export function exemption(control: keyof typeof Control, extra: Partial<Exemption> = {}): Exemption {
  return { control: Control[control], justification: `Vendor image needs this until the Q3 rewrite; reviewed by platform security (${control})`, ...extra };
}

/** The validation error of synthesizing `app`, or '' when it synthesizes. */
export function synthError(app: App): string {
  try {
    app.synthYaml();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** The one object of `kind` (and `name`, when given) among `objects`. */
export function find(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The pod spec of a Deployment. */
export function podSpec(objects: any[], name?: string): any {
  return find(objects, 'Deployment', name).spec.template.spec;
}
