import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Exemption, SecurityPolicy, TakenPort, describeExemption, portTakenProblems } from '../core';
import { AppObjects, freshAppObjects } from './app-objects';
import { CheckObjectsResult } from './check-objects';
import { EXEMPTIONS_ANNOTATION, exemptionsAnnotationValue } from './exemptions-annotation';
import { addHardenedContainer, seedContainerNames, seedNameClashes } from './hardened-container';
import { dnsLabelProblem } from './names';
import { ingressNetworkPolicy } from './network-policy';
import { podDisruptionBudget } from './pod-disruption-budget';
import { SecureContainerProps, SecureServiceProps } from './props';
import { NAME_LABEL, servicePropsProblems, sidecarPropsProblems, sidecarShapeProblems } from './props-validation';
import { NumericUser, closePodGaps, nonRootUser, podSecurityContext } from './security-context';
import { ServiceToCheck, checkServices } from './service-checks';
import { printWarnings, todayOf } from './synth-context';
import { renderOncePerSynthesis } from './synthesis';
import { openPassesOn, withAppObjects } from './validation-pass';

const SERVICE_BRAND = Symbol.for('secure-service.k8s.SecureService');
// The SecureServices of an outermost chart and the charts nested in it, by namespace and name (shared
// by copies of the library, like the brand): a new service looks up its own name, not every service.
const SERVICES_BY_NAME = Symbol.for('secure-service.k8s.servicesByNameInChartTree');
/** The results of every service, for the reads of one synthesis or validation pass. */
const CHECKED = new WeakMap<AppObjects, Map<SecureService, CheckObjectsResult>>();

/**
 * A hardened Kubernetes service: Deployment, Service (ClusterIP), ServiceAccount (no token),
 * NetworkPolicy (ingress to the service port only) and, with more than one replica, a
 * PodDisruptionBudget. Every security setting defaults to the secure value; weakening one, by prop
 * or by a JSON patch on any object created here, fails synthesis unless an exemption covers it.
 *
 * ```ts
 * const api = new k8s.SecureService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', containerPort: 8080 });
 * ```
 */
export class SecureService extends Construct {
  /** Whether `x` is a SecureService (also across copies of the library). */
  public static isSecureService(x: unknown): x is SecureService {
    return typeof x === 'object' && x !== null && SERVICE_BRAND in x;
  }

  /** The name of every object and of the main container. */
  public readonly name: string;
  /** The namespace of every object, when one is set (by prop or by the chart). */
  public readonly namespace?: string;
  /** The labels that select the service's pods. */
  public readonly selectorLabels: { readonly [key: string]: string };
  /** Escape hatch: the Deployment. */
  public readonly deployment: kplus.Deployment;
  /** Escape hatch: the Service; undefined for a worker without containerPort. */
  public readonly service?: kplus.Service;
  /** Escape hatch: the ServiceAccount the pods run as. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** Escape hatch: the NetworkPolicy (an L1). */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** Escape hatch: the PodDisruptionBudget (an L1), when replicas > 1. */
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;

  /** The main container's user. */
  private readonly user: NumericUser;
  /** The pod-level user: the main container's, or the policy's default where that is root (never root). */
  private readonly podUser: NumericUser;
  private readonly exemptions: Exemption[] = [];
  private readonly volumeNames = new Set<string>();
  /** Health ports of the containers, which no container declares: a sidecar may not take one. */
  private readonly healthPorts: TakenPort[] = [];

