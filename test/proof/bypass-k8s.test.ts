// The Kubernetes bypass catalogue: ways to weaken a control AFTER construction (JSON patches on the
// Deployment, ServiceAccount, NetworkPolicy and Service the service created, containers added by patch,
// cdk8s-plus escape hatches, objects other code adds to the chart, Lists). Every row must fail synthesis
// naming its control, and pass with a valid exemption unless it is refused.
import { readFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Bypass, assertUniqueNames, describeRows, justified } from './bypass-support';
import { Control, Exemption, SecurityPolicy } from '../../lib/core';
import { ChartChecks, EXEMPTIONS_ANNOTATION, SecureService, exemptionsAnnotationValue } from '../../lib/k8s';
import { GOLDEN, newChart, synthError } from '../k8s/helpers';

interface Built {
  readonly app: App;
  readonly chart: Chart;
  readonly api: SecureService;
}

type K8sBypass = Bypass<Built> & {
  /** The row records its cover itself on what it creates, so the service gets none. */
  readonly recordsOwnExemptions?: boolean;
};

function build(row: K8sBypass, exemptions: readonly Exemption[]): Built {
  const { app, chart } = newChart();
  if (row.policy) SecurityPolicy.of(chart).apply(row.policy);
  const api = new SecureService(chart, 'api', { ...GOLDEN, exemptions: row.recordsOwnExemptions ? [] : [...exemptions] });
  return { app, chart, api };
}

const SPEC = '/spec/template/spec';
const POD_SC = `${SPEC}/securityContext`;
const SC = `${SPEC}/containers/0/securityContext`;
const API = { container: 'api' };

const deployment = (...patches: JsonPatch[]) => ({ api }: Built) => ApiObject.of(api.deployment).addJsonPatch(...patches);
// Beside the annotations the service writes (its exemptions' record), as cdk8s-plus adds a pod annotation.
const podAnnotation = (key: string, value: string) => ({ api }: Built) => api.deployment.podMetadata.addAnnotation(key, value);
const serviceAccount = (...patches: JsonPatch[]) => ({ api }: Built) => ApiObject.of(api.serviceAccount).addJsonPatch(...patches);
const networkPolicy = (...patches: JsonPatch[]) => ({ api }: Built) => ApiObject.of(api.networkPolicy).addJsonPatch(...patches);
const service = (...patches: JsonPatch[]) => ({ api }: Built) => ApiObject.of(api.service!).addJsonPatch(...patches);

/** A pod spec other code might write: hardened, so each row weakens exactly one thing. */
const hardenedPodSpec = (more: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'main',
    image: 'ghcr.io/acme/legacy:3.1.0',
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    ...container,
  }],
  ...more,
});

/**
 * Other code's workload in the chart, checked by ChartChecks, its exemptions recorded in its annotation;
 * with `list`, as the one item of an object of that kind named legacy-list (kubectl applies the items of
 * any object that has them); `kindless`, an item without kind and apiVersion, which it takes from the List.
 */
function otherWorkload(
  kind: 'Deployment' | 'CronJob' | 'Pod', podSpec: Record<string, unknown>, list?: 'List' | 'DeploymentList' | 'ConfigMap', kindless = false,
) {
  return ({ chart }: Built, exemptions: readonly Exemption[]) => {
    new ChartChecks(chart, 'Checks');
    new ApiObject(chart, 'deny-legacy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-legacy' },
      spec: { podSelector: { matchLabels: { app: 'legacy' } }, policyTypes: ['Ingress'] },
    });
    const annotations = exemptions.length > 0 ? { [EXEMPTIONS_ANNOTATION]: exemptionsAnnotationValue(exemptions) } : undefined;
    const metadata = { name: 'legacy', annotations, labels: { app: 'legacy' } };
    const template = { metadata: { labels: { app: 'legacy' } }, spec: podSpec };
    const spec = {
      Deployment: { selector: { matchLabels: { app: 'legacy' } }, template },
      CronJob: { schedule: '0 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...podSpec, restartPolicy: 'Never' } } } } },
      Pod: podSpec,
    }[kind];
    const workload = { apiVersion: kind === 'Pod' ? 'v1' : kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, metadata, spec };
    if (!list) {
      new ApiObject(chart, 'legacy', workload);
      return;
    }
    const item = kindless ? { metadata, spec } : workload;
    new ApiObject(chart, 'legacy', { apiVersion: list === 'DeploymentList' ? 'apps/v1' : 'v1', kind: list, metadata: { name: 'legacy-list' }, items: [item] });
  };
}

/** Other code's hardened Pod, then patched: patches keep the nulls cdk8s drops from props. */
function patchedOtherPod(...patches: JsonPatch[]) {
  return (built: Built, exemptions: readonly Exemption[]) => {
    otherWorkload('Pod', hardenedPodSpec())(built, exemptions);
    (built.chart.node.findChild('legacy') as ApiObject).addJsonPatch(...patches);
  };
}

/** A Gateway API route other code writes, sending a Gateway's traffic to the service's own Service. */
function gatewayRoute(kind: string, apiVersion: string) {
  return ({ chart, api }: Built) => new ApiObject(chart, 'web', {
    apiVersion,
    kind,
    metadata: { name: 'web' },
    spec: { parentRefs: [{ name: 'edge', namespace: 'gateways' }], rules: [{ backendRefs: [{ name: api.service!.name, port: 80 }] }] },
  });
}

/** A container as a patch would add it: no security context, no resources. */
const bareContainer = (name: string) => ({ name, image: 'ghcr.io/acme/debug:2.0.1' });
const ADDED_CONTAINER_CONTROLS = [
  Control.READ_ONLY_ROOT_FILESYSTEM, Control.DROP_ALL_CAPABILITIES, Control.NO_PRIVILEGE_ESCALATION, Control.RESOURCE_LIMITS,
];

