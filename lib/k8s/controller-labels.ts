/**
 * The labels a pod gets from its workload's controller, beside those of its template. A selector may
 * pick pods by them (a Service selecting `statefulset.kubernetes.io/pod-name: db-0`, a NetworkPolicy
 * matching `pod-template-hash` with `Exists` or `DoesNotExist`), so a pod's labels are its template's
 * and these, whose values only the cluster knows (but a Job's name): the controller sets them, over any the
 * template gives.
 */
import { Json, asRecord } from './objects';

const JOB_LABELS = ['job-name', 'batch.kubernetes.io/job-name', 'controller-uid', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index'];

/** By workload kind: what its controllers add (a Deployment's through its ReplicaSets; a CronJob's through its Jobs). */
const CONTROLLER_LABELS: { readonly [kind: string]: readonly string[] } = {
  Deployment: ['pod-template-hash'],
  StatefulSet: ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-revision-hash'],
  DaemonSet: ['controller-revision-hash', 'pod-template-generation'],
  Job: JOB_LABELS,
  CronJob: JOB_LABELS,
};

/** Every key a controller may set: a selector naming one may select pods whatever their templates say. */
export const CONTROLLER_LABEL_KEYS: ReadonlySet<string> = new Set(Object.values(CONTROLLER_LABELS).flat());

const NONE: ReadonlySet<string> = new Set();

/** A pod's labels as selectors meet them. */
export interface PodLabels {
  /** The template's labels whose values the pods keep. */
  readonly known: Readonly<Record<string, string>>;
  /** Labels the controller may set, to values the manifests do not give (some only on some pods). */
  readonly unknown: ReadonlySet<string>;
}

/** The labels of the pods `workload` runs, from its pod template's `metadata`. */
export function podLabels(workload: Json, templateMetadata: Json): PodLabels {
  const labels = asRecord(templateMetadata.labels) as Record<string, string>;
  const added = CONTROLLER_LABELS[workload.kind as string];
  if (added === undefined) return { known: labels, unknown: NONE };
  const unknown = new Set(added);
  const jobName = namedJob(workload);
  if (jobName === undefined && !Object.keys(labels).some((key) => unknown.has(key))) return { known: labels, unknown };
  const known: Record<string, string> = {};
  for (const key of Object.keys(labels)) if (!unknown.has(key)) known[key] = labels[key];
  if (jobName !== undefined) {
    for (const key of JOB_NAME_LABELS) {
      known[key] = jobName;
      unknown.delete(key);
    }
  }
  return { known, unknown };
}

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];

// A Job's pods are labelled with its name, which its manifest gives, unless it selects its pods itself (manualSelector).
function namedJob(workload: Json): string | undefined {
  const name = asRecord(workload.metadata).name;
  return workload.kind === 'Job' && typeof name === 'string' && asRecord(workload.spec).manualSelector !== true ? name : undefined;
}
