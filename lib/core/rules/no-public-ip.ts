import { Control } from '../controls';
import { Rule } from './rule';

export const noPublicIp: Rule = {
  control: Control.NO_PUBLIC_IP,
  appliesTo: (workload) => workload.publicIp !== undefined,
  check: (workload) => workload.publicIp?.value !== true ? [] : [{
    setting: workload.publicIp.at,
    problem: 'tasks get a public IP address: they are reachable from the internet',
    fix: 'run tasks in private subnets (AssignPublicIp: DISABLED) behind a load balancer',
  }],
};
