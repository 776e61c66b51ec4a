import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

const FIX = {
  network: 'give the workload its own network namespace (Kubernetes: hostNetwork: false; ECS: awsvpc network mode)',
  pid: 'give the workload its own process namespace (hostPID: false / no host pidMode)',
  ipc: 'give the workload its own IPC namespace (hostIPC: false / no host ipcMode)',
  uts: "do not share the host's UTS namespace",
};

// Pod Security Standards baseline: the kernel parameters a pod may set, because they are namespaced.
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
];

// awsvpc gives each task its own interface and security group; none has no network. host is reported
// as the shared network namespace; any other mode (bridge, nat, a value only known at deploy time)
// puts the task on the instance's network behind published host ports, past the service's security group.
const OWN_NETWORK_MODES = ['awsvpc', 'none', 'host'];

export const noHostNamespaces: Rule = {
  control: Control.NO_HOST_NAMESPACES,
  appliesTo: always,
  check: (workload) => [
    ...(workload.networkMode && !OWN_NETWORK_MODES.includes(workload.networkMode.value) ? [{
      setting: workload.networkMode.at,
      problem: `the network mode is ${workload.networkMode.value}: tasks share the instance's network through published host ports, past the service's security group`,
      fix: 'use the awsvpc network mode',
    }] : []),
    ...(workload.hostAccess ?? []).flatMap((access) => {
      if (access.value.kind === 'hostProcess') {
        return [{ setting: access.at, problem: 'hostProcess is true: the container runs as a process on the Windows host', fix: 'remove hostProcess' }];
      }
      return SAFE_SYSCTLS.includes(access.value.value) ? [] : [{
        setting: access.at,
        problem: `the pod sets the kernel parameter ${access.value.value}, which is not namespaced: it changes the node`,
        fix: `remove the sysctl, or use one Pod Security Standards allows (${SAFE_SYSCTLS.join(', ')})`,
      }];
    }),
    ...workload.hostNamespaces.map((ns) => ({
      setting: ns.at,
      problem: `the workload shares the host's ${ns.value} namespace`,
      fix: FIX[ns.value],
    })),
    ...eachContainer(workload, (c) => c.hostPorts.map((port) => ({
      setting: port.at,
      problem: `host port ${port.value} is bound on the node`,
      fix: 'remove the host port; expose the container port through a Service or load balancer',
    }))),
  ],
};
