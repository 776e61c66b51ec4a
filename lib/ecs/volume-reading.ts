/**
 * The volumes of an ECS task definition as the target-neutral posture reads them: each volume's kind
 * (task storage, managed storage, or the host's filesystem), host devices, and which containers mount
 * each, so that a finding about a volume names the containers it reaches.
 */
import { VolumePosture } from '../core';
import { localDriverHostMount } from './docker-settings';
import { Json, TemplatePlace, asArray, isObject, literalString } from './template-values';

/** One volume of the task definition: its kind, and the containers that mount it. */
export function readVolume(reading: TemplatePlace, volume: unknown, path: string, mounters: VolumeMounters): VolumePosture {
  const v: Json = isObject(volume) ? volume : {};
  const name = typeof v.Name === 'string' ? v.Name : JSON.stringify(v.Name);
  const mountedBy = mounters?.get(name);
  if (isObject(v.Host) && v.Host.SourcePath !== undefined) return { name, kind: 'hostPath', at: path, mountedBy };
  if (v.EFSVolumeConfiguration !== undefined) return { name, kind: 'efs', at: path, mountedBy };
  if (v.FSxWindowsFileServerVolumeConfiguration !== undefined) return { name, kind: 'fsxWindows', at: path, mountedBy };
  if (!isObject(v.DockerVolumeConfiguration)) return { name, kind: 'ephemeral', at: path, mountedBy };
  const hostMount = localDriverHostMount(reading, v.DockerVolumeConfiguration);
  return hostMount === undefined
    ? { name, kind: 'dockerVolume', at: path, mountedBy }
    : { name, kind: 'hostPath', at: `${path}.DockerVolumeConfiguration${hostMount}`, mountedBy };
}

/** Volume name to the containers that mount it; undefined when the template cannot tell. */
export type VolumeMounters = ReadonlyMap<string, readonly string[]> | undefined;

// Every volume stays the whole task's, as it was before containers were told apart, where a container
// may reach volumes its MountPoints do not name: it takes another's (VolumesFrom, possibly in a chain),
// the containers share a process namespace (PidMode task or host: each reaches the others' files through
// /proc/<pid>/root), or a list or a volume's name is only known at deploy time.
export function volumeMounters(containerDefinitions: readonly unknown[], pidMode: unknown): VolumeMounters {
  if (pidMode !== undefined) return undefined;
  const mounters = new Map<string, string[]>();
  for (let i = 0; i < containerDefinitions.length; i++) {
    const definition = containerDefinitions[i];
    if (!isObject(definition) || !isListOrUnset(definition.MountPoints) || !isListOrUnset(definition.VolumesFrom)) return undefined;
    const c: Json = definition;
    if (asArray(c.VolumesFrom).length > 0) return undefined;
    const name = containerName(c, i);
    for (const mount of asArray(c.MountPoints)) {
      const volume = literalString(isObject(mount) ? mount.SourceVolume : undefined);
      // A volume named only at deploy time (an intrinsic, a dynamic reference) could be any of them.
      if (volume === undefined) return undefined;
      const names = mounters.get(volume) ?? [];
      if (!names.includes(name)) names.push(name);
      mounters.set(volume, names);
    }
  }
  return mounters;
}

function isListOrUnset(value: unknown): boolean {
  return value === undefined || Array.isArray(value);
}

// A host device is a host path the container reads and writes directly (docker --device).
export function readDevices(container: Json, path: string, index: number): VolumePosture[] {
  const linux = isObject(container.LinuxParameters) ? container.LinuxParameters : {};
  return asArray(linux.Devices).map((device, i) => {
    const hostPath = isObject(device) ? device.HostPath : undefined;
    return {
      name: `device ${literalString(hostPath) ?? JSON.stringify(hostPath)}`,
      kind: 'hostPath',
      at: `${path}.LinuxParameters.Devices[${i}]`,
      mountedBy: [containerName(container, index)],
    };
  });
}

/** A container's name as findings give it. */
export function containerName(container: Json, index: number): string {
  return typeof container.Name === 'string' ? container.Name : `#${index}`;
}
