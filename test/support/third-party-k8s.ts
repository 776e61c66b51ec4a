// Independent third-party checks for synthesized Kubernetes manifests, so our
// tests do not only grade our own homework:
//  - checkPodSecurity: @monokle/validation Pod Security Standards (baseline +
//    restricted) plus its capability / uid / gid "practices" rules.
//  - validateSchemas:  kubernetes-models 4.x JSON-schema validation per kind.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

export interface MonokleProblem {
  /** e.g. 'PSS103' (pod-security-standards) or 'KBP104' (practices). */
  readonly ruleId: string;
  /** e.g. 'privileged-containers'. */
  readonly ruleName: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
  /** '<kind>/<metadata.name>' of the offending object. */
  readonly object: string;
  /** Dotted path of the offending field, e.g. 'spec.template.spec.hostPID'. */
  readonly path: string;
}

const WORKER = path.join(__dirname, 'monokle-worker.mjs');

/**
 * Runs monokle over the whole batch in one `node` child process (monokle is
 * ESM-only; jest runs CommonJS). Takes ~0.4s per call, so batch objects.
 * Throws if a monokle rule crashed: monokle swallows rule exceptions and a
 * crashed rule silently skips every object in the batch.
 * Covers pod specs of Pod, Deployment, StatefulSet, DaemonSet, Job and CronJob
 * only: monokle does NOT inspect ReplicaSet / ReplicationController pods.
 */
export function checkPodSecurity(objects: any[]): MonokleProblem[] {
  const stdout = execFileSync(process.execPath, [WORKER], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const { problems, ruleErrors } = JSON.parse(stdout) as { problems: MonokleProblem[]; ruleErrors: string[] };
  if (ruleErrors.length > 0) {
    throw new Error(`monokle rules crashed (objects are probably malformed):\n${ruleErrors.join('\n')}`);
  }
  return problems;
}

type ModelClass = { new (data: any): { validate(): void } };

// Explicit table, keyed by '<apiVersion>/<kind>'; add kinds as we emit them.
const MODELS: Record<string, ModelClass> = Object.fromEntries(
  [
    ConfigMap, CronJob, DaemonSet, Deployment, HorizontalPodAutoscaler, Ingress, Job, Namespace,
    NetworkPolicy, PersistentVolumeClaim, Pod, PodDisruptionBudget, ReplicaSet, Role, RoleBinding,
    Secret, Service, ServiceAccount, StatefulSet,
  ].map(m => [`${m.apiVersion}/${m.kind}`, m as ModelClass]),
);

/**
 * Validates each object against the Kubernetes OpenAPI schema shipped in
 * kubernetes-models. Returns one human-readable string per problem; an empty
 * array means every object is valid. Unknown apiVersion/kind is an error.
 * Note: the schemas do not forbid unknown fields, so typos in field names pass.
 */
export function validateSchemas(objects: any[]): string[] {
  const errors: string[] = [];
  objects.forEach((obj, i) => {
    const id = `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? `#${i}`}`;
    const Model = MODELS[`${obj?.apiVersion}/${obj?.kind}`];
    if (!Model) {
      errors.push(`${id}: no schema for apiVersion=${obj?.apiVersion} kind=${obj?.kind}`);
      return;
    }
    try {
      new Model(obj).validate();
    } catch (e: any) {
      // ValidationError carries ajv-style errors: { instancePath, message }.
      const details: any[] = e?.errors ?? [];
      if (details.length === 0) errors.push(`${id}: ${e?.message ?? String(e)}`);
      for (const d of details) errors.push(`${id}: ${d.instancePath || '/'} ${d.message}`);
    }
  });
  return errors;
}
