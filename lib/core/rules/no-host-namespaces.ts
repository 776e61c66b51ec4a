import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

const FIX = {
  network: 'give the workload its own network namespace (Kubernetes: hostNetwork: false; ECS: awsvpc network mode)',
  pid: 'give the workload its own process namespace (hostPID: false / no host pidMode)',
  ipc: 'give the workload its own IPC namespace (hostIPC: false / no host ipcMode)',
  uts: "do not share the host's UTS namespace",
};

export const noHostNamespaces: Rule = {
  control: Control.NO_HOST_NAMESPACES,
  appliesTo: always,
  check: (workload) => [
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
