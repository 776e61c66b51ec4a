import { Control } from '../controls';
import { Rule, always } from './rule';

/** The volume types Pod Security Standards "restricted" allows. */
const RESTRICTED_VOLUME_KINDS: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** The volume types Pod Security Standards "restricted" allows, plus ECS's managed kinds. */
export const ALLOWED_VOLUME_KINDS: readonly string[] = [...RESTRICTED_VOLUME_KINDS, 'efs', 'fsxWindows', 'dockerVolume'];

export const noHostPathVolumes: Rule = {
  control: Control.NO_HOST_PATH_VOLUMES,
  appliesTo: always,
  check: (workload) => workload.volumes
    .filter((volume) => !ALLOWED_VOLUME_KINDS.includes(volume.kind))
    .map((volume) => ({
      setting: volume.at,
      problem: `volume ${JSON.stringify(volume.name)} is of kind ${volume.kind}${volume.kind === 'hostPath' ? ": it mounts the host's filesystem" : ', which the restricted profile does not allow'}`,
      // The Kubernetes reader never reports ECS kinds (the API server drops them), so Kubernetes users are offered only their own.
      fix: workload.platform === 'kubernetes'
        ? `use an ephemeral volume (writablePaths), a secret or config volume, or another kind the restricted profile allows (${RESTRICTED_VOLUME_KINDS.join(', ')})`
        : `use an ephemeral volume (writablePaths), a secret or config volume, or managed storage (${ALLOWED_VOLUME_KINDS.join(', ')})`,
    })),
};
