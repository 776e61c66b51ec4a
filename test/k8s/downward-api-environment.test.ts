// SECRETS_NOT_IN_ENVIRONMENT through the downward API: a variable from one of the pod's annotations or
// labels (`fieldRef: metadata.annotations['<key>']`) carries a value the manifest writes in plain text.
import { ApiObject, JsonPatch } from 'cdk8s';
import { GOLDEN, exemption, newChart, synthError } from './helpers';
import { SecureService } from '../../lib/k8s';

const SPEC = '/spec/template/spec';
const META = '/spec/template/metadata';

/** The golden-path service, its Deployment patched with `patches`, and the synthesis error ('' when it synthesizes). */
function serviceError(patches: JsonPatch[], props: Partial<ConstructorParameters<typeof SecureService>[2]> = {}): string {
  const { app, chart } = newChart();
  const api = new SecureService(chart, 'api', { ...GOLDEN, ...props });
  ApiObject.of(api.deployment).addJsonPatch(...patches);
  return synthError(app);
}

/** A variable of the first container from the pod's field `fieldPath`. */
const fromField = (name: string, fieldPath: string) => JsonPatch.add(`${SPEC}/containers/0/env/-`, { name, valueFrom: { fieldRef: { fieldPath } } });

describe('SECRETS_NOT_IN_ENVIRONMENT: variables from the downward API', () => {
  const tokenAnnotation = JsonPatch.add(`${META}/annotations`, { 'acme.io/token': 'ghp_s3cr3tT0k3n' });
  const tokenFromAnnotation = fromField('API_TOKEN', "metadata.annotations['acme.io/token']");

  test("a secret-like variable from one of the pod's annotations fails, naming the annotation and the setting", () => {
    // WHEN
    const error = serviceError([tokenAnnotation, tokenFromAnnotation]);
    // THEN
    expect(error).toMatch(
      /\[SECRETS_NOT_IN_ENVIRONMENT\] Deployment\/api container 'api': environment variable API_TOKEN looks like a secret but comes from the pod's annotation "acme\.io\/token", which is plain text, not a secret store at spec\.template\.spec\.containers\[0\]\.env\[\d\]\.valueFrom\.fieldRef/,
    );
  });

  test("a secret-like variable from one of the pod's labels fails, naming the label", () => {
    // WHEN
    const error = serviceError([JsonPatch.add(`${META}/labels/acme.io~1pw`, 'hunter2'), fromField('DB_PASS', "metadata.labels['acme.io/pw']")]);
    // THEN
    expect(error).toMatch(/\[SECRETS_NOT_IN_ENVIRONMENT\] Deployment\/api container 'api': environment variable DB_PASS looks like a secret but comes from the pod's label "acme\.io\/pw"/);
  });

  test('a variable of any name from an annotation holding a URL with a password fails, the password redacted', () => {
    // WHEN
    const error = serviceError([
      JsonPatch.add(`${META}/annotations`, { 'acme.io/db': 'postgres://app:hunter2@db/app' }),
      fromField('DATABASE_URL', "metadata.annotations['acme.io/db']"),
    ]);
    // THEN
    expect(error).toMatch(/environment variable DATABASE_URL holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db\/app\) at \S+\.env\[\d\]\.valueFrom\.fieldRef/);
    expect(error).not.toContain('hunter2');
  });

  test('a secret-like variable from an annotation the template does not write still fails: its name says what it holds', () => {
    expect(serviceError([tokenFromAnnotation])).toMatch(/environment variable API_TOKEN looks like a secret but comes from the pod's annotation "acme\.io\/token"/);
  });

  test.each([
    ['metadata.name', 'API_TOKEN', 'metadata.name'],
    ['status.podIP', 'SESSION_SECRET', 'status.podIP'],
    ['an annotation whose value is no password, by a name that is no secret', 'BUILD_INFO', "metadata.annotations['acme.io/build']"],
  ])('a variable from %s passes', (_, name, fieldPath) => {
    // An annotation named for a token is judged itself (test/k8s/plain-metadata.test.ts): this one is not.
    expect(serviceError([JsonPatch.add(`${META}/annotations`, { 'acme.io/build': '2026.11.1' }), fromField(name, fieldPath)])).toBe('');
  });

  test('a valid exemption of the control for the container covers an annotation and a label, where without it synthesis fails', () => {
    // GIVEN
    const label = [JsonPatch.add(`${META}/labels/acme.io~1pw`, 'hunter2'), fromField('DB_PASS', "metadata.labels['acme.io/pw']")];
    // The exempted template has annotations already (the exemptions' record): the value is added beside it, under
    // a name that says nothing, so that only the variable is the container's finding.
    const fromRef = fromField('API_TOKEN', "metadata.annotations['acme.io/ref']");
    const refBesideRecord = JsonPatch.add(`${META}/annotations/acme.io~1ref`, 'ghp_s3cr3tT0k3n');
    // WHEN
    const without = serviceError([JsonPatch.add(`${META}/annotations`, { 'acme.io/ref': 'ghp_s3cr3tT0k3n' }), fromRef, ...label]);
    const exempted = serviceError([refBesideRecord, fromRef, ...label], { exemptions: [exemption('SECRETS_NOT_IN_ENVIRONMENT', { container: 'api' })] });
    // THEN
    expect(without).toMatch(/API_TOKEN looks like a secret[^]*DB_PASS looks like a secret/);
    expect(exempted).toBe('');
  });
});
