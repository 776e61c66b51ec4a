import { Control } from '../controls';
import { WorkloadPosture } from '../posture';
import { Rule, Violation, always, eachContainer } from './rule';

const FIX = {
  network: 'give the workload its own network namespace (Kubernetes: hostNetwork: false; ECS: awsvpc network mode)',
  pid: 'give the workload its own process namespace (hostPID: false / no host pidMode)',
  ipc: 'give the workload its own IPC namespace (hostIPC: false / no host ipcMode)',
  uts: "do not share the host's UTS namespace",
};

// Pod Security Standards baseline: the kernel parameters a pod may set, because they are namespaced and
// isolated from other workloads on the node. ECS tasks (docker --sysctl) are judged by the same list.
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
];

// awsvpc gives each task its own interface and security group; none has no network. host is reported
// as the shared network namespace; any other mode (bridge, nat, a value only known at deploy time)
// puts the task on the instance's network behind published host ports, past the service's security group.
const OWN_NETWORK_MODES = ['awsvpc', 'none', 'host'];

function checkWorkload(workload: WorkloadPosture): Violation[] {
  const problems: Violation[] = [];
  if (workload.networkMode && !OWN_NETWORK_MODES.includes(workload.networkMode.value)) {
    problems.push({
      setting: workload.networkMode.at,
      problem: `the network mode is ${workload.networkMode.value}: tasks share the instance's network through published host ports, past the service's security group`,
      fix: 'use the awsvpc network mode',
    });
  }
  for (const access of workload.hostAccess ?? []) {
    if (access.value.kind === 'hostProcess') {
      problems.push({ setting: access.at, problem: 'hostProcess is true: the container runs as a process on the Windows host', fix: 'remove hostProcess' });
    } else if (!SAFE_SYSCTLS.includes(access.value.value)) {
      problems.push({
        setting: access.at,
        problem: `the workload sets the kernel parameter ${access.value.value}, which Pod Security Standards do not count as safe: `
          + 'it is not namespaced, or not isolated from other workloads on the node',
        fix: `remove the sysctl, or use one Pod Security Standards allows (${SAFE_SYSCTLS.join(', ')})`,
      });
    }
  }
  for (const ns of workload.hostNamespaces) {
    problems.push({ setting: ns.at, problem: `the workload shares the host's ${ns.value} namespace`, fix: FIX[ns.value] });
  }
  problems.push(...eachContainer(workload, (c) => c.hostPorts.map((port) => ({
    setting: port.at,
    problem: `host port ${port.value} is bound on the node`,
    fix: 'remove the host port; expose the container port through a Service or load balancer',
  }))));
  return problems;
}

export const noHostNamespaces: Rule = {
  control: Control.NO_HOST_NAMESPACES,
  appliesTo: always,
  check: checkWorkload,
};
