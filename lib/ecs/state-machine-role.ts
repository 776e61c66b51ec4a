/**
 * Which task definitions a state machine whose definition cannot be read may start tasks of. Its Task
 * states act with the state machine's role, or with a role they assume through it (`Credentials`), so
 * the role's permissions bound what the definition can do: a role that may neither start tasks, nor
 * assume another role, nor give itself more permissions starts none; one that may call `ecs:RunTask`
 * or `ecs:StartTask` only on some task definitions (`taskDefinition.grantRun`) starts only those.
 *
 * Read from the app's templates: the role's own policies, and the IAM policies and managed policies of
 * the app attached to it. Conservative where they cannot tell: a role or a managed policy outside the
 * app, and an action, resource, effect or attachment only known at deploy time, may allow anything.
 * Condition and Deny are not read: they only ever take permissions away.
 */
import { allTaskDefinitions, brief } from './task-definition-names';
import {
  AppIndex, Json, ReferencedResource, TemplateScope, asArray, at, isObject, literalString, referencedResource, resolveText,
} from './template-values';

// The calls that start tasks of the task definitions their Resource names.
const TASK_DEFINITION_ACTIONS = ['ecs:RunTask', 'ecs:StartTask'];

/** The calls through which a role could start a task with a network configuration of its choosing. */
const TASK_STARTING_ACTIONS: readonly string[] = [
  ...TASK_DEFINITION_ACTIONS,
  // Their Resource is a service or cluster: any task definition.
  'ecs:CreateService', 'ecs:UpdateService', 'ecs:CreateTaskSet',
  // Another role's permissions, or more of its own.
  'sts:AssumeRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion',
];

// The policy resources that attach to roles, and the property that names them.
const ATTACHING = [['AWS::IAM::Policy', 'Roles'], ['AWS::IAM::ManagedPolicy', 'Roles'], ['AWS::IAM::RolePolicy', 'RoleName']] as const;

/** A policy document attached to the role, and where it is written. */
interface AttachedPolicy {
  /** The document; undefined for a managed policy outside the app. */
  readonly document: unknown;
  /** The template it is in. */
  readonly scope: TemplateScope;
  /** Where it is, as messages say it. */
  readonly where: string;
}

/** A task definition of the app the state machine may start tasks of, and why, as a message says it. */
export interface StartableTask {
  readonly task: ReferencedResource;
  readonly why: string;
}

/** The task definitions of the app the state machine (its Properties, in `scope`) may start tasks of, in app order. */
export function tasksRoleMayStart(app: AppIndex, scope: TemplateScope, props: Json): StartableTask[] {
  const role = referencedResource(app, scope, props.RoleArn);
  if (role?.resource.Type !== 'AWS::IAM::Role') {
    const why = `its role ${brief(props.RoleArn)} is outside the app`;
    return allTaskDefinitions(app).map((task) => ({ task, why }));
  }
  const reasons = new Map<ReferencedResource, string>();
  for (const policy of attachedPolicies(app, scope, role)) {
    for (const { tasks, why } of policyGrants(app, policy)) {
      for (const task of tasks) if (!reasons.has(task)) reasons.set(task, why);
    }
  }
  return allTaskDefinitions(app).flatMap((task) => (reasons.has(task) ? [{ task, why: reasons.get(task)! }] : []));
}

function attachedPolicies(app: AppIndex, from: TemplateScope, role: ReferencedResource): AttachedPolicy[] {
  const policy = (scope: TemplateScope, document: unknown, logicalId: string, ...path: (string | number)[]): AttachedPolicy =>
    ({ document, scope, where: scope === from ? at(logicalId, ...path) : `${scope.label}: ${at(logicalId, ...path)}` });
  const props = role.resource.Properties ?? {};
  const own = asArray(props.Policies).map((inline, i) =>
    policy(role.scope, isObject(inline) ? inline.PolicyDocument : undefined, role.logicalId, 'Properties', 'Policies', i, 'PolicyDocument'));
  const managed = asArray(props.ManagedPolicyArns).map((arn, i) => {
    const found = referencedResource(app, role.scope, arn);
    if (found?.resource.Type === 'AWS::IAM::ManagedPolicy') return policy(found.scope, found.resource.Properties?.PolicyDocument, found.logicalId, 'Properties', 'PolicyDocument');
    const outside = policy(role.scope, undefined, role.logicalId, 'Properties', 'ManagedPolicyArns', i);
    return { ...outside, where: `${outside.where} (${brief(resolveText(app, role.scope, arn))}, a managed policy outside the app)` };
  });
  const attached = app.scopes.flatMap((scope) => ATTACHING.flatMap(([type, key]) => scope.template.ofType(type)
    .filter(([, resource]) => namesOf(resource.Properties?.[key]).some((name) => mayName(app, scope, name, role)))
    .map(([logicalId, resource]) => policy(scope, resource.Properties?.PolicyDocument, logicalId, 'Properties', 'PolicyDocument'))));
  return [...own, ...managed, ...attached];
}

/** The role names a policy attaches to: a list, one name (RoleName), or a list only known at deploy time (one unknown name). */
function namesOf(written: unknown): readonly unknown[] {
  if (written === undefined) return [];
  return Array.isArray(written) ? written : [written];
}

