/**
 * What links an app's templates for the ECS reader: everything that runs each task definition
 * (services, task sets, EventBridge rules and schedules, pipes, Step Functions state machines, in any
 * template) and the ingress rules other resources add to each security group. Built once per app.
 */
import { EVERY_VARIABLE, PlainVariable } from '../core';
import { tasksRoleMayStart } from './state-machine-role';
import { ECS_SDK_ACTION, environmentOverrides, isJsonata, pascalKeys, readJsonText, sdkCallRuns, stateMachineRuns } from './state-machine-runners';
import { allTaskDefinitions, brief, taskDefinitionsNamed, untiedNote } from './task-definition-names';
import {
  AppIndex, CfnResourceJson, Json, ReferencedResource, TemplateScope, asArray, at, importedName, isObject, literalString, referencedLogicalId,
  referencedResource, resolveText,
} from './template-values';

type Path = (string | number)[];

/**
 * Environment variables a runner gives one container of the task (RunTask's `containerOverrides`): ECS
 * sets them as plain variables, so they are judged as the container's own.
 */
export interface EnvironmentOverride {
  /** The container's name as written; undefined when the override names none it can be tied to (any container). */
  readonly container: unknown;
  /** The `[{ Name, Value }]` list as written; anything else is a list only known at run time. */
  readonly environment: unknown;
  /** Where the list is, under the resource's Properties. */
  readonly path: Path;
  /** Set when the list is of environment files (`EnvironmentFiles`), whose variables no template shows. */
  readonly files?: boolean;
}

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
  /** The environment variables it gives the containers. */
  readonly environment: readonly EnvironmentOverride[];
}

/** One task a runner resource may start: the task definition of the app, and the settings it gives the task. */
export interface TaskRun {
  readonly task: ReferencedResource;
  readonly launchType: unknown;
  readonly awsvpc: unknown;
  readonly awsvpcPath: readonly (string | number)[];
  /** The environment variables it gives the containers. @default - none */
  readonly environment?: readonly EnvironmentOverride[];
}

/** How a runner type names itself in messages, and what one resource of it runs. */
interface RunnerShape {
  readonly name: string;
  readonly runs: (app: AppIndex, scope: TemplateScope, props: Json) => TaskRun[];
}

/** An object of the properties that runs tasks, its path, and the container overrides that go with it. */
type Holder = [Json, Path, EnvironmentOverride[]];
type Holders = (props: Json) => Holder[];

const holder = (value: unknown, path: Path, environment: EnvironmentOverride[] = []): Holder[] => (
  isObject(value) ? [[value, path, environment]] : []);

/**
 * Runs of a resource that holds ECS parameters in its properties: `holders` finds the objects that each
 * run a task (with their paths), `taskKey` and `awsvpcKey` name the keys, whose casing differs by type.
 */
function ecsParameterRuns(holders: Holders, taskKey: string, awsvpcKey: string): RunnerShape['runs'] {
  return (app, scope, props) => holders(props).flatMap(([runs, path, environment]) => {
    if (runs[taskKey] === undefined) return [];
    const network = isObject(runs.NetworkConfiguration) ? runs.NetworkConfiguration : {};
    const awsvpc = network[awsvpcKey];
    return taskDefinitionsNamed(app, scope, runs[taskKey]).flatMap(({ task, certain }): TaskRun[] => {
      if (certain) return [{ task, launchType: runs.LaunchType, awsvpc, awsvpcPath: [...path, 'NetworkConfiguration', awsvpcKey], environment }];
      // One it only may run counts where it gives the tasks a network configuration or variables, as a state machine's does.
      if (awsvpc === undefined && environment.length === 0) return [];
      const note = `NetworkConfiguration (${untiedNote(taskKey, runs[taskKey])})`;
      return [{ task, launchType: runs.LaunchType, awsvpc, awsvpcPath: [...path, note, awsvpcKey], environment }];
    });
  });
}

