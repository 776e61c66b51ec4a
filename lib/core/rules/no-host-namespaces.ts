import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

const FIX = {
  network: 'give the workload its own network namespace (Kubernetes: hostNetwork: false; ECS: awsvpc network mode)',
  pid: 'give the workload its own process namespace (hostPID: false / no host pidMode)',
  ipc: 'give the workload its own IPC namespace (hostIPC: false / no host ipcMode)',
  uts: "do not share the host's UTS namespace",
};

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
