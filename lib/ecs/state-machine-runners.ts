/**
 * Step Functions state machines as runners of ECS task definitions: every Task state that runs a task
 * (`ecs:runTask`, its `.sync` and `.waitForTaskToken` forms, and the AWS SDK ECS actions that start
 * tasks or services) gives the tasks a network configuration, judged like a service's. Definitions are
 * read from `DefinitionString` (a string, `Fn::Join` or `Fn::Sub`) and `Definition`, with
 * `DefinitionSubstitutions`, through Parallel branches and Map states.
 *
 * Conservative where the template cannot tell: a definition that cannot be read, and a state whose task
 * definition is only known at run time, may run any task definition of the app that the state
 * machine's role may start tasks of (`state-machine-role.ts`); a network configuration only known at
 * run time may assign a public IP and any security group.
 */
import type { EnvironmentOverride, TaskRun } from './app-links';
import { StartableTask, tasksRoleMayStart } from './state-machine-role';
import { NamedTaskDefinition, allTaskDefinitions, brief, taskDefinitionsNamed, untiedNote } from './task-definition-names';
import { AppIndex, Json, TemplateScope, asArray, isIntrinsic, isObject, referencedResource, resolveText, subReference } from './template-values';

type Path = (string | number)[];

/** The ECS API calls that start tasks, or services, with a network configuration of their own. */
export const ECS_SDK_ACTION = '(runTask|startTask|createService|updateService|createTaskSet)';

// The Step Functions integrations that call them.
const ECS_RESOURCE = new RegExp(`:states:::(aws-sdk:)?ecs:${ECS_SDK_ACTION}(\\.\\w+)?$`, 'i');

/** The state machine being read: its app and template, and the task definitions its role may start tasks of. */
interface Machine {
  readonly app: AppIndex;
  readonly scope: TemplateScope;
  /** Read from the role's policies once, and only when a definition does not name the task definitions it runs. */
  startable(): readonly StartableTask[];
}

/** Every task the state machine (its Properties) may run, with the network configuration it gives. */
export function stateMachineRuns(app: AppIndex, scope: TemplateScope, props: Json): TaskRun[] {
  let startable: StartableTask[] | undefined;
  const machine: Machine = { app, scope, startable: () => (startable ??= tasksRoleMayStart(app, scope, props)) };
  const runs: TaskRun[] = [];
  for (const key of ['DefinitionString', 'Definition', 'DefinitionS3Location']) {
    if (props[key] === undefined) continue;
    const read = readDefinition(key, props[key], props.DefinitionSubstitutions);
    if ('unreadable' in read) {
      runs.push(...unreadableRuns(machine, key, read.unreadable));
    } else {
      const states = key === 'Definition' ? ['Definition', 'States'] : [`${key} States`];
      runs.push(...statesRuns(machine, isObject(read.definition) ? read.definition.States : undefined, states));
    }
  }
  return runs;
}

/**
 * A definition cannot be read: it may run, with any network configuration, every task definition of the
 * app that its role may start tasks of.
 */
function unreadableRuns(machine: Machine, key: string, unreadable: string): TaskRun[] {
  return machine.startable().map(({ task, why }) => {
    const note = `${key} (${unreadable}, and ${why}, so it may run this task definition with any network configuration: write the definition inline to have it checked)`;
    return { task, launchType: undefined, ...unknownNetwork('unknown', [note]) };
  });
}

/**
 * An ECS call (its parameters `args`, at `argsPath`) made by another runner than a state machine (a
 * schedule's universal target, a custom resource), read as a Task state's: `startable` bounds what it
 * may run when it does not name one task definition.
 */
export function sdkCallRuns(
  app: AppIndex, scope: TemplateScope, args: unknown, argsPath: Path, startable: () => readonly StartableTask[],
): TaskRun[] {
  let known: readonly StartableTask[] | undefined;
  return ecsRuns({ app, scope, startable: () => (known ??= startable()) }, args, argsPath);
}

/** JSON text in a template (a string, `Fn::Join` or `Fn::Sub`), parsed with its deploy-time parts where they stood; or why it cannot be read. */
export function readJsonText(value: unknown): { json: unknown } | { unreadable: string } {
  const read = readDefinition('DefinitionString', value, undefined);
  return 'unreadable' in read ? read : { json: read.definition };
}

/**
 * SDK parameters in the casing Step Functions and the CloudFormation ECS types write (`TaskDefinition`):
 * the ECS API and CDK's AwsCustomResource write them in camelCase. Only keys change, never values.
 */
