import { Control } from '../controls';
import { Rule } from './rule';

export const noPublicIp: Rule = {
  control: Control.NO_PUBLIC_IP,
  appliesTo: (workload) => workload.publicIp !== undefined,
  check: (workload) => workload.publicIp?.value !== true ? [] : [workload.platform === 'kubernetes' ? {
    setting: workload.publicIp.at,
    problem: 'a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster',
    fix: 'keep the pods behind a Service of type ClusterIP without externalIPs, and no Ingress or Gateway API route to it; where they must be reachable from outside (or the Gateway is internal), say why in an exemption',
  } : {
    setting: workload.publicIp.at,
    problem: 'tasks get a public IP address: they are reachable from the internet',
    fix: 'run tasks in private subnets (AssignPublicIp: DISABLED) behind a load balancer',
  }],
};
