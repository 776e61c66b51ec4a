import * as path from 'path';
import {
  Aws, CfnParameter, Fn, Stack, aws_ec2 as ec2, aws_ecs as ecs, aws_iam as iam, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks,
} from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { API, exemption, reportedViolations, service, synth, synthError } from './fixtures';
import { Control } from '../../lib/core';
import { CfnTemplate, SecureService, readEcsWorkloads } from '../../lib/ecs';
import { appLinks } from '../../lib/ecs/app-links';
import { at, indexApp, isObject } from '../../lib/ecs/template-values';

type Built = ReturnType<typeof service>;

/** Every run of a task definition a state machine of `template` makes: where its awsvpc configuration is, and its AssignPublicIp. */
function stateMachineRunsOf(template: CfnTemplate): [string, unknown][] {
  const app = indexApp([{ template, label: 'Stack' }]);
  const runners = [...appLinks(app).runners.get(app.scopes[0])?.values() ?? []].flat();
  return runners.filter((r) => r.type === 'AWS::StepFunctions::StateMachine').map((r) => [at(r.logicalId, 'Properties', ...r.awsvpcPath), isObject(r.awsvpc) ? r.awsvpc.AssignPublicIp : undefined]);
}

/** The synthesized template of a stack that passes the checks. */
const passing = (stack: Stack) => synth(stack).toJSON() as CfnTemplate;

/** An EcsRunTask of the service's task definition, as CDK writes it (the task definition named by its family). */
function runTask(b: Built, id: string, more: Partial<tasks.EcsRunTaskProps> = {}): tasks.EcsRunTask {
  return new tasks.EcsRunTask(b.stack, id, {
    cluster: b.cluster,
    taskDefinition: b.svc.taskDefinition,
    launchTarget: new tasks.EcsFargateLaunchTarget(),
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    ...more,
  });
}

function stateMachine(b: Built, definition: sfn.IChainable, props: Partial<sfn.StateMachineProps> = {}): sfn.StateMachine {
  return new sfn.StateMachine(b.stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(definition), ...props });
}

const PUBLIC = { assignPublicIp: true, subnets: { subnetType: ec2.SubnetType.PUBLIC } };
const PUBLIC_IP = /\[NO_PUBLIC_IP\] Stack\/Api\/TaskDefinition: tasks get a public IP address: they are reachable from the internet at /;
const FLOW = 'Resources\\.Flow\\w+\\.Properties';

/** A raw state machine whose one Task state runs `parameters` with `resource`. */
function rawStateMachine(b: Built, props: Partial<sfn.CfnStateMachineProps>): sfn.CfnStateMachine {
  return new sfn.CfnStateMachine(b.stack, 'Raw', { roleArn: 'arn:aws:iam::123456789012:role/flow', ...props });
}

function runTaskState(parameters: Record<string, unknown>, resource: unknown = 'arn:aws:states:::ecs:runTask.sync'): Record<string, unknown> {
  return { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: resource, End: true, Parameters: parameters } } };
}

const awsvpc = (b: Built, assignPublicIp: string) => ({
  AwsvpcConfiguration: { AssignPublicIp: assignPublicIp, Subnets: ['subnet-0bbbbbbbbbbbbbbb1'], SecurityGroups: [b.svc.connections.securityGroups[0].securityGroupId] },
});

