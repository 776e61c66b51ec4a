import {
  Annotations, Lazy, Stage, Token, Tokenization, aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CONTAINER_OPTION_KEYS, DEFAULT_CPU, DEFAULT_MEMORY_MIB, Exemption, HealthCheck, ResolvedSecurityPolicy, SERVICE_SPEC_KEYS, SecureContainerOptions,
  SecureServiceSpec, SecurityPolicy, TakenPort, booleanProblem, containerShapeProblems, nonRootUser, portTakenProblems, recordedExemption,
  secretNameProblems, servedPorts, shown, validateContainerOptions, validateExemptions, validateServiceSpec,
} from '../core';
import { assetImageUndeclaredVolumes, assetImageUserProblem } from './asset-image-user';
import { SecureServiceChecks } from './checks';
import {
  ContainerToRender, checkTiming, constructIdProblems, imageProblems, launchTypeProblems, loggingProblems, renderContainer, secretsProblems,
  startPeriodOf,
} from './container-rendering';
import { cpuUnitProblem, cpuUnits, fargateSizeProblem, sizeTokenProblems } from './fargate-sizes';
import { EXEMPTIONS_METADATA_KEY } from './posture';
import { AttachToListenerOptions, EcsContainerOptions, SecureLaunchType, SecureServiceProps, SecureSidecarOptions } from './props';
import { brandSecureService } from './service-brand';
import { keyList, unknownKeyProblems } from '../core/known-keys';
import { PROPS_NAMED_ELSEWHERE } from '../core/props-named-elsewhere';
import { todayOf } from '../core/today';

const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ECS_CONTAINER_KEYS = keyList<EcsContainerOptions>({ image: true, secrets: true, logging: true });
const SERVICE_PROP_KEYS = [
  ...SERVICE_SPEC_KEYS, ...ECS_CONTAINER_KEYS,
  ...keyList<Omit<SecureServiceProps, keyof SecureServiceSpec | keyof EcsContainerOptions>>({
    cluster: true,
    vpc: true,
    vpcSubnets: true,
    launchType: true,
    containerName: true,
    enableExecuteCommand: true,
    listener: true,
    allowFrom: true,
    logRetention: true,
  }),
];
// k8s.SecureService's own props, which a definition shared between the targets may carry: what ECS does instead.
const ONLY_ON_KUBERNETES = 'a prop of k8s.SecureService only';
const KUBERNETES_PROPS: Readonly<Record<string, string>> = {
  ...PROPS_NAMED_ELSEWHERE,
  copyFromImage: `${ONLY_ON_KUBERNETES}; on ECS a writable path starts with the image's files when the Dockerfile declares it as a VOLUME`,
  servicePort: `${ONLY_ON_KUBERNETES}; on ECS the load balancer's listener sets the port clients use (attachToListener)`,
  writablePathSizeMiB: `${ONLY_ON_KUBERNETES}; on ECS writable paths share the task's ephemeral storage`,
  secretsAsFiles: `${ONLY_ON_KUBERNETES}; on ECS secrets are variables the agent injects from Secrets Manager or SSM`,
  secretsMountPath: `${ONLY_ON_KUBERNETES}; on ECS secrets are variables the agent injects from Secrets Manager or SSM`,
  ...Object.fromEntries(['namespace', 'labels', 'name', 'hostPathMounts', 'hostPort', 'hostNetwork', 'hostPID', 'hostIPC', 'automountServiceAccountToken']
    .map((key) => [key, `${ONLY_ON_KUBERNETES}; leave it out of what ecs.SecureService gets`])),
};

const SIDECAR_OPTION_KEYS = [
  ...CONTAINER_OPTION_KEYS, ...ECS_CONTAINER_KEYS,
  ...keyList<Omit<SecureSidecarOptions, keyof SecureContainerOptions | keyof EcsContainerOptions>>({ essential: true, firelens: true }),
];

/**
 * An ECS service hardened by default: Fargate (or EC2), non-root numeric user, read-only root
 * filesystem with declared writable paths, all capabilities dropped, awsvpc, memory hard limit,
 * awslogs with retention, private subnets without public IP, platform LATEST, circuit breaker with
 * rollback, and a security group that admits only the container port.
 *
 * Weakening a setting (by prop or by any change to the final template) fails synthesis unless an
 * exemption of its control is given: the check reads the synthesized template.
 */
