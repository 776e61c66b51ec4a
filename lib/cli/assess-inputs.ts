import { dirname, resolve } from 'path';
import { acknowledgedUnreadContainers } from './acknowledged-unread';
import { AcknowledgedUnreadResource, ReportedAssessment, ResolvedSecurityPolicy, assessWorkload } from '../core';
import { Reading, distinctReadings } from './conditional-readings';
import { NestedStackParent, hasAssetManifest, mayBeCdkTemplateUrl, nestedStackParents } from './nested-stacks';
import { CloudFormationInput, Input, InputError, KubernetesInput } from './read-inputs';
import {
  StackAcknowledgements, StackMetadataReading, TemplateOfStack, assessAcknowledged, nestedStackOf, readStackMetadata, rejectedOverNoWorkload,
  rejectionMessage, templateAcknowledgements,
} from './stack-acknowledgements';
import { ManifestCache, stackEnvironment, stackMetadata } from './stack-environment';
import { Acknowledgement } from '../ecs/acknowledgements';
import { fileAssetsBeside } from '../ecs/file-assets';
import { readEcsWorkloads } from '../ecs/posture';
import { MAX_CONDITIONS, conditionsBeyondLimit, conditionsRead, templateVariants } from '../ecs/template-conditions';
import { EXPANSION_FIX, deployTimeExpansion } from '../ecs/template-expansions';
import { AppTemplate, CfnTemplate, indexApp, indexTemplate } from '../ecs/template-values';
import { KubernetesWorkload, readWorkloadsOfFiles } from '../k8s/posture';

/** What the inputs hold, judged: the report is built from it (`buildPostureReport`). */
export interface InputsAssessment {
  /** One per workload (per distinct reading of a task definition under template conditions), in the order of the inputs. */
  readonly assessments: readonly ReportedAssessment[];
  /** The resources that run containers no check reads, each covered by an acknowledgement. */
  readonly unreadContainers: readonly AcknowledgedUnreadResource[];
}

/**
 * Assesses every workload of the inputs with the readers the constructs use, honouring the exemptions
 * recorded in the output. The Kubernetes files are read together, as one app. So are the CloudFormation
 * templates, each with the environment its cloud assembly's manifest gives it: references between them
 * (exports) are followed, and images resolve from the stack's account and region, as the validation
 * plugin reads them.
 */
export function assessInputs(inputs: readonly Input[], policy: ResolvedSecurityPolicy, now: Date): InputsAssessment {
  const cloudFormation = assessCloudFormation(inputs.filter((input): input is CloudFormationInput => input.kind === 'cloudformation'), policy, now);
  const kubernetes = new Map<KubernetesInput, KubernetesWorkload[]>();
  for (const { workload, file } of readWorkloadsOfFiles(inputs.filter((input): input is KubernetesInput => input.kind === 'kubernetes'))) {
    (kubernetes.get(file) ?? kubernetes.set(file, []).get(file)!).push(workload);
  }
  const assessments = inputs.flatMap((input): ReportedAssessment[] => {
    if (input.kind === 'cloudformation') return cloudFormation.byInput.get(input) ?? [];
    return (kubernetes.get(input) ?? []).map((w) => ({
      ...assessWorkload(w.posture, w.exemptions, policy, now),
      recordProblems: w.problems,
    }));
  });
  return { assessments, unreadContainers: cloudFormation.unreadContainers };
}

/**
 * The assessments of every template's task definitions, the templates read together. Templates with
 * conditions (`Fn::If`) are read in every combination of them, as the validation plugin reads them: a
 * task definition whose assessment differs between combinations is reported once per distinct reading,
 * named with the conditions it needs, and counted once.
 */
