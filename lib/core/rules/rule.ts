import { ControlId, Severity } from '../controls';
import { ResolvedSecurityPolicy } from '../policy-settings';
import { ContainerPosture, WorkloadPosture } from '../posture';

/** One weakened setting, as a rule sees it. */
export interface Violation {
  /** The container, or undefined for a workload-wide setting. */
  readonly container?: string;
  /** Where the setting is in the output, e.g. `spec.template.spec.hostPID`. */
  readonly setting: string;
  /** What is wrong, e.g. `hostPID is true: the pod shares the host's process namespace`. */
  readonly problem: string;
  /** How to restore the control. */
  readonly fix: string;
  /** Overrides the control's severity (e.g. a registry outside the allow-list is an error). */
  readonly severity?: Severity;
  /**
   * Why no exemption may cover this violation, when the security policy itself forbids the setting
   * (e.g. its registry allow-list): only whoever sets the policy can allow it.
   */
  readonly notWaivable?: string;
}

/** A rule: a small pure function over one workload's posture. */
export interface Rule {
  readonly control: ControlId;
  /** Whether the control means anything for this workload (else reported as not applicable). */
  appliesTo(workload: WorkloadPosture): boolean;
  check(workload: WorkloadPosture, policy: ResolvedSecurityPolicy): Violation[];
}

/** Runs `check` on every container (init containers included) and names the container in each violation. */
export function eachContainer(
  workload: WorkloadPosture,
  check: (container: ContainerPosture) => Omit<Violation, 'container'>[],
): Violation[] {
  // Index loops: this runs for every rule and container, mostly before V8 optimizes it, where each
  // for-of allocates an iterator and a result per step.
  const violations: Violation[] = [];
  const containers = workload.containers;
  for (let i = 0; i < containers.length; i++) {
    const found = check(containers[i]);
    for (let j = 0; j < found.length; j++) violations.push({ ...found[j], container: containers[i].name });
  }
  return violations;
}

export const always = (): boolean => true;
