import { ReportedAssessment, ResolvedSecurityPolicy, assessWorkload } from '../core';
import { CloudFormationInput, Input, KubernetesInput } from './read-inputs';
import { StackEnvironment, stackEnvironment } from './stack-environment';
import { readEcsWorkloads } from '../ecs/posture';
import { AppIndex, CfnTemplate, indexApp, indexTemplate } from '../ecs/template-values';
import { KubernetesWorkload, readWorkloads } from '../k8s/posture';

/**
 * Assesses every workload of the inputs with the readers the constructs use, honouring the exemptions
 * recorded in the output. The CloudFormation templates are read together, as one app, each with the
 * environment its cloud assembly's manifest gives it: references between them (exports) are followed,
 * and images resolve from the stack's account and region, as the validation plugin reads them.
 */
export function assessInputs(inputs: readonly Input[], policy: ResolvedSecurityPolicy, now: Date): ReportedAssessment[] {
  const templates = new Map<CloudFormationInput, CfnTemplate>();
  for (const input of inputs) if (input.kind === 'cloudformation') templates.set(input, indexTemplate(input.template as CfnTemplate));
  const app = templates.size > 0 ? appOf(templates) : undefined;
  const kubernetes = readKubernetesTogether(inputs.filter((input): input is KubernetesInput => input.kind === 'kubernetes'));
  return inputs.flatMap((input): ReportedAssessment[] => {
    if (input.kind === 'cloudformation') {
      return readEcsWorkloads(templates.get(input)!, { file: input.file, app }).map((w) => ({
        ...assessWorkload(w.posture, w.exemptions, policy, now),
        recordProblems: w.exemptionReadProblems,
      }));
    }
    return (kubernetes.get(input) ?? []).map((w) => ({
      ...assessWorkload(w.posture, w.exemptions, policy, now),
      recordProblems: w.problems,
    }));
  });
}

/**
 * The workloads of every Kubernetes input, read together as one app (a NetworkPolicy or Service in one
 * file applies to the pods of a workload in another, as in the cluster), by the input that holds them.
 */
function readKubernetesTogether(inputs: readonly KubernetesInput[]): Map<KubernetesInput, KubernetesWorkload[]> {
  const holder = inputs.flatMap((input) => input.objects.map(() => input));
  const workloads = readWorkloads(inputs.flatMap((input) => input.objects), {
    files: holder.map((input) => input.file),
    locations: inputs.flatMap((input) => input.objects.map((_, i) => `${input.file}#${i}`)),
  });
  const byInput = new Map<KubernetesInput, KubernetesWorkload[]>();
  for (const workload of workloads) {
    const input = holder[workload.index];
    (byInput.get(input) ?? byInput.set(input, []).get(input)!).push(workload);
  }
  return byInput;
}

function appOf(templates: ReadonlyMap<CloudFormationInput, CfnTemplate>): AppIndex {
  const manifests = new Map<string, ReadonlyMap<string, StackEnvironment>>();
  return indexApp([...templates].map(([input, template]) => ({ template, label: input.file, ...stackEnvironment(input.file, manifests) })));
}