/**
 * The container overrides of an EventBridge target's input (schedules' ECS targets take theirs the same
 * way): `Input` is RunTask's `overrides` as JSON text, an `InputTransformer`'s template the same with
 * placeholders for parts of the event. Input taken from the event (`InputPath`) is not in the templates.
 */
function inputOverrides(target: Json, path: Path): EnvironmentOverride[] {
  const transformer = isObject(target.InputTransformer) ? target.InputTransformer : undefined;
  const written = transformer ? placeholdersQuoted(transformer.InputTemplate) : target.Input;
  const writtenAt = transformer ? [...path, 'InputTransformer', 'InputTemplate'] : [...path, 'Input'];
  if (written === undefined) return [];
  const read = readJsonText(written);
  if ('unreadable' in read) return [{ container: undefined, environment: written, path: writtenAt }];
  return environmentOverrides(isObject(read.json) ? pascalKeys(read.json) : read.json, writtenAt);
}

// An input template may hold `<name>` placeholders outside strings; as strings, the template parses as JSON.
function placeholdersQuoted(template: unknown): unknown {
  return typeof template === 'string' ? template.replace(/(^|[^"\w])<([\w.$-]+)>(?=[^"\w]|$)/g, '$1"<$2>"') : template;
}

// EventBridge Scheduler's universal targets call any API: `arn:aws:scheduler:::aws-sdk:ecs:runTask`.
const SCHEDULER_ECS_TARGET = new RegExp(`:scheduler:::aws-sdk:ecs:${ECS_SDK_ACTION}$`, 'i');

/**
 * The ECS calls of a schedule's universal target: the call's parameters are the target's `Input`. A
 * task definition it does not tie to one is bounded by what the target's role may start.
 */
function schedulerSdkRuns(app: AppIndex, scope: TemplateScope, props: Json): TaskRun[] {
  const target = isObject(props.Target) ? props.Target : {};
  const arn = resolveText(app, scope, target.Arn).replace(/\$\{AWS::\w+\}/g, 'aws');
  const known = SCHEDULER_ECS_TARGET.test(arn) ? true : arn.includes('${') ? undefined : false;
  if (known === false || target.Input === undefined) return [];
  const read = readJsonText(target.Input);
  const args = 'unreadable' in read ? target.Input : isObject(read.json) ? pascalKeys(read.json) : read.json;
  // An ARN only known at deploy time may be an ECS call: it counts when its input looks like one.
  if (known === undefined && !(isObject(args) && (args.TaskDefinition !== undefined || args.NetworkConfiguration !== undefined))) return [];
  return sdkCallRuns(app, scope, args, ['Target', 'Input'], () => tasksRoleMayStart(app, scope, { RoleArn: target.RoleArn }));
}

// CDK's AwsCustomResource calls the SDK with `{ service, action, parameters }`, as JSON text, on each event.
const CUSTOM_RESOURCE_EVENTS = ['Create', 'Update', 'Delete'];

/**
 * The ECS calls of an AwsCustomResource (`Custom::AWS`). Its provider's role is not read: a task
 * definition it does not tie to one may be any of the app. A call that cannot be read may be any ECS call.
 */
function customResourceRuns(app: AppIndex, scope: TemplateScope, props: Json): TaskRun[] {
  const any = () => allTaskDefinitions(app).map((task) => ({ task, why: 'the custom resource may call any API' }));
  return CUSTOM_RESOURCE_EVENTS.flatMap((key) => {
    if (props[key] === undefined) return [];
    const read = readJsonText(props[key]);
    if ('unreadable' in read) return sdkCallRuns(app, scope, props[key], [key], any);
    const call = isObject(read.json) ? read.json : {};
    const service = resolveText(app, scope, call.service).toLowerCase().replace(/^@aws-sdk\/client-/, '').replace(/client$/, '');
    const action = resolveText(app, scope, call.action).replace(/Command$/, '');
    const known = service === 'ecs' && new RegExp(`^${ECS_SDK_ACTION}$`, 'i').test(action) ? true : `${service}${action}`.includes('${') ? undefined : false;
    const args = isObject(call.parameters) ? pascalKeys(call.parameters) : call.parameters;
    if (known === false || (known === undefined && !isObject(args))) return [];
    return sdkCallRuns(app, scope, args, [key, 'parameters'], any);
  });
}

