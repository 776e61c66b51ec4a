/** The NetworkPolicies that select a pod template, read as the ports they open (judged by NETWORK_ISOLATION). */
import { ContainerPortPosture, IngressPosture, Observed, PortOpening } from '../core';
import { PodLabels } from './controller-labels';
import { networkPolicyRejection } from './network-policy-validity';
import { NETWORK_POLICY } from './object-shapes';
import { unknownFieldRejection } from './object-validity';
import { Json, PodTemplate, apiGroup, asArray, asRecord, isSet, namespaceOf, objectName } from './objects';
import { LabelSelectorJson, certainlySameNamespace, sameNamespace, selectorMatch } from './selectors';

const NETWORKING_GROUP = 'networking.k8s.io';

/** The NetworkPolicies selecting the pods, as openings; judged by the NETWORK_ISOLATION rule. */
export function readIngress(
  template: PodTemplate, labels: PodLabels, namespace: string | undefined, networkPolicies: readonly Json[],
): IngressPosture {
  const containerPorts: ContainerPortPosture[] = [];
  // A native sidecar (an init container that keeps running) serves its ports too, named ones included.
  for (const c of [...asArray(template.spec.containers), ...asArray(template.spec.initContainers)]) {
    for (const p of asArray(asRecord(c).ports)) {
      const port = asRecord(p);
      containerPorts.push({ protocol: String(port.protocol ?? 'TCP'), port: typeof port.containerPort === 'number' ? port.containerPort : undefined, name: port.name });
    }
  }
  const openings: Observed<PortOpening>[] = [];
  let selected = false;
  /** Why a policy that would select the pods does not: the fix is a riddle without it. */
  let hint: string | undefined;
  for (const policy of networkPolicies) {
    const selection = selectionOf(policy, namespace, labels);
    if (!selection.selects) {
      hint ??= selection.hint;
      // What opens counts wherever it may land: a policy that may be in the pods' namespace opens its ports to them.
      if (selection.mayOpen) readPolicyOpenings(policy, openings);
      continue;
    }
    // Written twice, the policy the pods get is the one `kubectl apply` applies last, in this one's namespace:
    // the other may not select them. One the API server rejects is never created, so it replaces nothing.
    const replacing = (other: Json) => other !== policy && isTwin(other, policy) && !networkPolicyRejection(other);
    if (networkPolicies.some((other) => replacing(other) && !isolatesLabels(other, labels))) {
      hint ??= ` (${objectName(policy)} would, but it is written twice, the other time not selecting them, and kubectl apply keeps the one it applies last)`;
    } else {
      selected = true;
    }
    readPolicyOpenings(policy, openings);
  }
  if (!selected) {
    const unrestricted = { value: `no NetworkPolicy with policyType Ingress selects the pods${hint ?? ''}, so every port is open to every peer`, at: `${template.metaPath}.labels` };
    return { unrestricted, openings: [], containerPorts };
  }
  return { openings, containerPorts };
}

interface Selection {
  readonly selects: boolean;
  readonly mayOpen?: boolean;
  readonly hint?: string;
}

/**
 * Whether a policy isolates the pods; when it does not, whether it may still open ports to them (it may
 * be in their namespace), and why it does not isolate them, where the reason is not plain.
 */
