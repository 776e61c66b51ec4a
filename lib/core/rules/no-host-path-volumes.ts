import { Control } from '../controls';
import { Rule, Violation, always } from './rule';

/** The volume types Pod Security Standards "restricted" allows. */
const RESTRICTED_VOLUME_KINDS: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** The volume types Pod Security Standards "restricted" allows, plus ECS's managed kinds. */
export const ALLOWED_VOLUME_KINDS: readonly string[] = [...RESTRICTED_VOLUME_KINDS, 'efs', 'fsxWindows', 'dockerVolume'];

export const noHostPathVolumes: Rule = {
  control: Control.NO_HOST_PATH_VOLUMES,
  appliesTo: always,
  check: (workload) => {
    const violations: Violation[] = [];
    for (const volume of workload.volumes) {
      if (ALLOWED_VOLUME_KINDS.includes(volume.kind)) continue;
      const violation = {
        setting: volume.at,
        problem: `volume ${JSON.stringify(volume.name)} is of kind ${volume.kind}${volume.kind === 'hostPath' ? ": it mounts the host's filesystem" : ', which the restricted profile does not allow'}`,
        // The Kubernetes reader never reports ECS kinds (the API server drops them), so Kubernetes users are offered only their own.
        fix: workload.platform === 'kubernetes'
          ? `use an ephemeral volume (emptyDir; a SecureService: writablePaths), a secret or config volume, or another kind the restricted profile allows (${RESTRICTED_VOLUME_KINDS.join(', ')})`
          : `use an ephemeral volume (a task volume without a host path; a SecureService: writablePaths), a secret or config volume, or managed storage (${ALLOWED_VOLUME_KINDS.join(', ')})`,
      };
      // One finding per container it reaches, so that an exemption of one container covers only that
      // container's mount; a volume no container mounts is still the pod's.
      const containers = volume.mountedBy ?? [];
      if (containers.length === 0) violations.push(violation);
      for (const container of containers) violations.push({ ...violation, container });
    }
    return violations;
  },
};