// Every resource type that runs an ECS task definition: each decides whether tasks get a public address
// and which security groups guard them, so each counts like a service.
export const RUNNER_SHAPES: { readonly [type: string]: RunnerShape } = {
  'AWS::ECS::Service': { name: 'the service', runs: ecsParameterRuns((p) => [[p, [], []]], 'TaskDefinition', 'AwsvpcConfiguration') },
  'AWS::ECS::TaskSet': { name: 'the task set', runs: ecsParameterRuns((p) => [[p, [], []]], 'TaskDefinition', 'AwsVpcConfiguration') },
  'AWS::Events::Rule': {
    name: 'the EventBridge rule',
    runs: ecsParameterRuns((p) => asArray(p.Targets).flatMap((t, i) => (isObject(t) ? holder(t.EcsParameters, ['Targets', i, 'EcsParameters'], inputOverrides(t, ['Targets', i])) : [])), 'TaskDefinitionArn', 'AwsVpcConfiguration'),
  },
  'AWS::Scheduler::Schedule': {
    name: 'the schedule',
    runs: (app, scope, props) => [
      ...ecsParameterRuns((p) => (isObject(p.Target) ? holder(p.Target.EcsParameters, ['Target', 'EcsParameters'], inputOverrides(p.Target, ['Target'])) : []), 'TaskDefinitionArn', 'AwsvpcConfiguration')(app, scope, props),
      ...schedulerSdkRuns(app, scope, props),
    ],
  },
  'AWS::Pipes::Pipe': {
    name: 'the pipe',
    runs: ecsParameterRuns((p) => {
      const ecsTask = isObject(p.TargetParameters) ? p.TargetParameters.EcsTaskParameters : undefined;
      const path = ['TargetParameters', 'EcsTaskParameters'];
      return holder(ecsTask, path, isObject(ecsTask) ? environmentOverrides(ecsTask.Overrides, [...path, 'Overrides']) : []);
    }, 'TaskDefinitionArn', 'AwsvpcConfiguration'),
  },
  // Task states of the definition (ecs:runTask and the SDK's ECS actions), read in state-machine-runners.
  'AWS::StepFunctions::StateMachine': { name: 'the state machine', runs: stateMachineRuns },
  // CDK's AwsCustomResource, whose SDK call may start tasks or services; also read under a type of the
  // app's choosing (isAwsCustomResource).
  'Custom::AWS': { name: 'the custom resource', runs: customResourceRuns },
};

const AWS_CUSTOM_RESOURCE = 'Custom::AWS';

/**
 * The construct id of the Lambda function that serves every AwsCustomResource of a stack (its
 * SingletonFunction's uuid, 679f53fa-c002-430c-b0da-5b7982bd2287), which starts its logical id: a custom
 * resource it serves is an AwsCustomResource whatever type it was given (`resourceType: 'Custom::RunTask'`).
 */
const AWS_CUSTOM_RESOURCE_PROVIDER = 'AWS679f53fac002430cb0da5b7982bd2287';

// Whether the resource's properties name an EC2 action that changes ingress: in an AwsCustomResource's
// call, a state machine's task (`aws-sdk:ec2:...`) or a schedule's universal target. Named anywhere, it counts.
function callsIngress(resource: CfnResourceJson): boolean {
  return INGRESS_CALL.test(JSON.stringify(resource.Properties ?? {}));
}

function isAwsCustomResource(scope: TemplateScope, resource: CfnResourceJson): boolean {
  const provider = referencedLogicalId(resource.Properties?.ServiceToken);
  if (provider === undefined) return false;
  if (provider.startsWith(AWS_CUSTOM_RESOURCE_PROVIDER)) return true;
  // An app that renames logical ids keeps the construct path CDK records on the function.
  const path = scope.template.Resources?.[provider]?.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' && path.includes(`/${AWS_CUSTOM_RESOURCE_PROVIDER}/`);
}

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
  /** Resources that call EC2 to change security group ingress at run time (an SDK call): each may open any group of the app. */
  readonly ingressCalls: { readonly scope: TemplateScope; readonly logicalId: string; readonly name: string }[];
}

