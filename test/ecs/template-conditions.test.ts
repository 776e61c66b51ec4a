import { App, Aws, CfnCondition, Fn, aws_ecs as ecs, aws_s3 as s3 } from 'aws-cdk-lib';
import { exemption, reportedViolations, service } from './fixtures';
import { Control } from '../../lib/core';
import { MAX_CONDITIONS, chooseBranches, conditionsRead, templateVariants } from '../../lib/ecs/template-conditions';
import { CfnTemplate } from '../../lib/ecs/template-values';

const NO_VALUE = { Ref: 'AWS::NoValue' };

/** The message synthesis fails with, or '' when it succeeds. */
function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
const ifOn = (yes: unknown, no: unknown = NO_VALUE) => ({ 'Fn::If': ['On', yes, no] });

describe('chooseBranches', () => {
  test('replaces each Fn::If on a chosen condition by its branch, nested ones too', () => {
    // GIVEN
    const value = { Add: ifOn(['SYS_PTRACE']), Drop: ['ALL'], Options: ifOn({ Inner: ifOn('a', 'b') }, {}) };
    // THEN
    expect(chooseBranches(value, new Map([['On', true]]))).toEqual({ Add: ['SYS_PTRACE'], Drop: ['ALL'], Options: { Inner: 'a' } });
    expect(chooseBranches(value, new Map([['On', false]]))).toEqual({ Drop: ['ALL'], Options: {} });
  });

  test('leaves out AWS::NoValue, in objects and in lists, as CloudFormation does', () => {
    expect(chooseBranches({ A: [1, ifOn(2), 3], B: ifOn('x') }, new Map([['On', false]]))).toEqual({ A: [1, 3] });
  });

  test('keeps a Fn::If on a condition it was not given, and anything that is not one', () => {
    // GIVEN
    const other = { 'Fn::If': ['Other', 'a', 'b'] };
    const notAnIf = { 'Fn::If': ['On', 'a'], 'Extra': 1 };
    // THEN
    expect(chooseBranches({ X: other, Y: notAnIf }, new Map([['On', true]]))).toEqual({ X: other, Y: notAnIf });
  });
});

describe('conditionsRead and templateVariants', () => {
  const template: CfnTemplate = {
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { A: ifOn(['x']), B: { 'Fn::If': ['Second', 1, 2] } } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { C: { 'Fn::If': ['Unread', 1, 2] } } },
    },
    Outputs: { Out: { Value: { 'Fn::If': ['InOutput', 'a', 'b'] } } },
  };

  test('counts the conditions of the resources the checks read and of outputs, not of other resources', () => {
    expect(conditionsRead(template)).toEqual(['On', 'Second', 'InOutput']);
  });

  test('gives one variant per combination of the conditions, each with its choices', () => {
    // WHEN
    const variants = templateVariants([template], [['On', 'Second']]);
    // THEN
    expect(variants.map((v) => v.choices.map((c) => `${c.condition}=${c.value}`).join(' '))).toEqual([
      'On=false Second=false', 'On=true Second=false', 'On=false Second=true', 'On=true Second=true',
    ]);
    expect(variants[1].templates[0].Resources!.Task.Properties).toEqual({ A: ['x'], B: 2 });
  });

  test('gives the templates themselves when no condition is used', () => {
    const variants = templateVariants([template], [[]]);
    expect(variants).toEqual([{ templates: [template], choices: [] }]);
  });
});

