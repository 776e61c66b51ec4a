/**
 * The control catalog: one object per control, so that errors, docs and reports are generated from
 * the same data. Standards are cited by version; CIS numbers are from CIS Docker Benchmark v1.2.0
 * and CIS Kubernetes Benchmark v1.8.0.
 */

/** Stable ids of the controls, usable as `Control.RUN_AS_NON_ROOT`. */
export const Control = {
  RUN_AS_NON_ROOT: 'RUN_AS_NON_ROOT',
  READ_ONLY_ROOT_FILESYSTEM: 'READ_ONLY_ROOT_FILESYSTEM',
  DROP_ALL_CAPABILITIES: 'DROP_ALL_CAPABILITIES',
  NO_PRIVILEGE_ESCALATION: 'NO_PRIVILEGE_ESCALATION',
  NOT_PRIVILEGED: 'NOT_PRIVILEGED',
  SECCOMP_RUNTIME_DEFAULT: 'SECCOMP_RUNTIME_DEFAULT',
  NO_HOST_NAMESPACES: 'NO_HOST_NAMESPACES',
  NO_HOST_PATH_VOLUMES: 'NO_HOST_PATH_VOLUMES',
  SECRETS_NOT_IN_ENVIRONMENT: 'SECRETS_NOT_IN_ENVIRONMENT',
  RESOURCE_LIMITS: 'RESOURCE_LIMITS',
  NO_SERVICE_ACCOUNT_TOKEN: 'NO_SERVICE_ACCOUNT_TOKEN',
  LOGGING: 'LOGGING',
  NO_PUBLIC_IP: 'NO_PUBLIC_IP',
  NETWORK_ISOLATION: 'NETWORK_ISOLATION',
  IMAGE_PINNED: 'IMAGE_PINNED',
} as const;

/** The id of one control of the catalog. */
export type ControlId = (typeof Control)[keyof typeof Control];

/** How a violated control is reported: an error fails synthesis, a warning does not. */
export type Severity = 'error' | 'warning';

/** Where a control stands in the standards auditors ask about. */
export interface ControlMappings {
  /** Pod Security Standards level and control name. */
  readonly podSecurityStandards?: string;
  /** AWS Security Hub (AWS Foundational Security Best Practices) ECS control ids. */
  readonly securityHub: readonly string[];
  /** AWS Control Tower proactive ECS control ids. */
  readonly controlTower: readonly string[];
  /** CIS benchmark items, with the benchmark named. */
  readonly cis: readonly string[];
}

/** One control of the catalog. */
export interface ControlDefinition {
  readonly id: ControlId;
  readonly title: string;
  /** Why the control exists, in one or two sentences. */
  readonly rationale: string;
  readonly severity: Severity;
  /** What the library renders by default. */
  readonly secureDefault: string;
  /** What the control means on Kubernetes. */
  readonly kubernetes: string;
  /** What the control means on Amazon ECS. */
  readonly ecs: string;
  readonly mappings: ControlMappings;
}

const DOCKER = 'CIS Docker v1.2.0';
const K8S = 'CIS Kubernetes v1.8.0';