function assessCloudFormation(
  inputs: readonly CloudFormationInput[], policy: ResolvedSecurityPolicy, now: Date,
): { byInput: Map<CloudFormationInput, ReportedAssessment[]>; unreadContainers: AcknowledgedUnreadResource[] } {
  const templates = inputs.map((input) => input.template as CfnTemplate);
  // The AWS::CloudFormation::Stack resources whose templates are among the inputs. Without the assembly's asset
  // manifest a nested template (CDK names it `*.nested.template.json`) cannot be linked to its parent's: it may be any's.
  const parents = nestedStackParents(inputs.map((input) => ({ file: input.file, template: input.template as CfnTemplate })));
  // A nested template the assembly names but that is not among the inputs (the parent's template given alone) is not read.
  const inputFiles = new Set(inputs.map((input) => resolve(input.file)));
  const nestedRead = new Set([...parents].filter(([nested]) => inputFiles.has(nested)).map(([, parent]) => `${resolve(parent.file)}\0${parent.logicalId}`));
  const unlinkedNested = inputs.some((input) => input.file.endsWith('.nested.template.json') && !parents.has(resolve(input.file))
    && !hasAssetManifest(dirname(input.file)));
  for (const input of inputs) {
    const expansion = deployTimeExpansion(JSON.stringify(input.template), () => input.template);
    if (expansion) throw new InputError(`${input.file}: uses ${expansion}, which CloudFormation expands only when it deploys the stack: what it produces cannot be read here; ${EXPANSION_FIX}`);
  }
  const places = stackPlaces(inputs, policy, parents);
  const unreadContainers = acknowledgedUnreadContainers(inputs, {
    // Without the asset manifest, a nested template that cannot be linked may be the one any stack CDK wrote deploys.
    isReadStack: (input, logicalId) => nestedRead.has(`${resolve(input.file)}\0${logicalId}`)
      || (unlinkedNested && mayBeCdkTemplateUrl((input.template as CfnTemplate).Resources?.[logicalId]?.Properties?.TemplateURL)),
    acknowledgements: (input) => places.get(input)!.acknowledgements(),
  });
  const conditions = templates.map(conditionsRead);
  const beyond = conditionsBeyondLimit(conditions, inputs.map((input) => input.file), 'of the templates');
  if (beyond) {
    throw new InputError(`${beyond}; the report covers every combination of at most ${MAX_CONDITIONS}, since which branch deploys cannot be told from the templates`);
  }
  const apps = templateVariants(templates, conditions).map((variant) => {
    const indexed = new Map(inputs.map((input, i) => [input, indexTemplate(variant.templates[i])]));
    const app = indexApp(inputs.map((input) => ({ template: indexed.get(input)!, ...places.get(input)!.appTemplate })));
    return { choices: variant.choices, indexed, app };
  });
  // A template is labelled by its file (AppTemplate.label), in the settings of findings in other templates.
  const placeOfLabel = (label: string) => {
    const labelled = inputs.find((input) => input.file === label);
    return labelled && places.get(labelled);
  };
  const byInput = new Map<CloudFormationInput, ReportedAssessment[]>();
  // The task definitions of each top-level stack, by construct path, with its acknowledgements.
  const workloadsOfStack = new Map<string, { acknowledgements: readonly Acknowledgement[]; paths: string[] }>();
  for (const input of inputs) {
    // Conditions choose values, not resources: each combination reads the same task definitions, in the same order.
    const readings = apps.map(({ choices, indexed, app }) => {
      const workloads = readEcsWorkloads(indexed.get(input)!, { file: input.file, app, fileAsset: fileAssetsBeside(input.file) });
      return {
        choices,
        logicalIds: workloads.map((w) => w.logicalId),
        assessments: workloads.map((w) => assessAcknowledged({
          stack: places.get(input)!.acknowledgements,
          stackOf: (label) => placeOfLabel(label)?.acknowledgements(),
          logicalId: w.logicalId,
          assess: (more) => ({ ...assessWorkload(w.posture, [...w.exemptions, ...more], policy, now), recordProblems: w.exemptionReadProblems }),
        })),
      };
    });
    const inEachCombination = (k: number) => readings.map((r): Reading => ({ choices: r.choices, assessment: r.assessments[k] }));
    byInput.set(input, readings[0].assessments.flatMap((_, k) => distinctReadings(inEachCombination(k), (t) => inputs[t].file)));
    const place = places.get(input)!;
    const stack = place.acknowledgements();
    const top = place.topLevelFile;
    const ofStack = workloadsOfStack.get(top) ?? workloadsOfStack.set(top, { acknowledgements: stack.acknowledgements, paths: [] }).get(top)!;
    for (const logicalId of readings[0].logicalIds) {
      const path = stack.pathOf(logicalId);
      if (path !== undefined) ofStack.paths.push(path);
    }
  }
  // Synthesis fails on every acknowledgement of ours that does not count. Those over a task definition are its invalid exemptions.
  for (const [file, { acknowledgements, paths }] of workloadsOfStack) {
    const [rejected] = rejectedOverNoWorkload(acknowledgements, paths);
    if (rejected) throw new InputError(`${file}: ${rejectionMessage(rejected)}; synthesis fails on it, whatever it covers`);
  }
  return { byInput, unreadContainers };
}