/**
 * Whether a role name written in a policy of `scope` may be the role's: a reference to it, a name only
 * known at deploy time, or a literal name the role may have (its own literal name, or any where the
 * role's name is only known at deploy time; a name CloudFormation generates cannot be written before).
 */
function mayName(app: AppIndex, scope: TemplateScope, name: unknown, role: ReferencedResource): boolean {
  const referenced = referencedResource(app, scope, name);
  if (referenced) return referenced.scope === role.scope && referenced.logicalId === role.logicalId;
  const literal = literalString(name);
  if (literal === undefined) return true;
  const own = role.resource.Properties?.RoleName;
  return own !== undefined && (literalString(own) === undefined || literalString(own) === literal);
}

/** What each statement of `policy` that may allow starting tasks lets the role start, and why. */
function policyGrants(app: AppIndex, policy: AttachedPolicy): { tasks: readonly ReferencedResource[]; why: string }[] {
  const { document, where } = policy;
  const all = (why: string) => [{ tasks: allTaskDefinitions(app), why }];
  if (document === undefined) return all(`${where} may allow ${TASK_STARTING_ACTIONS[0]}`);
  const statements = isObject(document) ? document.Statement : undefined;
  if (!isObject(statements) && !Array.isArray(statements)) return all(`${where} cannot be read (its Statement is ${brief(statements)})`);
  const list = Array.isArray(statements) ? statements : [statements];
  return list.flatMap((statement: unknown, i) => {
    const statementAt = Array.isArray(statements) ? `${where}.Statement[${i}]` : `${where}.Statement`;
    if (!isObject(statement) || statement.Effect === undefined) return all(`${statementAt} cannot be read (${brief(statement)})`);
    const effect = literalString(statement.Effect);
    if (effect === 'Deny') return [];
    if (effect !== 'Allow') return all(`${statementAt} has an Effect only known at deploy time (${brief(statement.Effect)})`);
    const allowed = allowedActions(statement);
    if (allowed === undefined) return all(`${statementAt} allows an action only known at deploy time`);
    const byResource = allowed.find((action) => TASK_DEFINITION_ACTIONS.includes(action));
    const anyTask = allowed.find((action) => !TASK_DEFINITION_ACTIONS.includes(action));
    // Each task definition is named with the first reason found: the one its Resource names comes first.
    return [
      ...(byResource !== undefined ? [{ tasks: resourceTasks(app, policy.scope, statement), why: `${statementAt} allows ${byResource}` }] : []),
      ...(anyTask !== undefined ? all(`${statementAt} allows ${anyTask}`) : []),
    ];
  });
}

/** Which of TASK_STARTING_ACTIONS a statement allows; undefined when one of its actions is only known at deploy time. */
function allowedActions(statement: Json): string[] | undefined {
  // NotAction allows every action it does not name; a statement with neither allows nothing (IAM refuses it).
  const negated = statement.Action === undefined;
  const written = negated ? statement.NotAction : statement.Action;
  if (written === undefined) return [];
  const patterns = namesOf(written).map(literalString);
  if (patterns.some((p) => p === undefined)) return undefined;
  const matchers = (patterns as string[]).map((p) => wildcardPattern(p, 'i'));
  return TASK_STARTING_ACTIONS.filter((action) => matchers.some((m) => m.test(action)) !== negated);
}

/**
 * The task definitions of the app a statement's Resource names: a reference to one, or an ARN whose
 * family may be theirs (IAM's wildcards count). NotResource, and a resource only known at deploy time,
 * may name any.
 */
function resourceTasks(app: AppIndex, scope: TemplateScope, statement: Json): readonly ReferencedResource[] {
  if (statement.Resource === undefined) return allTaskDefinitions(app);
  const named = new Set<ReferencedResource>();
  for (const resource of namesOf(statement.Resource)) {
    const referenced = referencedResource(app, scope, resource);
    if (referenced) {
      const task = allTaskDefinitions(app).find((t) => t.scope === referenced.scope && t.logicalId === referenced.logicalId);
      if (task) named.add(task);
      continue;
    }
    for (const task of tasksOfArn(app, resolveText(app, scope, resource))) named.add(task);
  }
  return allTaskDefinitions(app).filter((task) => named.has(task));
}

/** The task definitions an ARN pattern may name: by the family in `task-definition/<family>:<revision>`. */
function tasksOfArn(app: AppIndex, arn: string): readonly ReferencedResource[] {
  const marker = arn.lastIndexOf('task-definition/');
  // Any other ARN names no task definition, unless a wildcard (`*`, `?`) or a deploy-time part could make it one.
  if (marker < 0) return /[*?]|\$\{/.test(arn) ? allTaskDefinitions(app) : [];
  const family = arn.slice(marker + 'task-definition/'.length).split(':')[0];
  if (family.includes('${')) return allTaskDefinitions(app);
  const pattern = wildcardPattern(family, '');
  return allTaskDefinitions(app).filter((task) => {
    const own = task.resource.Properties?.Family;
    const text = own === undefined ? undefined : resolveText(app, task.scope, own);
    // A family CloudFormation generates, or one only known at deploy time, may be the one named.
    return text === undefined || text.includes('${') || pattern.test(text);
  });
}

/** An IAM pattern (`*` any characters, `?` one) as a regular expression: actions match case-insensitively (`i`), resources exactly. */
function wildcardPattern(pattern: string, flags: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}