  public constructor(scope: Construct, id: string, props: SecureServiceProps) {
    super(scope, id);
    Object.defineProperty(this, SERVICE_BRAND, { value: true });
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    const policy = SecurityPolicy._resolveForService(this);

    const problems = servicePropsProblems(props, this.name).concat(this.collisionProblems());
    if (problems.length === 0) problems.push(...seedNameClashes(seedContainerNames({ volumeNames: new Set() }, this.name, props)));
    if (problems.length > 0) throw new Error(`invalid SecureService props at ${this.node.path}:\n  - ${problems.join('\n  - ')}`);

    this.user = { uid: props.user?.uid ?? policy.defaultUser.uid, gid: props.user?.gid ?? props.user?.uid ?? policy.defaultUser.gid };
    this.podUser = nonRootUser(this.user, policy.defaultUser);
    this.selectorLabels = { [NAME_LABEL]: this.name };
    const labels = { ...props.labels, ...this.selectorLabels };
    const metadata = { name: this.name, namespace: props.namespace, labels };

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata, automountToken: false });
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata,
      replicas: props.replicas ?? 1,
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      hostNetwork: props.hostNetwork ?? false,
      // Kubernetes applies the pod level to every container: an exempted root user is set on its container only.
      securityContext: podSecurityContext(this.podUser),
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    for (const key of Object.keys(labels)) this.deployment.podMetadata.addLabel(key, labels[key]);

    const podSpec = ApiObject.of(this.deployment);
    closePodGaps(podSpec, '/spec/template/spec');
    // cdk8s-plus-27 has no props for these; the L1 takes its TypeScript-cased names (hostPid renders hostPID).
    if (props.hostPID !== undefined) podSpec.addJsonPatch(JsonPatch.add('/spec/template/spec/hostPid', props.hostPID));
    if (props.hostIPC !== undefined) podSpec.addJsonPatch(JsonPatch.add('/spec/template/spec/hostIpc', props.hostIPC));

    addHardenedContainer(this.containerContext(''), this.name, props, this.user);
    this.healthPorts.push(...healthPortsOf(this.name, props));
    this.addExemptions(props.exemptions ?? []);

    if (props.containerPort !== undefined) {
      this.service = new kplus.Service(this, 'Service', {
        metadata,
        ports: [{ port: props.servicePort ?? props.containerPort, targetPort: props.containerPort }],
      });
      // By the name label, not cdk8s-plus's per-construct address label: stable across refactors of the tree.
      for (const key of Object.keys(this.selectorLabels)) this.service.selectLabel(key, this.selectorLabels[key]);
    }
    this.networkPolicy = ingressNetworkPolicy(this, 'NetworkPolicy', {
      name: this.name, namespace: props.namespace, labels, podSelector: this.selectorLabels, port: props.containerPort, allowFrom: props.allowFrom,
    });
    if ((props.replicas ?? 1) > 1) {
      this.podDisruptionBudget = podDisruptionBudget(this, 'PodDisruptionBudget', {
        name: this.name, namespace: props.namespace, labels, podSelector: this.selectorLabels,
      });
    }

    // Checks read the final JSON of every object; rendering it once per synthesis keeps that cheap.
    renderOncePerSynthesis(this, this.ownApiObjects());
    openPassesOn(this, (c) => c instanceof SecureService);
    this.node.addValidation({ validate: () => this.validateOutput() });
  }

  /**
   * Adds a sidecar: a container of the same pods, hardened the same way, running as the pod's user
   * (the main container's, unless that is root) unless `options.user` says otherwise. Its exemptions
   * cover only this container.
   */
  public addContainer(name: string, options: SecureContainerProps): kplus.Container {
    const prefix = `container '${name}': `;
    const existing = [...this.deployment.containers, ...this.deployment.initContainers].map((c) => c.name);
    const nameProblem = dnsLabelProblem('addContainer name', name);
    const problems = [
      ...(nameProblem ? [nameProblem] : []),
      ...(existing.includes(name) ? [`addContainer name is already used by a container of ${this.name}, found: ${JSON.stringify(name)}; choose another name`] : []),
    ];
    const shapes = sidecarShapeProblems(options, prefix);
    problems.push(...(shapes.length > 0 ? shapes : this.sidecarProblems(name, options, prefix, existing)));
    if (problems.length > 0) throw new Error(`invalid SecureService container at ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    const user = options.user ? { uid: options.user.uid, gid: options.user.gid ?? options.user.uid } : this.podUser;
    const container = addHardenedContainer(this.containerContext(`Sidecar-${name}-`), name, options, user);
    this.healthPorts.push(...healthPortsOf(name, options));
    this.addExemptions((options.exemptions ?? []).map((e) => ({ ...e, container: name })));
    return container;
  }

  /** Problems with a well-shaped sidecar: its props, its port, its exemptions and its init containers' names. */
  private sidecarProblems(name: string, options: SecureContainerProps, prefix: string, existing: readonly string[]): string[] {
    const problems = [
      ...sidecarPropsProblems(options, prefix),
      ...portTakenProblems(options, this.takenPorts(), prefix),
      ...(options.exemptions ?? []).flatMap((e, i) => e.container !== undefined && e.container !== name
        ? [`${prefix}${describeExemption(e, i)} names container '${e.container}', but a sidecar's exemptions cover only itself; leave container out or move the exemption to that container`]
        : []),
    ];
    if (problems.length > 0) return problems;
    // Kubernetes needs every container and init container of a pod to have its own name.
    const seeds = seedContainerNames({ volumeNames: this.volumeNames }, name, options);
    return [...seedNameClashes(seeds, prefix), ...seeds.filter((seed) => existing.includes(seed.name)).map((seed) =>
      `${prefix}copyFromImage ${JSON.stringify(seed.path)} needs an init container named '${seed.name}' (copy-<container>-<path>), `
      + `but a container of ${this.name} already has that name; rename that container`)];
  }

  /** The ports the pod's containers declare, and the health ports of its SecureService containers, which they do not. */
  private takenPorts(): TakenPort[] {
    return [...this.deployment.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name, port: p.number }))), ...this.healthPorts];
  }

  /**
   * Reads back the final objects this service created (after every patch) and judges them with the
   * core rules: what synthesis fails on (`errors`) and what it only warns about (`warnings`).
   */
  public assess(): CheckObjectsResult {
    return checkServices([this.toCheck()], freshAppObjects(this))[0];
  }

  private validateOutput(): string[] {
    const { problem } = todayOf(this);
    if (problem) return [problem];
    const result = withAppObjects(this, (app) => this.checkedWith(app));
    printWarnings(result.warnings);
    return [...result.errors];
  }

  /** This service's result; when a synthesis or validation pass shares `app`, the first service to ask checks them all at once. */
  private checkedWith(app: AppObjects): CheckObjectsResult {
    const known = app.shared ? CHECKED.get(app)?.get(this) : undefined;
    if (known) return known;
    const services = app.shared
      ? app.constructs().filter((c): c is SecureService => c instanceof SecureService && todayOf(c).problem === undefined)
      : [this];
    const checked = checkServices(services.map((service) => service.toCheck()), app);
    const results = new Map(services.map((service, i) => [service, checked[i]]));
    if (app.shared) CHECKED.set(app, results);
    return results.get(this)!;
  }

  private toCheck(): ServiceToCheck {
    return { objects: this.ownApiObjects(), policy: SecurityPolicy.resolve(this), today: todayOf(this).today };
  }

  private ownApiObjects(): ApiObject[] {
    const constructs: IConstruct[] = [this.deployment, this.serviceAccount, this.networkPolicy];
    if (this.service) constructs.push(this.service);
    if (this.podDisruptionBudget) constructs.push(this.podDisruptionBudget);
    return constructs.map((c) => ApiObject.of(c));
  }

  private containerContext(idPrefix: string) {
    return { scope: this, idPrefix, workload: this.deployment, podUser: this.podUser, volumeNames: this.volumeNames };
  }

  // Recorded on the workload and its pod template, so both the object and the pods it creates carry them.
  private addExemptions(exemptions: readonly Exemption[]): void {
    this.exemptions.push(...exemptions);
    if (this.exemptions.length === 0) return;
    const value = exemptionsAnnotationValue(this.exemptions);
    this.deployment.metadata.addAnnotation(EXEMPTIONS_ANNOTATION, value);
    this.deployment.podMetadata.addAnnotation(EXEMPTIONS_ANNOTATION, value);
  }

  private collisionProblems(): string[] {
    const key = `${this.namespace ?? ''}/${this.name}`;
    // One registry per outermost chart: services in nested charts see each other, whichever comes first.
    const byName = servicesByName(outermostChart(this));
    const others = [...byName.get(key) ?? []];
    (byName.get(key) ?? byName.set(key, []).get(key)!).push(this);
    return others.map((other) =>
      `name ${JSON.stringify(this.name)} is already used by the SecureService at ${other.node.path} in namespace ${JSON.stringify(this.namespace ?? 'default')}: `
      + `their objects would collide and their selectors (${NAME_LABEL}=${this.name}) would pick each other's pods; give one of them another name`);
  }
}

function outermostChart(scope: IConstruct): Chart {
  let outermost = Chart.of(scope);
  for (let enclosing = outermost.node.scope; enclosing; enclosing = enclosing.node.scope) {
    if (Chart.isChart(enclosing)) outermost = enclosing;
  }
  return outermost;
}

/** `namespace/name` → the SecureServices in `chart` and the charts nested in it with that name, in creation order. */
function servicesByName(chart: Chart): Map<string, SecureService[]> {
  const holder = chart as Chart & { [SERVICES_BY_NAME]?: Map<string, SecureService[]> };
  if (!holder[SERVICES_BY_NAME]) Object.defineProperty(holder, SERVICES_BY_NAME, { value: new Map() });
  return holder[SERVICES_BY_NAME]!;
}

/** A container's health port when it is not its container port: probed by the kubelet, declared nowhere. */
function healthPortsOf(container: string, options: SecureContainerProps): TakenPort[] {
  const port = options.healthCheck?.port;
  return port === undefined || port === options.containerPort ? [] : [{ container, port, prop: 'healthCheck.port' }];
}
