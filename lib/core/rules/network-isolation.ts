import { Control } from '../controls';
import { Rule } from './rule';

export const networkIsolation: Rule = {
  control: Control.NETWORK_ISOLATION,
  appliesTo: (workload) => workload.ingress !== undefined,
  check: (workload) => workload.ingress?.isolated !== false ? [] : [{
    setting: workload.ingress.at,
    problem: workload.ingress.detail,
    fix: 'admit only the container port, and only from the peers that need it',
  }],
};
