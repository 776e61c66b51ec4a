/**
 * ContainerPosture: the target-neutral view of what one container will really run with, read back
 * from the FINAL synthesized output (after overrides and patches). Readers in the targets translate;
 * only `evaluate` judges.
 *
 * Settings that can be made at several levels (Kubernetes pod and container) are lists ordered from
 * the outermost level to the innermost: the last one is the effective value, and every one of them is
 * still checked, as Pod Security Standards do.
 */

/** Where a workload runs; rules differ only where the platforms really differ. */
export type Platform = 'kubernetes' | 'ecs-fargate' | 'ecs-ec2';

/** A value as found in the output, and where it was found (a JSON path in the object or template). */
export interface Observed<T> {
  readonly value: T;
  readonly at: string;
}

/** A user setting: numbers when numeric, the raw text when it is a name (which cannot be verified). */
export interface UserSetting {
  readonly uid?: number | string;
  readonly gid?: number | string;
}

/** One volume the workload mounts, by kind. */
export interface VolumePosture {
  readonly name: string;
  /**
   * The volume source: Kubernetes source keys (`emptyDir`, `secret`, `hostPath`, ...) and, for ECS,
   * `ephemeral` (task storage), `efs`, `fsxWindows`, `dockerVolume` or `hostPath`.
   */
  readonly kind: string;
  readonly at: string;
  /**
   * The containers (init containers included) that mount it. Undefined, or empty, when none does or
   * the reader cannot tell: a finding about the volume is then one of the whole workload.
   */
  readonly mountedBy?: readonly string[];
}

/** An environment variable given as a plain value (not from a secret store). */
export interface PlainVariable {
  readonly name: string;
  readonly at: string;
  /** Where a value read at run time comes from when that is not a secret store, e.g. `ConfigMap "app"`; undefined: written in the output. */
  readonly source?: string;
  /** The value, when the output writes it as text. */
  readonly value?: string;
  /** What makes the value a secret whatever the name, e.g. `the SecretAccessKey of AWS::IAM::AccessKey Key`; undefined: nothing known. */
  readonly secretBy?: string;
  /**
   * The stack parameters the value reads (ECS), written `${Name}` in it: CloudFormation writes their values in, so
   * such a part is plain text, not a reference the program fills in. @default - none
   */
  readonly parameters?: readonly string[];
  /**
   * The secret whose place (ARN or name) the whole value is (ECS: `secret.secretArn`, `parameter.parameterName`), e.g.
   * `AWS::SecretsManager::Secret Db`: the app fetches the secret itself, so the value is no secret. @default - none
   */
  readonly secretLocation?: string;
}

/**
 * A setting besides variables and command lines that the output holds in plain text, where a secret
 * could be written (ECS: log driver options, Docker labels, every other text of a task or container definition;
 * Kubernetes: annotations and labels).
 */
export interface PlainSetting {
  /** What the setting is, as messages name it, e.g. `log driver option`. */
  readonly kind: string;
  readonly name: string;
  readonly at: string;
  /** The value, when the output writes it as text. */
  readonly value?: string;
  /** What makes the value a secret whatever the name, as `PlainVariable.secretBy`. */
  readonly secretBy?: string;
  /**
   * The part of the name that says what the value is, judged as a variable's name is: a log driver option's
   * whole name (`splunk-token`); the last part of a Docker label, whose earlier parts are a tool's namespace
   * (`db.password`: `password`; `traefik.http.middlewares.auth.forwardauth.address`: `address`).
   * @default - none: judged by its value only (a field whose name the platform defines, such as `Hostname`)
   */
  readonly meaningfulName?: string;
  /**
   * Whether only the last word of `meaningfulName` says what the value holds (a Kubernetes annotation's, whose
   * names say `secret` of a Secret's name or a digest: `checksum/secret`). @default false
   */
  readonly judgedByLastWord?: boolean;
  /** How to keep a secret out of it. */
  readonly fix: string;
}

/** Resource bounds as written in the output (strings as Kubernetes quantities or ECS units). */
export interface ResourceBounds {
  readonly cpuRequest?: Observed<string>;
  readonly cpuLimit?: Observed<string>;
  readonly memoryRequest?: Observed<string>;
  readonly memoryLimit?: Observed<string>;
}

