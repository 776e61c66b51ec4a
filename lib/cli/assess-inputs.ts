import { ReportedAssessment, ResolvedSecurityPolicy, assessWorkload } from '../core';
import { CloudFormationInput, Input, InputError, KubernetesInput } from './read-inputs';
import { StackEnvironment, stackEnvironment } from './stack-environment';
import { fileAssetsBeside } from '../ecs/file-assets';
import { readEcsWorkloads } from '../ecs/posture';
import { ConditionChoice, MAX_CONDITIONS, conditionsBeyondLimit, conditionsRead, templateVariants } from '../ecs/template-conditions';
import { AppIndex, CfnTemplate, indexApp, indexTemplate } from '../ecs/template-values';
import { KubernetesWorkload, readWorkloadsOfFiles } from '../k8s/posture';

/**
 * Assesses every workload of the inputs with the readers the constructs use, honouring the exemptions
 * recorded in the output. The Kubernetes files are read together, as one app. So are the CloudFormation
 * templates, each with the environment its cloud assembly's manifest gives it: references between them
 * (exports) are followed, and images resolve from the stack's account and region, as the validation
 * plugin reads them.
 */
export function assessInputs(inputs: readonly Input[], policy: ResolvedSecurityPolicy, now: Date): ReportedAssessment[] {
  const cloudFormation = assessCloudFormation(inputs.filter((input): input is CloudFormationInput => input.kind === 'cloudformation'), policy, now);
  const kubernetes = new Map<KubernetesInput, KubernetesWorkload[]>();
  for (const { workload, file } of readWorkloadsOfFiles(inputs.filter((input): input is KubernetesInput => input.kind === 'kubernetes'))) {
    (kubernetes.get(file) ?? kubernetes.set(file, []).get(file)!).push(workload);
  }
  return inputs.flatMap((input): ReportedAssessment[] => {
    if (input.kind === 'cloudformation') return cloudFormation.get(input) ?? [];
    return (kubernetes.get(input) ?? []).map((w) => ({
      ...assessWorkload(w.posture, w.exemptions, policy, now),
      recordProblems: w.problems,
    }));
  });
}

/**
 * The assessments of every template's task definitions, the templates read together. Templates with
 * conditions (`Fn::If`) are read in every combination of them, as the validation plugin reads them: a
 * task definition whose assessment differs between combinations is reported once per combination,
 * named with the conditions it needs.
 */
function assessCloudFormation(
  inputs: readonly CloudFormationInput[], policy: ResolvedSecurityPolicy, now: Date,
): Map<CloudFormationInput, ReportedAssessment[]> {
  const templates = inputs.map((input) => input.template as CfnTemplate);
  const conditions = templates.map(conditionsRead);
  const beyond = conditionsBeyondLimit(conditions, inputs.map((input) => input.file), 'of the templates');
  if (beyond) {
    throw new InputError(`${beyond}; the report covers every combination of at most ${MAX_CONDITIONS}, since which branch deploys cannot be told from the templates`);
  }
  const apps = templateVariants(templates, conditions).map((variant) => {
    const indexed = new Map(inputs.map((input, i) => [input, indexTemplate(variant.templates[i])]));
    return { choices: variant.choices, indexed, app: appOf(indexed) };
  });
  const byInput = new Map<CloudFormationInput, ReportedAssessment[]>();
  for (const input of inputs) {
    // Conditions choose values, not resources: each combination reads the same task definitions, in the same order.
    const readings = apps.map(({ choices, indexed, app }) => ({
      choices,
      assessments: readEcsWorkloads(indexed.get(input)!, {
        file: input.file, app, fileAsset: fileAssetsBeside(input.file),
      }).map((w): ReportedAssessment => ({
        ...assessWorkload(w.posture, w.exemptions, policy, now),
        recordProblems: w.exemptionReadProblems,
      })),
    }));
    const inEachCombination = (k: number) => readings.map((r) => ({ choices: r.choices, assessment: r.assessments[k] }));
    byInput.set(input, readings[0].assessments.flatMap((_, k) => distinctReadings(inEachCombination(k), inputs)));
  }
  return byInput;
}

/** A task definition's assessment in one combination of the conditions. */
interface Reading {
  readonly choices: readonly ConditionChoice[];
  readonly assessment: ReportedAssessment;
}

/** One task definition's assessment in each combination: once when they agree, else once per distinct one, named with its conditions. */
function distinctReadings(readings: readonly Reading[], inputs: readonly CloudFormationInput[]): ReportedAssessment[] {
  const distinct = new Map<string, Reading>();
  for (const reading of readings) {
    const key = JSON.stringify(reading.assessment);
    if (!distinct.has(key)) distinct.set(key, reading);
  }
  if (distinct.size === 1) return [readings[0].assessment];
  return [...distinct.values()].map(({ choices, assessment }) => ({
    ...assessment,
    workload: {
      ...assessment.workload,
      name: `${assessment.workload.name} (when ${choices.map((c) => `condition ${c.condition} of ${inputs[c.template].file} is ${c.value}`).join(', ')})`,
    },
  }));
}

function appOf(templates: ReadonlyMap<CloudFormationInput, CfnTemplate>): AppIndex {
  const manifests = new Map<string, ReadonlyMap<string, StackEnvironment>>();
  return indexApp([...templates].map(([input, template]) => ({ template, label: input.file, ...stackEnvironment(input.file, manifests) })));
}