// The EC2 actions that add or change a security group's ingress rules, as SDK calls name them.
const INGRESS_CALL = /authorizeSecurityGroupIngress|modifySecurityGroupRules|updateSecurityGroupRuleDescriptionsIngress/i;

/** Resources that can make SDK calls whose actions the templates write (custom resources, state machines, schedules). */
const SDK_CALLERS: { readonly [type: string]: string } = {
  'AWS::StepFunctions::StateMachine': 'the state machine',
  'AWS::Scheduler::Schedule': 'the schedule',
};

const LINKS = new WeakMap<AppIndex, AppLinks>();

function push<T>(index: Map<TemplateScope, Map<string, T[]>>, scope: TemplateScope, logicalId: string, item: T): void {
  const inScope = index.get(scope) ?? index.set(scope, new Map()).get(scope)!;
  (inScope.get(logicalId) ?? inScope.set(logicalId, []).get(logicalId)!).push(item);
}

/**
 * Whether a GroupId that names no resource of the app may still be one of its groups at deploy time: a
 * parameter the deployer fills in, an intrinsic the templates cannot follow, or an SSM parameter the app
 * writes (it may hold a group's id). What comes from outside the app (a literal id, an import of a name
 * the app does not export, an SSM parameter it does not write) cannot be a group the app creates at
 * deployment: a database's imported group is not the service's.
 */