export function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (!isObject(value) || isIntrinsic(value)) return value;
  const renamed: { [key: string]: unknown } = {};
  for (const key of Object.keys(value)) renamed[key.charAt(0).toUpperCase() + key.slice(1)] = pascalKeys(value[key]);
  return renamed;
}

/**
 * The variables of RunTask's `Overrides` (`ContainerOverrides[].Environment` and `EnvironmentFiles`), at `path`. A list, an
 * override or a container only known at run time (`.$`, JSONata, an intrinsic) may be any.
 */
export function environmentOverrides(overrides: unknown, path: Path): EnvironmentOverride[] {
  if (overrides === undefined) return [];
  if (!isObject(overrides) || isIntrinsic(overrides)) return [{ container: undefined, environment: overrides, path }];
  const list = field(overrides, 'ContainerOverrides');
  if (list.value === undefined) return [];
  if (list.dynamic || !Array.isArray(list.value)) return [{ container: undefined, environment: list.value, path: [...path, list.key] }];
  return list.value.flatMap((item, i): EnvironmentOverride[] => {
    const at = [...path, list.key, i];
    if (!isObject(item) || isIntrinsic(item)) return [{ container: undefined, environment: item, path: at }];
    const name = field(item, 'Name');
    const container = name.dynamic ? undefined : name.value;
    const environment = field(item, 'Environment');
    const files = field(item, 'EnvironmentFiles');
    const given: EnvironmentOverride[] = [];
    if (environment.value !== undefined) {
      const listed = environment.dynamic ? `${environment.key} ${brief(environment.value)}` : environment.value;
      given.push({ container, environment: listed, path: [...at, environment.key] });
    }
    // Files of variables no template shows, as in a container definition.
    if (files.value !== undefined) given.push({ container, environment: files.value, path: [...at, files.key], files: true });
    return given;
  });
}

// ---- Reading a definition: deploy-time parts stand in as placeholders while the JSON is parsed. ----

/** A piece of the definition's text: literal text, or a part only known at deploy time (an intrinsic). */
type Piece = string | { readonly part: unknown };

/** The definition as parsed JSON, intrinsics where they stood; or why it cannot be read. */
function readDefinition(key: string, value: unknown, substitutions: unknown): { definition: unknown } | { unreadable: string } {
  if (key === 'DefinitionS3Location') return { unreadable: 'the definition is in S3, outside the template' };
  const pieces = key === 'Definition' ? (isObject(value) ? [JSON.stringify(value)] : undefined) : textPieces(value);
  if (!pieces) return { unreadable: `${brief(value)} is only known at deploy time` };
  const definition = parsePieces(substitute(pieces, isObject(substitutions) ? substitutions : {}));
  return definition === undefined ? { unreadable: `${brief(value)} is not JSON with its deploy-time parts in string values` } : { definition };
}

/** The pieces of a DefinitionString: a string, an `Fn::Join` or an `Fn::Sub`; undefined for anything else. */
function textPieces(value: unknown): Piece[] | undefined {
  if (typeof value === 'string') return [value];
  if (!isObject(value)) return undefined;
  if (Array.isArray(value['Fn::Join'])) return joinPieces(value['Fn::Join']);
  if (value['Fn::Sub'] !== undefined) return subPieces(value['Fn::Sub']);
  return undefined;
}

function joinPieces([separator, parts]: unknown[]): Piece[] | undefined {
  if (typeof separator !== 'string' || !Array.isArray(parts)) return undefined;
  return parts.flatMap((part, i): Piece[] => [...(i > 0 ? [separator] : []), ...valuePieces(part)]);
}

/** A part of a join or a substitution: literal text as it is, nested joins flattened, any other intrinsic a placeholder. */
function valuePieces(value: unknown): Piece[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  const joined = isObject(value) && Array.isArray(value['Fn::Join']) ? joinPieces(value['Fn::Join']) : undefined;
  return joined ?? [{ part: value }];
}

/** `Fn::Sub` text as pieces: `${Name}` and `${Name.Attr}` become the references they stand for, `${!x}` the text `${x}`. */
function subPieces(sub: unknown): Piece[] | undefined {
  const [text, variables] = Array.isArray(sub) ? sub : [sub, undefined];
  if (typeof text !== 'string') return undefined;
  const given = isObject(variables) ? variables : {};
  return text.split(/(\$\{[^}]*\})/).flatMap((piece): Piece[] => {
    const name = /^\$\{([^}]*)\}$/.exec(piece)?.[1];
    if (name === undefined) return [piece];
    if (name.startsWith('!')) return [`\${${name.slice(1)}}`];
    if (name in given) return valuePieces(given[name]);
    return [{ part: subReference(name) }];
  });
}

