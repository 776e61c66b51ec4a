import { ReportedAssessment, ResolvedSecurityPolicy, assessWorkload } from '../core';
import { CloudFormationInput, Input } from './read-inputs';
import { StackEnvironment, stackEnvironment } from './stack-environment';
import { readEcsWorkloads } from '../ecs/posture';
import { AppIndex, CfnTemplate, indexApp, indexTemplate } from '../ecs/template-values';
import { readWorkloads } from '../k8s/posture';

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
  return inputs.flatMap((input): ReportedAssessment[] => {
    if (input.kind === 'cloudformation') {
      return readEcsWorkloads(templates.get(input)!, { file: input.file, app }).map((w) => ({
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

function appOf(templates: ReadonlyMap<CloudFormationInput, CfnTemplate>): AppIndex {
  const manifests = new Map<string, ReadonlyMap<string, StackEnvironment>>();
  return indexApp([...templates].map(([input, template]) => ({ template, label: input.file, ...stackEnvironment(input.file, manifests) })));
}