/** Every control, in the order reports list them. */
export const CONTROL_CATALOG: readonly ControlDefinition[] = [
  {
    id: Control.RUN_AS_NON_ROOT,
    title: 'Run as a numeric non-root user',
    rationale: 'Container runtimes run images as root unless told otherwise; root in a container is one escape away from root on the host.',
    severity: 'error',
    secureDefault: 'numeric uid:gid 65532:65532 (or the policy default)',
    kubernetes: 'pod and container runAsNonRoot: true, numeric runAsUser/runAsGroup (never 0), pod fsGroup (fsGroup and supplementalGroups numbers, never 0)',
    ecs: 'container User "uid:gid", numeric and never 0',
    mappings: { podSecurityStandards: 'restricted: Running as Non-root, Running as Non-root user', securityHub: ['ECS.20'], controlTower: ['CT.ECS.PR.3'], cis: [`${DOCKER} 4.1`, `${K8S} 5.2.7`] },
  },
  {
    id: Control.READ_ONLY_ROOT_FILESYSTEM,
    title: 'Read-only root filesystem',
    rationale: 'An attacker who cannot write to the image cannot drop tools or alter binaries; writable paths are declared one by one.',
    severity: 'error',
    secureDefault: 'read-only root; one ephemeral volume per declared writable path',
    kubernetes: 'readOnlyRootFilesystem: true; an emptyDir (with a size limit) per writable path',
    ecs: 'ReadonlyRootFilesystem: true; a task volume and mount point per writable path',
    mappings: { securityHub: ['ECS.5'], controlTower: ['CT.ECS.PR.6'], cis: [`${DOCKER} 5.12`] },
  },
  {
    id: Control.DROP_ALL_CAPABILITIES,
    title: 'Drop all Linux capabilities',
    rationale: 'Capabilities are slices of root; a service listening on an unprivileged port needs none of them.',
    severity: 'error',
    secureDefault: 'drop ALL, add none',
    kubernetes: 'capabilities: { drop: ["ALL"] } and no add',
    ecs: 'LinuxParameters.Capabilities.Drop: ["ALL"] and no Add',
    mappings: { podSecurityStandards: 'restricted: Capabilities; baseline: Capabilities', securityHub: [], controlTower: [], cis: [`${DOCKER} 5.3`, `${K8S} 5.2.9`] },
  },
  {
    id: Control.NO_PRIVILEGE_ESCALATION,
    title: 'No privilege escalation',
    rationale: 'Without no_new_privs a setuid binary in the image turns a foothold into root.',
    severity: 'error',
    secureDefault: 'privilege escalation off',
    kubernetes: 'allowPrivilegeEscalation: false',
    ecs: 'EC2: the no-new-privileges docker security option, and not privileged (a privileged container holds every capability); Fargate: covered by dropping ALL capabilities',
    mappings: { podSecurityStandards: 'restricted: Privilege Escalation', securityHub: [], controlTower: [], cis: [`${DOCKER} 5.25`, `${K8S} 5.2.6`] },
  },
  {
    id: Control.NOT_PRIVILEGED,
    title: 'Never privileged',
    rationale: 'A privileged container has every device and capability of the host: it is the host.',
    severity: 'error',
    secureDefault: 'never privileged',
    kubernetes: 'privileged: false',
    ecs: 'Privileged: false',
    mappings: { podSecurityStandards: 'baseline: Privileged Containers', securityHub: ['ECS.4'], controlTower: ['CT.ECS.PR.11'], cis: [`${DOCKER} 5.4`, `${K8S} 5.2.2`] },
  },
  {
    id: Control.SECCOMP_RUNTIME_DEFAULT,
    title: 'Seccomp RuntimeDefault',
    rationale: 'The runtime default seccomp profile blocks the rarely used system calls most kernel exploits go through.',
    severity: 'error',
    secureDefault: 'the runtime default profile',
    kubernetes: 'pod seccompProfile: { type: RuntimeDefault } (Localhost also allowed); never Unconfined',
    ecs: 'no seccomp=unconfined docker security option (the Docker default profile applies)',
    mappings: { podSecurityStandards: 'restricted: Seccomp; baseline: Seccomp', securityHub: [], controlTower: [], cis: [`${DOCKER} 5.21`] },
  },
  {
    id: Control.NO_HOST_NAMESPACES,
    title: 'No host namespaces or ports',
    rationale: "Sharing the host's network, process or IPC namespace, or setting kernel parameters other workloads share, lets a container see and reach what belongs to the host.",
    severity: 'error',
    secureDefault: 'no host namespace shared, no host port',
    kubernetes: 'hostNetwork, hostPID and hostIPC false; no hostPort, no hostProcess; only the sysctls PSS baseline counts as safe',
    ecs: 'NetworkMode awsvpc; no host PidMode or IpcMode; SystemControls only from the same safe sysctls',
    mappings: { podSecurityStandards: 'baseline: Host Namespaces, Host Ports, HostProcess, Sysctls', securityHub: ['ECS.3', 'ECS.17'], controlTower: ['CT.ECS.PR.4', 'CT.ECS.PR.8', 'CT.ECS.PR.10'], cis: [`${DOCKER} 5.9`, `${DOCKER} 5.15`, `${DOCKER} 5.16`, `${K8S} 5.2.3-5.2.5`, `${K8S} 5.2.13`] },
  },
  {
    id: Control.NO_HOST_PATH_VOLUMES,
    title: 'No host path volumes',
    rationale: "A volume from the host's filesystem is a door out of the container.",
    severity: 'error',
    secureDefault: 'only ephemeral, secret, config and managed storage volumes',
    kubernetes: 'only the volume types PSS restricted allows (no hostPath), and no claim bound to a PersistentVolume of the node (hostPath, local)',
    ecs: 'no Host.SourcePath volumes and no bind-mount docker volumes',
    mappings: { podSecurityStandards: 'baseline: HostPath Volumes; restricted: Volume Types', securityHub: [], controlTower: [], cis: [`${DOCKER} 5.5`, `${K8S} 5.2.12`] },
  },
  {
    id: Control.SECRETS_NOT_IN_ENVIRONMENT,
    title: 'Secrets come from a secret store',
    rationale: 'Plain environment values and command lines end up in templates, manifests, logs, the console and process listings; secrets belong in a secret store.',
    severity: 'error',
    secureDefault: 'secret-like environment names rejected; secrets injected from the store; no secret on the command line',
    kubernetes: 'env valueFrom.secretKeyRef or a read-only secret volume (a configMapKeyRef counts as plain); no secret in command, args, probe or hook commands (a secret variable referred to as $(NAME) is none) or in annotations and labels',
    ecs: 'container Secrets from Secrets Manager or SSM Parameter Store; no secret in EntryPoint, Command or the health check command, log driver Options, DockerLabels or any other field',
    mappings: { securityHub: ['ECS.8'], controlTower: ['CT.ECS.PR.12'], cis: [] },
  },
  {
    id: Control.RESOURCE_LIMITS,
    title: 'Bounded CPU and memory',
    rationale: 'An unbounded container can starve its neighbours, a denial of service waiting to happen.',
    severity: 'error',
    secureDefault: 'cpu and memory from the service definition',
    kubernetes: 'requests and limits for cpu and memory on every container, limits above 0',
    ecs: 'task cpu and memory, and a container memory hard limit',
    mappings: { securityHub: [], controlTower: ['CT.ECS.PR.7'], cis: [`${DOCKER} 5.10`, `${DOCKER} 5.11`] },
  },
  {
    id: Control.NO_SERVICE_ACCOUNT_TOKEN,
    title: 'No API credentials mounted',
    rationale: 'A mounted service account token lets anyone inside the pod talk to the Kubernetes API.',
    severity: 'error',
    secureDefault: 'a dedicated service account, token not mounted',
    kubernetes: 'own ServiceAccount, automountServiceAccountToken: false, no projected serviceAccountToken mounted, no ServiceAccount token Secret used',
    ecs: 'not applicable (the task role holds only what is granted)',
    mappings: { securityHub: [], controlTower: [], cis: [`${K8S} 5.1.6`] },
  },
  {
    id: Control.LOGGING,
    title: 'Logs are shipped and retained',
    rationale: 'What a compromised container did is only known if its logs left it and were kept.',
    severity: 'error',
    secureDefault: 'awslogs to a log group with a retention period (ECS); stdout (Kubernetes)',
    kubernetes: 'not applicable (stdout is collected by the cluster)',
    ecs: 'a LogConfiguration on every container: awslogs to a log group the app defines, unconditionally, in the account and region the task runs in, with a literal RetentionInDays, or a driver that ships logs off the host (awsfirelens to an output that keeps them, not null, counter, flowcounter, exit, file or plot: the one Name names for Fluent Bit, @type for fluentd, written in the app, or a router configuration file; with no exclude-pattern dropping every record, and a CloudWatch group it creates given log_retention_days, each written in the app, not only known at deploy time; splunk, fluentd, gelf, logentries; syslog to a syslog-address of another host, not loopback or 0.0.0.0)',
    mappings: { securityHub: ['ECS.9'], controlTower: ['CT.ECS.PR.5'], cis: [] },
  },
  {
    id: Control.NO_PUBLIC_IP,
    title: 'No public IP',
    rationale: 'A task with a public address is reachable from the internet, around any load balancer.',
    severity: 'error',
    secureDefault: 'private subnets, no public address',
    kubernetes: 'ClusterIP Services only: a LoadBalancer or NodePort Service, externalIPs, or an Ingress, a Gateway API route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) or an OpenShift Route reaching the pods violates it (not applicable when nothing exposes them)',
    ecs: 'AssignPublicIp: DISABLED',
    mappings: { securityHub: ['ECS.2'], controlTower: ['CT.ECS.PR.9'], cis: [] },
  },
  {
    id: Control.NETWORK_ISOLATION,
    title: 'Only the service port is reachable',
    rationale: 'Default-deny ingress keeps a compromised neighbour from reaching ports nobody meant to expose.',
    severity: 'error',
    secureDefault: 'ingress to the container port only',
    kubernetes: 'a default-deny NetworkPolicy that allows the container port',
    ecs: 'a security group that admits only the container port',
    mappings: { securityHub: [], controlTower: [], cis: [`${K8S} 5.3.2`] },
  },
  {
    id: Control.IMAGE_PINNED,
    title: 'Image pinned and from an allowed registry',
    rationale: 'latest or an untagged image changes under you; a digest is what was reviewed. Registries outside the allow-list bypass the supply-chain checks.',
    severity: 'warning',
    secureDefault: 'a tag other than latest (a digest is better); registries as the policy allows',
    kubernetes: 'image tag or digest; registry in the policy allow-list (an error)',
    ecs: 'image tag or digest; registry in the policy allow-list (an error)',
    mappings: { securityHub: [], controlTower: [], cis: [`${DOCKER} 4.2`] },
  },
];

const BY_ID = new Map<string, ControlDefinition>(CONTROL_CATALOG.map((c) => [c.id, c]));

/** Whether `id` names a control of the catalog. */
export function isControlId(id: unknown): id is ControlId {
  return typeof id === 'string' && BY_ID.has(id);
}

/** The catalog entry for `id`; throws for an unknown id. */
export function controlDefinition(id: ControlId): ControlDefinition {
  const definition = BY_ID.get(id);
  if (!definition) {
    throw new Error(`unknown control: ${JSON.stringify(id)}; known controls: ${CONTROL_CATALOG.map((c) => c.id).join(', ')}`);
  }
  return definition;
}
