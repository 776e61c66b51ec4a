/**
 * Problems with the Kubernetes-only props, each naming the prop, the value received and the fix.
 * Shared props are checked by core (`validateServiceSpec`, `validateContainerOptions`); security
 * settings are not judged here at all: the final output is, by the core rules.
 */
import { SecureContainerOptions, secretNameProblems, shown } from '../core';
import { dnsLabelProblem, labelProblems } from './names';
import { KubernetesContainerOpts, SecureServiceOpts } from './props';

/** The selector label every object of a service carries; users cannot set it through `labels`. */
export const NAME_LABEL = 'app.kubernetes.io/name';

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

function isPort(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}

/** Problems with one container's Kubernetes-only props and the shared props Kubernetes reads differently. */
export function kubernetesContainerProblems(options: SecureContainerOptions & KubernetesContainerOpts & { readonly image?: unknown }, prefix = ''): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(`${prefix}${message}`);
  const { image, containerPort, secrets = {}, writablePaths = [] } = options;

  if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image)) {
    add(`image must be an image reference such as 'ghcr.io/acme/api:1.4.2', found: ${JSON.stringify(image)}`);
  }
  if (options.cpu !== undefined && typeof options.cpu === 'number' && options.cpu > 0 && options.cpu < 0.001) {
    add(`cpu must be at least 0.001 (1m) on Kubernetes, found: ${options.cpu}`);
  }
  problems.push(...secretNameProblems(Object.keys(secrets), options.environment, prefix));
  for (const name of Object.keys(secrets)) {
    const ref = secrets[name];
    if (typeof ref?.secretName !== 'string' || ref.secretName.length > 253 || !DNS_1123_SUBDOMAIN.test(ref.secretName)) {
      add(`secrets.${name}.secretName must be a Secret name (a DNS-1123 subdomain, e.g. 'db'), found: ${JSON.stringify(ref?.secretName)}`);
    }
    if (typeof ref?.key !== 'string' || !SECRET_KEY.test(ref.key)) {
      add(`secrets.${name}.key must be a key of the Secret (letters, digits, '-', '_' or '.'), found: ${JSON.stringify(ref?.key)}`);
    }
  }
  if (options.secretsMountPath !== undefined && (typeof options.secretsMountPath !== 'string' || !options.secretsMountPath.startsWith('/'))) {
    add(`secretsMountPath must be an absolute path, found: ${JSON.stringify(options.secretsMountPath)}; e.g. '/run/secrets'`);
  }
  for (const path of options.copyFromImage ?? []) {
    if (!writablePaths.includes(path)) {
      add(`copyFromImage lists a path that is not in writablePaths, found: ${JSON.stringify(path)}; add it to writablePaths too`);
    }
  }
  const size = options.writablePathSizeMiB;
  if (size !== undefined && !(Number.isInteger(size) && size >= 1)) {
    add(`writablePathSizeMiB must be a whole number of MiB, at least 1, found: ${shown(size)}`);
  }
  if (options.hostPort !== undefined) {
    if (!isPort(options.hostPort)) add(`hostPort must be a whole number from 1 to 65535, found: ${shown(options.hostPort)}`);
    if (containerPort === undefined) add(`hostPort needs a containerPort to bind, found: hostPort ${shown(options.hostPort)} without containerPort`);
  }
  (options.hostPathMounts ?? []).forEach((mount, i) => {
    if (typeof mount?.hostPath !== 'string' || !mount.hostPath.startsWith('/')) {
      add(`hostPathMounts[${i}].hostPath must be an absolute path, found: ${JSON.stringify(mount?.hostPath)}`);
    }
    if (typeof mount?.mountPath !== 'string' || !mount.mountPath.startsWith('/')) {
      add(`hostPathMounts[${i}].mountPath must be an absolute path, found: ${JSON.stringify(mount?.mountPath)}`);
    }
  });
  if (options.healthCheck?.path !== undefined && containerPort === undefined) {
    add(`healthCheck.path needs a containerPort to probe, found: path ${JSON.stringify(options.healthCheck.path)} without containerPort; set containerPort or use healthCheck.command`);
  }
  if (options.privileged === true && options.allowPrivilegeEscalation !== true) {
    add('privileged: true needs allowPrivilegeEscalation: true as well (Kubernetes rejects a privileged container that forbids escalation), found: allowPrivilegeEscalation '
      + `${JSON.stringify(options.allowPrivilegeEscalation ?? false)}; set both, and exempt NOT_PRIVILEGED and NO_PRIVILEGE_ESCALATION`);
  }
  return problems;
}

/** Problems with the service-level Kubernetes-only props. */
export function serviceOptsProblems(opts: SecureServiceOpts & { readonly containerPort?: number }, name: string): string[] {
  const problems: string[] = [];
  const nameProblem = dnsLabelProblem(opts.name === undefined ? 'name (the construct id, used as the name)' : 'name', name);
  if (nameProblem) problems.push(nameProblem);
  if (opts.namespace !== undefined) {
    const problem = dnsLabelProblem('namespace', opts.namespace);
    if (problem) problems.push(problem);
  }
  problems.push(...labelProblems('labels', opts.labels));
  if (opts.labels && NAME_LABEL in opts.labels) {
    problems.push(`labels cannot set ${NAME_LABEL}, found: ${JSON.stringify(opts.labels[NAME_LABEL])}; it selects the service's pods and is always the name, set name instead`);
  }
  (opts.allowFrom ?? []).forEach((peer, i) => {
    if (!peer || (peer.podLabels === undefined && peer.namespaceLabels === undefined)) {
      problems.push(`allowFrom[${i}] needs podLabels or namespaceLabels, found: ${JSON.stringify(peer)}; leave allowFrom out to admit any peer to the service port`);
    }
    problems.push(...labelProblems(`allowFrom[${i}].podLabels`, peer?.podLabels), ...labelProblems(`allowFrom[${i}].namespaceLabels`, peer?.namespaceLabels));
  });
  if (opts.servicePort !== undefined) {
    if (!isPort(opts.servicePort)) problems.push(`servicePort must be a whole number from 1 to 65535, found: ${shown(opts.servicePort)}`);
    if (opts.containerPort === undefined) problems.push(`servicePort needs a containerPort to forward to, found: servicePort ${shown(opts.servicePort)} without containerPort`);
  }
  return problems;
}