export class SecureService extends Construct {
  /** The task definition (its L1 records the exemptions in `Metadata["secure-service:exemptions"]`). */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The ECS service. */
  public readonly service: ecs.FargateService | ecs.Ec2Service;
  /** The main container. */
  public readonly container: ecs.ContainerDefinition;
  /** The service's security group connections: only the container port (and a health port, to the load balancer) is ever opened. */
  public readonly connections: ec2.Connections;
  /** The cluster the service runs in (created when only `vpc` was given). */
  public readonly cluster: ecs.ICluster;
  /** The awslogs log group every container logs to. */
  public readonly logGroup: logs.LogGroup;

  private readonly launchType: SecureLaunchType;
  private readonly policy: ResolvedSecurityPolicy;
  /** Who a sidecar without a user of its own runs as: the main container's user, unless that is root (as on Kubernetes). */
  private readonly sidecarUser: { readonly uid: number; readonly gid: number };
  private readonly enableExecuteCommand: boolean;
  private readonly containerPort?: number;
  private readonly healthCheck?: HealthCheck;
  private readonly containers: { readonly name: string; readonly options: SecureContainerOptions }[] = [];
  private readonly exemptions: Exemption[] = [];
  private readonly volumeNames = new Set<string>();
  /** The listeners the service is attached to: a second target group on one would collide. */
  private readonly listeners = new Set<elbv2.IApplicationListener>();
  /** The task size this service last set on the L1. */
  private renderedTaskSize?: { readonly cpu: string; readonly memory: string };

  public constructor(scope: Construct, id: string, props: SecureServiceProps) {
    super(scope, id);
    brandSecureService(this);
    this.launchType = props.launchType ?? SecureLaunchType.FARGATE;
    this.enableExecuteCommand = props.enableExecuteCommand ?? false;
    this.containerPort = props.containerPort;
    this.healthCheck = props.healthCheck;
    const containerName = props.containerName ?? 'app';
    // Wrong shapes (and misspelled props) first and alone: the other checks read the props as their types say they are.
    this.fail([
      ...unknownKeyProblems(props, SERVICE_PROP_KEYS, 'a prop of ecs.SecureService', '', KUBERNETES_PROPS), ...containerShapeProblems(props, '', Token.isUnresolved),
      ...secretsProblems(props.secrets), ...loggingProblems(props.logging), ...allowFromProblems(props.allowFrom),
    ]);
    this.fail([...this.propsProblems(props, containerName)]);

    this.policy = SecurityPolicy._resolveForService(this);
    const mainUser = props.user ? { uid: props.user.uid, gid: props.user.gid ?? props.user.uid } : this.policy.defaultUser;
    this.sidecarUser = nonRootUser(mainUser, this.policy.defaultUser);
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.taskDefinition = this.createTaskDefinition();

    this.container = this.addRenderedContainer({ ...props, name: containerName }, props.exemptions ?? []);
    this.service = this.createService(props);
    this.connections = this.service.connections;
    for (const peer of props.allowFrom ?? []) {
      this.connections.allowFrom(peer, ec2.Port.tcp(props.containerPort!), `from ${peer.connections.securityGroups.map((g) => g.node.path).join(', ') || 'peer'} to the container port`);
    }
    if (props.listener) this.attachToListener(props.listener);

    SecureServiceChecks._ensureOn(Stage.of(this)!);
    this.node.addValidation({ validate: () => this.validateTask() });
  }

