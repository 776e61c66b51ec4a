import { Control } from '../controls';
import { Platform, ResourceBounds } from '../posture';
import { Rule, always, eachContainer } from './rule';

const BOUNDS: readonly { readonly name: string; readonly key: keyof ResourceBounds }[] = [
  { name: 'cpu request', key: 'cpuRequest' }, { name: 'cpu limit', key: 'cpuLimit' },
  { name: 'memory request', key: 'memoryRequest' }, { name: 'memory limit', key: 'memoryLimit' },
];

const LIMITS = BOUNDS.filter((bound) => bound.key === 'cpuLimit' || bound.key === 'memoryLimit');
// Each names the output's settings, for hand-written workloads, and the props that set them.
const FIX = {
  kubernetes: 'set cpu and memory requests and limits on every container (a SecureService: cpu and memoryMiB, on the service and on every sidecar)',
  ecs: 'give every container a Memory limit and the task a Cpu (a SecureService: cpu and memoryMiB, on the service and on every sidecar)',
};
const fixFor = (platform: Platform) => (platform === 'kubernetes' ? FIX.kubernetes : FIX.ecs);

export const resourceLimits: Rule = {
  control: Control.RESOURCE_LIMITS,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => {
    const missing: string[] = [];
    for (const bound of BOUNDS) {
      if (c.resources[bound.key] === undefined) missing.push(bound.name);
    }
    if (missing.length > 0) {
      const ecsSetting = missing.every((name) => name.startsWith('cpu')) ? 'Cpu' : 'Memory';
      return [{ setting: workload.platform === 'kubernetes' ? 'resources' : ecsSetting, problem: `no ${missing.join(', ')}`, fix: fixFor(workload.platform) }];
    }
    // The kubelet sets no CPU quota and no memory limit for a limit of 0: it bounds nothing.
    return LIMITS.filter((limit) => isZero(c.resources[limit.key]!.value)).map((limit) => ({
      setting: c.resources[limit.key]!.at,
      problem: `the ${limit.name} is ${c.resources[limit.key]!.value}, which sets no limit at all`,
      fix: fixFor(workload.platform),
    }));
  }),
};

/** Whether a quantity (`0`, `0m`, `0.0`, `0Mi`, `0e3`) is zero. */
function isZero(quantity: string): boolean {
  const number = /^[+-]?(\d+\.?\d*|\.\d+)/.exec(quantity.trim());
  return number !== null && Number(number[1]) === 0;
}