describe('SecureServiceChecks on an app with conditions', () => {
  test(`refuses more than ${MAX_CONDITIONS} conditions in what it reads with a fatal finding naming them`, () => {
    // GIVEN
    const { app, stack, svc } = service();
    const task = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    for (let i = 0; i <= MAX_CONDITIONS; i++) {
      const condition = new CfnCondition(stack, `C${i}`, { expression: Fn.conditionEquals(Aws.REGION, `region-${i}`) });
      task.addPropertyOverride(`ContainerDefinitions.0.DockerLabels.k${i}`, Fn.conditionIf(condition.logicalId, 'a', 'b'));
    }
    // WHEN
    const error = synthError(app);
    // THEN
    expect(error).toMatch(/FATAL 9 conditions \(Fn::If\) decide values of ECS, network, log and IAM resources of the app \(Stack: C0, Stack: C1, .*Stack: C8\); the checks judge every combination of at most 8/);
    expect(error).toMatch(/Rule secure-service::CONDITIONS/);
    // The rest of the app is still checked.
    expect(error).not.toMatch(/ERROR \[/);
  });

  test('with too many conditions, still reports what the templates say without them', () => {
    // GIVEN
    const { app, stack, svc } = service();
    const task = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    for (let i = 0; i <= MAX_CONDITIONS; i++) {
      const condition = new CfnCondition(stack, `C${i}`, { expression: Fn.conditionEquals(Aws.REGION, `region-${i}`) });
      task.addPropertyOverride(`ContainerDefinitions.0.DockerLabels.k${i}`, Fn.conditionIf(condition.logicalId, 'a', 'b'));
    }
    task.addPropertyOverride('ContainerDefinitions.0.User', '0');
    // WHEN
    const error = synthError(app);
    // THEN
    expect(error).toMatch(/Rule secure-service::CONDITIONS/);
    expect(error).toMatch(/ERROR \[RUN_AS_NON_ROOT\] Stack\/Api\/TaskDefinition container 'app': the user is 0 \(root\)/);
  });

  test('ignores conditions of resources it does not read', () => {
    // GIVEN
    const { app, stack } = service();
    for (let i = 0; i <= MAX_CONDITIONS; i++) {
      const condition = new CfnCondition(stack, `C${i}`, { expression: Fn.conditionEquals(Aws.REGION, `region-${i}`) });
      const bucket = new s3.CfnBucket(stack, `Bucket${i}`);
      bucket.addPropertyOverride('BucketName', Fn.conditionIf(condition.logicalId, `a-${i}`, `b-${i}`));
    }
    // THEN
    expect(reportedViolations(app)).toEqual([]);
  });

  test('reports a violation found on every branch without naming a condition', () => {
    // GIVEN
    const { app, stack, svc } = service();
    const on = new CfnCondition(stack, 'On', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    (svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.User', Fn.conditionIf(on.logicalId, '0', '0:0'));
    // WHEN
    const error = synthError(app);
    // THEN: the user is 0 on both branches; only the group differs
    expect(error).toMatch(/the user is 0 \(root\) at \S+User; fix: [^\n]*\(secure service\)\n/);
    expect(error).not.toMatch(/the user is 0 \(root\)[^\n]*when condition/);
    expect(error).toMatch(/the group is 0 \(root\)[^\n]*\(when condition On of Stack is false\)/);
    expect(error).toMatch(/no group is set[^\n]*\(when condition On of Stack is true\)/);
  });

  test('names only the conditions that decide a violation, not every condition of the app', () => {
    // GIVEN: Debug decides the capability; IsProd decides only the log stream prefix, which no control reads
    const { app, stack, svc } = service();
    const debug = new CfnCondition(stack, 'Debug', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(Aws.ACCOUNT_ID, '123456789012') });
    const cfn = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    cfn.addPropertyOverride('ContainerDefinitions.0.LinuxParameters.Capabilities.Add', Fn.conditionIf(debug.logicalId, ['SYS_PTRACE'], []));
    cfn.addPropertyOverride('ContainerDefinitions.0.LogConfiguration.Options.awslogs-stream-prefix', Fn.conditionIf(isProd.logicalId, 'prod', 'dev'));
    // WHEN
    const error = synthError(app);
    // THEN
    expect(error).toMatch(/capability SYS_PTRACE is added[^\n]*\(when condition Debug of Stack is true\)/);
    expect(error).not.toMatch(/SYS_PTRACE[^\n]*IsProd/);
  });

  test('a violation found in some combinations that no one value picks out lists each', () => {
    // GIVEN: the user is root when exactly one of A and B holds
    const { app, stack, svc } = service();
    const a = new CfnCondition(stack, 'A', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    const b = new CfnCondition(stack, 'B', { expression: Fn.conditionEquals(Aws.ACCOUNT_ID, '123456789012') });
    const cfn = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    cfn.addPropertyOverride('ContainerDefinitions.0.User', Fn.conditionIf(a.logicalId, Fn.conditionIf(b.logicalId, '1000:1000', '0:0'), Fn.conditionIf(b.logicalId, '0:0', '1000:1000')));
    // WHEN
    const error = synthError(app);
    // THEN
    expect(error).toMatch(/the user is 0 \(root\)[^\n]*\(when condition A of Stack is (true|false), condition B of Stack is (true|false); or when condition A of Stack is (true|false), condition B of Stack is (true|false)\)/);
  });

  test('an exemption used in some combinations is not called unused in the others', () => {
    // GIVEN: SYS_PTRACE only when Debug, exempted; NOT_PRIVILEGED exempted though nothing weakens it
    const { app, stack, svc } = service({ exemptions: [exemption(Control.DROP_ALL_CAPABILITIES), exemption(Control.NOT_PRIVILEGED)] });
    const debug = new CfnCondition(stack, 'Debug', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    const cfn = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    cfn.addPropertyOverride('ContainerDefinitions.0.LinuxParameters.Capabilities.Add', Fn.conditionIf(debug.logicalId, ['SYS_PTRACE'], []));
    // WHEN
    const violations = reportedViolations(app);
    // THEN: only the exemption no combination uses is unused
    expect(violations.map((v) => v.description)).toEqual([
      'exemptions[1] (NOT_PRIVILEGED) on Stack/Api/TaskDefinition: unused, nothing weakens NOT_PRIVILEGED here; remove the exemption',
    ]);
  });
});