describe('a state machine that runs the task definition (aws-stepfunctions-tasks EcsRunTask) counts like a service', () => {
  test('EcsRunTask with assignPublicIp fails synthesis naming NO_PUBLIC_IP and the state in the state machine', () => {
    // GIVEN
    const b = service();
    // WHEN
    stateMachine(b, runTask(b, 'Run', PUBLIC));
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}${FLOW}\\.DefinitionString States\\.Run\\.Parameters\\.NetworkConfiguration\\.AwsvpcConfiguration\\.AssignPublicIp`));
  });

  test('with an exemption of NO_PUBLIC_IP it passes, and the exemption is recorded and used', () => {
    // GIVEN
    const b = service({ exemptions: [exemption(Control.NO_PUBLIC_IP)] });
    // WHEN
    stateMachine(b, runTask(b, 'Run', PUBLIC));
    // THEN
    Template.fromStack(b.stack).hasResource('AWS::ECS::TaskDefinition', {
      Metadata: { 'secure-service:exemptions': Match.arrayWith([Match.objectLike({ control: Control.NO_PUBLIC_IP })]) },
    });
    expect(reportedViolations(b.app)).toEqual([]);
  });

  test('without a public IP (the default) it passes, read as a run of the task definition; a Pass state is no run', () => {
    // GIVEN
    const b = service();
    // WHEN
    stateMachine(b, new sfn.Pass(b.stack, 'Nothing').next(runTask(b, 'Run')));
    // THEN
    expect(stateMachineRunsOf(passing(b.stack))).toEqual([[expect.stringMatching(/^Resources\.Flow\w+\.Properties\.DefinitionString States\.Run\.Parameters\.NetworkConfiguration\.AwsvpcConfiguration$/), undefined]]);
  });

  test('a RunTask inside a Parallel branch and inside a Map state is found, with its path', () => {
    // GIVEN
    const b = service();
    // WHEN
    const map = new sfn.Map(b.stack, 'Fan').itemProcessor(runTask(b, 'Each', PUBLIC));
    stateMachine(b, new sfn.Parallel(b.stack, 'Both').branch(runTask(b, 'Run')).branch(map));
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}${FLOW}\\.DefinitionString States\\.Both\\.Branches\\[1\\]\\.States\\.Fan\\.ItemProcessor\\.States\\.Each\\.Parameters`));
  });

  test('a JSONata RunTask (Arguments) with a public IP fails', () => {
    const b = service();
    stateMachine(b, tasks.EcsRunTask.jsonata(b.stack, 'Run', { cluster: b.cluster, taskDefinition: b.svc.taskDefinition, launchTarget: new tasks.EcsFargateLaunchTarget(), ...PUBLIC }));
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}${FLOW}\\.DefinitionString States\\.Run\\.Arguments\\.NetworkConfiguration\\.AwsvpcConfiguration\\.AssignPublicIp`));
  });

  test("the state's security groups are judged by NETWORK_ISOLATION", () => {
    // GIVEN
    const b = service();
    const open = new ec2.SecurityGroup(b.stack, 'Open', { vpc: b.vpc });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    // WHEN
    stateMachine(b, runTask(b, 'Run', { securityGroups: [open] }));
    // THEN
    expect(synthError(b.stack)).toMatch(/\[NETWORK_ISOLATION\] Stack\/Api\/TaskDefinition: security group Open\w+ admits port 22\/TCP, which is not a container port/);
  });

  test('a state machine in another stack is read too', () => {
    const b = service();
    const other = new Stack(b.app, 'Other');
    new sfn.StateMachine(other, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(runTask({ ...b, stack: other }, 'Run', PUBLIC)) });
    expect(() => b.app.synth()).toThrow(new RegExp(`${PUBLIC_IP.source}Other: ${FLOW}\\.DefinitionString States\\.Run\\.Parameters`));
  });
});

describe('raw CfnStateMachine definitions', () => {
  test('a state machine in another stack naming the task definition by its family alone (no import between the stacks) is read', () => {
    // GIVEN
    const b = service();
    const family = (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).family!;
    const other = new Stack(b.app, 'Other');
    // WHEN: nothing ties the two templates together but the family written in the definition
    const publicIp = { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-0bbbbbbbbbbbbbbb1'], SecurityGroups: ['sg-0ccccccccccccccc1'] } };
    new sfn.CfnStateMachine(other, 'Raw', { roleArn: 'arn:aws:iam::123456789012:role/flow', definition: runTaskState({ TaskDefinition: family, NetworkConfiguration: publicIp }) });
    // THEN
    expect(() => b.app.synth()).toThrow(new RegExp(`${PUBLIC_IP.source}Other: Resources\\.Raw\\.Properties\\.Definition\\.States\\.Run\\.Parameters`));
  });


  test('Definition with DefinitionSubstitutions: the substituted task definition ARN and public IP are read', () => {
    // GIVEN
    const b = service();
    // WHEN
    rawStateMachine(b, {
      definition: runTaskState({ TaskDefinition: '${task}', LaunchType: 'FARGATE', NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: '${publicIp}', Subnets: ['subnet-0bbbbbbbbbbbbbbb1'], SecurityGroups: ['${group}'] } } }),
      definitionSubstitutions: { task: b.svc.taskDefinition.taskDefinitionArn, publicIp: 'ENABLED', group: b.svc.connections.securityGroups[0].securityGroupId },
    });
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}Resources\\.Raw\\.Properties\\.Definition\\.States\\.Run\\.Parameters\\.NetworkConfiguration\\.AwsvpcConfiguration\\.AssignPublicIp`));
  });

  test('a DefinitionString substituted to DISABLED passes: substitutions are applied, not guessed', () => {
    const b = service();
    rawStateMachine(b, {
      definitionString: JSON.stringify(runTaskState({ TaskDefinition: '${task}', NetworkConfiguration: awsvpc(b, '${publicIp}') })),
      definitionSubstitutions: { task: b.svc.taskDefinition.taskDefinitionArn, publicIp: 'DISABLED' },
    });
    expect(stateMachineRunsOf(passing(b.stack))).toEqual([['Resources.Raw.Properties.DefinitionString States.Run.Parameters.NetworkConfiguration.AwsvpcConfiguration', 'DISABLED']]);
  });

  test('an AWS SDK integration that creates a service with a public IP fails', () => {
    const b = service();
    rawStateMachine(b, {
      definition: runTaskState({ TaskDefinition: b.svc.taskDefinition.taskDefinitionArn, NetworkConfiguration: awsvpc(b, 'ENABLED') }, 'arn:aws:states:::aws-sdk:ecs:createService'),
    });
    expect(synthError(b.stack)).toMatch(PUBLIC_IP);
  });

  test("a task definition of another family is not one of the app's; the service's family is", () => {
    // GIVEN
    const b = service();
    const family = (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).family!;
    const run = (taskDefinition: string, publicIp: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask', Next: 'Own', Parameters: { TaskDefinition: taskDefinition, NetworkConfiguration: awsvpc(b, publicIp) } });
    // WHEN
    rawStateMachine(b, { definition: { StartAt: 'Billing', States: { Billing: run('billing-batch:3', 'ENABLED'), Own: { ...run(`${family}:2`, 'DISABLED'), Next: undefined, End: true } } } });
    // THEN
    expect(stateMachineRunsOf(passing(b.stack))).toEqual([['Resources.Raw.Properties.Definition.States.Own.Parameters.NetworkConfiguration.AwsvpcConfiguration', 'DISABLED']]);
  });
});

