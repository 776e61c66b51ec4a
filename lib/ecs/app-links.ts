/**
 * What links an app's templates for the ECS reader: everything that runs each task definition
 * (services, task sets, EventBridge rules and schedules, pipes, in any template) and the ingress rules
 * other resources add to each security group. Built once per app.
 */
import { AppIndex, CfnResourceJson, Json, TemplateScope, asArray, isObject, referencedResource } from './template-values';

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

/** Where a runner type holds the task definition, launch type and network configuration, and its awsvpc key's casing. */
interface RunnerShape {
  /** The objects that each run a task, with their paths under Properties. */
  readonly holders: (props: Json) => [Json, (string | number)[]][];
  readonly taskKey: string;
  readonly awsvpcKey: string;
  /** How messages name it. */
  readonly name: string;
}

const holder = (value: unknown, path: (string | number)[]): [Json, (string | number)[]][] => (isObject(value) ? [[value, path]] : []);

// Every resource type that runs an ECS task definition: each decides whether tasks get a public address
// and which security groups guard them, so each counts like a service.
export const RUNNER_SHAPES: { readonly [type: string]: RunnerShape } = {
  'AWS::ECS::Service': { holders: (p) => [[p, []]], taskKey: 'TaskDefinition', awsvpcKey: 'AwsvpcConfiguration', name: 'the service' },
  'AWS::ECS::TaskSet': { holders: (p) => [[p, []]], taskKey: 'TaskDefinition', awsvpcKey: 'AwsVpcConfiguration', name: 'the task set' },
  'AWS::Events::Rule': {
    holders: (p) => asArray(p.Targets).flatMap((t, i) => holder(isObject(t) ? t.EcsParameters : undefined, ['Targets', i, 'EcsParameters'])),
    taskKey: 'TaskDefinitionArn',
    awsvpcKey: 'AwsVpcConfiguration',
    name: 'the EventBridge rule',
  },
  'AWS::Scheduler::Schedule': {
    holders: (p) => holder(isObject(p.Target) ? p.Target.EcsParameters : undefined, ['Target', 'EcsParameters']),
    taskKey: 'TaskDefinitionArn',
    awsvpcKey: 'AwsvpcConfiguration',
    name: 'the schedule',
  },
  'AWS::Pipes::Pipe': {
    holders: (p) => holder(isObject(p.TargetParameters) ? p.TargetParameters.EcsTaskParameters : undefined, ['TargetParameters', 'EcsTaskParameters']),
    taskKey: 'TaskDefinitionArn',
    awsvpcKey: 'AwsvpcConfiguration',
    name: 'the pipe',
  },
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
  /** Log groups by literal name, built when a container names one. */
  logGroupsByName?: Map<string, [TemplateScope, string, CfnResourceJson]>;
}

const LINKS = new WeakMap<AppIndex, AppLinks>();

function push<T>(index: Map<TemplateScope, Map<string, T[]>>, scope: TemplateScope, logicalId: string, item: T): void {
  const inScope = index.get(scope) ?? index.set(scope, new Map()).get(scope)!;
  (inScope.get(logicalId) ?? inScope.set(logicalId, []).get(logicalId)!).push(item);
}

/** Built once per app: one pass over the runner and ingress resources of every template. */
export function appLinks(app: AppIndex): AppLinks {
  const known = LINKS.get(app);
  if (known) return known;
  const links: AppLinks = { runners: new Map(), ingress: new Map() };
  for (const scope of app.scopes) {
    for (const type of Object.keys(RUNNER_SHAPES)) {
      const shape = RUNNER_SHAPES[type];
      for (const [logicalId, resource] of scope.template.ofType(type)) {
        for (const [runs, path] of shape.holders(resource.Properties ?? {})) {
          const task = referencedResource(app, scope, runs[shape.taskKey]);
          if (task?.resource.Type !== 'AWS::ECS::TaskDefinition') continue;
          const network = isObject(runs.NetworkConfiguration) ? runs.NetworkConfiguration : {};
          const awsvpcPath = [...path, 'NetworkConfiguration', shape.awsvpcKey];
          const runner = { scope, logicalId, type, launchType: runs.LaunchType, awsvpc: network[shape.awsvpcKey], awsvpcPath };
          push(links.runners, task.scope, task.logicalId, runner);
        }
      }
    }
    for (const [logicalId, resource] of scope.template.ofType('AWS::EC2::SecurityGroupIngress')) {
      const group = referencedResource(app, scope, resource.Properties?.GroupId);
      if (group?.resource.Type === 'AWS::EC2::SecurityGroup') push(links.ingress, group.scope, group.logicalId, { scope, logicalId, properties: resource.Properties ?? {} });
    }
  }
  LINKS.set(app, links);
  return links;
}