/** DefinitionSubstitutions applied to the literal text: `${name}` becomes its literal value, or a placeholder for an intrinsic. */
function substitute(pieces: readonly Piece[], substitutions: Json): Piece[] {
  if (Object.keys(substitutions).length === 0) return [...pieces];
  return pieces.flatMap((piece) => (typeof piece !== 'string' ? [piece] : piece.split(/(\$\{[^}]*\})/).flatMap((text): Piece[] => {
    const name = /^\$\{([^}]*)\}$/.exec(text)?.[1];
    return name !== undefined && name in substitutions ? valuePieces(substitutions[name]) : [text];
  })));
}

/**
 * Joins the pieces with a unique placeholder for each intrinsic, parses the JSON, and puts each intrinsic
 * back: a whole string value becomes the intrinsic itself, a string with some in it an `Fn::Join`.
 * Undefined when the text is not JSON or a placeholder lands in a key.
 */
function parsePieces(pieces: readonly Piece[]): unknown {
  const literal = pieces.filter((p): p is string => typeof p === 'string').join('');
  let mark = '@secure-service@';
  while (literal.includes(mark)) mark += '@';
  const parts: unknown[] = [];
  const text = pieces.map((p) => (typeof p === 'string' ? p : `${mark}${parts.push(p.part) - 1}${mark}`)).join('');
  try {
    return restore(JSON.parse(text), new RegExp(`${mark}(\\d+)${mark}`), parts);
  } catch {
    return undefined;
  }
}

function restore(value: unknown, placeholder: RegExp, parts: readonly unknown[]): unknown {
  if (typeof value === 'string') {
    const split = value.split(placeholder);
    if (split.length === 1) return value;
    // split alternates text and placeholder numbers: [text, n, text, n, text].
    const joined = split.flatMap((s, i) => (i % 2 === 1 ? [parts[Number(s)]] : s === '' ? [] : [s]));
    return joined.length === 1 ? joined[0] : { 'Fn::Join': ['', joined] };
  }
  if (Array.isArray(value)) return value.map((v) => restore(v, placeholder, parts));
  if (!isObject(value)) return value;
  const restored: { [key: string]: unknown } = {};
  for (const key of Object.keys(value)) {
    // A key only known at deploy time could be any setting.
    if (placeholder.test(key)) throw new Error(`deploy-time key ${key}`);
    restored[key] = restore(value[key], placeholder, parts);
  }
  return restored;
}

// ---- Walking the states ----

/** The runs of every Task state, also inside Parallel branches and Map states. */
function statesRuns(machine: Machine, states: unknown, path: Path): TaskRun[] {
  if (!isObject(states)) return [];
  return Object.keys(states).flatMap((name) => {
    const state = states[name];
    if (!isObject(state)) return [];
    const at = [...path, name];
    return [
      ...taskStateRuns(machine, state, at),
      ...asArray(state.Branches).flatMap((branch, i) => (isObject(branch) ? statesRuns(machine, branch.States, [...at, 'Branches', i, 'States']) : [])),
      ...['Iterator', 'ItemProcessor'].flatMap((key) => {
        const inner = state[key];
        return isObject(inner) ? statesRuns(machine, inner.States, [...at, key, 'States']) : [];
      }),
    ];
  });
}

function taskStateRuns(machine: Machine, state: Json, at: Path): TaskRun[] {
  if (state.Resource === undefined) return [];
  const known = startsEcsTasks(machine.app, machine.scope, state.Resource);
  if (known === false) return [];
  // JSONPath states take Parameters, JSONata states Arguments: both are read, whichever the state uses.
  return ['Parameters', 'Arguments'].flatMap((key) => {
    const args = state[key];
    if (args === undefined || (known === undefined && !mentionsEcsTask(args))) return [];
    return ecsRuns(machine, args, [...at, key]);
  });
}

/** True for an ECS integration, false for anything else, undefined when the resource is only known at deploy time. */
function startsEcsTasks(app: AppIndex, scope: TemplateScope, resource: unknown): boolean | undefined {
  // The ARN of a resource of the app (a Lambda function, an activity) is not an ECS integration.
  if (referencedResource(app, scope, resource)) return false;
  const text = resolveText(app, scope, resource).replace(/\$\{AWS::\w+\}/g, 'aws');
  if (ECS_RESOURCE.test(text)) return true;
  return text.includes('${') ? undefined : false;
}

function mentionsEcsTask(args: unknown): boolean {
  if (isJsonata(args)) return true;
  return isObject(args) && ['TaskDefinition', 'NetworkConfiguration'].some((key) => args[key] !== undefined || args[`${key}.$`] !== undefined);
}