describe('what cannot be tied or read counts as possibly this task definition, possibly with a public IP', () => {
  test('a task definition chosen at run time (TaskDefinition.$) may be any task definition of the app', () => {
    const b = service();
    rawStateMachine(b, { definition: runTaskState({ 'TaskDefinition.$': '$.task', 'NetworkConfiguration': awsvpc(b, 'ENABLED') }) });
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}Resources\\.Raw\\.Properties\\.Definition\\.States\\.Run\\.Parameters \\(TaskDefinition\\.\\$ "\\$\\.task" cannot be tied to one task definition of the app: it may be this one\\)\\.NetworkConfiguration\\.AwsvpcConfiguration\\.AssignPublicIp`));
  });

  test("a task definition chosen at run time may be only those the state machine's role may start tasks of (grantRun)", () => {
    // GIVEN
    const b = service();
    const batch = new SecureService(b.stack, 'Batch', { ...API, cluster: b.cluster });
    const role = new iam.Role(b.stack, 'FlowRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    batch.taskDefinition.grantRun(role);
    // WHEN
    rawStateMachine(b, { roleArn: role.roleArn, definition: runTaskState({ 'TaskDefinition.$': '$.task', 'NetworkConfiguration': awsvpc(b, 'ENABLED') }) });
    new sfn.CfnStateMachine(b.stack, 'Jsonata', { roleArn: role.roleArn, definition: runTaskState('{% $states.input.run %}' as unknown as Record<string, unknown>) });
    // THEN: the Api's task definition is run by neither
    const error = synthError(b.stack);
    expect(error).toMatch(/\[NO_PUBLIC_IP\] Stack\/Batch\/TaskDefinition: .* at Resources\.Raw\.Properties\.Definition\.States\.Run\.Parameters \(TaskDefinition\.\$ "\$\.task" cannot be tied/);
    expect(error).toMatch(/\[NETWORK_ISOLATION\] Stack\/Batch\/TaskDefinition: .* at Resources\.Jsonata\.Properties\.Definition\.States\.Run\.Parameters \("\{% \$states\.input\.run %\}", only known at run time/);
    expect(error).not.toMatch(/Stack\/Api\/TaskDefinition/);
  });

  test('a task definition chosen at run time, with public IPs DISABLED and the service group, passes', () => {
    const b = service();
    rawStateMachine(b, { definition: runTaskState({ TaskDefinition: '{% $states.input.task %}', NetworkConfiguration: awsvpc(b, 'DISABLED') }) });
    expect(stateMachineRunsOf(passing(b.stack))).toEqual([[expect.stringContaining('Parameters (TaskDefinition "{% $states.input.task %}" cannot be tied'), 'DISABLED']]);
  });

  test('a network configuration chosen at run time may assign a public IP and any security group', () => {
    const b = service();
    rawStateMachine(b, { definition: runTaskState({ 'TaskDefinition': b.svc.taskDefinition.taskDefinitionArn, 'NetworkConfiguration.$': '$.network' }) });
    const error = synthError(b.stack);
    expect(error).toMatch(new RegExp(`${PUBLIC_IP.source}Resources\\.Raw\\.Properties\\.Definition\\.States\\.Run\\.Parameters\\.NetworkConfiguration\\.\\$\\.AssignPublicIp`));
    expect(error).toMatch(/\[NETWORK_ISOLATION\] Stack\/Api\/TaskDefinition: security group "\$\.network" is not defined in this template, so what it admits cannot be checked/);
  });

  test('a definition in S3, with a role outside the app, may run the task definition with any network configuration', () => {
    const b = service();
    rawStateMachine(b, { definitionS3Location: { bucket: 'flows', key: 'flow.asl.json' } });
    const error = synthError(b.stack);
    expect(error).toMatch(new RegExp(`${PUBLIC_IP.source}Resources\\.Raw\\.Properties\\.DefinitionS3Location \\(the definition is in S3, outside the template, and its role "arn:aws:iam::123456789012:role/flow" is outside the app, so it may run this task definition with any network configuration: write the definition inline to have it checked\\)`));
    expect(error).toMatch(/\[NETWORK_ISOLATION\] Stack\/Api\/TaskDefinition: security group "unknown" is not defined in this template/);
  });

  test('a DefinitionString from a deploy-time parameter cannot be read, and fails the same way', () => {
    const b = service();
    rawStateMachine(b, { definitionString: new CfnParameter(b.stack, 'Definition').valueAsString });
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}Resources\\.Raw\\.Properties\\.DefinitionString \\(\\{"Ref":"Definition"\\} is only known at deploy time`));
  });

  test('both pass with exemptions of NO_PUBLIC_IP and NETWORK_ISOLATION', () => {
    const b = service({ exemptions: [exemption(Control.NO_PUBLIC_IP), exemption(Control.NETWORK_ISOLATION)] });
    rawStateMachine(b, { definitionS3Location: { bucket: 'flows', key: 'flow.asl.json' } });
    expect(synthError(b.stack)).toBe('');
    // Both are used: neither is reported as unused.
    expect(reportedViolations(b.app)).toEqual([]);
  });
});

