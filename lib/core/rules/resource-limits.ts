import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

export const resourceLimits: Rule = {
  control: Control.RESOURCE_LIMITS,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => {
    const bounds = { 'cpu request': c.resources.cpuRequest, 'cpu limit': c.resources.cpuLimit, 'memory request': c.resources.memoryRequest, 'memory limit': c.resources.memoryLimit };
    const missing = Object.entries(bounds).filter(([, value]) => value === undefined).map(([name]) => name);
    return missing.length === 0 ? [] : [{
      setting: workload.platform === 'kubernetes' ? 'resources' : 'Memory',
      problem: `no ${missing.join(', ')}`,
      fix: 'set cpu and memoryMiB on the service (and on every sidecar)',
    }];
  }),
};
