/** The service's PodDisruptionBudget: with more than one replica, voluntary evictions take one pod at a time. */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** What the PodDisruptionBudget is rendered from. */
export interface DisruptionBudgetOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: { readonly [key: string]: string };
  readonly podSelector: { readonly [key: string]: string };
}

/** Renders a PodDisruptionBudget allowing one unavailable pod. */
export function podDisruptionBudget(scope: Construct, id: string, options: DisruptionBudgetOptions): kplus.k8s.KubePodDisruptionBudget {
  return new kplus.k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: { ...options.labels } },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...options.podSelector } } },
  });
}