  /**
   * Adds a sidecar with the same hardening. Its exemptions cover only this container (`container`
   * is filled in; naming another container is an error).
   */
  public addContainer(name: string, options: SecureSidecarOptions): ecs.ContainerDefinition {
    const prefix = `addContainer('${name}'): `;
    this.fail([
      ...unknownKeyProblems(options, SIDECAR_OPTION_KEYS, 'an option of addContainer', prefix, KUBERNETES_PROPS), ...containerShapeProblems(options, prefix, Token.isUnresolved),
      ...secretsProblems(options.secrets, prefix), ...loggingProblems(options.logging, prefix),
    ]);
    const essential = booleanProblem('essential', options.essential);
    const problems = [
      ...validateContainerOptions(options, prefix, Token.isUnresolved),
      ...sizeTokenProblems(this, options, prefix),
      ...(essential ? [`${prefix}${essential}`] : []),
      ...secretNameProblems(Object.keys(options.secrets ?? {}), options.environment, prefix),
      ...launchTypeProblems(options, this.launchType, prefix),
      ...portTakenProblems(options, this.takenPorts(), prefix),
      ...imageProblems(options.image, prefix, Token.isUnresolved),
      ...cpuProblems(options.cpu, prefix),
    ];
    // A path is only a load balancer's target group check, and only the main container is attached to one.
    if (options.healthCheck?.path !== undefined) {
      problems.push(`${prefix}healthCheck.path is only used by a load balancer, which only the main container is attached to, found: `
        + `${JSON.stringify(options.healthCheck.path)}; give the sidecar a healthCheck.command, which ECS runs in the container`);
    }
    if (!CONTAINER_NAME.test(name)) problems.push(`${prefix}name must be 1-255 letters, digits, '-' or '_', found: ${JSON.stringify(name)}`);
    else if (this.containers.some((c) => c.name === name)) problems.push(`${prefix}a container named ${JSON.stringify(name)} already exists; choose another name`);
    else problems.push(...constructIdProblems(this, this.taskDefinition, name, options.firelens !== undefined, `${prefix}name`));
    (options.exemptions ?? []).forEach((e, i) => {
      if (e.container !== undefined && e.container !== name) {
        problems.push(`${prefix}exemptions[${i}] names container ${JSON.stringify(e.container)}, but a sidecar's exemptions cover only the sidecar; leave container out, or give the exemption to that container`);
      }
    });
    this.fail(problems);
    const exemptions = (options.exemptions ?? []).map((e) => ({ ...e, container: name }));
    return this.addRenderedContainer({ ...options, name, user: options.user ?? this.sidecarUser }, exemptions);
  }