describe("a definition that cannot be read runs only the task definitions the state machine's role may start tasks of", () => {
  const FILE = path.join(__dirname, 'flows', 'public-run-task.asl.json');
  /** A state machine whose definition CDK uploads to S3 (`DefinitionBody.fromFile`), with `statements` on its role. */
  function fromFile(b: Built, ...statements: iam.PolicyStatement[]): sfn.StateMachine {
    const flow = new sfn.StateMachine(b.stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromFile(FILE) });
    statements.forEach((statement) => flow.addToRolePolicy(statement));
    return flow;
  }
  const allow = (...actions: string[]) => new iam.PolicyStatement({ actions, resources: ['*'] });
  const S3_RUN = `${PUBLIC_IP.source}${FLOW}\\.DefinitionS3Location \\(the definition is in S3, outside the template, and `;

  test('a role that may not start tasks (CDK gives it none) starts none: the service passes', () => {
    const b = service();
    fromFile(b, allow('lambda:InvokeFunction', 'ecs:DescribeTasks'));
    expect(stateMachineRunsOf(passing(b.stack))).toEqual([]);
  });

  test.each([
    ['ecs:RunTask', 'ecs:RunTask'], ['ecs:*', 'ecs:RunTask'], ['*', 'ecs:RunTask'], ['ECS:runtask', 'ecs:RunTask'], ['ecs:Run*', 'ecs:RunTask'],
    ['ecs:UpdateService', 'ecs:UpdateService'], ['sts:AssumeRole', 'sts:AssumeRole'], ['iam:PutRolePolicy', 'iam:PutRolePolicy'],
  ])('a role allowed %s fails, naming the statement that allows %s', (action, allowed) => {
    const b = service();
    fromFile(b, allow(action));
    const error = synthError(b.stack);
    expect(error).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ${allowed}, so it may run this task definition with any network configuration`));
    expect(error).toMatch(/\[NETWORK_ISOLATION\] Stack\/Api\/TaskDefinition: security group "unknown" is not defined in this template/);
  });

  test('a role that may run only another task definition (grantRun) runs only that one', () => {
    // GIVEN
    const b = service();
    const batch = new SecureService(b.stack, 'Batch', { ...API, cluster: b.cluster });
    // WHEN
    batch.taskDefinition.grantRun(fromFile(b));
    // THEN: the Api's task definition is not run; the batch job's is, and fails (Statement[0] is grantRun's iam:PassRole)
    const error = synthError(b.stack);
    expect(error).toMatch(new RegExp(`\\[NO_PUBLIC_IP\\] Stack/Batch/TaskDefinition: tasks get a public IP address: they are reachable from the internet at ${FLOW}\\.DefinitionS3Location \\(the definition is in S3, outside the template, and Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[1\\] allows ecs:RunTask`));
    expect(error).not.toMatch(/Stack\/Api\/TaskDefinition/);
  });

  test.each([
    ['a family pattern that matches it', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/StackApi*:*', true],
    ['a family pattern that does not', 'arn:aws:ecs:*:*:task-definition/billing-*:*', false],
    ['every task definition', 'arn:aws:ecs:*:*:task-definition/*', true],
    ['a cluster, not a task definition', 'arn:aws:ecs:eu-west-1:123456789012:cluster/jobs', false],
  ])('ecs:RunTask on %s: %s', (_, resource, runs) => {
    const b = service();
    fromFile(b, new iam.PolicyStatement({ actions: ['ecs:RunTask'], resources: [resource] }));
    if (runs) expect(synthError(b.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));
    else expect(stateMachineRunsOf(passing(b.stack))).toEqual([]);
  });

  test('ecs:RunTask on a resource only known at deploy time, or with NotResource, may run it; ecs:CreateService on any resource may run every task definition', () => {
    const notResource = service();
    fromFile(notResource, new iam.PolicyStatement({ actions: ['ecs:RunTask'], notResources: ['arn:aws:ecs:*:*:task-definition/billing:*'] }));
    expect(synthError(notResource.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));
    const byParameter = service();
    fromFile(byParameter, new iam.PolicyStatement({ actions: ['ecs:RunTask'], resources: [new CfnParameter(byParameter.stack, 'Runs').valueAsString] }));
    expect(synthError(byParameter.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));
    const b = service();
    fromFile(b, new iam.PolicyStatement({ actions: ['ecs:CreateService'], resources: ['arn:aws:ecs:eu-west-1:123456789012:service/jobs/batch'] }));
    expect(synthError(b.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:CreateService`));
  });

  test('with exemptions of NO_PUBLIC_IP and NETWORK_ISOLATION it passes', () => {
    const b = service({ exemptions: [exemption(Control.NO_PUBLIC_IP), exemption(Control.NETWORK_ISOLATION)] });
    fromFile(b, allow('ecs:RunTask'));
    expect(synthError(b.stack)).toBe('');
    expect(reportedViolations(b.app)).toEqual([]);
  });

  test('NotAction allows every action it does not name; Deny allows none', () => {
    const denied = service();
    fromFile(denied, new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ecs:*'], resources: ['*'] }), new iam.PolicyStatement({ notActions: ['ecs:*', 'sts:*', 'iam:*'], resources: ['*'] }));
    expect(synthError(denied.stack)).toBe('');
    const b = service();
    fromFile(b, new iam.PolicyStatement({ notActions: ['s3:*'], resources: ['*'] }));
    expect(synthError(b.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));
  });

  test('a managed policy of the app is read; one outside it may allow anything', () => {
    const invoke = service();
    fromFile(invoke).role.addManagedPolicy(new iam.ManagedPolicy(invoke.stack, 'Invoke', { statements: [allow('lambda:InvokeFunction')] }));
    expect(synthError(invoke.stack)).toBe('');
    const b = service();
    fromFile(b).role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess'));
    expect(synthError(b.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRole\\w+\\.Properties\\.ManagedPolicyArns\\[0\\] \\("arn:\\$\\{AWS::Partition\\}:iam::aws:policy\\/PowerUserAccess", a managed policy outside the app\\) may allow ecs:RunTask`));
  });

  test('a managed policy of the app allowing ecs:RunTask is named', () => {
    const b = service();
    fromFile(b).role.addManagedPolicy(new iam.ManagedPolicy(b.stack, 'Run', { statements: [allow('ecs:RunTask')] }));
    expect(synthError(b.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.Run\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));
  });

  test('a policy in another stack attached to the role is read', () => {
    const b = service();
    const flow = fromFile(b);
    new iam.Policy(new Stack(b.app, 'Grants'), 'Run', { roles: [flow.role], statements: [allow('ecs:RunTask')] });
    expect(() => b.app.synth()).toThrow(new RegExp(`${S3_RUN}Grants: Resources\\.Run\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));
  });

  test('what is only known at deploy time may allow it: a role name, a list of them, an action, an effect', () => {
    const byName = service();
    fromFile(byName);
    new iam.CfnPolicy(byName.stack, 'Named', { policyName: 'run', roles: [new CfnParameter(byName.stack, 'RoleName').valueAsString], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }] } });
    expect(synthError(byName.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.Named\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));

    const byList = service();
    fromFile(byList);
    new iam.CfnPolicy(byList.stack, 'Listed', { policyName: 'run', roles: new CfnParameter(byList.stack, 'RoleNames', { type: 'CommaDelimitedList' }).valueAsList, policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }] } });
    expect(synthError(byList.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.Listed\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`));

    const byAction = service();
    fromFile(byAction, allow(new CfnParameter(byAction.stack, 'Action').valueAsString));
    expect(synthError(byAction.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.FlowRoleDefaultPolicy\\w+\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows an action only known at deploy time`));

    const byEffect = service();
    const flow = fromFile(byEffect);
    new iam.CfnRolePolicy(byEffect.stack, 'Effect', {
      roleName: flow.role.roleName, policyName: 'effect', policyDocument: { Statement: { Effect: new CfnParameter(byEffect.stack, 'AllowOrDeny').valueAsString, Action: 'ecs:RunTask', Resource: '*' } },
    });
    expect(synthError(byEffect.stack)).toMatch(new RegExp(`${S3_RUN}Resources\\.Effect\\.Properties\\.PolicyDocument\\.Statement has an Effect only known at deploy time \\(\\{"Ref":"AllowOrDeny"\\}\\)`));
  });

  test("a policy naming a role by a literal name is read where the state machine's role has that name, or a name only known at deploy time", () => {
    const named = (roleName: string) => {
      const b = service();
      const role = new iam.Role(b.stack, 'FlowRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), roleName });
      new sfn.StateMachine(b.stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromFile(FILE), role });
      new iam.CfnPolicy(b.stack, 'ByName', { policyName: 'run', roles: ['flow-runner'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }] } });
      return synthError(b.stack);
    };
    const BY_NAME = new RegExp(`${S3_RUN}Resources\\.ByName\\.Properties\\.PolicyDocument\\.Statement\\[0\\] allows ecs:RunTask`);
    expect(named('flow-runner')).toMatch(BY_NAME);
    expect(named(Fn.join('-', ['flow', Aws.REGION]))).toMatch(BY_NAME);
    expect(named('other-runner')).toBe('');
  });

  test('a policy of another role, by reference or by literal name, is not read', () => {
    const b = service();
    fromFile(b);
    const other = new iam.Role(b.stack, 'Other', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), roleName: 'other' });
    other.addToPolicy(allow('ecs:RunTask'));
    new iam.CfnPolicy(b.stack, 'ByName', { policyName: 'run', roles: ['other'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }] } });
    expect(synthError(b.stack)).toBe('');
  });

  test('a Statement that cannot be read may allow it', () => {
    const b = service();
    new sfn.CfnStateMachine(b.stack, 'Raw', {
      roleArn: new iam.CfnRole(b.stack, 'Role', { assumeRolePolicyDocument: {}, policies: [{ policyName: 'odd', policyDocument: { Statement: 'ecs:RunTask' } }] }).attrArn,
      definitionS3Location: { bucket: 'flows', key: 'flow.asl.json' },
    });
    expect(synthError(b.stack)).toMatch(/DefinitionS3Location \(the definition is in S3, outside the template, and Resources\.Role\.Properties\.Policies\[0\]\.PolicyDocument cannot be read \(its Statement is "ecs:RunTask"\), so it may run/);
  });
});

