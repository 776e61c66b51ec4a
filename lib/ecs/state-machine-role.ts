/**
 * Whether a state machine whose definition cannot be read may start ECS tasks at all. Its Task states
 * act with the state machine's role, or with a role they assume through it (`Credentials`), so a role
 * that may neither start tasks, nor assume another role, nor give itself more permissions starts none,
 * whatever the definition says.
 *
 * Read from the app's templates: the role's own policies, and the IAM policies and managed policies of
 * the app attached to it. Conservative where they cannot tell: a role or a managed policy outside the
 * app, and an action, effect or attachment only known at deploy time, may allow it. Resource, Condition
 * and Deny are not read: they only ever take permissions away.
 */
import { brief } from './task-definition-names';
import {
  AppIndex, Json, ReferencedResource, TemplateScope, asArray, at, isObject, literalString, referencedResource, resolveText,
} from './template-values';

/** The calls through which a role could start a task with a network configuration of its choosing. */
const TASK_STARTING_ACTIONS: readonly string[] = [
  'ecs:RunTask', 'ecs:StartTask', 'ecs:CreateService', 'ecs:UpdateService', 'ecs:CreateTaskSet',
  // Another role's permissions, or more of its own.
  'sts:AssumeRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion',
];

// The policy resources that attach to roles, and the property that names them.
const ATTACHING = [['AWS::IAM::Policy', 'Roles'], ['AWS::IAM::ManagedPolicy', 'Roles'], ['AWS::IAM::RolePolicy', 'RoleName']] as const;

/** A policy document attached to the role, and where it is written. */
interface AttachedPolicy {
  /** The document; undefined for a managed policy outside the app. */
  readonly document: unknown;
  /** Where it is, as messages say it. */
  readonly where: string;
}

/**
 * Why the state machine (its Properties, in `scope`) may start ECS tasks, as a message says it;
 * undefined when its role may not.
 */
export function whyRoleMayStartTasks(app: AppIndex, scope: TemplateScope, props: Json): string | undefined {
  const role = referencedResource(app, scope, props.RoleArn);
  if (role?.resource.Type !== 'AWS::IAM::Role') return `its role ${brief(props.RoleArn)} is outside the app`;
  for (const policy of attachedPolicies(app, scope, role)) {
    const why = whyAllowed(policy);
    if (why !== undefined) return why;
  }
  return undefined;
}

function attachedPolicies(app: AppIndex, from: TemplateScope, role: ReferencedResource): AttachedPolicy[] {
  const where = (scope: TemplateScope, logicalId: string, ...path: (string | number)[]) =>
    (scope === from ? at(logicalId, ...path) : `${scope.label}: ${at(logicalId, ...path)}`);
  const props = role.resource.Properties ?? {};
  const own = asArray(props.Policies).map((policy, i): AttachedPolicy => ({
    document: isObject(policy) ? policy.PolicyDocument : undefined,
    where: where(role.scope, role.logicalId, 'Properties', 'Policies', i, 'PolicyDocument'),
  }));
  const managed = asArray(props.ManagedPolicyArns).map((arn, i): AttachedPolicy => {
    const policy = referencedResource(app, role.scope, arn);
    if (policy?.resource.Type === 'AWS::IAM::ManagedPolicy') {
      return { document: policy.resource.Properties?.PolicyDocument, where: where(policy.scope, policy.logicalId, 'Properties', 'PolicyDocument') };
    }
    return { document: undefined, where: `${where(role.scope, role.logicalId, 'Properties', 'ManagedPolicyArns', i)} (${brief(resolveText(app, role.scope, arn))}, a managed policy outside the app)` };
  });
  const attached = app.scopes.flatMap((scope) => ATTACHING.flatMap(([type, key]) => scope.template.ofType(type)
    .filter(([, policy]) => namesOf(policy.Properties?.[key]).some((name) => mayName(app, scope, name, role)))
    .map(([logicalId, policy]): AttachedPolicy => ({ document: policy.Properties?.PolicyDocument, where: where(scope, logicalId, 'Properties', 'PolicyDocument') }))));
  return [...own, ...managed, ...attached];
}

/** The role names a policy attaches to: a list, one name (RoleName), or a list only known at deploy time (one unknown name). */
function namesOf(written: unknown): readonly unknown[] {
  if (written === undefined) return [];
  return Array.isArray(written) ? written : [written];
}

/** Whether a role name written in a policy of `scope` may be the role's: a reference to it, its literal name, or a name only known at deploy time. */
function mayName(app: AppIndex, scope: TemplateScope, name: unknown, role: ReferencedResource): boolean {
  const referenced = referencedResource(app, scope, name);
  if (referenced) return referenced.scope === role.scope && referenced.logicalId === role.logicalId;
  const literal = literalString(name);
  return literal === undefined || literal === literalString(role.resource.Properties?.RoleName);
}

/** Why `policy` may allow a call of TASK_STARTING_ACTIONS; undefined when it does not. */
function whyAllowed(policy: AttachedPolicy): string | undefined {
  const { document, where } = policy;
  if (document === undefined) return `${where} may allow ${TASK_STARTING_ACTIONS[0]}`;
  const statements = isObject(document) ? document.Statement : undefined;
  if (!isObject(statements) && !Array.isArray(statements)) return `${where} cannot be read (its Statement is ${brief(statements)})`;
  const list = Array.isArray(statements) ? statements : [statements];
  for (let i = 0; i < list.length; i++) {
    const statement: unknown = list[i];
    const statementAt = Array.isArray(statements) ? `${where}.Statement[${i}]` : `${where}.Statement`;
    if (!isObject(statement) || statement.Effect === undefined) return `${statementAt} cannot be read (${brief(statement)})`;
    const effect = literalString(statement.Effect);
    if (effect === 'Deny') continue;
    if (effect !== 'Allow') return `${statementAt} has an Effect only known at deploy time (${brief(statement.Effect)})`;
    const allowed = allowedActions(statement);
    if (allowed === undefined) return `${statementAt} allows an action only known at deploy time`;
    if (allowed.length > 0) return `${statementAt} allows ${allowed[0]}`;
  }
  return undefined;
}

/** Which of TASK_STARTING_ACTIONS a statement allows; undefined when one of its actions is only known at deploy time. */
function allowedActions(statement: Json): string[] | undefined {
  // NotAction allows every action it does not name; a statement with neither allows nothing (IAM refuses it).
  const negated = statement.Action === undefined;
  const written = negated ? statement.NotAction : statement.Action;
  if (written === undefined) return [];
  const patterns = (Array.isArray(written) ? written : [written]).map(literalString);
  if (patterns.some((p) => p === undefined)) return undefined;
  const matchers = (patterns as string[]).map(actionPattern);
  return TASK_STARTING_ACTIONS.filter((action) => matchers.some((m) => m.test(action)) !== negated);
}

/** An IAM action pattern (`*` any characters, `?` one; case-insensitive) as a regular expression. */
function actionPattern(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}