  /**
   * Puts the service behind an Application Load Balancer listener: a target group on the container
   * port with the `healthCheck.path` health check (on `healthCheck.port`, when given). The security
   * group then admits the container port (and the health port) from the load balancer only.
   */
  public attachToListener(listener: elbv2.IApplicationListener, options: AttachToListenerOptions = {}): elbv2.ApplicationTargetGroup {
    if (this.containerPort === undefined) {
      throw new Error(`${this.node.path}: attachToListener needs containerPort, found: undefined; set containerPort to the port the process listens on`);
    }
    if (!(listener instanceof elbv2.ApplicationListener)) {
      // CDK adds targets only to a listener it defines; its own error names neither the service nor a way out.
      throw new Error(`${this.node.path}: attachToListener needs a listener defined in the app (an elbv2.ApplicationListener), found: ${listener.node.path}, `
        + 'an imported one; add a target group to it yourself: new elbv2.ApplicationTargetGroup(scope, id, { vpc, port: containerPort, '
        + 'targetType: elbv2.TargetType.IP, healthCheck: { path }, targets: [service.service.loadBalancerTarget({ containerName, containerPort })] }), '
        + 'then listener.addTargetGroups(id, { targetGroups: [group], priority, conditions })');
    }
    this.assertNotAttached(listener);
    this.listeners.add(listener);
    const { path, port } = this.healthCheck ?? {};
    const checkPort = port !== undefined && port !== this.containerPort ? port : undefined;
    // A port may be a token (a stack parameter): the target group takes it as a string.
    const healthCheck = path === undefined ? undefined
      : { path, port: checkPort === undefined ? undefined : Tokenization.stringifyNumber(checkPort), ...checkTiming(this.healthCheck) };
    const targetGroup = listener.addTargets(`${this.node.id}Targets`, {
      port: this.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: this.container.containerName, containerPort: this.containerPort })],
      healthCheck,
      priority: options.priority,
      conditions: options.conditions,
    });
    // CDK opens the security group for the traffic port only: the load balancer must reach the health port too.
    if (checkPort !== undefined) targetGroup.registerConnectable(this.service, ec2.Port.tcp(checkPort));
    return targetGroup;
  }

  /** The target group and listener rule ids are the service's id: a second attachment to one listener would collide. */
  private assertNotAttached(listener: elbv2.IApplicationListener): void {
    const at = `${this.node.path}: attachToListener(${listener.node.path})`;
    if (this.listeners.has(listener)) {
      throw new Error(`${at}: the service is already attached to this listener (by the listener prop or an earlier call), and a service has one target group per listener; `
        + 'to route several paths or hosts to it, give them all in the conditions of one call (leave out the listener prop and call attachToListener with priority and conditions)');
    }
    const taken = listener.node.tryFindChild(`${this.node.id}TargetsGroup`) ?? listener.node.tryFindChild(`${this.node.id}TargetsRule`);
    if (taken) {
      throw new Error(`${at}: the listener already has ${taken.node.path}, the target group or rule of another service with the id '${this.node.id}'; `
        + 'services attached to one listener need different construct ids');
    }
  }

  private propsProblems(props: SecureServiceProps, containerName: string): string[] {
    const enableExecuteCommand = booleanProblem('enableExecuteCommand', props.enableExecuteCommand);
    const problems = [
      ...validateServiceSpec(props, Token.isUnresolved),
      ...sizeTokenProblems(this, props),
      ...secretNameProblems(Object.keys(props.secrets ?? {}), props.environment),
      ...launchTypeProblems(props, props.launchType ?? SecureLaunchType.FARGATE),
      ...(enableExecuteCommand ? [enableExecuteCommand] : []),
      ...logRetentionProblems(props.logRetention),
    ];
    if (props.cluster !== undefined && props.vpc !== undefined) problems.push('cluster and vpc cannot both be given, found both; give cluster, or vpc for a new cluster');
    if (props.cluster === undefined && props.vpc === undefined) problems.push('cluster or vpc is required, found neither; give an ecs.Cluster, or a vpc for a new cluster with Container Insights');
    if (!Object.values(SecureLaunchType).includes(props.launchType ?? SecureLaunchType.FARGATE)) {
      problems.push(`launchType must be SecureLaunchType.FARGATE or SecureLaunchType.EC2, found: ${JSON.stringify(props.launchType)}`);
    }
    if (!CONTAINER_NAME.test(containerName)) problems.push(`containerName must be 1-255 letters, digits, '-' or '_', found: ${JSON.stringify(containerName)}`);
    // Nothing is created yet: only the ids the task definition reserves can collide.
    else problems.push(...constructIdProblems(this, undefined, containerName, false, 'containerName'));
    problems.push(...imageProblems(props.image, '', Token.isUnresolved), ...cpuProblems(props.cpu));
    if ((props.allowFrom?.length || props.listener) && props.containerPort === undefined) {
      problems.push('containerPort is required with allowFrom or listener, found: undefined; set the port the process listens on');
    }
    const { path, port } = props.healthCheck ?? {};
    if (Token.isUnresolved(port)) {
      // The checks must see which port the target group checks to admit it from the load balancer alone.
      problems.push(`healthCheck.port must be a number known at synthesis on ECS, found: ${Tokenization.stringifyNumber(port!)}; write the port the process serves health on`);
    }
    if (path !== undefined && port !== undefined && props.containerPort === undefined) {
      // Kubernetes probes the port alone; on ECS only a load balancer checks a path, and it routes to the container port.
      problems.push(`healthCheck.path needs a containerPort on ECS, found: path ${shown(path)} on healthCheck.port ${shown(port)} without containerPort; `
        + 'a load balancer sends traffic to containerPort and checks the path on healthCheck.port, so set containerPort, or use healthCheck.command');
    }
    return problems;
  }

  private fail(problems: string[]): void {
    if (problems.length > 0) throw new Error(`invalid ecs.SecureService ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
  }

  private createTaskDefinition(): ecs.TaskDefinition {
    // The Fargate L2 wants the task size before any container exists: tokens of the containers'
    // totals (its check that the containers fit the task waits for them too). Its L1 gets plain
    // values instead (renderTaskSize): resolving two tokens per task cost about 0.4 M instructions
    // per service at synthesis.
    const cpu = Lazy.number({ produce: () => this.totals().cpu });
    const memory = Lazy.number({ produce: () => this.totals().memory });
    return this.launchType === SecureLaunchType.FARGATE
      ? new ecs.FargateTaskDefinition(this, 'TaskDefinition', { cpu, memoryLimitMiB: memory })
      : new ecs.Ec2TaskDefinition(this, 'TaskDefinition', { networkMode: ecs.NetworkMode.AWS_VPC });
  }

  /**
   * Sets the task size on the L1 (EC2 too: its L2 takes none) to the containers' totals, again as
   * each container is added. A value set on the L1 by other code since is left as it is.
   */
  private renderTaskSize(): void {
    const cfn = this.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    const { cpu, memory } = this.totals();
    const previous = this.renderedTaskSize;
    if (!previous || cfn.cpu === previous.cpu) cfn.cpu = String(cpu);
    if (!previous || cfn.memory === previous.memory) cfn.memory = String(memory);
    this.renderedTaskSize = { cpu: String(cpu), memory: String(memory) };
  }

  /** Records the exemptions on the task definition as plain metadata: tokens cost synthesis time. */
  private recordExemptions(): void {
    if (this.exemptions.length === 0) return;
    const cfn = this.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    cfn.addMetadata(EXEMPTIONS_METADATA_KEY, this.exemptions.map(recordedExemption));
  }

  private addRenderedContainer(options: ContainerToRender, exemptions: readonly Exemption[]): ecs.ContainerDefinition {
    this.warnAboutDockerfileUser(options);
    this.warnAboutUndeclaredVolumes(options);
    this.containers.push({ name: options.name, options });
    this.renderTaskSize();
    this.exemptions.push(...exemptions);
    this.recordExemptions();
    return renderContainer(this, {
      taskDefinition: this.taskDefinition,
      launchType: this.launchType,
      policy: this.policy,
      logGroup: this.logGroup,
      enableExecuteCommand: this.enableExecuteCommand,
      volumeNames: this.volumeNames,
    }, options);
  }

  /** The task still runs as the numeric `User`, but anywhere else the image runs as its Dockerfile says. */
  private warnAboutDockerfileUser(options: ContainerToRender): void {
    const found = typeof options.image === 'string' ? undefined : assetImageUserProblem(options.image);
    if (!found) return;
    const user = options.user ? `${options.user.uid}:${options.user.gid ?? options.user.uid}` : `${this.policy.defaultUser.uid}:${this.policy.defaultUser.gid}`;
    Annotations.of(this).addWarningV2('secure-service:dockerfile-user', `container '${options.name}': ${found.dockerfile}: ${found.problem}; `
      + `the task runs it as ${user}, but anywhere else the image runs as that says, and its files may not be readable by ${user}: end the Dockerfile with USER ${user}`);
  }

  /**
   * On Fargate a writable path's task volume starts empty, owned by root with mode 0755, unless the image
   * declares the path as a VOLUME: Fargate then copies the image's directory, owner and mode included.
   * Only an image built from a local Dockerfile can be read here.
   */
  private warnAboutUndeclaredVolumes(options: ContainerToRender): void {
    if (this.launchType !== SecureLaunchType.FARGATE || typeof options.image === 'string') return;
    const found = assetImageUndeclaredVolumes(options.image, options.writablePaths ?? []);
    if (!found || found.paths.length === 0) return;
    const user = options.user ?? this.policy.defaultUser;
    const owner = `${user.uid}:${user.gid ?? user.uid}`;
    Annotations.of(this).addWarningV2('secure-service:writable-path-volume', `container '${options.name}': ${found.dockerfile} does not declare `
      + `${found.paths.join(', ')} as a VOLUME: on Fargate such a task volume starts empty, owned by root with mode 0755, so user ${owner} `
      + `cannot write to it; in the Dockerfile, RUN mkdir -p ${found.paths.join(' ')} && chown ${owner} ${found.paths.join(' ')} and `
      + `VOLUME ${JSON.stringify(found.paths)} (a VOLUME the base image declares counts too)`);
  }

  /**
   * A task gets no public IP (NO_PUBLIC_IP), so in a public subnet it reaches neither the internet nor a
   * registry: ECS cannot pull its image, nor Secrets Manager give it its secrets, without VPC endpoints.
   */
  private warnAboutPublicSubnets(selection: ec2.SubnetSelection | undefined): void {
    // On EC2 the instance pulls the image, through its own network.
    if (selection === undefined || this.launchType !== SecureLaunchType.FARGATE) return;
    let selected: ec2.SelectedSubnets;
    try {
      selected = this.cluster.vpc.selectSubnets(selection);
    } catch {
      return; // the service reports a selection that selects nothing itself
    }
    if (!selected.hasPublic) return;
    Annotations.of(this).addWarningV2('secure-service:public-subnets', 'vpcSubnets selects public subnets, where a Fargate task, which never gets a public IP, '
      + 'reaches neither the internet nor a registry: its image is pulled only from ECR, and only through VPC endpoints (ECR api and dkr, S3; and '
      + 'CloudWatch Logs, Secrets Manager for its logs and secrets); run the tasks in private subnets with a NAT gateway');
  }

  private createService(props: SecureServiceProps): ecs.FargateService | ecs.Ec2Service {
    this.warnAboutPublicSubnets(props.vpcSubnets);
    const common = {
      cluster: this.cluster,
      desiredCount: props.replicas ?? 1,
      assignPublicIp: false,
      vpcSubnets: props.vpcSubnets ?? privateSubnets(this.cluster.vpc, this.node.path),
      circuitBreaker: { rollback: true },
      enableExecuteCommand: this.enableExecuteCommand,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      // How long ECS ignores failed load balancer and container checks of a new task.
      healthCheckGracePeriod: startPeriodOf(props.healthCheck),
    };
    if (this.launchType === SecureLaunchType.FARGATE) {
      return new ecs.FargateService(this, 'Service', { ...common, taskDefinition: this.taskDefinition, platformVersion: ecs.FargatePlatformVersion.LATEST });
    }
    return new ecs.Ec2Service(this, 'Service', { ...common, taskDefinition: this.taskDefinition });
  }

  private takenPorts(): TakenPort[] {
    return this.containers.flatMap((c) => servedPorts(c.options).map(({ port, prop }) => ({ container: c.name, port, prop })));
  }

  private totals(): { cpu: number; memory: number } {
    return this.containers.reduce((sum, c) => ({
      cpu: sum.cpu + cpuUnits(c.options.cpu ?? DEFAULT_CPU),
      memory: sum.memory + (c.options.memoryMiB ?? DEFAULT_MEMORY_MIB),
    }), { cpu: 0, memory: 0 });
  }

  private validateTask(): string[] {
    const { path, livenessPath } = this.healthCheck ?? {};
    if (path !== undefined && this.listeners.size === 0) {
      Annotations.of(this).addWarningV2('secure-service:health-check-path', `healthCheck.path '${path}' is only used by a load balancer, and the service is not attached to one; call attachToListener, or use healthCheck.command for a container health check`);
    }
    if (livenessPath !== undefined && livenessPath !== path) {
      Annotations.of(this).addWarningV2('secure-service:liveness-path', `healthCheck.livenessPath '${livenessPath}' is not used on ECS, which has no HTTP container check: `
        + `ECS replaces a task that fails the load balancer's check on healthCheck.path '${path}', so a path that fails while a dependency `
        + 'is down (a database) replaces every task then. Make healthCheck.path a check of the process alone; in a spec shared with Kubernetes, '
        + 'acknowledge this warning once it is: Annotations.of(service).acknowledgeWarning(\'secure-service:liveness-path\')');
    }
    return [...this.exemptionProblems(), ...this.fargateSizeProblems()];
  }

  /**
   * The exemptions' own errors (justification, expiry, ticket, control, non-waivable), judged here, before
   * anything is written, as the checks plugin would judge them: on the exemptions as recorded, with the
   * policy nearest the task definition and the same day. Whether an exemption is used needs the final
   * template, and warnings (expiring soon) fail nothing: both stay with the plugin.
   */
  private exemptionProblems(): string[] {
    const { today, problem } = todayOf(this);
    if (problem) return [problem];
    if (this.exemptions.length === 0) return [];
    const policy = SecurityPolicy.resolve(this.taskDefinition.node.defaultChild ?? this.taskDefinition);
    return validateExemptions(this.exemptions.map(recordedExemption), policy, today).filter((p) => p.severity === 'error').map((p) => p.message);
  }

  private fargateSizeProblems(): string[] {
    if (this.launchType !== SecureLaunchType.FARGATE) return [];
    const problem = fargateSizeProblem(this.containers.map((c) => ({
      name: c.name,
      cpu: c.options.cpu ?? DEFAULT_CPU,
      memoryMiB: c.options.memoryMiB ?? DEFAULT_MEMORY_MIB,
      defaults: { cpu: c.options.cpu === undefined, memoryMiB: c.options.memoryMiB === undefined },
    })));
    return problem ? [`${problem}; Fargate runs only the task sizes it offers`] : [];
  }
}