/** Where a container's logs go (ECS only: Kubernetes collects stdout). */
export interface LoggingPosture {
  /** The log driver, or undefined when the container has no log configuration. */
  readonly driver?: Observed<string>;
  /**
   * The CloudWatch Logs group the logs are kept in, as messages name it (`the awslogs log group`), when the
   * rule judges its retention: that of awslogs, or of a FireLens CloudWatch output.
   */
  readonly logGroup?: string;
  /** Retention of that group in days; undefined when it never expires; 'unknown' when it cannot be resolved. */
  readonly retentionDays?: Observed<number | 'unknown'>;
  /** Where the syslog driver sends logs (`syslog-address`), when it is written; undefined: the host's own daemon. */
  readonly syslogAddress?: Observed<string>;
  /** The output the FireLens router sends logs to (Fluent Bit's `Name`, Fluentd's `@type`), when it is written. */
  readonly firelensOutput?: Observed<string>;
  /** Why FireLens keeps none of the logs, or none for long, whatever its output: a pattern dropping every record, no output at all. */
  readonly firelensLoss?: Observed<string>;
}

/** One confinement setting as written: its kind and raw value (judged by the NOT_PRIVILEGED rule). */
export interface ConfinementSetting {
  readonly kind: 'procMount' | 'seLinuxType' | 'seLinuxUser' | 'seLinuxRole' | 'appArmor' | 'dockerSecurityOption';
  readonly value: string;
}

/** The effective settings of one container. */
export interface ContainerPosture {
  readonly name: string;
  /** Init containers count like containers. */
  readonly init: boolean;
  /**
   * The image reference; parts only known at deploy time are written as Fn::Sub writes them
   * (`${AWS::AccountId}`, `${ImageParameter}`, see `hasDeployTimeParts`); undefined when the output names no image.
   */
  readonly image?: Observed<string>;
  /** Every place that sets the user, outermost first; empty means the image's own user applies. */
  readonly users: readonly Observed<UserSetting>[];
  /** Kubernetes runAsNonRoot at every level that sets it, outermost first. */
  readonly runAsNonRoot: readonly Observed<boolean>[];
  /** More groups the process gets (Kubernetes: the pod's fsGroup and supplementalGroups). @default - none */
  readonly supplementaryGroups?: readonly Observed<number | string>[];
  readonly readOnlyRootFilesystem: Observed<boolean | undefined>;
  readonly capabilitiesAdded: readonly Observed<string>[];
  readonly capabilitiesDropped: Observed<readonly string[]>;
  readonly privileged: Observed<boolean | undefined>;
  /**
   * Settings that lift part of the kernel's confinement without being `privileged` (Pod Security
   * Standards baseline: /proc mount type, SELinux options, AppArmor; Docker's apparmor/label options).
   * Absent or empty: none.
   */
  readonly confinement?: readonly Observed<ConfinementSetting>[];
  /**
   * Kubernetes allowPrivilegeEscalation, or on ECS EC2 whether no-new-privileges is missing; undefined when
   * not set (Kubernetes then allows escalation).
   */
  readonly allowPrivilegeEscalation: Observed<boolean | undefined>;
  /** Seccomp profile types at every level that sets one, outermost first. */
  readonly seccompProfiles: readonly Observed<string>[];
  /** The profile that applies when no level sets one ('RuntimeDefault' on ECS, 'Unconfined' on Kubernetes). */
  readonly seccompWhenUnset: string;
  readonly hostPorts: readonly Observed<number>[];
  readonly plainEnvironment: readonly PlainVariable[];
  /** Other settings written in plain text (ECS: log driver options, Docker labels, every other text field). @default - none */
  readonly plainSettings?: readonly PlainSetting[];
  /**
   * The command lines the container runs as written, one argument each: ECS EntryPoint, Command and the
   * health check's command; Kubernetes command, args and the probes' and hooks' exec commands. A part only
   * known at deploy time is written as Fn::Sub writes it. @default - none
   */
  readonly commandLine?: readonly CommandArgument[];
  /** Names of the variables or files that come from a secret store. */
  readonly secretNames: readonly string[];
  readonly resources: ResourceBounds;
  /** Undefined where the platform collects logs itself. */
  readonly logging?: LoggingPosture;
}

