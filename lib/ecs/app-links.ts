/**
 * What links an app's templates for the ECS reader: everything that runs each task definition
 * (services, task sets, EventBridge rules and schedules, pipes, Step Functions state machines, in any
 * template) and the ingress rules other resources add to each security group. Built once per app.
 */
import { stateMachineRuns } from './state-machine-runners';
import { taskDefinitionsNamed, untiedNote } from './task-definition-names';
import { AppIndex, CfnResourceJson, Json, ReferencedResource, TemplateScope, asArray, isObject, referencedResource } from './template-values';

/** Something that runs a task definition, and the awsvpc configuration it gives the tasks. */
export interface Runner {
  readonly scope: TemplateScope;
  readonly logicalId: string;
  readonly type: string;
  readonly launchType: unknown;
  /** The awsvpc configuration as written; undefined when there is none. */
  readonly awsvpc: unknown;
  /** Where the awsvpc configuration is, under the resource's Properties. */
  readonly awsvpcPath: readonly (string | number)[];
}

/** One task a runner resource may start: the task definition of the app, and the settings it gives the task. */
export interface TaskRun {
  readonly task: ReferencedResource;
  readonly launchType: unknown;
  readonly awsvpc: unknown;
  readonly awsvpcPath: readonly (string | number)[];
}

/** How a runner type names itself in messages, and what one resource of it runs. */
interface RunnerShape {
  readonly name: string;
  readonly runs: (app: AppIndex, scope: TemplateScope, props: Json) => TaskRun[];
}

type Holders = (props: Json) => [Json, (string | number)[]][];

const holder = (value: unknown, path: (string | number)[]): [Json, (string | number)[]][] => (isObject(value) ? [[value, path]] : []);

/**
 * Runs of a resource that holds ECS parameters in its properties: `holders` finds the objects that each
 * run a task (with their paths), `taskKey` and `awsvpcKey` name the keys, whose casing differs by type.
 */
function ecsParameterRuns(holders: Holders, taskKey: string, awsvpcKey: string): RunnerShape['runs'] {
  return (app, scope, props) => holders(props).flatMap(([runs, path]) => {
    if (runs[taskKey] === undefined) return [];
    const network = isObject(runs.NetworkConfiguration) ? runs.NetworkConfiguration : {};
    const awsvpc = network[awsvpcKey];
    return taskDefinitionsNamed(app, scope, runs[taskKey]).flatMap(({ task, certain }): TaskRun[] => {
      if (certain) return [{ task, launchType: runs.LaunchType, awsvpc, awsvpcPath: [...path, 'NetworkConfiguration', awsvpcKey] }];
      // One it only may run counts where it gives the tasks a network configuration, as a state machine's does.
      if (awsvpc === undefined) return [];
      const note = `NetworkConfiguration (${untiedNote(taskKey, runs[taskKey])})`;
      return [{ task, launchType: runs.LaunchType, awsvpc, awsvpcPath: [...path, note, awsvpcKey] }];
    });
  });
}

// Every resource type that runs an ECS task definition: each decides whether tasks get a public address
// and which security groups guard them, so each counts like a service.
export const RUNNER_SHAPES: { readonly [type: string]: RunnerShape } = {
  'AWS::ECS::Service': { name: 'the service', runs: ecsParameterRuns((p) => [[p, []]], 'TaskDefinition', 'AwsvpcConfiguration') },
  'AWS::ECS::TaskSet': { name: 'the task set', runs: ecsParameterRuns((p) => [[p, []]], 'TaskDefinition', 'AwsVpcConfiguration') },
  'AWS::Events::Rule': {
    name: 'the EventBridge rule',
    runs: ecsParameterRuns((p) => asArray(p.Targets).flatMap((t, i) => holder(isObject(t) ? t.EcsParameters : undefined, ['Targets', i, 'EcsParameters'])), 'TaskDefinitionArn', 'AwsVpcConfiguration'),
  },
  'AWS::Scheduler::Schedule': {
    name: 'the schedule',
    runs: ecsParameterRuns((p) => holder(isObject(p.Target) ? p.Target.EcsParameters : undefined, ['Target', 'EcsParameters']), 'TaskDefinitionArn', 'AwsvpcConfiguration'),
  },
  'AWS::Pipes::Pipe': {
    name: 'the pipe',
    runs: ecsParameterRuns((p) => holder(isObject(p.TargetParameters) ? p.TargetParameters.EcsTaskParameters : undefined, ['TargetParameters', 'EcsTaskParameters']), 'TaskDefinitionArn', 'AwsvpcConfiguration'),
  },
  // Task states of the definition (ecs:runTask and the SDK's ECS actions), read in state-machine-runners.
  'AWS::StepFunctions::StateMachine': { name: 'the state machine', runs: stateMachineRuns },
};

