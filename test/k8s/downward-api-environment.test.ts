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
    ['an annotation whose value is no password, by a name that is no secret', 'BUILD_INFO', "metadata.annotations['acme.io/token']"],
  ])('a variable from %s passes', (_, name, fieldPath) => {
    expect(serviceError([tokenAnnotation, fromField(name, fieldPath)])).toBe('');
  });

  test('a valid exemption of the control for the container covers an annotation and a label, where without it synthesis fails', () => {
    // GIVEN
    const label = [JsonPatch.add(`${META}/labels/acme.io~1pw`, 'hunter2'), fromField('DB_PASS', "metadata.labels['acme.io/pw']")];
    // The exempted template has annotations already (the exemptions' record): the token is added beside it.
    const tokenBesideRecord = JsonPatch.add(`${META}/annotations/acme.io~1token`, 'ghp_s3cr3tT0k3n');
    // WHEN
    const without = serviceError([tokenAnnotation, tokenFromAnnotation, ...label]);
    const exempted = serviceError([tokenBesideRecord, tokenFromAnnotation, ...label], { exemptions: [exemption('SECRETS_NOT_IN_ENVIRONMENT', { container: 'api' })] });
    // THEN
    expect(without).toMatch(/API_TOKEN looks like a secret[^]*DB_PASS looks like a secret/);
    expect(exempted).toBe('');
  });
});
