/**
 * Which containers of a pod mount each of its volumes, so that a finding about a volume names the
 * containers it reaches: a sidecar's own exemption then covers the host path only that sidecar mounts.
 */
import { Json, asArray, asRecord, isSet } from './objects';

/**
 * Volume name to the containers (init containers included) that mount it, by `volumeMounts` or
 * `volumeDevices`; none when the containers share a process namespace (`shareProcessNamespace`, or the
 * host's with `hostPID`): each can then reach the others' files through `/proc/<pid>/root`, so every
 * volume is the whole pod's.
 */
export function volumeMounters(spec: Json, specPath: string): ReadonlyMap<string, readonly string[]> {
  const mounters = new Map<string, string[]>();
  if (sharesProcesses(spec.shareProcessNamespace) || sharesProcesses(spec.hostPID)) return mounters;
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

// Anything but false or unset may share them (the API server takes only a boolean).
function sharesProcesses(value: unknown): boolean {
  return isSet(value) && value !== false;
}
