import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { GOLDEN, exemption, find, newChart, synthError } from './helpers';
import { Control, SecurityPolicy } from '../../lib/core';
import { ChartChecks, EXEMPTIONS_ANNOTATION, SecureService, SecureServiceProps, TODAY_CONTEXT_KEY } from '../../lib/k8s';

type ControlName = keyof typeof Control;

// Each weakening prop, the controls it weakens and the setting the error must name.
const WEAKENINGS: [string, Partial<SecureServiceProps>, ControlName[], string][] = [
  ['readOnlyRootFilesystem: false', { readOnlyRootFilesystem: false }, ['READ_ONLY_ROOT_FILESYSTEM'], 'containers[0].securityContext.readOnlyRootFilesystem'],
  ['user uid 0', { user: { uid: 0 } }, ['RUN_AS_NON_ROOT'], 'spec.template.spec.containers[0].securityContext.runAsNonRoot'],
  ['capabilities.add', { capabilities: { add: ['SYS_PTRACE'] } }, ['DROP_ALL_CAPABILITIES'], 'capabilities.add[0]'],
  ['privileged', { privileged: true, allowPrivilegeEscalation: true }, ['NOT_PRIVILEGED', 'NO_PRIVILEGE_ESCALATION'], 'securityContext.privileged'],
  ['allowPrivilegeEscalation', { allowPrivilegeEscalation: true }, ['NO_PRIVILEGE_ESCALATION'], 'securityContext.allowPrivilegeEscalation'],
  ['seccompProfile Unconfined', { seccompProfile: 'Unconfined' }, ['SECCOMP_RUNTIME_DEFAULT'], 'spec.template.spec.containers[0].securityContext.seccompProfile.type'],
  ['hostNetwork', { hostNetwork: true }, ['NO_HOST_NAMESPACES'], 'spec.template.spec.hostNetwork'],
  ['hostPID', { hostPID: true }, ['NO_HOST_NAMESPACES'], 'spec.template.spec.hostPID'],
  ['hostIPC', { hostIPC: true }, ['NO_HOST_NAMESPACES'], 'spec.template.spec.hostIPC'],
  ['hostPort', { hostPort: 8080 }, ['NO_HOST_NAMESPACES'], 'containers[0].ports[0].hostPort'],
  ['hostPathMounts', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host/log' }] }, ['NO_HOST_PATH_VOLUMES'], 'spec.template.spec.volumes[1]'],
  ['automountServiceAccountToken', { automountServiceAccountToken: true }, ['NO_SERVICE_ACCOUNT_TOKEN'], 'spec.template.spec.automountServiceAccountToken'],
  ['secret-like plain environment', { environment: { DB_PASSWORD: 'hunter2' }, secrets: {} }, ['SECRETS_NOT_IN_ENVIRONMENT'], 'containers[0].env[0]'],
  ['a URL with a password in a plain variable', { environment: { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' }, secrets: {} }, ['SECRETS_NOT_IN_ENVIRONMENT'], 'containers[0].env[0]'],
];

describe.each(WEAKENINGS)('weakening prop %s', (_, weakening, controls, setting) => {
  test('fails synthesis naming control, object, container, setting and fix', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, ...weakening });
    const error = synthError(app);
    expect(error).toContain('[test/api]');
    for (const control of controls) {
      expect(error).toContain(`[${control}] Deployment/api`);
      expect(error).toContain(`Control.${control}`);
    }
    expect(error).toContain(setting);
    expect(error).toMatch(/fix: /);
    expect(() => Testing.synth(chart)).toThrow(`[${controls[0]}]`);
  });

  test('synthesizes with an exemption, recorded on the workload and its pod template', () => {
    const { app, chart } = newChart();
    const exemptions = controls.map((c) => exemption(c, { expires: '2026-12-31', ticket: 'SEC-1421' }));
    new SecureService(chart, 'api', { ...GOLDEN, ...weakening, exemptions });
    expect(synthError(app)).toBe('');
    const deployment = find(Testing.synth(chart), 'Deployment');
    const expected = exemptions.map((e) => ({ control: e.control, justification: e.justification, expires: '2026-12-31', ticket: 'SEC-1421' }));
    expect(JSON.parse(deployment.metadata.annotations[EXEMPTIONS_ANNOTATION])).toEqual(expected);
    expect(JSON.parse(deployment.spec.template.metadata.annotations[EXEMPTIONS_ANNOTATION])).toEqual(expected);
  });
});

describe('exemption rules', () => {
  test('an exemption naming the main container covers it', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, readOnlyRootFilesystem: false, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { container: 'api' })] });
    expect(synthError(app)).toBe('');
  });

  test('an exemption for a sidecar does not cover the main container', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, readOnlyRootFilesystem: false });
    api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0', readOnlyRootFilesystem: false, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM')] });
    const error = synthError(app);
    expect(error).toContain("[READ_ONLY_ROOT_FILESYSTEM] Deployment/api container 'api'");
    expect(error).not.toContain("container 'helper'");
  });

  test("a sidecar's own exemption covers the host path only it mounts", () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    const mount = { hostPath: '/var/log', mountPath: '/host/log', readOnly: true };
    api.addContainer('shipper', { image: 'ghcr.io/acme/shipper:1.0.0', hostPathMounts: [mount] });
    expect(synthError(app)).toContain("[NO_HOST_PATH_VOLUMES] Deployment/api container 'shipper': volume");

    const exempted = newChart();
    const service = new SecureService(exempted.chart, 'api', GOLDEN);
    service.addContainer('shipper', { image: 'ghcr.io/acme/shipper:1.0.0', hostPathMounts: [mount], exemptions: [exemption('NO_HOST_PATH_VOLUMES')] });
    expect(synthError(exempted.app)).toBe('');
  });

  test("a sidecar's host path exemption does not cover the main container's host path", () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, hostPathMounts: [{ hostPath: '/etc/ssl', mountPath: '/host/ssl', readOnly: true }] });
    api.addContainer('shipper', {
      image: 'ghcr.io/acme/shipper:1.0.0', hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host/log', readOnly: true }], exemptions: [exemption('NO_HOST_PATH_VOLUMES')],
    });
    const error = synthError(app);
    expect(error).toContain("[NO_HOST_PATH_VOLUMES] Deployment/api container 'api': volume");
    expect(error).not.toContain("container 'shipper'");
  });

  test('an exemption naming a container that does not exist is an error', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { container: 'nope' })] });
    expect(synthError(app)).toContain("names container 'nope', which does not exist; containers: api");
  });

  test("a sidecar's exemption naming another container is rejected when added", () => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    expect(() => api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0', exemptions: [exemption('LOGGING', { container: 'api' })] }))
      .toThrow("container 'helper': exemptions[0] (LOGGING, container 'api') names container 'api', but a sidecar's exemptions cover only itself");
  });

  test('an expired exemption fails synthesis (judged on the context day)', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, readOnlyRootFilesystem: false, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { expires: '2026-01-14' })] });
    const error = synthError(app);
    expect(error).toContain('expired on 2026-01-14');
    expect(error).toContain('[READ_ONLY_ROOT_FILESYSTEM] Deployment/api');
  });

  test('a placeholder justification fails synthesis', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, readOnlyRootFilesystem: false, exemptions: [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: 'TODO' }] });
    expect(synthError(app)).toContain('justification must be at least 20 characters');
  });

  test('a malformed secure-service:today context is an error', () => {
    const { app, chart } = newChart();
    chart.node.setContext(TODAY_CONTEXT_KEY, '15/01/2026');
    new SecureService(chart, 'api', GOLDEN);
    expect(synthError(app)).toContain('context secure-service:today must be an ISO date YYYY-MM-DD, found: "15/01/2026"');
  });

  test('the policy: non-waivable controls and required tickets', () => {
    const { app, chart } = newChart();
    SecurityPolicy.of(chart).apply({ nonWaivable: [Control.NOT_PRIVILEGED], requireTicket: true });
    new SecureService(chart, 'api', {
      ...GOLDEN,
      privileged: true,
      allowPrivilegeEscalation: true,
      exemptions: [exemption('NOT_PRIVILEGED', { ticket: 'SEC-1' }), exemption('NO_PRIVILEGE_ESCALATION')],
    });
    const error = synthError(app);
    expect(error).toContain('the security policy makes NOT_PRIVILEGED non-waivable');
    expect(error).toContain('the security policy requires a ticket');
    expect(error).toContain('(the security policy makes this control non-waivable)');
  });

  test('unused and soon-expiring exemptions and unpinned images are warnings, not errors', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', {
      ...GOLDEN,
      image: 'ghcr.io/acme/api:latest',
      readOnlyRootFilesystem: false,
      exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { expires: '2026-01-20' }), exemption('NOT_PRIVILEGED')],
    });
    const { errors, warnings } = api.assess();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining('[IMAGE_PINNED] Deployment/api'),
      expect.stringContaining('expires on 2026-01-20, in 5 day(s)'),
      expect.stringContaining('(NOT_PRIVILEGED) on Deployment/api: unused'),
    ]);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(synthError(app)).toBe('');
    expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual(expect.arrayContaining([expect.stringMatching(/^\[secure-service\] warning: .*IMAGE_PINNED/)]));
    stderr.mockRestore();
  });

  test('an image outside the allowed registries is an error', () => {
    const { app, chart } = newChart();
    SecurityPolicy.of(chart).apply({ allowedRegistries: ['ghcr.io/acme'] });
    new SecureService(chart, 'api', { ...GOLDEN, image: 'docker.io/library/nginx:1.27' });
    expect(synthError(app)).toContain('comes from docker.io, which the security policy does not allow');
  });
});

