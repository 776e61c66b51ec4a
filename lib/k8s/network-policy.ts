/**
 * The service's NetworkPolicy: selects its pods, denies every ingress except the service port, from
 * the peers named in `allowFrom` (any peer when it is left out). Egress is left alone.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NetworkPeer } from './props';

/** What the NetworkPolicy is rendered from. */
export interface IngressPolicyOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: { readonly [key: string]: string };
  readonly podSelector: { readonly [key: string]: string };
  /** The container port to admit; none admits nothing (a worker). */
  readonly port?: number;
  /** The peers to admit; undefined admits any. Never empty: Kubernetes reads `from: []` as every source. */
  readonly allowFrom?: readonly NetworkPeer[];
}

/** Renders the default-deny ingress policy (an L1: cdk8s-plus cannot say "any peer, this port only"). */
export function ingressNetworkPolicy(scope: Construct, id: string, options: IngressPolicyOptions): kplus.k8s.KubeNetworkPolicy {
  if (options.allowFrom?.length === 0) {
    // Props validation rejects it first; this keeps any other caller from admitting every source.
    throw new Error(`${scope.node.path}: allowFrom cannot be empty, found: []; Kubernetes reads an empty list of peers as every source: `
      + 'leave allowFrom out to admit any peer on the service port, or list the peers');
  }
  const from = options.allowFrom?.map((peer): kplus.k8s.NetworkPolicyPeer => ({
    podSelector: peer.podLabels !== undefined ? { matchLabels: { ...peer.podLabels } } : undefined,
    namespaceSelector: peer.namespaceLabels !== undefined ? { matchLabels: { ...peer.namespaceLabels } } : undefined,
  }));
  const ingress: kplus.k8s.NetworkPolicyIngressRule[] = options.port === undefined ? [] : [{
    ports: [{ port: kplus.k8s.IntOrString.fromNumber(options.port), protocol: 'TCP' }],
    from,
  }];
  return new kplus.k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: { ...options.labels } },
    spec: { podSelector: { matchLabels: { ...options.podSelector } }, policyTypes: ['Ingress'], ingress },
  });
}