describe('readEcsWorkloads reads state machine definitions (pure, over template JSON)', () => {
  const task = { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'api', RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', ContainerDefinitions: [{ Name: 'web' }] } };
  const publicIpOf = (properties: Record<string, unknown>, more: Record<string, unknown> = {}) => readEcsWorkloads({
    Resources: { Task: task, Flow: { Type: 'AWS::StepFunctions::StateMachine', Properties: properties }, ...more },
  } as CfnTemplate)[0].posture.publicIp;

  test('an Fn::Sub DefinitionString, its ${Task} the task definition', () => {
    const definition = '{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:${AWS::Partition}:states:::ecs:runTask","End":true,'
      + '"Parameters":{"TaskDefinition":"${Task}","NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"ENABLED"}}}}}}';
    expect(publicIpOf({ DefinitionString: { 'Fn::Sub': definition } })).toEqual({
      value: true, at: 'Resources.Flow.Properties.DefinitionString States.Run.Parameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp',
    });
  });

  test("an S3 definition counts by its role's inline policies, IAM's wildcards read as IAM reads them", () => {
    const withRoleAllowing = (action: string) => publicIpOf({
      RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DefinitionS3Location: { Bucket: 'flows', Key: 'flow.asl.json' },
    }, { Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: [action], Resource: '*' }] } }] } } });
    expect(withRoleAllowing('ecs:Run?ask')?.at).toMatch(/and Resources\.Role\.Properties\.Policies\[0\]\.PolicyDocument\.Statement\[0\] allows ecs:RunTask, so/);
    expect(withRoleAllowing('ecs:Run?')).toBeUndefined();
    const withStatement = (statement: unknown) => publicIpOf({ RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DefinitionS3Location: { Bucket: 'flows', Key: 'flow.asl.json' } }, {
      Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [statement] } }] } },
    });
    expect(withStatement({ 'Fn::If': ['Run', { Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }, { Ref: 'AWS::NoValue' }] })?.at)
      .toMatch(/and Resources\.Role\.Properties\.Policies\[0\]\.PolicyDocument\.Statement\[0\] cannot be read \(\{"Fn::If":/);
  });

  test('a family:revision names the task definition of that family', () => {
    const definition = { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask', End: true, Parameters: { TaskDefinition: 'api:7', NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } } } } } };
    expect(publicIpOf({ Definition: definition })?.value).toBe(true);
  });

  test('a key only known at deploy time makes the definition unreadable', () => {
    const definition = { 'Fn::Join': ['', ['{"StartAt":"Run","States":{"Run":{"Type":"Pass","', { Ref: 'Key' }, '":"x","End":true}}}']] };
    expect(publicIpOf({ DefinitionString: definition })?.at).toMatch(/^Resources\.Flow\.Properties\.DefinitionString \(.* is not JSON with its deploy-time parts in string values/);
  });

  test('a task whose resource is a Lambda function of the app is not an ECS task; one from a deploy-time parameter may be', () => {
    const state = (resource: unknown) => ({ Type: 'Task', Resource: resource, End: true, Arguments: '{% $states.input %}' });
    const definition = { StartAt: 'Lambda', States: { Lambda: state({ 'Fn::GetAtt': ['Fn', 'Arn'] }), Unknown: state({ Ref: 'Integration' }) } };
    const template = { Resources: { Task: task, Fn: { Type: 'AWS::Lambda::Function', Properties: {} }, Flow: { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: definition } } } };
    expect(stateMachineRunsOf(template as CfnTemplate)).toEqual([[
      'Resources.Flow.Properties.Definition.States.Unknown.Arguments ("{% $states.input %}", only known at run time: it may run this task definition)', '{% $states.input %}',
    ]]);
  });
});