function selectionOf(policy: Json, namespace: string | undefined, labels: PodLabels): Selection {
  // Another group's NetworkPolicy (Calico's, Antrea's) is another schema, for a CNI that may not be there.
  if (apiGroup(policy) !== NETWORKING_GROUP) return { selects: false };
  const spec = asRecord(policy.spec);
  if (!sameNamespace(policy.metadata?.namespace, namespace) || !restrictsIngress(spec)) return { selects: false };
  const selected = selectorMatch(spec.podSelector as LabelSelectorJson | undefined, labels.known, labels.unknown);
  if (selected === 'no') return { selects: false };
  const rejection = networkPolicyRejection(policy);
  if (rejection) return { selects: false, hint: ` (${objectName(policy)} would, but the API server rejects it: ${rejection})` };
  // Rejected as kubectl applies by default; applied with --validate=false, created without the field, and opening what it opens.
  const unknownField = unknownFieldRejection(policy, NETWORK_POLICY);
  if (unknownField) return { selects: false, mayOpen: true, hint: ` (${objectName(policy)} would, but ${unknownField})` };
  if (selected === 'maybe') return { selects: false, mayOpen: true, hint: controllerLabelHint(policy, labels) };
  if (!certainlySameNamespace(policy.metadata?.namespace, namespace)) {
    return { selects: false, mayOpen: true, hint: namespaceHint(policy, namespace) };
  }
  return { selects: true };
}

function readPolicyOpenings(policy: Json, openings: Observed<PortOpening>[]): void {
  const rules = asArray(asRecord(policy.spec).ingress);
  for (let i = 0; i < rules.length; i++) readOpenings(asRecord(rules[i]), `${objectName(policy)} spec.ingress[${i}]`, openings);
}

/** Whether the policy restricts ingress to pods with these labels, wherever it is. */
function isolatesLabels(policy: Json, labels: PodLabels): boolean {
  const spec = asRecord(policy.spec);
  return restrictsIngress(spec) && selectorMatch(spec.podSelector as LabelSelectorJson | undefined, labels.known, labels.unknown) === 'yes';
}

// A policy selecting by a label the pods' controller sets: which pods carry which value is the cluster's to say.
function controllerLabelHint(policy: Json, labels: PodLabels): string {
  const selector = asRecord(asRecord(policy.spec).podSelector);
  const named = [...Object.keys(asRecord(selector.matchLabels)), ...asArray(selector.matchExpressions).map((e) => asRecord(e).key)];
  const set = [...new Set(named)].filter((key) => labels.unknown.has(key as string));
  return ` (${objectName(policy)} selects them by ${set.join(', ')}, which their controller sets to values the manifests do not give, `
    + 'so it may select some or none of them: select the pods by their template\'s labels)';
}

/** The same NetworkPolicy written again: its group, name and a namespace that may be the same. */
function isTwin(a: Json, b: Json): boolean {
  return apiGroup(a) === apiGroup(b) && a.metadata?.name === b.metadata?.name && sameNamespace(a.metadata?.namespace, b.metadata?.namespace);
}

// A policy that would select the pods in a namespace they may not share.
function namespaceHint(policy: Json, namespace: string | undefined): string {
  const where = (ns: string | undefined) => (ns === undefined ? 'no namespace (it goes wherever it is applied)' : `namespace ${ns}`);
  return ` (${objectName(policy)} would, but it has ${where(namespaceOf(policy))} and the pods ${where(namespace)}: give both the same namespace)`;
}

// The ports one ingress rule admits; a rule without ports admits every port of every protocol.
function readOpenings(rule: Json, source: string, openings: Observed<PortOpening>[]): void {
  const ports = asArray(rule.ports);
  if (ports.length === 0) openings.push({ value: { source, protocol: 'ALL' }, at: source });
  for (let j = 0; j < ports.length; j++) openings.push({ value: portOpening(asRecord(ports[j]), source), at: `${source}.ports[${j}]` });
}

function portOpening(port: Json, source: string): PortOpening {
  const protocol = String(port.protocol ?? 'TCP');
  if (!isSet(port.port)) return { source, protocol };
  const from = typeof port.port === 'string' && !/^\d+$/.test(port.port) ? port.port : Number(port.port);
  return { source, protocol, from, to: isSet(port.endPort) ? Number(port.endPort) : undefined };
}

// Whether the policy restricts ingress: policyTypes lists Ingress, or is unset or empty, when the API server sets Ingress.
function restrictsIngress(spec: Json): boolean {
  return Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0 ? spec.policyTypes.some((type) => String(type) === 'Ingress') : true;
}
