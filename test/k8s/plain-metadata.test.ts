// SECRETS_NOT_IN_ENVIRONMENT in the annotations and labels of a workload and of its pod template: plain text
// to anyone who can read the pods, judged by their values (their names are tools' settings).
import { ApiObject, JsonPatch } from 'cdk8s';
import { GOLDEN, exemption, newChart, synthError } from './helpers';
import { SecureService, checkObjects } from '../../lib/k8s';

const META = '/spec/template/metadata';
const TOKEN = 'ghp_' + 'A'.repeat(36);

/** The golden-path service, its Deployment patched with `patches`, and the synthesis error ('' when it synthesizes). */
function serviceError(patches: JsonPatch[], props: Partial<ConstructorParameters<typeof SecureService>[2]> = {}): string {
  const { app, chart } = newChart();
  const api = new SecureService(chart, 'api', { ...GOLDEN, ...props });
  ApiObject.of(api.deployment).addJsonPatch(...patches);
  return synthError(app);
}

describe('SECRETS_NOT_IN_ENVIRONMENT: annotations and labels', () => {
  test('a pod annotation holding a URL with a password fails, the password redacted, once for the pod whatever its containers', () => {
    // WHEN
    const error = serviceError([JsonPatch.add(`${META}/annotations`, { 'acme.io/db': 'postgres://app:hunter2@db/app' })]);
    // THEN
    expect(error).toMatch(
      /\[SECRETS_NOT_IN_ENVIRONMENT\] Deployment\/api: annotation acme\.io\/db holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db\/app\) at spec\.template\.metadata\.annotations\["acme\.io\/db"\]/,
    );
    expect(error.match(/acme\.io\/db holds/g)).toHaveLength(1);
    expect(error).not.toContain('hunter2');
    expect(error).toMatch(/remove it from the annotations, which anyone who can read the pod sees in plain text/);
  });

  test('a token of a known form in the workload\'s own label or annotation fails at its place', () => {
    // WHEN
    const error = serviceError([JsonPatch.add('/metadata/labels/deploy-token', TOKEN), JsonPatch.add('/metadata/annotations', { 'ci.acme.io/token': TOKEN })]);
    // THEN
    expect(error).toMatch(/Deployment\/api: label deploy-token holds a GitHub token in plain text \(ghp_\*\*\*\*\) at metadata\.labels\["deploy-token"\]/);
    expect(error).toMatch(/Deployment\/api: annotation ci\.acme\.io\/token holds a GitHub token in plain text \(ghp_\*\*\*\*\) at metadata\.annotations\["ci\.acme\.io\/token"\]/);
    expect(error).toMatch(/remove it from the labels, which anyone who can list the pods sees in plain text/);
  });

  test('names that say secret pass where the value is none: a digest, a place in Vault, a template Vault\'s agent fills in', () => {
    const annotations = {
      'checksum/secret': 'c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a',
      'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/app',
      'vault.hashicorp.com/agent-inject-template-db': '{{- with secret "database/creds/app" -}}postgres://{{ .Data.username }}:{{ .Data.password }}@db/app{{- end }}',
      'vault.hashicorp.com/agent-inject-template-jdbc': '{{ with secret "database/creds/app" }}jdbc:postgresql://db/app?user={{ .Data.username }}&password={{ .Data.password }}{{ end }}',
    };
    expect(serviceError([JsonPatch.add(`${META}/annotations`, annotations), JsonPatch.add(`${META}/labels/secret-reload`, 'true')])).toBe('');
  });

  test('an annotation holding JSON is read as its texts, each judged by its key as well (a Datadog check\'s password)', () => {
    // GIVEN
    const instances = JSON.stringify([{ host: '%%host%%', port: 6379, password: 'hunter2' }]);
    const checks = JSON.stringify({ postgres: { instances: [{ url: 'postgres://dd:hunter2@db/app' }] } });
    // WHEN
    const error = serviceError([JsonPatch.add(`${META}/annotations`, { 'ad.datadoghq.com/api.instances': instances, 'ad.datadoghq.com/api.checks': checks })]);
    // THEN
    expect(error).toMatch(
      /annotation ad\.datadoghq\.com\/api\.instances\[0\]\.password looks like a secret but has a plain value at spec\.template\.metadata\.annotations\["ad\.datadoghq\.com\/api\.instances"\]\[0\]\.password/,
    );
    expect(error).toMatch(/annotation ad\.datadoghq\.com\/api\.checks\.postgres\.instances\[0\]\.url holds a password in plain text \(postgres:\/\/dd:\*\*\*\*@db\/app\)/);
    expect(error.match(/\[SECRETS_NOT_IN_ENVIRONMENT\]/g)).toHaveLength(2);
  });

  test('a password the agent fills in from its environment or its secrets backend passes; text that is not JSON is one value', () => {
    const instances = JSON.stringify([{ host: '%%host%%', password: '%%env_REDIS_PASSWORD%%' }, { host: 'replica', password: 'ENC[redis_password]' }]);
    expect(serviceError([JsonPatch.add(`${META}/annotations`, { 'ad.datadoghq.com/api.instances': instances, 'acme.io/note': '[not json' })])).toBe('');
  });

  test('an annotation named for a secret by its last word fails with a plain value (Elastic\'s hints); a switch or a Secret\'s name passes', () => {
    // WHEN
    const error = serviceError([JsonPatch.add(`${META}/annotations`, { 'co.elastic.metrics/module': 'mysql', 'co.elastic.metrics/password': 'hunter2' })]);
    // THEN
    expect(error).toMatch(/annotation co\.elastic\.metrics\/password looks like a secret but has a plain value at spec\.template\.metadata\.annotations\["co\.elastic\.metrics\/password"\]/);
    const annotations = { 'vault.hashicorp.com/agent-inject-token': 'true', 'vault.security.banzaicloud.io/vault-tls-secret': 'vault-tls', 'co.elastic.metrics/password': '${MYSQL_PASSWORD}' };
    expect(serviceError([JsonPatch.add(`${META}/annotations`, annotations)])).toBe('');
  });

  test('Datadog settings that are no secrets pass: log masking rules, auth modes, an Authorization header the agent fills in', () => {
    const logs = JSON.stringify([{ source: 'java', log_processing_rules: [{ type: 'mask_sequences', pattern: 'password=\\S+', replace_placeholder: 'password=[REDACTED]' }] }]);
    const instances = JSON.stringify([{
      openmetrics_endpoint: 'http://%%host%%:9090/metrics',
      bearer_token_auth: 'tls_only',
      headers: { Authorization: 'Bearer %%env_METRICS_TOKEN%%' },
      options: { authSource: 'admin' },
      server: 'mongodb://datadog:%%env_MONGO_PASSWORD%%@%%host%%:%%port%%/admin',
    }]);
    expect(serviceError([JsonPatch.add(`${META}/annotations`, { 'ad.datadoghq.com/api.logs': logs, 'ad.datadoghq.com/api.instances': instances })])).toBe('');
  });

  test('an annotation holding the object\'s own manifest (kubectl apply\'s) is one value: its annotations are read where they are', () => {
    const lastApplied = JSON.stringify({ metadata: { annotations: { 'checksum/secret': 'c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a' } } });
    expect(serviceError([JsonPatch.add('/metadata/annotations', { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied })])).toBe('');
  });

  test('an exemption of the control for the workload covers them; one for a container does not, since they belong to the pod', () => {
    // GIVEN
    const annotation = JsonPatch.add(`${META}/annotations/acme.io~1db`, 'postgres://app:hunter2@db/app');
    // WHEN
    const forContainer = serviceError([annotation], { exemptions: [exemption('SECRETS_NOT_IN_ENVIRONMENT', { container: 'api' })] });
    const forWorkload = serviceError([annotation], { exemptions: [exemption('SECRETS_NOT_IN_ENVIRONMENT')] });
    // THEN
    expect(forContainer).toMatch(/annotation acme\.io\/db holds a password in plain text/);
    expect(forWorkload).toBe('');
  });

  test('checkObjects: each level of a CronJob is read, the Job\'s metadata in its jobTemplate included', () => {
    // GIVEN
    const token = (place: string) => ({ [`acme.io/${place}`]: TOKEN });
    const pod = { metadata: { annotations: token('pod') }, spec: { containers: [{ name: 'c', image: 'app' }] } };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', annotations: token('cron-job') },
      spec: { schedule: '@daily', jobTemplate: { metadata: { annotations: token('job') }, spec: { template: pod } } },
    };
    // WHEN
    const errors = checkObjects([cronJob], { today: '2026-06-01' }).errors.filter((e) => e.startsWith('[SECRETS_NOT_IN_ENVIRONMENT]'));
    // THEN
    expect(errors.map((e) => e.replace(/^\[SECRETS_NOT_IN_ENVIRONMENT\] CronJob\/nightly: annotation (\S+) holds a GitHub token in plain text \(ghp_\*\*\*\*\) at (\S+);.*$/, '$1 $2'))).toEqual([
      'acme.io/cron-job metadata.annotations["acme.io/cron-job"]',
      'acme.io/job spec.jobTemplate.metadata.annotations["acme.io/job"]',
      'acme.io/pod spec.jobTemplate.spec.template.metadata.annotations["acme.io/pod"]',
    ]);
  });
});

