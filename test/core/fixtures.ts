import { ContainerPosture, Platform, WorkloadPosture } from '../../lib/core';

/** A container that meets every control, as a reader would produce it for `platform`. */
export function secureContainer(platform: Platform, overrides: Partial<ContainerPosture> = {}): ContainerPosture {
  const k8s = platform === 'kubernetes';
  return {
    name: 'app',
    init: false,
    image: { value: 'ghcr.io/acme/api:1.4.2', at: 'image' },
    users: [{ value: { uid: 65532, gid: 65532 }, at: k8s ? 'spec.securityContext' : 'User' }],
    runAsNonRoot: k8s ? [{ value: true, at: 'spec.securityContext.runAsNonRoot' }] : [],
    readOnlyRootFilesystem: { value: true, at: 'readOnlyRootFilesystem' },
    capabilitiesAdded: [],
    capabilitiesDropped: { value: ['ALL'], at: 'capabilities.drop' },
    privileged: { value: false, at: 'privileged' },
    allowPrivilegeEscalation: { value: platform === 'ecs-fargate' ? undefined : false, at: 'allowPrivilegeEscalation' },
    seccompProfiles: k8s ? [{ value: 'RuntimeDefault', at: 'spec.securityContext.seccompProfile.type' }] : [],
    seccompWhenUnset: k8s ? 'Unconfined' : 'RuntimeDefault',
    hostPorts: [],
    plainEnvironment: [{ name: 'LOG_LEVEL', at: 'env[0]' }],
    secretNames: ['DB_PASSWORD'],
    resources: {
      cpuRequest: { value: '250m', at: 'resources.requests.cpu' },
      cpuLimit: { value: '250m', at: 'resources.limits.cpu' },
      memoryRequest: { value: '512Mi', at: 'resources.requests.memory' },
      memoryLimit: { value: '512Mi', at: 'resources.limits.memory' },
    },
    logging: k8s ? undefined : { driver: { value: 'awslogs', at: 'LogConfiguration.LogDriver' }, retentionDays: { value: 30, at: 'RetentionInDays' } },
    ...overrides,
  };
}

/** A workload that meets every control. */
export function secureWorkload(
  platform: Platform, overrides: Partial<WorkloadPosture> = {}, container: Partial<ContainerPosture> = {},
): WorkloadPosture {
  const k8s = platform === 'kubernetes';
  return {
    platform,
    name: k8s ? 'Deployment/default/api' : 'Stack/Api/TaskDefinition',
    location: k8s ? 'chart/api/Deployment' : 'Stack/Api/TaskDefinition/Resource',
    volumes: [{ name: 'tmp', kind: k8s ? 'emptyDir' : 'ephemeral', at: 'volumes[0]' }],
    hostNamespaces: [],
    serviceAccountToken: k8s ? { value: false, at: 'spec.automountServiceAccountToken' } : undefined,
    publicIp: k8s ? undefined : { value: false, at: 'AssignPublicIp' },
    ingress: {
      openings: [{ value: { source: 'NetworkPolicy/api spec.ingress[0]', protocol: 'TCP', from: 8080 }, at: 'spec.ingress[0].ports[0]' }],
      containerPorts: [{ protocol: 'TCP', port: 8080, name: 'http' }],
    },
    containers: [secureContainer(platform, container)],
    ...overrides,
  };
}

export const TODAY = new Date('2026-11-28T12:00:00Z');