describe('the record of exemptions on the Deployment and on its pod template', () => {
  const POD_TEMPLATE = '/spec/template/metadata/annotations/secure-service.dev~1exemptions';
  const DEPLOYMENT = '/metadata/annotations/secure-service.dev~1exemptions';
  const exempted = () => {
    const { app, chart } = newChart();
    const svc = new SecureService(chart, 'api', { ...GOLDEN, readOnlyRootFilesystem: false, exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM')] });
    return { app, chart, svc, deployment: ApiObject.of(svc.deployment) };
  };

  test.each([
    ['the pod template', POD_TEMPLATE, 'metadata.annotations', 'spec.template.metadata.annotations'],
    ['the Deployment', DEPLOYMENT, 'spec.template.metadata.annotations', 'metadata.annotations'],
  ])('a patch that removes it from %s fails synthesis, naming the exemption and where it is missing', (_, path, recordedIn, missingFrom) => {
    const { app, deployment } = exempted();
    deployment.addJsonPatch(JsonPatch.remove(path));
    const error = synthError(app);
    expect(error).toContain('Deployment/api: the exemption {"control":"READ_ONLY_ROOT_FILESYSTEM"');
    expect(error).toContain(`is recorded in ${recordedIn} but not in ${missingFrom}`);
    expect(error).toContain('remove the patch that changed one of them');
  });

  test('a patch that changes one record (another justification) fails synthesis too', () => {
    const { app, deployment } = exempted();
    const changed = [{ ...exemption('READ_ONLY_ROOT_FILESYSTEM'), justification: 'Another reason entirely, reviewed by nobody at all' }];
    deployment.addJsonPatch(JsonPatch.replace(POD_TEMPLATE, JSON.stringify(changed)));
    expect(synthError(app)).toContain('is recorded in metadata.annotations but not in spec.template.metadata.annotations');
  });

  test('both records as written synthesize', () => {
    const { chart } = exempted();
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a hand-written workload may record its exemptions on either (chart-wide checks honour each)', () => {
    const objects = Testing.synth(exempted().chart);
    delete find(objects, 'Deployment', 'api').spec.template.metadata.annotations[EXEMPTIONS_ANNOTATION];
    const { app, chart } = newChart();
    objects.forEach((object, i) => new ApiObject(chart, `hand${i}`, object));
    new ChartChecks(chart, 'checks');
    expect(() => app.synth()).not.toThrow();
  });
});