describe('SECRETS_NOT_IN_ENVIRONMENT: HTTP headers of probes and hooks', () => {
  const PROBE = '/spec/template/spec/containers/0/livenessProbe/httpGet/httpHeaders';

  test('an Authorization header on the liveness probe fails at its place, named by the header and the probe', () => {
    const error = serviceError([JsonPatch.add(PROBE, [{ name: 'Authorization', value: 'Basic YWRtaW46aHVudGVyMg==' }])]);
    expect(error).toMatch(/\[SECRETS_NOT_IN_ENVIRONMENT\] Deployment\/api container 'api': HTTP header of the livenessProbe Authorization holds an Authorization header value in plain text \(Basi\*\*\*\*\) at spec\.template\.spec\.containers\[0\]\.livenessProbe\.httpGet\.httpHeaders\[0\]\.value/);
    expect(error).toMatch(/an HTTP probe or hook cannot read a Secret: probe an endpoint that needs no credential, or use an exec probe/);
  });

  test('a token of a known form under any header name of a postStart hook fails', () => {
    const error = serviceError([JsonPatch.add('/spec/template/spec/containers/0/lifecycle', {
      postStart: { httpGet: { path: '/warm', port: 8080, httpHeaders: [{ name: 'X-Deploy', value: TOKEN }] } },
    })]);
    expect(error).toMatch(/container 'api': HTTP header of the postStart hook X-Deploy holds a GitHub token in plain text \(ghp_\*\*\*\*\) at spec\.template\.spec\.containers\[0\]\.lifecycle\.postStart\.httpGet\.httpHeaders\[0\]\.value/);
  });

  test('a password in the query string of a probe\'s path fails, redacted; a plain query string passes', () => {
    const path = '/spec/template/spec/containers/0/livenessProbe/httpGet/path';
    expect(serviceError([JsonPatch.replace(path, '/healthz?user=probe&password=hunter2')]))
      .toMatch(/HTTP path of the livenessProbe \/healthz holds a password in plain text \(\/healthz\?user=probe&password=\*\*\*\*\) at spec\.template\.spec\.containers\[0\]\.livenessProbe\.httpGet\.path/);
    expect(serviceError([JsonPatch.replace(path, '/healthz?verbose=1')])).toBe('');
  });

  test('a number or other text after a slash is no proof that a secret-named header holds none', () => {
    expect(serviceError([JsonPatch.add(PROBE, [{ name: 'X-Api-Key', value: '8472910384756' }])])).toMatch(/HTTP header of the livenessProbe X-Api-Key looks like a secret/);
    expect(serviceError([JsonPatch.add(PROBE, [{ name: 'Authorization', value: '/q3v8kYhT0pZ+Xa9bN2cL7mR4sW1eD6fG5hJ8kL0oP=' }])])).toMatch(/Authorization looks like a secret/);
  });

  test('ordinary headers pass', () => {
    expect(serviceError([JsonPatch.add(PROBE, [{ name: 'Host', value: 'api.internal' }, { name: 'X-Probe', value: 'kubelet' }, { name: 'Accept', value: 'application/json' }])])).toBe('');
  });
});