/** allowFrom as the props say it is: a list of peers. One peer, or a hole in the list, would crash on `.connections`. */
function allowFromProblems(allowFrom: unknown): string[] {
  if (allowFrom === undefined) return [];
  if (!Array.isArray(allowFrom)) {
    const fix = isConnectable(allowFrom) ? 'wrap the peer in a list: allowFrom: [peer]' : 'e.g. allowFrom: [loadBalancer] or [ec2.Peer.ipv4(\'10.0.0.0/16\')]';
    return [`allowFrom must be a list of peers (IConnectable), found: ${shownPeer(allowFrom)}; ${fix}, or leave allowFrom out`];
  }
  return allowFrom.flatMap((peer: unknown, i) => (isConnectable(peer) ? [] : [
    `allowFrom[${i}] must be a peer (IConnectable: a security group, a service, ec2.Peer.ipv4(...)), found: ${shownPeer(peer)}; `
    + 'remove it, or give the peer (a variable read before it was assigned is undefined)',
  ]));
}

// Duck-typed: a peer from another copy of aws-cdk-lib is not an instance of ours.
function isConnectable(value: unknown): boolean {
  const connections = typeof value === 'object' && value !== null ? (value as { connections?: unknown }).connections : undefined;
  return typeof connections === 'object' && connections !== null;
}