const ROWS: K8sBypass[] = [
  // NO_HOST_NAMESPACES
  { name: 'hostPid patched in (lands as hostPID)', controls: [Control.NO_HOST_NAMESPACES], apply: deployment(JsonPatch.add(`${SPEC}/hostPid`, true)), detail: /host's pid namespace at spec\.template\.spec\.hostPID/ },
  { name: 'hostNetwork replaced with true', controls: [Control.NO_HOST_NAMESPACES], apply: deployment(JsonPatch.replace(`${SPEC}/hostNetwork`, true)), detail: /host's network namespace/ },
  { name: 'hostIpc patched in (lands as hostIPC)', controls: [Control.NO_HOST_NAMESPACES], apply: deployment(JsonPatch.add(`${SPEC}/hostIpc`, true)), detail: /host's ipc namespace/ },
  { name: 'a hostPort on the container port', controls: [Control.NO_HOST_NAMESPACES], ...API, apply: deployment(JsonPatch.add(`${SPEC}/containers/0/ports/0/hostPort`, 8080)), detail: /host port 8080 is bound on the node at spec\.template\.spec\.containers\[0\]\.ports\[0\]\.hostPort/ },
  // NOT_PRIVILEGED / NO_PRIVILEGE_ESCALATION
  { name: 'privileged replaced with true', controls: [Control.NOT_PRIVILEGED], ...API, apply: deployment(JsonPatch.replace(`${SC}/privileged`, true)), detail: /containers\[0\]\.securityContext\.privileged/ },
  { name: 'allowPrivilegeEscalation replaced with true', controls: [Control.NO_PRIVILEGE_ESCALATION], ...API, apply: deployment(JsonPatch.replace(`${SC}/allowPrivilegeEscalation`, true)), detail: /privilege escalation is allowed/ },
  { name: 'allowPrivilegeEscalation removed (the default allows it)', controls: [Control.NO_PRIVILEGE_ESCALATION], ...API, apply: deployment(JsonPatch.remove(`${SC}/allowPrivilegeEscalation`)), detail: /not switched off/ },
  // RUN_AS_NON_ROOT
  { name: 'container runAsNonRoot false under a pod that says true', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.replace(`${SC}/runAsNonRoot`, false)), detail: /runAsNonRoot is false at spec\.template\.spec\.containers\[0\]\.securityContext\.runAsNonRoot/ },
  { name: 'runAsNonRoot removed at pod and container level', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.remove(`${SC}/runAsNonRoot`), JsonPatch.remove(`${POD_SC}/runAsNonRoot`)), detail: /runAsNonRoot is not set/ },
  {
    name: 'runAsUser and runAsGroup removed at pod and container level (the image decides the group)',
    controls: [Control.RUN_AS_NON_ROOT],
    ...API,
    apply: deployment(
      JsonPatch.remove(`${POD_SC}/runAsUser`), JsonPatch.remove(`${POD_SC}/runAsGroup`), JsonPatch.remove(`${SC}/runAsUser`), JsonPatch.remove(`${SC}/runAsGroup`),
    ),
    detail: /no user and group are set: the image's USER and its group apply/,
  },
  { name: 'pod supplementalGroups [0]', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.add(`${POD_SC}/supplementalGroups`, [0])), detail: /the pod gives the process group 0 \(root\) at spec\.template\.spec\.securityContext\.supplementalGroups\[0\]/ },
  { name: 'pod fsGroup 0', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.replace(`${POD_SC}/fsGroup`, 0)), detail: /the pod gives the process group 0 \(root\) at spec\.template\.spec\.securityContext\.fsGroup/ },
  { name: 'pod runAsUser 0', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.replace(`${POD_SC}/runAsUser`, 0)), detail: /the user is 0 \(root\) at spec\.template\.spec\.securityContext;/ },
  { name: 'container runAsUser 0', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.replace(`${SC}/runAsUser`, 0)), detail: /the user is 0 \(root\) at spec\.template\.spec\.containers\[0\]\.securityContext;/ },
  { name: 'container runAsGroup 0', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.replace(`${SC}/runAsGroup`, 0)), detail: /the group is 0 \(root\)/ },
  { name: 'runAsGroup removed at pod and container level (the image or group 0 decides)', controls: [Control.RUN_AS_NON_ROOT], ...API, apply: deployment(JsonPatch.remove(`${SC}/runAsGroup`), JsonPatch.remove(`${POD_SC}/runAsGroup`)), detail: /no group is set/ },
  // Pod Security Standards baseline settings short of privileged: each lifts part of the kernel's confinement or reaches the host.
  { name: 'procMount Unmasked', controls: [Control.NOT_PRIVILEGED], ...API, apply: deployment(JsonPatch.add(`${SC}/procMount`, 'Unmasked')), detail: /procMount is Unmasked/ },
  { name: 'seLinuxOptions type spc_t', controls: [Control.NOT_PRIVILEGED], ...API, apply: deployment(JsonPatch.add(`${SC}/seLinuxOptions`, { type: 'spc_t' })), detail: /the SELinux type is spc_t/ },
  { name: 'AppArmor unconfined by annotation', controls: [Control.NOT_PRIVILEGED], ...API, apply: podAnnotation('container.apparmor.security.beta.kubernetes.io/api', 'unconfined'), detail: /the AppArmor profile is unconfined/ },
  { name: 'an unsafe sysctl', controls: [Control.NO_HOST_NAMESPACES], apply: deployment(JsonPatch.add(`${POD_SC}/sysctls`, [{ name: 'kernel.msgmax', value: '65536' }])), detail: /the workload sets the kernel parameter kernel\.msgmax, which Pod Security Standards do not count as safe/ },
  { name: 'windowsOptions.hostProcess', controls: [Control.NO_HOST_NAMESPACES], apply: deployment(JsonPatch.add(`${POD_SC}/windowsOptions`, { hostProcess: true })), detail: /hostProcess is true/ },
  // READ_ONLY_ROOT_FILESYSTEM
  { name: 'readOnlyRootFilesystem replaced with false', controls: [Control.READ_ONLY_ROOT_FILESYSTEM], ...API, apply: deployment(JsonPatch.replace(`${SC}/readOnlyRootFilesystem`, false)), detail: /writable \(false\)/ },
  { name: 'readOnlyRootFilesystem removed', controls: [Control.READ_ONLY_ROOT_FILESYSTEM], ...API, apply: deployment(JsonPatch.remove(`${SC}/readOnlyRootFilesystem`)), detail: /writable \(null\)/ },
  // DROP_ALL_CAPABILITIES
  { name: 'capabilities.add NET_ADMIN', controls: [Control.DROP_ALL_CAPABILITIES], ...API, apply: deployment(JsonPatch.add(`${SC}/capabilities/add`, ['NET_ADMIN'])), detail: /capability NET_ADMIN is added at .*capabilities\.add\[0\]/ },
  { name: 'capabilities.add with the CAP_ prefix', controls: [Control.DROP_ALL_CAPABILITIES], ...API, apply: deployment(JsonPatch.add(`${SC}/capabilities/add`, ['CAP_SYS_ADMIN'])), detail: /capability CAP_SYS_ADMIN is added/ },
  { name: 'capabilities.drop removed', controls: [Control.DROP_ALL_CAPABILITIES], ...API, apply: deployment(JsonPatch.remove(`${SC}/capabilities/drop`)), detail: /not all dropped \(drop: \[\]\)/ },
  { name: 'capabilities.drop lower-case "all" (Pod Security compares "ALL")', controls: [Control.DROP_ALL_CAPABILITIES], ...API, apply: deployment(JsonPatch.replace(`${SC}/capabilities/drop`, ['all'])) },
  // SECCOMP_RUNTIME_DEFAULT
  { name: 'pod seccomp profile Unconfined', controls: [Control.SECCOMP_RUNTIME_DEFAULT], ...API, apply: deployment(JsonPatch.replace(`${POD_SC}/seccompProfile/type`, 'Unconfined')), detail: /Unconfined at spec\.template\.spec\.securityContext\.seccompProfile\.type/ },
  { name: 'container seccomp profile Unconfined', controls: [Control.SECCOMP_RUNTIME_DEFAULT], ...API, apply: deployment(JsonPatch.add(`${SC}/seccompProfile`, { type: 'Unconfined' })) },
  { name: 'pod seccomp profile removed', controls: [Control.SECCOMP_RUNTIME_DEFAULT], ...API, apply: deployment(JsonPatch.remove(`${POD_SC}/seccompProfile`)), detail: /no seccomp profile is set, so Unconfined applies/ },
  {
    name: 'the legacy pod seccomp annotation set to unconfined',
    controls: [Control.SECCOMP_RUNTIME_DEFAULT],
    ...API,
    apply: podAnnotation('seccomp.security.alpha.kubernetes.io/pod', 'unconfined'),
    detail: /annotations\["seccomp\.security\.alpha\.kubernetes\.io\/pod"\]/,
  },
  // NO_HOST_PATH_VOLUMES
  { name: 'a hostPath volume added', controls: [Control.NO_HOST_PATH_VOLUMES], apply: deployment(JsonPatch.add(`${SPEC}/volumes/-`, { name: 'root', hostPath: { path: '/' } })), detail: /volume "root" is of kind hostPath/ },
  {
    name: "a claim bound to a PersistentVolume of the node's / (hostPath) mounted into the pods",
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...API,
    apply: ({ chart, api }) => {
      new ApiObject(chart, 'host-root', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'host-root' },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/' }, claimRef: { name: 'host-root' } },
      });
      new ApiObject(chart, 'host-root-claim', {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'host-root' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } },
      });
      const claim = kplus.PersistentVolumeClaim.fromClaimName(chart, 'claim-ref', 'host-root');
      api.deployment.containers[0].mount('/host', kplus.Volume.fromPersistentVolumeClaim(chart, 'host', claim, { name: 'host' }));
    },
    detail: /volume "host" is of kind hostPath: it mounts the host's filesystem at spec\.template\.spec\.volumes\[\d\]\.persistentVolumeClaim \(bound to PersistentVolume\/host-root, spec\.hostPath\)/,
  },
  {
    name: "a claim the controller may bind by storage class to a PersistentVolume of the node's / (hostPath) mounted into the pods",
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...API,
    apply: ({ chart, api }) => {
      new ApiObject(chart, 'node-root', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'node-root' },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/' } },
      });
      new ApiObject(chart, 'data-claim', {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } } },
      });
      const claim = kplus.PersistentVolumeClaim.fromClaimName(chart, 'data-ref', 'data');
      api.deployment.containers[0].mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'data', claim, { name: 'data' }));
    },
    detail: /volume "data" is of kind hostPath: it mounts the host's filesystem at spec\.template\.spec\.volumes\[\d\]\.persistentVolumeClaim \(claim "data" may be bound by storage class "manual" to PersistentVolume\/node-root, spec\.hostPath\)/,
  },
  {
    name: "an ephemeral volume whose claim template names a PersistentVolume of the node's / (volumeName), by patch",
    controls: [Control.NO_HOST_PATH_VOLUMES],
    ...API,
    apply: (built) => {
      new ApiObject(built.chart, 'node-root', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'node-root' },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/' } },
      });
      const claimSpec = { accessModes: ['ReadWriteOnce'], storageClassName: '', volumeName: 'node-root', resources: { requests: { storage: '1Gi' } } };
      deployment(
        JsonPatch.add(`${SPEC}/volumes/-`, { name: 'host', ephemeral: { volumeClaimTemplate: { spec: claimSpec } } }),
        JsonPatch.add(`${SPEC}/containers/0/volumeMounts/-`, { name: 'host', mountPath: '/host' }),
      )(built);
    },
    detail: /volume "host" is of kind hostPath: it mounts the host's filesystem at spec\.template\.spec\.volumes\[\d\]\.ephemeral \(the pod's claim <pod>-host is bound by its volumeName to PersistentVolume\/node-root, spec\.hostPath\)/,
  },
  {
    name: "other code's StatefulSet whose claim templates the controller may bind by storage class to a PersistentVolume of the node's /",
    controls: [Control.NO_HOST_PATH_VOLUMES],
    workload: 'StatefulSet/db',
    container: 'main',
    recordsOwnExemptions: true,
    apply: ({ chart }, exemptions) => {
      new ChartChecks(chart, 'Checks');
      new ApiObject(chart, 'node-root', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'node-root' },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/' } },
      });
      new ApiObject(chart, 'deny-db', {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-db' }, spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
      });
      const annotations = exemptions.length > 0 ? { [EXEMPTIONS_ANNOTATION]: exemptionsAnnotationValue(exemptions) } : undefined;
      new ApiObject(chart, 'db', {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', annotations },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: hardenedPodSpec({}, { volumeMounts: [{ name: 'data', mountPath: '/var/lib/db' }] }) },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } } } }],
        },
      });
    },
    detail: /volume "data" is of kind hostPath: it mounts the host's filesystem at spec\.volumeClaimTemplates\[0\] \(each pod's claim data-db-<ordinal> may be bound by storage class "manual" to PersistentVolume\/node-root, spec\.hostPath\)/,
  },
  { name: 'the writable-path emptyDir swapped for an nfs volume', controls: [Control.NO_HOST_PATH_VOLUMES], ...API, apply: deployment(JsonPatch.replace(`${SPEC}/volumes/0`, { name: 'api-tmp', nfs: { server: '10.0.0.1', path: '/' } })), detail: /of kind nfs, which the restricted profile does not allow/ },
  // NO_SERVICE_ACCOUNT_TOKEN
  {
    name: 'a projected serviceAccountToken volume mounted by the container',
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    apply: deployment(
      JsonPatch.add(`${SPEC}/volumes/-`, { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }),
      JsonPatch.add(`${SPEC}/containers/0/volumeMounts/-`, { name: 'tok', mountPath: '/var/run/secrets/tokens' }),
    ),
    detail: /projected\.sources\[0\]\.serviceAccountToken \(mounted at \/var\/run\/secrets\/tokens by container 'api'\)/,
  },
  { name: 'pod automountServiceAccountToken true', controls: [Control.NO_SERVICE_ACCOUNT_TOKEN], apply: deployment(JsonPatch.replace(`${SPEC}/automountServiceAccountToken`, true)) },
  {
    name: 'a ServiceAccount token Secret in the chart mounted into the pods',
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    apply: ({ chart, api }) => {
      new ApiObject(chart, 'api-token', {
        apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'api-token', annotations: { 'kubernetes.io/service-account.name': 'api' } },
      });
      api.deployment.containers[0].mount('/var/run/secrets/kubernetes.io/serviceaccount', kplus.Volume.fromSecret(chart, 'token', kplus.Secret.fromSecretName(chart, 'token-ref', 'api-token'), { name: 'sa-token' }), { readOnly: true });
    },
    detail: /at spec\.template\.spec\.volumes\[\d+\]\.secret \(mounted at \/var\/run\/secrets\/kubernetes\.io\/serviceaccount by container 'api'\), Secret\/api-token of type kubernetes\.io\/service-account-token/,
  },
  {
    name: "a ServiceAccount token Secret's token read into a variable",
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    apply: ({ chart, api }) => {
      new ApiObject(chart, 'api-token', { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'api-token' } });
      api.deployment.containers[0].env.addVariable('KUBE_TOKEN', kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, 'token-ref', 'api-token'), key: 'token' }));
    },
    detail: /env\[\d+\]\.valueFrom\.secretKeyRef, Secret\/api-token of type kubernetes\.io\/service-account-token/,
  },
  {
    name: 'pod setting removed and the ServiceAccount patched to mount',
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    apply: (b) => { deployment(JsonPatch.remove(`${SPEC}/automountServiceAccountToken`))(b); serviceAccount(JsonPatch.replace('/automountServiceAccountToken', true))(b); },
    detail: /at ServiceAccount\/api automountServiceAccountToken/,
  },
  {
    name: 'pods moved to the default ServiceAccount with the pod setting removed',
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    apply: deployment(JsonPatch.replace(`${SPEC}/serviceAccountName`, 'default'), JsonPatch.remove(`${SPEC}/automountServiceAccountToken`)),
    detail: /the token of ServiceAccount default/,
  },
  {
    name: 'pods moved to the default ServiceAccount, with a default account of another namespace that does not mount',
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    apply: (b) => {
      deployment(JsonPatch.replace(`${SPEC}/serviceAccountName`, 'default'), JsonPatch.remove(`${SPEC}/automountServiceAccountToken`))(b);
      new ApiObject(b.chart, 'other-default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'kube-public' }, automountServiceAccountToken: false });
    },
    detail: /the token of ServiceAccount default/,
  },
  // NETWORK_ISOLATION
  {
    name: "other code's allow-all NetworkPolicy inside a NetworkPolicyList",
    controls: [Control.NETWORK_ISOLATION],
    apply: ({ chart }) => new ApiObject(chart, 'extras', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicyList',
      metadata: { name: 'extras' },
      items: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all' }, spec: { podSelector: {}, ingress: [{}] } }],
    }),
    detail: /NetworkPolicy\/allow-all spec\.ingress\[0\] admits every port/,
  },
  {
    name: "other code's allow-all NetworkPolicy in the items of a ConfigMap",
    controls: [Control.NETWORK_ISOLATION],
    apply: ({ chart }) => new ApiObject(chart, 'extras', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'extras' },
      items: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all' }, spec: { podSelector: {}, ingress: [{}] } }],
    }),
    detail: /NetworkPolicy\/allow-all spec\.ingress\[0\] admits every port/,
  },
  {
    name: 'NetworkPolicy moved to another namespace than the pods (which have none)',
    controls: [Control.NETWORK_ISOLATION],
    apply: networkPolicy(JsonPatch.add('/metadata/namespace', 'kube-public')),
    detail: /no NetworkPolicy with policyType Ingress selects the pods \(NetworkPolicy\/kube-public\/api would, but it has namespace kube-public and the pods no namespace/,
  },
  {
    name: 'NetworkPolicy renamed to a name the API server rejects (kubectl still creates the Deployment)',
    controls: [Control.NETWORK_ISOLATION],
    apply: networkPolicy(JsonPatch.replace('/metadata/name', 'API_Policy')),
    detail: /NetworkPolicy\/API_Policy would, but the API server rejects it: its name "API_Policy" is not a DNS-1123 subdomain/,
  },
  { name: 'NetworkPolicy given a policy type the API server rejects', controls: [Control.NETWORK_ISOLATION], apply: networkPolicy(JsonPatch.add('/spec/policyTypes/-', 'Bogus')), detail: /policyTypes holds "Bogus"/ },
  {
    name: 'NetworkPolicy podSelector given an expression the API server rejects',
    controls: [Control.NETWORK_ISOLATION],
    apply: networkPolicy(JsonPatch.add('/spec/podSelector/matchExpressions', [{ key: 'x', operator: 'DoesNotExist', values: ['y'] }])),
    detail: /spec\.podSelector\.matchExpressions\[0\] has operator "DoesNotExist" with 1 value\(s\)/,
  },
  { name: 'NetworkPolicy ports removed', controls: [Control.NETWORK_ISOLATION], apply: networkPolicy(JsonPatch.remove('/spec/ingress/0/ports')), detail: /NetworkPolicy\/api spec\.ingress\[0\] admits every port/ },
  { name: 'NetworkPolicy port widened to a range with endPort', controls: [Control.NETWORK_ISOLATION], apply: networkPolicy(JsonPatch.add('/spec/ingress/0/ports/0/endPort', 9090)), detail: /admits port 8080-9090\/TCP, which is not a container port/ },
  // The L1 takes an IntOrString there: a raw number is dropped, which opens every port (and is caught as such).
  { name: 'NetworkPolicy port replaced with a raw number', controls: [Control.NETWORK_ISOLATION], apply: networkPolicy(JsonPatch.replace('/spec/ingress/0/ports/0/port', 9090)), detail: /admits every TCP port/ },
  { name: 'NetworkPolicy podSelector pointed elsewhere', controls: [Control.NETWORK_ISOLATION], apply: networkPolicy(JsonPatch.replace('/spec/podSelector', { matchLabels: { app: 'other' } })), detail: /no NetworkPolicy with policyType Ingress selects the pods/ },
  { name: 'NetworkPolicy turned into an Egress-only policy', controls: [Control.NETWORK_ISOLATION], apply: networkPolicy(JsonPatch.replace('/spec/policyTypes', ['Egress'])), detail: /no NetworkPolicy with policyType Ingress selects the pods/ },
  {
    name: 'pod labels changed so the NetworkPolicy no longer selects them',
    controls: [Control.NETWORK_ISOLATION],
    apply: deployment(JsonPatch.replace('/spec/template/metadata/labels/app.kubernetes.io~1name', 'api-canary')),
    detail: /no NetworkPolicy with policyType Ingress selects the pods/,
  },
  {
    name: "other code's NetworkPolicy admits every port",
    controls: [Control.NETWORK_ISOLATION],
    apply: ({ chart }) => new kplus.k8s.KubeNetworkPolicy(chart, 'debug', { metadata: { name: 'debug' }, spec: { podSelector: {}, ingress: [{}] } }),
    detail: /NetworkPolicy\/debug spec\.ingress\[0\] admits every port/,
  },
  {
    name: 'NetworkPolicy made to select only pods without pod-template-hash, which the Deployment controller gives every pod',
    controls: [Control.NETWORK_ISOLATION],
    apply: networkPolicy(JsonPatch.add('/spec/podSelector/matchExpressions', [{ key: 'pod-template-hash', operator: 'DoesNotExist' }])),
    detail: /NetworkPolicy\/api selects them by pod-template-hash, which their controller sets to values the manifests do not give/,
  },
  {
    name: "other code's NetworkPolicy admitting every port to the pods that carry pod-template-hash",
    controls: [Control.NETWORK_ISOLATION],
    apply: ({ chart }) => new kplus.k8s.KubeNetworkPolicy(chart, 'debug', {
      metadata: { name: 'debug' },
      spec: { podSelector: { matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] }, ingress: [{}] },
    }),
    detail: /NetworkPolicy\/debug spec\.ingress\[0\] admits every port/,
  },
  // NO_PUBLIC_IP: a Service, an Ingress or a Gateway API route that reaches the pods from outside the cluster
  { name: 'Service type patched to LoadBalancer', controls: [Control.NO_PUBLIC_IP], apply: service(JsonPatch.add('/spec/type', 'LoadBalancer')), detail: /reachable from outside the cluster at Service\/api spec\.type \(LoadBalancer\)/ },
  { name: 'Service type patched to NodePort', controls: [Control.NO_PUBLIC_IP], apply: service(JsonPatch.add('/spec/type', 'NodePort')), detail: /Service\/api spec\.type \(NodePort\)/ },
  { name: 'externalIPs patched onto the Service', controls: [Control.NO_PUBLIC_IP], apply: service(JsonPatch.add('/spec/externalIPs', ['203.0.113.7'])), detail: /Service\/api spec\.externalIPs \(203\.0\.113\.7\)/ },
  { name: 'deployment.exposeViaService as a LoadBalancer', controls: [Control.NO_PUBLIC_IP], apply: ({ api }) => api.deployment.exposeViaService({ name: 'api-public', serviceType: kplus.ServiceType.LOAD_BALANCER }), detail: /Service\/api-public spec\.type \(LoadBalancer\)/ },
  { name: 'deployment.exposeViaIngress', controls: [Control.NO_PUBLIC_IP], apply: ({ api }) => api.deployment.exposeViaIngress('/api', { name: 'api-web' }), detail: /at Ingress\/\S+ spec\.rules\[0\]\.http\.paths\[0\]\.backend \(routes to Service\/api-web\)/ },
  {
    name: "other code's LoadBalancer Service selecting the pods",
    controls: [Control.NO_PUBLIC_IP],
    apply: ({ chart }) => new kplus.k8s.KubeService(chart, 'public', {
      metadata: { name: 'public' },
      spec: { type: 'LoadBalancer', selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 443, targetPort: kplus.k8s.IntOrString.fromNumber(8080) }] },
    }),
    detail: /Service\/public spec\.type \(LoadBalancer\)/,
  },
  {
    name: "other code's LoadBalancer Service inside a List",
    controls: [Control.NO_PUBLIC_IP],
    apply: ({ chart }) => new ApiObject(chart, 'extras', {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { name: 'extras' },
      items: [{
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'api-public' },
        spec: { type: 'LoadBalancer', selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 443, targetPort: 8080 }] },
      }],
    }),
    detail: /Service\/api-public spec\.type \(LoadBalancer\)/,
  },
  {
    name: "other code's LoadBalancer Service without kind and apiVersion in a ServiceList",
    controls: [Control.NO_PUBLIC_IP],
    apply: ({ chart }) => new ApiObject(chart, 'extras', {
      apiVersion: 'v1',
      kind: 'ServiceList',
      metadata: { name: 'extras' },
      items: [{ metadata: { name: 'api-public' }, spec: { type: 'LoadBalancer', selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 443, targetPort: 8080 }] } }],
    }),
    detail: /Service\/api-public spec\.type \(LoadBalancer\)/,
  },
  {
    name: "other code's Ingress to an ExternalName Service naming the service's ClusterIP Service",
    controls: [Control.NO_PUBLIC_IP],
    apply: ({ chart }) => {
      new ApiObject(chart, 'alias', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-alias' }, spec: { type: 'ExternalName', externalName: 'api.default.svc.cluster.local' } });
      new ApiObject(chart, 'web', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web' },
        spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api-alias', port: { number: 80 } } } }] } }] },
      });
    },
    detail: /Ingress\/web spec\.rules\[0\]\.http\.paths\[0\]\.backend \(routes to Service\/api-alias, an ExternalName of Service\/api\)/,
  },
  {
    name: 'a Secret patched into a LoadBalancer Service selecting the pods',
    controls: [Control.NO_PUBLIC_IP],
    apply: ({ chart }) => new ApiObject(chart, 'public', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-public' } }).addJsonPatch(
      JsonPatch.replace('/kind', 'Service'),
      JsonPatch.add('/spec', { type: 'LoadBalancer', selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 443, targetPort: 8080 }] }),
    ),
    detail: /Service\/api-public spec\.type \(LoadBalancer\)/,
  },
  {
    name: "other code's HTTPRoute to the service's ClusterIP Service",
    controls: [Control.NO_PUBLIC_IP],
    apply: gatewayRoute('HTTPRoute', 'gateway.networking.k8s.io/v1'),
    detail: /at HTTPRoute\/web spec\.rules\[0\]\.backendRefs\[0\] \(routes to Service\/api\)/,
  },
  {
    name: "other code's TCPRoute to the service's ClusterIP Service",
    controls: [Control.NO_PUBLIC_IP],
    apply: gatewayRoute('TCPRoute', 'gateway.networking.k8s.io/v1alpha2'),
    detail: /at TCPRoute\/web spec\.rules\[0\]\.backendRefs\[0\] \(routes to Service\/api\)/,
  },
  // RESOURCE_LIMITS
  { name: 'container resources removed', controls: [Control.RESOURCE_LIMITS], ...API, apply: deployment(JsonPatch.remove(`${SPEC}/containers/0/resources`)), detail: /no cpu request, cpu limit, memory request, memory limit/ },
  {
    name: 'container limits patched to 0 (the kubelet then sets none)',
    controls: [Control.RESOURCE_LIMITS],
    ...API,
    // Quantities as the Deployment's L1 renders them ({ value }): a plain string there renders as no limit at all.
    apply: deployment(JsonPatch.replace(`${SPEC}/containers/0/resources/limits`, { cpu: { value: '0' }, memory: { value: '0' } })),
    detail: /the cpu limit is 0, which sets no limit at all at \S+resources\.limits\.cpu/,
  },
  { name: 'container limits removed', controls: [Control.RESOURCE_LIMITS], ...API, apply: deployment(JsonPatch.remove(`${SPEC}/containers/0/resources/limits`)), detail: /no cpu limit, memory limit/ },
  // SECRETS_NOT_IN_ENVIRONMENT
  {
    name: "a secret-like variable from one of the pod's annotations (downward API fieldRef), by patch",
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...API,
    apply: (built: Built) => {
      // Under a name that says nothing: an annotation named for a token is a finding of its own, for the workload.
      podAnnotation('acme.io/ref', 'ghp_s3cr3tT0k3n')(built);
      deployment(JsonPatch.add(`${SPEC}/containers/0/env/-`, { name: 'API_TOKEN', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['acme.io/ref']" } } }))(built);
    },
    detail: /API_TOKEN looks like a secret but comes from the pod's annotation "acme\.io\/ref", which is plain text, not a secret store at spec\.template\.spec\.containers\[0\]\.env\[\d\]\.valueFrom\.fieldRef/,
  },
  {
    name: 'an annotation named for a token, with a plain value (Elastic\'s hints read co.elastic.metrics/password)',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    apply: podAnnotation('co.elastic.metrics/password', 'hunter2'),
    detail: /annotation co\.elastic\.metrics\/password looks like a secret but has a plain value/,
  },
  {
    name: 'a database URL with its password in a pod annotation, which anyone who can read the pod sees',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    apply: podAnnotation('acme.io/database', 'postgres://app:hunter2@db:5432/app'),
    detail: /annotation acme\.io\/database holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db:5432\/app\)/,
  },
  { name: 'a secret-like variable added with a plain value', controls: [Control.SECRETS_NOT_IN_ENVIRONMENT], ...API, apply: deployment(JsonPatch.add(`${SPEC}/containers/0/env/-`, { name: 'API_TOKEN', value: 'tok' })), detail: /API_TOKEN looks like a secret/ },
  {
    name: 'a secret-like variable from a ConfigMap, by patch',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...API,
    apply: deployment(JsonPatch.add(`${SPEC}/containers/0/env/-`, { name: 'API_TOKEN', valueFrom: { configMapKeyRef: { name: 'cm', key: 'tok' } } })),
    detail: /API_TOKEN looks like a secret but comes from ConfigMap "cm", which is plain text, not a secret store at spec\.template\.spec\.containers\[0\]\.env\[\d\]\.valueFrom\.configMapKeyRef/,
  },
  {
    name: 'a password in the JSON settings of SPRING_APPLICATION_JSON, by env.addVariable',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...API,
    apply: ({ api }) => api.deployment.containers[0].env.addVariable('SPRING_APPLICATION_JSON', kplus.EnvValue.fromValue('{"spring":{"datasource":{"password":"hunter2"}}}')),
    detail: /SPRING_APPLICATION_JSON holds JSON whose \.spring\.datasource\.password looks like a secret and has a plain value/,
  },
  {
    name: 'a secret-like variable from a ConfigMap, by env.addVariable',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...API,
    apply: ({ chart, api }) => api.deployment.containers[0].env.addVariable('API_TOKEN', kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'cm'), 'tok')),
    detail: /API_TOKEN looks like a secret but comes from ConfigMap "cm"/,
  },
  {
    name: 'one key of a ConfigMap of the chart holding a URL with a password, by env.addVariable',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...API,
    apply: ({ chart, api }) => {
      const settings = new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'settings' }, data: { DATABASE_URL: 'postgres://app:hunter2@db/app' } });
      api.deployment.containers[0].env.addVariable('DATABASE_URL', kplus.EnvValue.fromConfigMap(settings, 'DATABASE_URL'));
    },
    detail: /environment variable DATABASE_URL holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db\/app\) at \S+\.valueFrom\.configMapKeyRef/,
  },
  {
    name: 'every key of a ConfigMap of the chart holding a secret-like key, by env.copyFrom (envFrom)',
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    ...API,
    apply: ({ chart, api }) => api.deployment.containers[0].env.copyFrom(kplus.Env.fromConfigMap(new kplus.ConfigMap(chart, 'settings', { data: { LOG_LEVEL: 'info', API_KEY: 'abc123' } }))),
    detail: /API_KEY looks like a secret but comes from ConfigMap "[\w-]+", which is plain text, not a secret store at spec\.template\.spec\.containers\[0\]\.envFrom\[0\]\.configMapRef/,
  },
  { name: 'the secretKeyRef of DB_PASSWORD replaced with its value', controls: [Control.SECRETS_NOT_IN_ENVIRONMENT], ...API, apply: deployment(JsonPatch.replace(`${SPEC}/containers/0/env/1`, { name: 'DB_PASSWORD', value: 'hunter2' })), detail: /containers\[0\]\.env\[1\]/ },
  // Containers added by patch
  { name: 'an init container added by patch with no securityContext', controls: ADDED_CONTAINER_CONTROLS, container: 'setup', apply: deployment(JsonPatch.add(`${SPEC}/initContainers`, [bareContainer('setup')])) },
  { name: 'a second container added by patch with no securityContext', controls: ADDED_CONTAINER_CONTROLS, container: 'shell', apply: deployment(JsonPatch.add(`${SPEC}/containers/-`, bareContainer('shell'))) },
  // Objects other code adds to the chart, caught by ChartChecks; their exemptions go in their annotation
  { name: "other code's Deployment on the host network", controls: [Control.NO_HOST_NAMESPACES], workload: 'Deployment/legacy', recordsOwnExemptions: true, apply: otherWorkload('Deployment', hardenedPodSpec({ hostNetwork: true })) },
  { name: "other code's CronJob running privileged", controls: [Control.NOT_PRIVILEGED], workload: 'CronJob/legacy', container: 'main', recordsOwnExemptions: true, apply: otherWorkload('CronJob', hardenedPodSpec({}, { securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: true } })) },
  { name: "other code's Pod mounting the container runtime socket", controls: [Control.NO_HOST_PATH_VOLUMES], workload: 'Pod/legacy', recordsOwnExemptions: true, apply: otherWorkload('Pod', hardenedPodSpec({ volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }] })) },
  // Objects the pods depend on, written twice: kubectl apply keeps the one it applies last
  {
    name: "other code's Deployment whose isolating NetworkPolicy is written again, in another chart, for other pods",
    controls: [Control.NETWORK_ISOLATION],
    workload: 'Deployment/legacy',
    recordsOwnExemptions: true,
    apply: (built, exemptions) => {
      otherWorkload('Deployment', hardenedPodSpec())(built, exemptions);
      new ApiObject(new Chart(built.chart.node.root as App, 'platform'), 'deny-legacy', {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-legacy' }, spec: { podSelector: { matchLabels: { app: 'batch' } }, policyTypes: ['Ingress'] },
      });
    },
    detail: /NetworkPolicy\/deny-legacy would, but it is written twice, the other time not selecting them/,
  },
  {
    name: "other code's Deployment whose ServiceAccount turns the token off, written again without",
    controls: [Control.NO_SERVICE_ACCOUNT_TOKEN],
    workload: 'Deployment/legacy',
    recordsOwnExemptions: true,
    apply: (built, exemptions) => {
      otherWorkload('Deployment', hardenedPodSpec({ automountServiceAccountToken: undefined, serviceAccountName: 'legacy' }))(built, exemptions);
      new ApiObject(built.chart, 'legacy-sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'legacy' }, automountServiceAccountToken: false });
      new ApiObject(built.chart, 'legacy-sa-again', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'legacy' } });
    },
    detail: /ServiceAccount\/legacy automountServiceAccountToken \(unset: Kubernetes mounts the token; the ServiceAccount is written twice/,
  },
  // The API server reads null as unset and drops fields it does not know (efs is an ECS kind). cdk8s drops
  // nulls from props and the L1s drop unknown keys, so these reach the output only on other code's objects.
  {
    name: "other code's Pod with a hostPath volume beside emptyDir: null (by patch)",
    controls: [Control.NO_HOST_PATH_VOLUMES],
    workload: 'Pod/legacy',
    recordsOwnExemptions: true,
    apply: patchedOtherPod(JsonPatch.add('/spec/volumes', [{ name: 'host', emptyDir: null, hostPath: { path: '/' } }])),
    detail: /volume "host" is of kind hostPath/,
  },
  { name: "other code's Pod with a hostPath volume behind an efs key", controls: [Control.NO_HOST_PATH_VOLUMES], workload: 'Pod/legacy', recordsOwnExemptions: true, apply: otherWorkload('Pod', hardenedPodSpec({ volumes: [{ name: 'host', efs: { fileSystemId: 'fs-1' }, hostPath: { path: '/' } }] })), detail: /volume "host" is of kind hostPath/ },
  {
    name: "other code's Pod with a secret-like plain value beside valueFrom: null (by patch)",
    controls: [Control.SECRETS_NOT_IN_ENVIRONMENT],
    workload: 'Pod/legacy',
    container: 'main',
    recordsOwnExemptions: true,
    apply: patchedOtherPod(JsonPatch.add('/spec/containers/0/env', [{ name: 'API_TOKEN', value: 's3cr3t-token', valueFrom: null }])),
    detail: /API_TOKEN looks like a secret but has a plain value/,
  },
  // Lists: kubectl apply creates their items
  {
    name: "other code's privileged Deployment wrapped in a kind: List",
    controls: [Control.NOT_PRIVILEGED],
    workload: 'List/legacy-list items[0] Deployment/legacy',
    container: 'main',
    recordsOwnExemptions: true,
    apply: otherWorkload('Deployment', hardenedPodSpec({}, { securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: true } }), 'List'),
  },
  { name: "other code's Deployment on the host network in a DeploymentList", controls: [Control.NO_HOST_NAMESPACES], workload: 'DeploymentList/legacy-list items[0] Deployment/legacy', recordsOwnExemptions: true, apply: otherWorkload('Deployment', hardenedPodSpec({ hostNetwork: true }), 'DeploymentList') },
  {
    name: "other code's Deployment without kind and apiVersion in a DeploymentList (kubectl gives it the List's)",
    controls: [Control.NO_HOST_NAMESPACES],
    workload: 'DeploymentList/legacy-list items[0] Deployment/legacy',
    recordsOwnExemptions: true,
    apply: otherWorkload('Deployment', hardenedPodSpec({ hostNetwork: true }), 'DeploymentList', true),
  },
  {
    name: "other code's Pod on the host network in the items of a ConfigMap (kubectl applies the items of any object)",
    controls: [Control.NO_HOST_NAMESPACES],
    workload: 'ConfigMap/legacy-list items[0] Pod/legacy',
    recordsOwnExemptions: true,
    apply: otherWorkload('Pod', hardenedPodSpec({ hostPID: true }), 'ConfigMap'),
  },

  // Not exemptible: both halves fail, and the second says why.
  {
    name: "a second NetworkPolicy named like the service's in its chart, selecting nothing (kubectl apply keeps the last)",
    controls: [],
    apply: ({ chart }) => new ApiObject(chart, 'shadow', {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api' }, spec: { podSelector: { matchLabels: { app: 'unused' } }, policyTypes: ['Egress'] },
    }),
    detail: /NetworkPolicy\/api at test\/api\/NetworkPolicy is written again at test\/shadow: kubectl apply keeps only the one it applies last/,
    cover: [justified(Control.NETWORK_ISOLATION)],
    refused: /NetworkPolicy\/api at test\/api\/NetworkPolicy is written again at test\/shadow/,
  },
  {
    name: "a second ServiceAccount named like the service's in its chart, mounting the token",
    controls: [],
    apply: ({ chart }) => new ApiObject(chart, 'shadow', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api' }, automountServiceAccountToken: true }),
    detail: /ServiceAccount\/api at test\/api\/ServiceAccount\/Resource is written again at test\/shadow: kubectl apply keeps only the one it applies last/,
    cover: [justified(Control.NO_SERVICE_ACCOUNT_TOKEN)],
    refused: /ServiceAccount\/api at test\/api\/ServiceAccount\/Resource is written again at test\/shadow/,
  },
  {
    name: 'a NetworkPolicy port "0o1" with endPort 65535, which cdk8s writes unquoted and kubectl reads as ports 1-65535',
    controls: [],
    apply: ({ chart }) => new ApiObject(chart, 'metrics', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'metrics' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: '0o1', endPort: 65535 }] }] },
    }),
    detail: /NetworkPolicy\/metrics at test\/metrics: "0o1" at spec\.ingress\[0\]\.ports\[0\]\.port: cdk8s writes this text unquoted, and kubectl reads it as the number 1/,
    cover: [justified(Control.NETWORK_ISOLATION)],
    refused: /"0o1" at spec\.ingress\[0\]\.ports\[0\]\.port: cdk8s writes this text unquoted/,
  },
  {
    name: 'an annotation "0X1" on the service\'s NetworkPolicy, which makes kubectl refuse it and leave the pods open',
    controls: [],
    apply: ({ api }) => ApiObject.of(api.networkPolicy).metadata.addAnnotation('acme.io/revision', '0X1'),
    detail: /"0X1" at metadata\.annotations\.acme\.io\/revision: cdk8s writes this text unquoted, and kubectl reads it as the number 1/,
    cover: [justified(Control.NETWORK_ISOLATION)],
    refused: /"0X1" at metadata\.annotations\.acme\.io\/revision: cdk8s writes this text unquoted/,
  },
  {
    name: 'an annotation holding U+2028 on the service\'s NetworkPolicy, which cdk8s writes as it is and kubectl reads as a line break, refusing the policy',
    controls: [],
    apply: ({ api }) => ApiObject.of(api.networkPolicy).metadata.addAnnotation('acme.io/owner', 'team-a\u2028team-b'),
    detail: /text at metadata\.annotations\.acme\.io\/owner holds U\+2028, written as it is by cdk8s, which kubectl reads as a line break/,
    cover: [justified(Control.NETWORK_ISOLATION)],
    refused: /text at metadata\.annotations\.acme\.io\/owner holds U\+2028/,
  },
  {
    name: 'an expired exemption',
    controls: [Control.NO_HOST_NAMESPACES],
    apply: deployment(JsonPatch.add(`${SPEC}/hostPid`, true)),
    cover: [justified(Control.NO_HOST_NAMESPACES, { expires: '2026-01-14' })],
    refused: /expired on 2026-01-14[^]*\[NO_HOST_NAMESPACES\] Deployment\/api:/,
  },
  {
    name: 'an exemption for the wrong container',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...API,
    apply: (b) => {
      b.api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0' });
      deployment(JsonPatch.replace(`${SC}/readOnlyRootFilesystem`, false))(b);
    },
    cover: [justified(Control.READ_ONLY_ROOT_FILESYSTEM, { container: 'helper' })],
    refused: /\[READ_ONLY_ROOT_FILESYSTEM\] Deployment\/api container 'api'/,
  },
  {
    name: 'an exemption for the wrong control',
    controls: [Control.NOT_PRIVILEGED],
    ...API,
    apply: deployment(JsonPatch.replace(`${SC}/privileged`, true)),
    cover: [justified(Control.NO_PRIVILEGE_ESCALATION)],
    refused: /\[NOT_PRIVILEGED\] Deployment\/api container 'api'/,
  },
  {
    name: 'a control the policy makes non-waivable',
    controls: [Control.NO_HOST_NAMESPACES],
    policy: { nonWaivable: [Control.NO_HOST_NAMESPACES] },
    apply: deployment(JsonPatch.replace(`${SPEC}/hostNetwork`, true)),
    refused: /the security policy makes NO_HOST_NAMESPACES non-waivable[^]*\[NO_HOST_NAMESPACES\] Deployment\/api: .*\(the security policy makes this control non-waivable\)/,
  },
  {
    name: 'an exemption without the ticket the policy requires',
    controls: [Control.NO_PRIVILEGE_ESCALATION],
    ...API,
    policy: { requireTicket: true },
    apply: deployment(JsonPatch.remove(`${SC}/allowPrivilegeEscalation`)),
    refused: /the security policy requires a ticket[^]*\[NO_PRIVILEGE_ESCALATION\] Deployment\/api container 'api'/,
  },
  {
    name: 'an exemption whose justification is a placeholder',
    controls: [Control.READ_ONLY_ROOT_FILESYSTEM],
    ...API,
    apply: deployment(JsonPatch.replace(`${SC}/readOnlyRootFilesystem`, false)),
    cover: [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: 'TODO: fix later, temporary' }],
    refused: /justification is a placeholder[^]*\[READ_ONLY_ROOT_FILESYSTEM\] Deployment\/api container 'api'/,
  },
  {
    name: 'recorded exemptions replaced by a forged annotation with a short justification',
    controls: [Control.RUN_AS_NON_ROOT],
    ...API,
    apply: deployment(
      JsonPatch.replace(`${SC}/runAsUser`, 0),
      JsonPatch.add('/metadata/annotations', { [EXEMPTIONS_ANNOTATION]: JSON.stringify([{ control: Control.RUN_AS_NON_ROOT, justification: 'legacy' }]) }),
    ),
    refused: /Deployment\/api: exemptions\[0\] \(RUN_AS_NON_ROOT\): justification must be at least 20 characters/,
  },
];

