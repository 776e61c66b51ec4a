import { Control } from '../controls';
import { ResourceBounds } from '../posture';
import { Rule, always, eachContainer } from './rule';

const BOUNDS: readonly { readonly name: string; readonly key: keyof ResourceBounds }[] = [
  { name: 'cpu request', key: 'cpuRequest' }, { name: 'cpu limit', key: 'cpuLimit' },
  { name: 'memory request', key: 'memoryRequest' }, { name: 'memory limit', key: 'memoryLimit' },
];

export const resourceLimits: Rule = {
  control: Control.RESOURCE_LIMITS,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => {
    const missing: string[] = [];
    for (const bound of BOUNDS) {
      if (c.resources[bound.key] === undefined) missing.push(bound.name);
    }
    return missing.length === 0 ? [] : [{
      setting: workload.platform === 'kubernetes' ? 'resources' : 'Memory',
      problem: `no ${missing.join(', ')}`,
      fix: 'set cpu and memoryMiB on the service (and on every sidecar)',
    }];
  }),
};