/** A construct by its path (its JSON is the whole tree, and circular); other values as shown() shows them. */
function shownPeer(value: unknown): string {
  if (Construct.isConstruct(value)) return `the construct ${value.node.path}`;
  try {
    return shown(value);
  } catch {
    return String(value);
  }
}

const RETENTION_DAYS = Object.entries(logs.RetentionDays).filter((entry): entry is [string, number] => typeof entry[1] === 'number');

/**
 * logRetention as CloudWatch Logs takes it: one of logs.RetentionDays. CDK passes any number through and
 * the deployment fails; the fix offered is the next longer period, so following it never shortens retention.
 */
function logRetentionProblems(retention: unknown): string[] {
  if (retention === undefined || Token.isUnresolved(retention) || RETENTION_DAYS.some(([, days]) => days === retention)) return [];
  const days = typeof retention === 'string' && retention.trim() !== '' ? Number(retention) : retention;
  const exact = RETENTION_DAYS.find(([, value]) => value === days);
  const longer = typeof days === 'number' && !Number.isNaN(days) ? RETENTION_DAYS.find(([name, value]) => value >= days && name !== 'INFINITE') : undefined;
  let fix = 'use a logs.RetentionDays value, e.g. logs.RetentionDays.ONE_YEAR';
  if (exact) fix = `use logs.RetentionDays.${exact[0]} (a number, not a string)`;
  else if (longer) fix = `use logs.RetentionDays.${longer[0]} (the next longer period CloudWatch Logs offers)`;
  else if (typeof days === 'number' && days > 0) fix = 'use logs.RetentionDays.TEN_YEARS, or logs.RetentionDays.INFINITE (which weakens LOGGING and needs its exemption)';
  return [`logRetention must be one of logs.RetentionDays, found: ${shown(retention)}; ${fix}`];
}

function cpuProblems(cpu: unknown, prefix = ''): string[] {
  const problem = Token.isUnresolved(cpu) ? undefined : cpuUnitProblem(cpu, prefix);
  return problem ? [problem] : [];
}

function privateSubnets(vpc: ec2.IVpc, path: string): ec2.SubnetSelection {
  if (vpc.privateSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  if (vpc.isolatedSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  throw new Error(`${path}: the vpc has no private subnets, found only public ones; add private subnets, or choose subnets with vpcSubnets `
    + '(tasks never get a public IP, so in public subnets they need VPC endpoints to pull their images)');
}