// ---- One ECS task state: which task definitions, and which network configuration ----

/** A setting as written: `key.$` (JSONPath) and `{% ... %}` (JSONata) are only known at run time. */
interface Field {
  readonly key: string;
  readonly value: unknown;
  readonly dynamic: boolean;
}

function field(holder: Json, key: string): Field {
  const path = holder[`${key}.$`];
  if (path !== undefined) return { key: `${key}.$`, value: path, dynamic: true };
  return { key, value: holder[key], dynamic: isJsonata(holder[key]) };
}

/** Whether a value is a JSONata expression, evaluated at run time. */
export function isJsonata(value: unknown): boolean {
  return typeof value === 'string' && /^\s*\{%[^]*%\}\s*$/.test(value);
}

function ecsRuns(machine: Machine, args: unknown, argsPath: Path): TaskRun[] {
  // Parameters only known at deploy or run time may name any task definition, network and variables.
  if (!isObject(args) || isIntrinsic(args)) {
    const note = `${argsPath[argsPath.length - 1]} (${brief(args)}, only known at run time: it may run this task definition)`;
    const at = [...argsPath.slice(0, -1), note];
    const environment = [{ container: undefined, environment: args, path: at }];
    return machine.startable().map(({ task }) => ({ task, launchType: undefined, ...unknownNetwork(args, at), environment }));
  }
  const taskDefinition = field(args, 'TaskDefinition');
  const launchType = field(args, 'LaunchType').value;
  const overrides = field(args, 'Overrides');
  return taskDefinitionsRun(machine, taskDefinition).flatMap(({ task, certain }) => {
    if (certain) {
      return [{ task, launchType, ...networkOf(args, argsPath), environment: environmentOverrides(overrides.value, [...argsPath, overrides.key]) }];
    }
    const note = `${argsPath[argsPath.length - 1]} (${untiedNote(taskDefinition.key, taskDefinition.value)})`;
    const at = [...argsPath.slice(0, -1), note];
    const network = networkOf(args, at);
    const environment = environmentOverrides(overrides.value, [...at, overrides.key]);
    // Without a network configuration or variables the state gives no public IP, security group or secret to any task.
    return network.awsvpc === undefined && environment.length === 0 ? [] : [{ task, launchType, ...network, environment }];
  });
}

/**
 * The task definitions a state may run: those its TaskDefinition names, or any when it is set at run time
 * or not at all. What it does not tie to one task definition is bounded by what the role may start.
 */
function taskDefinitionsRun(machine: Machine, taskDefinition: Field): NamedTaskDefinition[] {
  const named = taskDefinition.dynamic || taskDefinition.value === undefined
    ? allTaskDefinitions(machine.app).map((task) => ({ task, certain: false }))
    : taskDefinitionsNamed(machine.app, machine.scope, taskDefinition.value);
  return named.filter(({ task, certain }) => certain || machine.startable().some((startable) => startable.task === task));
}

/** The awsvpc configuration of the state, and its path, with settings only known at run time kept as written. */
function networkOf(args: Json, argsPath: Path): { awsvpc: unknown; awsvpcPath: Path } {
  const network = field(args, 'NetworkConfiguration');
  if (network.value === undefined) return { awsvpc: undefined, awsvpcPath: [...argsPath, 'NetworkConfiguration', 'AwsvpcConfiguration'] };
  if (network.dynamic || !isObject(network.value)) return unknownNetwork(network.value, [...argsPath, network.key]);
  const vpc = field(network.value, 'AwsvpcConfiguration');
  const awsvpcPath = [...argsPath, 'NetworkConfiguration', vpc.key];
  if (vpc.value === undefined) return { awsvpc: undefined, awsvpcPath };
  if (vpc.dynamic || !isObject(vpc.value)) return unknownNetwork(vpc.value, awsvpcPath);
  const groups = field(vpc.value, 'SecurityGroups');
  return {
    awsvpc: {
      AssignPublicIp: field(vpc.value, 'AssignPublicIp').value,
      // Groups chosen at run time are a group the app does not define.
      SecurityGroups: groups.value === undefined || Array.isArray(groups.value) ? groups.value : [groups.value],
    },
    awsvpcPath,
  };
}

/** A network configuration only known at run time: it may assign a public IP, and any security group. */
function unknownNetwork(written: unknown, awsvpcPath: Path): { awsvpc: Json; awsvpcPath: Path } {
  return { awsvpc: { AssignPublicIp: written, SecurityGroups: [written] }, awsvpcPath };
}