function mayBeAppGroup(app: AppIndex, scope: TemplateScope, groupId: unknown): boolean {
  if (typeof groupId === 'string') {
    const ssm = /^\{\{resolve:ssm:([^:}]+)/.exec(groupId);
    return ssm !== null && appWritesSsmParameter(app, ssm[1]);
  }
  if (!isObject(groupId)) return false;
  // An import may be of an export of the app when its name, or the export's, is known only at deploy time.
  if (groupId['Fn::ImportValue'] !== undefined) {
    const name = importedName(app, scope, groupId['Fn::ImportValue']);
    return name === undefined || app.mayBeExported(name);
  }
  const parameter = typeof groupId.Ref === 'string' ? scope.template.Parameters?.[groupId.Ref] : undefined;
  if (parameter && typeof parameter.Type === 'string' && parameter.Type.startsWith('AWS::SSM::Parameter::Value')) {
    return typeof parameter.Default !== 'string' || appWritesSsmParameter(app, parameter.Default);
  }
  return true;
}

// Whether an AWS::SSM::Parameter of the app is, or may be (its name only known at deploy time), `name`.
function appWritesSsmParameter(app: AppIndex, name: string): boolean {
  return app.scopes.some((scope) => scope.template.ofType('AWS::SSM::Parameter').some(([, resource]) => {
    const written = literalString(resource.Properties?.Name);
    return written === undefined || written === name;
  }));
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
  const links: AppLinks = { runners: new Map(), ingress: new Map(), unknownGroupIngress: [], ingressCalls: [] };
  for (const scope of app.scopes) {
    const addRuns = (type: string, logicalId: string, resource: CfnResourceJson) => {
      for (const { task, launchType, awsvpc, awsvpcPath, environment } of RUNNER_SHAPES[type].runs(app, scope, resource.Properties ?? {})) {
        push(links.runners, task.scope, task.logicalId, { scope, logicalId, type, launchType, awsvpc, awsvpcPath, environment: environment ?? [] });
      }
    };
    for (const type of Object.keys(RUNNER_SHAPES)) {
      // ofType is an index lookup: a template without a resource of the type costs nothing here.
      for (const [logicalId, resource] of scope.template.ofType(type)) addRuns(type, logicalId, resource);
    }
    for (const [logicalId, resource] of scope.template.customResources()) {
      if (resource.Type !== AWS_CUSTOM_RESOURCE && isAwsCustomResource(scope, resource)) addRuns(AWS_CUSTOM_RESOURCE, logicalId, resource);
      if (callsIngress(resource)) links.ingressCalls.push({ scope, logicalId, name: 'the custom resource' });
    }
    for (const type of Object.keys(SDK_CALLERS)) {
      for (const [logicalId, resource] of scope.template.ofType(type)) {
        if (callsIngress(resource)) links.ingressCalls.push({ scope, logicalId, name: SDK_CALLERS[type] });
      }
    }
    for (const [logicalId, resource] of scope.template.ofType('AWS::EC2::SecurityGroupIngress')) {
      const groupId = resource.Properties?.GroupId;
      const ingress = { scope, logicalId, properties: resource.Properties ?? {} };
      const group = referencedResource(app, scope, groupId);
      if (group?.resource.Type === 'AWS::EC2::SecurityGroup') push(links.ingress, group.scope, group.logicalId, ingress);
      else if (group ? mayHoldGroupId(group.resource.Type) : mayBeAppGroup(app, scope, groupId)) links.unknownGroupIngress.push(ingress);
      // A rule naming its group by GroupName (a default VPC's way) may be on a group the app names so.
      else if (groupId === undefined && resource.Properties?.GroupName !== undefined) links.unknownGroupIngress.push(ingress);
    }
  }
  LINKS.set(app, links);
  return links;
}

/**
 * The variables the runners give the container named `containerName` (written as in its definition),
 * as the container's own plain variables, at the runner's setting (`readingScope`: the template read).
 */
export function runnerVariables(app: AppIndex, readingScope: TemplateScope, runners: readonly Runner[], containerName: unknown): PlainVariable[] {
  const own = literalString(containerName);
  return runners.flatMap((runner) => runner.environment.flatMap((override) => {
    const named = override.container === undefined ? undefined : resolveText(app, runner.scope, override.container);
    // RunTask refuses an override of a container the task definition does not have; one it cannot name may be any.
    if (named !== undefined && own !== undefined && !named.includes('${') && named !== own) return [];
    const where = (...path: Path) => {
      const written = at(runner.logicalId, 'Properties', ...override.path, ...path);
      return runner.scope === readingScope ? written : `${runner.scope.label}: ${written}`;
    };
    if (override.files) {
      return [{ name: EVERY_VARIABLE, at: where(), source: `the environment files ${brief(override.environment)} of ${RUNNER_SHAPES[runner.type].name} ${runner.logicalId}` }];
    }
    if (!Array.isArray(override.environment)) {
      const source = `the container overrides of ${RUNNER_SHAPES[runner.type].name} ${runner.logicalId} (${typeof override.environment === 'string' ? override.environment : brief(override.environment)}, only known at run time)`;
      return [{ name: EVERY_VARIABLE, at: where(), source }];
    }
    return override.environment.flatMap((variable, i) => overrideVariable(app, runner.scope, isObject(variable) ? variable : {}, where(i)));
  }));
}

// The callback token Step Functions gives a task (`$$.Task.Token`, in JSONata `$states.context.Task.Token`):
// passing it as an override is the documented way to hand it to the task, which returns it to complete.
const TASK_TOKEN = /^(\$\$\.Task\.Token|\{%\s*\$states\.context\.Task\.Token\s*%\})$/;

/** One `{ Name, Value }` of an override; a name or value chosen at run time (`Name.$`, JSONata) is unknown here. */
function overrideVariable(app: AppIndex, scope: TemplateScope, variable: Json, variableAt: string): PlainVariable[] {
  if (TASK_TOKEN.test(String(variable['Value.$'] ?? variable.Value ?? ''))) return [];
  const runTime = (key: string) => variable[`${key}.$`] !== undefined || isJsonata(variable[key]);
  if (runTime('Name')) return [{ name: `\${${brief(variable['Name.$'] ?? variable.Name)}}`, at: variableAt }];
  if (variable.Name === undefined) return [];
  const value = runTime('Value') || variable.Value === undefined ? undefined : resolveText(app, scope, variable.Value);
  return [{ name: resolveText(app, scope, variable.Name), at: variableAt, value }];
}