// Pod Security Standards "baseline" settings that no control of ours reads yet (reported to the
// lead). Each row states what should happen and is marked failing; when a control starts covering
// one, jest reports it, and it moves into ROWS.


assertUniqueNames(ROWS);

test('the README gives the catalogue\'s counts', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const refused = ROWS.filter((r) => r.refused).length;
  expect(readme).toContain(`and ${ROWS.length} for Kubernetes`);
  expect(readme).toMatch(new RegExp(`\\d+ ECS and ${ROWS.length - refused} Kubernetes rows must then\\s+pass`));
  expect(readme).toMatch(new RegExp(`The other \\d+ and ${refused} rows must fail\\s+both ways`));
});

test('the catalogue has at least 30 exemptible bypasses and touches every control that applies to Kubernetes', () => {
  expect(ROWS.filter((r) => !r.refused).length).toBeGreaterThanOrEqual(30);
  const k8sControls = Object.values(Control).filter((c) => ![Control.LOGGING, Control.IMAGE_PINNED].includes(c as never));
  expect(new Set(ROWS.flatMap((r) => r.controls))).toEqual(new Set(k8sControls));
});

describeRows(ROWS, {
  where: 'the object',
  defaultWorkload: 'Deployment/api',
  build,
  synthError: (built) => synthError(built.app),
  expectAlso: (error, row) => expect(error).toContain(row.workload ? '[test/Checks]' : '[test/api]'),
});


describe('what is not a bypass', () => {
  test('a JSON-cased key on a cdk8s-plus L1 is dropped by the L1, so nothing reaches the output', () => {
    const built = build({ name: 'hostPID', controls: [], apply: () => undefined }, []);
    deployment(JsonPatch.add(`${SPEC}/hostPID`, true))(built);
    expect(ApiObject.of(built.api.deployment).toJson().spec.template.spec.hostPID).toBeUndefined();
    expect(synthError(built.app)).toBe('');
  });
});
