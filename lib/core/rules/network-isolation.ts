import { Control } from '../controls';
import { ContainerPortPosture, Platform, PortOpening } from '../posture';
import { Rule } from './rule';

const FIX = 'admit only the container port, and only from the peers that need it';

/**
 * Whether every port the opening admits is a container port of the same protocol. On Kubernetes a named
 * port admits the pod's container port of that name, or nothing when it has none: never another port.
 */
function onlyContainerPorts(opening: PortOpening, ports: readonly ContainerPortPosture[], kubernetes: boolean): boolean {
  const candidates = ports.filter((p) => p.protocol === opening.protocol && (!p.healthCheckOnly || opening.fromLoadBalancer));
  if (opening.from === undefined) return false;
  if (typeof opening.from === 'string') return kubernetes || candidates.some((p) => p.name === opening.from);
  const last = opening.to ?? opening.from;
  if (last - opening.from >= candidates.length) return false; // more ports than the containers listen on
  for (let port = opening.from; port <= last; port++) {
    if (!candidates.some((p) => p.port === port)) return false;
  }
  return true;
}

/** Whether the opening admits a port that only a load balancer's health check uses, from elsewhere. */
function healthCheckOnly(opening: PortOpening, ports: readonly ContainerPortPosture[]): boolean {
  return !opening.fromLoadBalancer && ports.some((p) => p.healthCheckOnly && p.protocol === opening.protocol && typeof opening.from === 'number'
    && p.port !== undefined && p.port >= opening.from && p.port <= (opening.to ?? opening.from));
}

function describe(opening: PortOpening): string {
  if (opening.from === undefined) return opening.protocol === 'ALL' ? 'every port' : `every ${opening.protocol} port`;
  const range = opening.to !== undefined && opening.to !== opening.from ? `${opening.from}-${opening.to}` : `${opening.from}`;
  return `port ${range}/${opening.protocol}`;
}

function listPorts(ports: readonly ContainerPortPosture[]): string {
  const listed = ports.map((p) => `${p.port ?? p.name}/${p.protocol}${p.healthCheckOnly ? ' (a load balancer\'s health check only)' : ''}`);
  return ports.length === 0 ? 'the containers listen on none' : `container ports: ${listed.join(', ')}`;
}

// How a SecureService's container declares a port it serves besides containerPort (a sidecar's containerPort declares its own).
const ECS_DECLARE_PORT = "a sidecar's containerPort, or the container's port mappings (on a SecureService: svc.container.addPortMappings({ containerPort: <port> }))";
const DECLARE_PORT: Readonly<Record<Platform, string>> = {
  'kubernetes': "a sidecar's containerPort, or the container's ports (on a SecureService: svc.deployment.containers[0].addPort({ number: <port> }))",
  'ecs-fargate': ECS_DECLARE_PORT,
  'ecs-ec2': ECS_DECLARE_PORT,
};

export const networkIsolation: Rule = {
  control: Control.NETWORK_ISOLATION,
  appliesTo: (workload) => workload.ingress !== undefined,
  check: (workload) => {
    const ingress = workload.ingress;
    if (!ingress) return [];
    if (ingress.unrestricted) return [{ setting: ingress.unrestricted.at, problem: ingress.unrestricted.value, fix: FIX }];
    return ingress.openings
      .filter((opening) => !onlyContainerPorts(opening.value, ingress.containerPorts, workload.platform === 'kubernetes'))
      .map((opening) => (healthCheckOnly(opening.value, ingress.containerPorts) ? {
        setting: opening.at,
        problem: `${opening.value.source} admits ${describe(opening.value)}, which only a load balancer's health check uses, `
          + `from a source not shown to be a load balancer's alone (${listPorts(ingress.containerPorts)})`,
        fix: 'admit a health check port only from a security group the app defines and gives to load balancers alone (attachToListener does); serve what others need on the container port',
      } : {
        setting: opening.at,
        problem: `${opening.value.source} admits ${describe(opening.value)}, which is not a container port (${listPorts(ingress.containerPorts)})`,
        fix: `${FIX}; a port the pods do serve (metrics, management) counts once a container declares it: ${DECLARE_PORT[workload.platform]}`,
      }));
  },
};