/** One argument of a command line, as written. */
export interface CommandArgument extends Observed<string> {
  /** What secret the output resolves into the argument (ECS: a NoEcho parameter, a secret attribute). @default - none */
  readonly secretBy?: string;
  /**
   * The stack parameters whose values the output writes into the argument, each shown `${Name}` in
   * `value` (ECS): no shell expands those, the value itself is there in plain text. @default - none
   */
  readonly parameters?: readonly string[];
}

/** A setting that reaches into the host (judged by the NO_HOST_NAMESPACES rule). */
export interface HostAccessSetting {
  readonly kind: 'hostProcess' | 'sysctl';
  /** `true` for hostProcess; the sysctl's name for sysctl. */
  readonly value: string;
}

/** A port, range or protocol that an ingress rule admits, as written. */
export interface PortOpening {
  /** What grants it, for messages: `NetworkPolicy/api spec.ingress[0]`, `security group ServiceSG`. */
  readonly source: string;
  /** TCP, UDP, SCTP, or ALL for every protocol. */
  readonly protocol: string;
  /** The first port, or a named port (Kubernetes); undefined: every port of the protocol. */
  readonly from?: number | string;
  /** The last port of a range; undefined: `from` alone. */
  readonly to?: number;
  /** Whether the source is the security group of a load balancer of the app (ECS). @default false */
  readonly fromLoadBalancer?: boolean;
}

/** A port a container listens on. */
export interface ContainerPortPosture {
  readonly protocol: string;
  readonly port?: number;
  /** Kubernetes port name, which ingress rules may use instead of the number. */
  readonly name?: string;
  /**
   * Whether only a load balancer's health check uses the port (ECS: a target group's HealthCheckPort that
   * no container maps): it counts only for openings from a load balancer. @default false
   */
  readonly healthCheckOnly?: boolean;
}

/** Ingress as written in the output: what admits traffic, and the ports the containers listen on. */
export interface IngressPosture {
  /** Set when nothing limits ingress at all, saying why (no policy selects the pods, a group defined elsewhere). */
  readonly unrestricted?: Observed<string>;
  /** Every opening the rules grant. */
  readonly openings: readonly Observed<PortOpening>[];
  readonly containerPorts: readonly ContainerPortPosture[];
}

/** One workload (a task definition and its service, or a pod-bearing Kubernetes object). */
export interface WorkloadPosture {
  readonly platform: Platform;
  /** A name a person recognises, e.g. `Deployment/shop/api` or the task definition's construct path. */
  readonly name: string;
  /** Where it is in the output: a construct path, a logical id or a file. */
  readonly location: string;
  /** The file the workload was read from, when read from files. */
  readonly file?: string;
  /** Every volume of the workload, mounted or not (as Pod Security Standards count them). */
  readonly volumes: readonly VolumePosture[];
  /** Host namespaces the workload shares with the host. */
  readonly hostNamespaces: readonly Observed<'network' | 'pid' | 'ipc' | 'uts'>[];
  /**
   * Other ways to reach into the host, as written: Windows `hostProcess: true` and kernel parameters
   * (a pod's sysctls, an ECS container's SystemControls). Absent or empty: none.
   */
  readonly hostAccess?: readonly Observed<HostAccessSetting>[];
  /**
   * The ECS network mode in effect (`awsvpc`, `bridge`, `host`, `none`, `nat`, or the raw value when
   * it is not a literal); undefined where there is none (Kubernetes).
   */
  readonly networkMode?: Observed<string>;
  /**
   * Whether an API token is mounted (Kubernetes: automounted, or a projected serviceAccountToken a
   * container mounts); undefined where the platform has none.
   */
  readonly serviceAccountToken?: Observed<boolean>;
  /**
   * Whether the workload is reachable from outside its network: on ECS, whether tasks get a public
   * address; on Kubernetes, whether a LoadBalancer or NodePort Service, externalIPs or an Ingress reaches
   * the pods (set only then). Undefined where unknown or not applicable.
   */
  readonly publicIp?: Observed<boolean>;
  /** Ingress limits; undefined where the output says nothing about them (e.g. a bare task definition). */
  readonly ingress?: IngressPosture;
  /**
   * Settings of the workload as a whole written in plain text, where a secret could be written (Kubernetes: the
   * annotations and labels of the object and of its pod template; ECS: every text of the task definition
   * outside its container definitions). @default - none
   */
  readonly plainSettings?: readonly PlainSetting[];
  readonly containers: readonly ContainerPosture[];
}
