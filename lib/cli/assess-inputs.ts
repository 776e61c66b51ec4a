import { ReportedAssessment, ResolvedSecurityPolicy, assessWorkload } from '../core';
import { Input } from './read-inputs';
import { readEcsWorkloads } from '../ecs/posture';
import { readWorkloads } from '../k8s/posture';

/**
 * Assesses every workload of the inputs with the readers the constructs use, honouring the exemptions
 * recorded in the output.
 */
export function assessInputs(inputs: readonly Input[], policy: ResolvedSecurityPolicy, now: Date): ReportedAssessment[] {
  return inputs.flatMap((input): ReportedAssessment[] => {
    if (input.kind === 'cloudformation') {
      return readEcsWorkloads(input.template as any, { file: input.file }).map((w) => ({
        ...assessWorkload(w.posture, w.exemptions, policy, now),
        recordProblems: w.exemptionReadProblems,
      }));
    }
    return readWorkloads(input.objects, { file: input.file }).map((w) => ({
      ...assessWorkload(w.posture, w.exemptions, policy, now),
      recordProblems: w.problems,
    }));
  });
}