describe('services, task sets and rules that name the task definition by its family (no reference) count too', () => {
  const network = (b: Built, assignPublicIp: string) => ({
    awsvpcConfiguration: { assignPublicIp, subnets: ['subnet-0bbbbbbbbbbbbbbb1'], securityGroups: [b.svc.connections.securityGroups[0].securityGroupId] },
  });

  test('a raw service running family:revision with a public IP fails naming the service', () => {
    // GIVEN
    const b = service();
    const family = (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).family!;
    // WHEN
    new ecs.CfnService(b.stack, 'ByFamily', { cluster: 'shared', launchType: 'FARGATE', taskDefinition: `${family}:3`, networkConfiguration: network(b, 'ENABLED') });
    // THEN
    expect(synthError(b.stack)).toMatch(new RegExp(`${PUBLIC_IP.source}Resources\\.ByFamily\\.Properties\\.NetworkConfiguration\\.AwsvpcConfiguration\\.AssignPublicIp`));
  });

  test('a service running a task definition from a deploy-time parameter may run this one: its public IP fails, with why', () => {
    // GIVEN
    const b = service();
    const taskDefinition = new CfnParameter(b.stack, 'TaskDefinitionArn').valueAsString;
    // WHEN
    new ecs.CfnService(b.stack, 'FromParameter', { cluster: 'shared', launchType: 'FARGATE', taskDefinition, networkConfiguration: network(b, 'ENABLED') });
    // THEN
    expect(synthError(b.stack)).toMatch(/Resources\.FromParameter\.Properties\.NetworkConfiguration \(TaskDefinition \{"Ref":"TaskDefinitionArn"\} cannot be tied to one task definition of the app: it may be this one\)\.AwsvpcConfiguration\.AssignPublicIp/);
  });

  test('a service running another family, or a parameter without a public IP, passes', () => {
    const b = service();
    new ecs.CfnService(b.stack, 'Billing', { cluster: 'shared', launchType: 'FARGATE', taskDefinition: 'billing-batch:3', networkConfiguration: network(b, 'ENABLED') });
    const taskDefinition = new CfnParameter(b.stack, 'TaskDefinitionArn').valueAsString;
    new ecs.CfnService(b.stack, 'FromParameter', { cluster: 'shared', launchType: 'FARGATE', taskDefinition, networkConfiguration: network(b, 'DISABLED') });
    expect(synthError(b.stack)).toBe('');
  });
});