/** Where a template's stack is in the cloud assembly. */
interface StackPlace {
  /** Its label, where it deploys and, for a nested stack, its parent. */
  readonly appTemplate: Omit<AppTemplate, 'template'>;
  /** The acknowledgements of its top-level stack, whose metadata holds its nested stacks' too. */
  readonly acknowledgements: () => StackAcknowledgements;
  /** The template of its top-level stack. */
  readonly topLevelFile: string;
}

/**
 * Where each template's stack deploys, as its cloud assembly's manifest says, and for a nested stack its
 * parent: it deploys where its top-level stack does, as the validation plugin reads it.
 */
function stackPlaces(
  inputs: readonly CloudFormationInput[], policy: ResolvedSecurityPolicy, parents: ReadonlyMap<string, NestedStackParent>,
): Map<CloudFormationInput, StackPlace> {
  const manifests: ManifestCache = new Map();
  const topLevel = (file: string, depth = 0): string => {
    const parent = parents.get(resolve(file));
    return parent && depth < MAX_NESTING ? topLevel(parent.file, depth + 1) : file;
  };
  const metadata = new Map<string, StackMetadataReading>();
  const metadataOf = (top: string) => metadata.get(top) ?? metadata.set(top, readStackMetadata(stackMetadata(top, manifests), policy)).get(top)!;
  // Which template of its stack a file is: a nested one is the NestedStack whose AWS::CloudFormation::Stack its parent holds.
  const templateOf = (file: string, depth = 0): TemplateOfStack => {
    const parent = parents.get(resolve(file));
    if (!parent) return {};
    if (depth >= MAX_NESTING) return 'unknown';
    const ofParent = templateOf(parent.file, depth + 1);
    const nestedStack = nestedStackOf(templateAcknowledgements(metadataOf(topLevel(file)), ofParent).pathOf(parent.logicalId));
    return nestedStack === undefined ? 'unknown' : { nestedStack };
  };
  const views = new Map<string, StackAcknowledgements>();
  return new Map(inputs.map((input) => {
    const parent = parents.get(resolve(input.file));
    const top = topLevel(input.file);
    return [input, {
      appTemplate: {
        label: input.file,
        ...stackEnvironment(top, manifests),
        ...(parent ? { parent: { label: parent.file, logicalId: parent.logicalId } } : {}),
      },
      acknowledgements: () => views.get(input.file)
        ?? views.set(input.file, templateAcknowledgements(metadataOf(top), templateOf(input.file))).get(input.file)!,
      topLevelFile: top,
    }];
  }));
}

// CloudFormation nests stacks at most a few levels deep; a loop of hand-written templates ends here.
const MAX_NESTING = 32;