/** An AWS::EC2::SecurityGroupIngress of some template of the app. */
export interface IngressResource {
  readonly scope: TemplateScope;
  readonly logicalId: string;
  readonly properties: Json;
}

/** Runners by task definition and ingress rules by security group, over every template of the app. */
export interface AppLinks {
  readonly runners: Map<TemplateScope, Map<string, Runner[]>>;
  readonly ingress: Map<TemplateScope, Map<string, IngressResource[]>>;
  /** Ingress rules whose GroupId is only known at deploy time (a parameter, an SSM value): each may be on any group of the app. */
  readonly unknownGroupIngress: IngressResource[];
  /** Log groups by literal name, built when a container names one. */
  logGroupsByName?: Map<string, [TemplateScope, string, CfnResourceJson]>;
}

const LINKS = new WeakMap<AppIndex, AppLinks>();

function push<T>(index: Map<TemplateScope, Map<string, T[]>>, scope: TemplateScope, logicalId: string, item: T): void {
  const inScope = index.get(scope) ?? index.set(scope, new Map()).get(scope)!;
  (inScope.get(logicalId) ?? inScope.set(logicalId, []).get(logicalId)!).push(item);
}

/**
 * Whether a GroupId names a group the templates cannot tell: an intrinsic that leads to no resource, or a
 * dynamic reference. A literal id (or a GroupName) is a group the app does not create, so none of its groups.
 */
function groupOnlyKnownAtDeployTime(groupId: unknown): boolean {
  if (typeof groupId === 'string') return groupId.startsWith('{{resolve:');
  return groupId !== undefined;
}

// An attribute of another resource (a custom resource's result, an SSM parameter's value) may be any
// group's id; a VPC's is its default group, which is none of the app's.
function mayHoldGroupId(type: string): boolean {
  return type !== 'AWS::EC2::VPC';
}

/** Built once per app: one pass over the runner and ingress resources of every template. */
export function appLinks(app: AppIndex): AppLinks {
  const known = LINKS.get(app);
  if (known) return known;
  const links: AppLinks = { runners: new Map(), ingress: new Map(), unknownGroupIngress: [] };
  for (const scope of app.scopes) {
    for (const type of Object.keys(RUNNER_SHAPES)) {
      // ofType is an index lookup: a template without a resource of the type costs nothing here.
      for (const [logicalId, resource] of scope.template.ofType(type)) {
        for (const { task, launchType, awsvpc, awsvpcPath } of RUNNER_SHAPES[type].runs(app, scope, resource.Properties ?? {})) {
          push(links.runners, task.scope, task.logicalId, { scope, logicalId, type, launchType, awsvpc, awsvpcPath });
        }
      }
    }
    for (const [logicalId, resource] of scope.template.ofType('AWS::EC2::SecurityGroupIngress')) {
      const groupId = resource.Properties?.GroupId;
      const ingress = { scope, logicalId, properties: resource.Properties ?? {} };
      const group = referencedResource(app, scope, groupId);
      if (group?.resource.Type === 'AWS::EC2::SecurityGroup') push(links.ingress, group.scope, group.logicalId, ingress);
      else if (group ? mayHoldGroupId(group.resource.Type) : groupOnlyKnownAtDeployTime(groupId)) links.unknownGroupIngress.push(ingress);
    }
  }
  LINKS.set(app, links);
  return links;
}
