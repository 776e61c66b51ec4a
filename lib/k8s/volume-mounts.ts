/**
 * Which containers of a pod mount each of its volumes, so that a finding about a volume names the
 * containers it reaches: a sidecar's own exemption then covers the host path only that sidecar mounts.
 */
import { Json, asArray, asRecord } from './objects';

/** Volume name to the containers (init containers included) that mount it, by `volumeMounts` or `volumeDevices`. */
export function volumeMounters(spec: Json, specPath: string): ReadonlyMap<string, readonly string[]> {
  const mounters = new Map<string, string[]>();
  addContainers(spec.initContainers, `${specPath}.initContainers`, mounters);
  addContainers(spec.containers, `${specPath}.containers`, mounters);
  return mounters;
}

function addContainers(list: unknown, path: string, into: Map<string, string[]>): void {
  const containers = asArray(list);
  for (let i = 0; i < containers.length; i++) {
    const container = asRecord(containers[i]);
    // Named as the reader names it (readContainer), so findings and exemptions agree.
    const name = String(container.name ?? `${path}[${i}]`);
    addMounts(container.volumeMounts, name, into);
    addMounts(container.volumeDevices, name, into);
  }
}

function addMounts(mounts: unknown, container: string, into: Map<string, string[]>): void {
  for (const mount of asArray(mounts)) {
    const volume = asRecord(mount).name;
    if (typeof volume !== 'string') continue;
    const names = into.get(volume) ?? into.set(volume, []).get(volume)!;
    if (!names.includes(container)) names.push(container);
  }
}
