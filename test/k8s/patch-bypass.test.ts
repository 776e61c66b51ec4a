// Weakening by JSON patch on any object the service created is caught, because the check reads the
// final JSON (cdk8s-plus L1 patches address TypeScript-cased keys: only the final output tells).
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GOLDEN, exemption, find, newChart, podSpec, synthError } from './helpers';
import { SecureService } from '../../lib/k8s';

function patched(...patches: JsonPatch[]) {
  const { app, chart } = newChart();
  const api = new SecureService(chart, 'api', GOLDEN);
  ApiObject.of(api.deployment).addJsonPatch(...patches);
  return { app, chart, api };
}

describe('JSON-patch bypasses', () => {
  test('hostPid (TypeScript-cased) lands as hostPID: true and is caught', () => {
    const { app, api } = patched(JsonPatch.add('/spec/template/spec/hostPid', true));
    expect(ApiObject.of(api.deployment).toJson().spec.template.spec.hostPID).toBe(true);
    expect(synthError(app)).toContain("[NO_HOST_NAMESPACES] Deployment/api: the workload shares the host's pid namespace at spec.template.spec.hostPID");
  });

  test('hostPID (JSON-cased) is dropped by the L1, and the check agrees with the output', () => {
    const { app, api } = patched(JsonPatch.add('/spec/template/spec/hostPID', true));
    expect(ApiObject.of(api.deployment).toJson().spec.template.spec.hostPID).toBeUndefined();
    expect(synthError(app)).toBe('');
  });

  test('container-level runAsNonRoot: false is caught although the pod level says true', () => {
    const { app } = patched(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/runAsNonRoot', false));
    expect(synthError(app)).toContain("[RUN_AS_NON_ROOT] Deployment/api container 'api': runAsNonRoot is false at spec.template.spec.containers[0].securityContext.runAsNonRoot");
  });

  test('pod-level runAsUser: 0 is caught although the container level sets its own user', () => {
    const { app } = patched(JsonPatch.replace('/spec/template/spec/securityContext/runAsUser', 0));
    expect(synthError(app)).toContain("[RUN_AS_NON_ROOT] Deployment/api container 'api': the user is 0 (root) at spec.template.spec.securityContext;");
  });

  test('an init container added by patch is checked like a container', () => {
    const { app } = patched(JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'setup', image: 'busybox:1.36', securityContext: { privileged: true } }]));
    const error = synthError(app);
    for (const control of ['READ_ONLY_ROOT_FILESYSTEM', 'DROP_ALL_CAPABILITIES', 'NO_PRIVILEGE_ESCALATION', 'NOT_PRIVILEGED', 'RESOURCE_LIMITS']) {
      expect(error).toContain(`[${control}] Deployment/api container 'setup'`);
    }
    expect(error).toContain('spec.template.spec.initContainers[0].securityContext.privileged');
  });

  test('removing the seccomp profile, or Unconfined on a container, is caught', () => {
    expect(synthError(patched(JsonPatch.remove('/spec/template/spec/securityContext/seccompProfile')).app))
      .toContain('[SECCOMP_RUNTIME_DEFAULT] Deployment/api container \'api\': no seccomp profile is set, so Unconfined applies');
    expect(synthError(patched(JsonPatch.add('/spec/template/spec/containers/0/securityContext/seccompProfile', { type: 'Unconfined' })).app))
      .toContain('the seccomp profile is Unconfined at spec.template.spec.containers[0].securityContext.seccompProfile.type');
  });

  test('replacing the dropped capabilities is caught', () => {
    const { app } = patched(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['NET_RAW'] }));
    expect(synthError(app)).toContain('[DROP_ALL_CAPABILITIES] Deployment/api container \'api\': capabilities are not all dropped (drop: ["NET_RAW"])');
  });

  test('a patched exemption annotation that is not JSON is an error', () => {
    const { app, api } = patched();
    api.deployment.metadata.addAnnotation('secure-service.dev/exemptions', '{not json');
    expect(synthError(app)).toContain('annotation secure-service.dev/exemptions on Deployment/api (metadata.annotations) must be a JSON list of exemptions');
  });

  test('token mounting: pod setting removed and ServiceAccount patched to mount', () => {
    const { app, api } = patched(JsonPatch.remove('/spec/template/spec/automountServiceAccountToken'));
    ApiObject.of(api.serviceAccount).addJsonPatch(JsonPatch.replace('/automountServiceAccountToken', true));
    expect(synthError(app)).toContain('[NO_SERVICE_ACCOUNT_TOKEN] Deployment/api: a Kubernetes API token is mounted into the pod at ServiceAccount/api automountServiceAccountToken');
  });

  test('NetworkPolicy patched to admit every port is caught', () => {
    const { app, api } = patched();
    ApiObject.of(api.networkPolicy).addJsonPatch(JsonPatch.remove('/spec/ingress/0/ports'));
    expect(synthError(app)).toContain('[NETWORK_ISOLATION] Deployment/api: NetworkPolicy/api spec.ingress[0] admits every port');
  });

  test('another NetworkPolicy in the app that opens more ports is caught, and exemptable', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    new kplus.k8s.KubeNetworkPolicy(chart, 'debug', {
      metadata: { name: 'debug' },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: kplus.k8s.IntOrString.fromNumber(9090) }] }] },
    });
    expect(synthError(app)).toContain('[NETWORK_ISOLATION] Deployment/api: NetworkPolicy/debug spec.ingress[0] admits port 9090/TCP, which is not a container port');

    const exempted = newChart();
    new SecureService(exempted.chart, 'api', { ...GOLDEN, exemptions: [exemption('NETWORK_ISOLATION')] });
    new kplus.k8s.KubeNetworkPolicy(exempted.chart, 'debug', { metadata: { name: 'debug' }, spec: { podSelector: {}, ingress: [{}] } });
    expect(synthError(exempted.app)).toBe('');
  });

  test('an exempted patch passes: the exemption covers the setting, not the prop', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, exemptions: [exemption('NO_HOST_NAMESPACES')] });
    ApiObject.of(api.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPid', true));
    expect(synthError(app)).toBe('');
    expect(podSpec(Testing.synth(chart)).hostPID).toBe(true);
    expect(find(Testing.synth(chart), 'Deployment').metadata.annotations).toBeDefined();
  });
});
