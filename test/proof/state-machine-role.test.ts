// A state machine whose definition cannot be read is judged by what its role may start
// (lib/ecs/state-machine-role.ts). An IAM policy evaluator written by others (pbac, MIT) checks that
// reading against random role policies: it never misses a task definition the role may run, and where
// the policies hold nothing it deliberately over-reads (Deny, NotResource, actions that reach every task
// definition), it names exactly the task definitions the evaluator lets the role run.
import * as fc from 'fast-check';
import PBAC from 'pbac';
import { stateMachineRuns } from '../../lib/ecs/state-machine-runners';
import { CfnTemplate, indexApp } from '../../lib/ecs/template-values';

const FAMILIES = ['api', 'batch-job', 'batch-report', 'billing'];
const ARN_PREFIX = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/';
/** The ARN of a revision of a task definition of the template; a reference resolves to revision 1. */
const arnOf = (family: string, revision = 1) => `${ARN_PREFIX}${family}:${revision}`;
// Which revision is deployed is not known at synthesis: the resources below name revisions 1 and 7.
const REVISIONS = [1, 7];
const logicalIdOf = (family: string) => `Task${family.replace(/-/g, '')}`;

// Actions that start tasks of the task definitions their Resource names, with IAM's wildcards.
const RUN_ACTIONS = ['ecs:RunTask', 'ecs:StartTask', 'ecs:Run*', 'ecs:Run?ask'];
// IAM reads action names case-insensitively; pbac reads a policy's so only one way, so these are in the soundness check alone.
const CASED_ACTIONS = ['ECS:runtask', 'Ecs:StartTASK'];
const OTHER_ACTIONS = ['lambda:InvokeFunction', 'ecs:Describe*', 's3:GetObject', 'logs:*'];
// Actions whose Resource is not a task definition: they reach every one (over-read on purpose).
const ANY_TASK_ACTIONS = ['ecs:*', '*', 'ecs:CreateService', 'sts:AssumeRole', 'iam:PutRolePolicy'];

// Resources as written in a template: a reference to a task definition, or an ARN pattern.
const RESOURCES: unknown[] = [
  '*', `${ARN_PREFIX}*`, `${ARN_PREFIX}batch-*:*`, `${ARN_PREFIX}api:*`, `${ARN_PREFIX}billing:7`, `${ARN_PREFIX}b?lling:*`,
  'arn:aws:ecs:eu-west-1:123456789012:cluster/jobs', ...FAMILIES.map((family) => ({ Ref: logicalIdOf(family) })),
];
// Wildcards before `task-definition/`: such an ARN may name any task definition, and is read so (over-read on purpose).
const WILD_RESOURCES = ['arn:aws:ecs:eu-west-1:123456789012:task-definitio?/api:1', 'arn:aws:ecs:*:*:task-*'];

/** A resource as the evaluator reads it: a reference becomes the ARN it resolves to. */
function deployed(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const family = FAMILIES.find((f) => logicalIdOf(f) === (resource as { Ref: string }).Ref)!;
  return arnOf(family);
}

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly actions: { readonly negated: boolean; readonly list: string[] };
  readonly resources: { readonly negated: boolean; readonly list: unknown[] };
}

function statement(
  actions: fc.Arbitrary<string>, effect: fc.Arbitrary<'Allow' | 'Deny'>, notResource: fc.Arbitrary<boolean>, resources: readonly unknown[],
): fc.Arbitrary<Statement> {
  return fc.record({
    Effect: effect,
    actions: fc.record({ negated: fc.boolean(), list: fc.uniqueArray(actions, { minLength: 1, maxLength: 3 }) }),
    resources: fc.record({ negated: notResource, list: fc.uniqueArray(fc.constantFrom(...resources), { minLength: 1, maxLength: 3 }) }),
  });
}

function written(s: Statement, resource: (r: unknown) => unknown): Record<string, unknown> {
  return {
    Effect: s.Effect,
    [s.actions.negated ? 'NotAction' : 'Action']: s.actions.list,
    [s.resources.negated ? 'NotResource' : 'Resource']: s.resources.list.map(resource),
  };
}

/** A template with every family's task definition, and a state machine from S3 whose role holds `statements`. */
function template(statements: readonly Statement[]): CfnTemplate {
  const tasks = Object.fromEntries(FAMILIES.map((family) => [logicalIdOf(family), { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: family } }]));
  return {
    Resources: {
      ...tasks,
      Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements.map((s) => written(s, (r) => r)) } }] } },
      Flow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DefinitionS3Location: { Bucket: 'flows', Key: 'flow.asl.json' } },
      },
    },
  };
}

/** The families whose task definitions our reading says the state machine may run. */
function oursRun(statements: readonly Statement[]): Set<string> {
  const app = indexApp([{ template: template(statements), label: 'Stack' }]);
  const runs = stateMachineRuns(app, app.scopes[0], app.scopes[0].template.Resources!.Flow.Properties!);
  return new Set(runs.map((run) => String(run.task.resource.Properties!.Family)));
}

/** The families of which the evaluator lets the role start tasks of some revision (ecs:RunTask or ecs:StartTask on its ARN). */
function evaluatorRuns(statements: readonly Statement[]): Set<string> {
  const pbac = new PBAC([{ Version: '2012-10-17', Statement: statements.map((s) => written(s, deployed)) }]);
  const mayStart = (family: string) => REVISIONS.some((revision) =>
    ['ecs:RunTask', 'ecs:StartTask'].some((action) => pbac.evaluate({ action, resource: arnOf(family, revision) })));
  return new Set(FAMILIES.filter(mayStart));
}

const anyStatements = fc.array(statement(
  fc.constantFrom(...RUN_ACTIONS, ...CASED_ACTIONS, ...OTHER_ACTIONS, ...ANY_TASK_ACTIONS), fc.constantFrom('Allow', 'Deny'), fc.boolean(), [...RESOURCES, ...WILD_RESOURCES],
), { minLength: 1, maxLength: 4 });
// Without what the reading over-reads on purpose, it must be exact.
const plainStatements = fc.array(statement(fc.constantFrom(...RUN_ACTIONS, ...OTHER_ACTIONS), fc.constant('Allow'), fc.constant(false), RESOURCES), { minLength: 1, maxLength: 4 })
  .filter((statements) => statements.every((s) => !s.actions.negated));

describe('the state machine role reading, against an independent IAM evaluator (pbac)', () => {
  test('never misses a task definition the role may run', () => {
    // A `?` before task-definition/ once read as naming no task definition; it stays among the cases run.
    const wildcardBeforeFamily: Statement = {
      Effect: 'Allow', actions: { negated: false, list: ['ecs:RunTask'] }, resources: { negated: false, list: [WILD_RESOURCES[0]] },
    };
    fc.assert(fc.property(anyStatements, (statements) => {
      const ours = oursRun(statements);
      for (const family of evaluatorRuns(statements)) expect(ours).toContain(family);
    }), { numRuns: 1000, examples: [[[wildcardBeforeFamily]]] });
  });

  test('names exactly the task definitions the role may run, where its policies hold no Deny, NotAction, NotResource, action reaching every task definition or wildcard before task-definition/', () => {
    fc.assert(fc.property(plainStatements, (statements) => {
      expect([...oursRun(statements)].sort()).toEqual([...evaluatorRuns(statements)].sort());
    }), { numRuns: 300 });
  });
});
