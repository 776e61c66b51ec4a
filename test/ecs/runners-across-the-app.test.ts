// What runs a task definition, wherever it is in the app: runners in other stacks and Stages, runners
// that call ECS through generic SDK calls (Scheduler universal targets, AwsCustomResource), and the
// environment variables runners pass as container overrides.
import * as fs from 'fs';
import * as path from 'path';
import {
  App, CfnParameter, CfnResource, CustomResource, Duration, Stack, Stage, Validations, aws_ec2 as ec2, aws_ecs as ecs, aws_events as events,
  aws_events_targets as targets, aws_lambda as lambda, aws_pipes as pipes, aws_scheduler as scheduler, aws_stepfunctions as sfn,
  aws_stepfunctions_tasks as tasks, custom_resources as cr,
} from 'aws-cdk-lib';
import { API, TODAY, exemption, service, synth, synthError } from './fixtures';
import { Control } from '../../lib/core';
import { SecureService, SecureServiceChecks } from '../../lib/ecs';

type Built = ReturnType<typeof service>;

const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api';
const PUBLIC_SUBNET = 'subnet-0bbbbbbbbbbbbbbb1';
const SECRET = /\[SECRETS_NOT_IN_ENVIRONMENT\] Stack\/Api\/TaskDefinition container 'app': environment variable DB_PASSWORD looks like a secret/;

function appError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** The violations of the validation report, after a synthesis that may fail. */
function reportOf(app: App): { ruleName: string; description: string }[] {
  const error = appError(app);
  const file = /found in: (\S+validation-report\.json)/.exec(error)?.[1] ?? path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  return (report.pluginReports ?? []).filter((r: any) => r.pluginName === 'secure-service').flatMap((r: any) => r.violations ?? []);
}

/** A shop service whose task definition has the family `shop-api`, in stack Shop of Stage Prod (or of the app). */
function shop(scope: App | Stage): SecureService {
  const stack = new Stack(scope, 'Shop');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    publicSubnetIds: [PUBLIC_SUBNET, 'subnet-0bbbbbbbbbbbbbbb2'],
  });
  const svc = new SecureService(stack, 'Api', { ...API, cluster: new ecs.Cluster(stack, 'Cluster', { vpc }) });
  (svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).family = 'shop-api';
  return svc;
}

/** A raw EventBridge rule in `stack` that runs task definition family shop-api, with a public IP or not. */
function nightlyRule(stack: Stack, assignPublicIp: 'ENABLED' | 'DISABLED'): events.CfnRule {
  return new events.CfnRule(stack, 'Nightly', {
    scheduleExpression: 'rate(1 hour)',
    targets: [{
      id: 't',
      arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
      roleArn: 'arn:aws:iam::123456789012:role/events-ecs',
      ecsParameters: {
        taskDefinitionArn: TASK_ARN,
        launchType: 'FARGATE',
        networkConfiguration: { awsVpcConfiguration: { subnets: [PUBLIC_SUBNET], assignPublicIp, securityGroups: ['sg-0123456789abcdef0'] } },
      },
    }],
  });
}

const newApp = (plugin = false) => {
  const app = new App({ context: { 'secure-service:today': TODAY }, builtinCloudFormationValidation: false });
  if (plugin) Validations.of(app).addPlugins(new SecureServiceChecks());
  return app;
};

describe('a runner in another stack or Stage counts', () => {
  test('a rule in another stack of the app, naming the task definition by its ARN, fails NO_PUBLIC_IP', () => {
    // GIVEN
    const app = newApp();
    shop(app);
    // WHEN
    nightlyRule(new Stack(app, 'Jobs'), 'ENABLED');
    // THEN
    expect(appError(app)).toMatch(/\[NO_PUBLIC_IP\] Shop\/Api\/TaskDefinition: tasks get a public IP address[^]*at Jobs: Resources\.Nightly\.Properties\.Targets\[0\]\.EcsParameters\.NetworkConfiguration\.AwsVpcConfiguration\.AssignPublicIp/);
  });

  test.each([
    ['by the plugin of its own Stage', false],
    ['when SecureServiceChecks is also on the App', true],
  ])('a rule in another Stage fails NO_PUBLIC_IP %s, reported once', (_, appPlugin) => {
    // GIVEN
    const app = newApp(appPlugin);
    shop(new Stage(app, 'Prod'));
    // WHEN
    nightlyRule(new Stack(new Stage(app, 'Ops'), 'Jobs'), 'ENABLED');
    // THEN
    const publicIp = reportOf(app).filter((v) => v.ruleName === 'secure-service::NO_PUBLIC_IP');
    expect(publicIp).toHaveLength(1);
    expect(publicIp[0].description).toMatch(/Prod\/Shop\/Api\/TaskDefinition: tasks get a public IP address[^]*at Ops\/Jobs: Resources\.Nightly\.Properties/);
  });

  test('a private rule in another Stage passes (its security group outside the app still fails NETWORK_ISOLATION)', () => {
    const app = newApp(true);
    shop(new Stage(app, 'Prod'));
    nightlyRule(new Stack(new Stage(app, 'Ops'), 'Jobs'), 'DISABLED');
    expect(reportOf(app).filter((v) => !v.ruleName.endsWith('IMAGE_PINNED')).map((v) => v.ruleName)).toEqual(['secure-service::NETWORK_ISOLATION']);
  });

  test('a rule in another Stage naming a family no task definition has passes', () => {
    const app = newApp(true);
    shop(new Stage(app, 'Prod'));
    const rule = nightlyRule(new Stack(new Stage(app, 'Ops'), 'Jobs'), 'ENABLED');
    rule.addPropertyOverride('Targets.0.EcsParameters.TaskDefinitionArn', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/billing');
    expect(reportOf(app).filter((v) => !v.ruleName.endsWith('IMAGE_PINNED'))).toEqual([]);
  });

  test('with two plugins, each template is parsed once', () => {
    // GIVEN
    const app = newApp(true);
    shop(new Stage(app, 'Prod'));
    nightlyRule(new Stack(new Stage(app, 'Ops'), 'Jobs'), 'DISABLED');
    const parse = jest.spyOn(JSON, 'parse');
    try {
      // WHEN
      appError(app);
      // THEN
      const templates = parse.mock.calls.filter(([text]) => typeof text === 'string' && text.includes('"Resources"') && text.includes('"Nightly"'));
      expect(templates).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });
});

/** A schedule with a universal target calling `action` of ECS with `input`. */
function universalSchedule(b: Built, input: Record<string, unknown>, action = 'runTask', roleArn = 'arn:aws:iam::123456789012:role/scheduler'): scheduler.CfnSchedule {
  return new scheduler.CfnSchedule(b.stack, 'Hourly', {
    scheduleExpression: 'rate(1 hour)',
    flexibleTimeWindow: { mode: 'OFF' },
    target: { arn: `arn:${b.stack.partition}:scheduler:::aws-sdk:ecs:${action}`, roleArn, input: b.stack.toJsonString(input) },
  });
}

const serviceGroup = (b: Built) => b.svc.connections.securityGroups[0].securityGroupId;

describe('runners that call ECS through generic SDK calls', () => {
  test('a Scheduler universal target calling ecs:runTask with a public IP fails NO_PUBLIC_IP', () => {
    const b = service();
    universalSchedule(b, {
      Cluster: b.cluster.clusterArn,
      TaskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [PUBLIC_SUBNET], AssignPublicIp: 'ENABLED', SecurityGroups: [serviceGroup(b)] } },
    });
    expect(synthError(b.stack)).toMatch(/tasks get a public IP address[^]*at Resources\.Hourly\.Properties\.Target\.Input\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/);
  });

  test('a private Scheduler universal target with the service group passes', () => {
    const b = service();
    universalSchedule(b, {
      TaskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-0aaaaaaaaaaaaaaa1'], AssignPublicIp: 'DISABLED', SecurityGroups: [serviceGroup(b)] } },
    });
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('a universal target calling ecs:updateService without a task definition, its role outside the app, may run any: fails', () => {
    const b = service();
    universalSchedule(b, {
      Service: 'other',
      NetworkConfiguration: { awsvpcConfiguration: { subnets: [PUBLIC_SUBNET], assignPublicIp: 'ENABLED', securityGroups: [serviceGroup(b)] } },
    }, 'updateService');
    expect(synthError(b.stack)).toMatch(/at Resources\.Hourly\.Properties\.Target\.Input \(TaskDefinition unset cannot be tied to one task definition of the app: it may be this one\)\.NetworkConfiguration/);
  });

  test('a universal target calling another API is not a runner, even with a network configuration in its input', () => {
    const b = service();
    const schedule = universalSchedule(b, { NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } } });
    schedule.addPropertyOverride('Target.Arn', 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage');
    expect(() => synth(b.stack)).not.toThrow();
  });

  /** An AwsCustomResource calling ECS `action` with `parameters` when created. */
  const customResource = (b: Built, parameters: Record<string, unknown>, sdkService = 'ECS', action = 'runTask', resourceType?: string) => new cr.AwsCustomResource(b.stack, 'RunIt', {
    onCreate: { service: sdkService, action, parameters, physicalResourceId: cr.PhysicalResourceId.of('run') },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
    resourceType,
  });

  test('an AwsCustomResource given a type of its own (resourceType) is read as one: running the task with a public IP fails', () => {
    const b = service();
    customResource(b, {
      taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      networkConfiguration: { awsvpcConfiguration: { subnets: [PUBLIC_SUBNET], assignPublicIp: 'ENABLED', securityGroups: [serviceGroup(b)] } },
    }, 'ECS', 'runTask', 'Custom::RunReport');
    expect(b.stack.node.findAll().filter((c) => c instanceof CfnResource && c.cfnResourceType === 'Custom::RunReport')).toHaveLength(1);
    expect(synthError(b.stack)).toMatch(/\[NO_PUBLIC_IP\][^]*at Resources\.RunIt\w*\.Properties\.Create\.parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/);
  });

  test.each([
    ['an AwsCustomResource', (b: Built) => new cr.AwsCustomResource(b.stack, 'OpenSsh', {
      onCreate: {
        service: 'EC2',
        action: 'authorizeSecurityGroupIngress',
        parameters: { GroupId: serviceGroup(b), IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        physicalResourceId: cr.PhysicalResourceId.of('open'),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    }), 'the custom resource OpenSsh'],
    ['a state machine task', (b: Built) => new sfn.StateMachine(b.stack, 'Opener', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.CallAwsService(b.stack, 'Open', {
        service: 'ec2',
        action: 'authorizeSecurityGroupIngress',
        iamResources: ['*'],
        parameters: { GroupId: serviceGroup(b), IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      })),
    }), 'the state machine Opener'],
  ])('%s that calls EC2 to add ingress rules may open the service to anything: NETWORK_ISOLATION fails', (_, add, name) => {
    const b = service();
    add(b);
    expect(synthError(b.stack)).toMatch(new RegExp(`\\[NETWORK_ISOLATION\\][^]*${name}\\w* calls EC2 to change security group ingress, which may admit anything to any group of the app`));
  });

  test("an AwsCustomResource with a type of its own is still found where the app renames its provider's logical id (by its construct path)", () => {
    // As `cdk synth` runs an app: with the construct path of every resource in its metadata.
    const b = service({}, { 'aws:cdk:enable-path-metadata': true });
    customResource(b, {
      taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      networkConfiguration: { awsvpcConfiguration: { subnets: [PUBLIC_SUBNET], assignPublicIp: 'ENABLED', securityGroups: [serviceGroup(b)] } },
    }, 'ECS', 'runTask', 'Custom::RunReport');
    const provider = b.stack.node.findChild('AWS679f53fac002430cb0da5b7982bd2287').node.defaultChild as CfnResource;
    b.stack.renameLogicalId(b.stack.getLogicalId(provider), 'RunReportProvider');
    const error = synthError(b.stack);
    expect(error).toMatch(/\[NO_PUBLIC_IP\][^]*at Resources\.RunIt\w*\.Properties\.Create\.parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/);
  });

  test('a custom resource served by another provider is not read as an AwsCustomResource call (its code is not in the templates)', () => {
    const b = service();
    const provider = new lambda.Function(b.stack, 'Provider', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    const call = JSON.stringify({ service: 'ECS', action: 'runTask', parameters: { networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } } });
    new CustomResource(b.stack, 'Other', { serviceToken: provider.functionArn, resourceType: 'Custom::Other', properties: { Create: call } });
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('an AwsCustomResource calling ECS runTask with a public IP and an open group fails NO_PUBLIC_IP and NETWORK_ISOLATION', () => {
    const b = service();
    const open = new ec2.SecurityGroup(b.stack, 'Open', { vpc: b.vpc });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());
    customResource(b, {
      cluster: b.cluster.clusterArn,
      taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      networkConfiguration: { awsvpcConfiguration: { subnets: [PUBLIC_SUBNET], assignPublicIp: 'ENABLED', securityGroups: [open.securityGroupId] } },
    });
    const error = synthError(b.stack);
    expect(error).toMatch(/tasks get a public IP address[^]*at Resources\.RunIt\w*\.Properties\.Create\.parameters\.NetworkConfiguration\.AwsvpcConfiguration\.AssignPublicIp/);
    expect(error).toMatch(/\[NETWORK_ISOLATION\]/);
  });

  test('an AwsCustomResource calling ECS runTask privately with the service group passes', () => {
    const b = service();
    customResource(b, {
      taskDefinition: b.svc.taskDefinition.taskDefinitionArn,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaaaaaaaaaaaaaa1'], assignPublicIp: 'DISABLED', securityGroups: [serviceGroup(b)] } },
    });
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('an AwsCustomResource calling another service is not a runner', () => {
    const b = service();
    customResource(b, { name: '/shop/flag', networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } }, 'SSM', 'getParameter');
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('a Custom::AWS whose call is only known at deploy time may run any task definition with any network configuration', () => {
    const b = service();
    new cr.AwsCustomResource(b.stack, 'RunIt', {
      onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'x' }, physicalResourceId: cr.PhysicalResourceId.of('run') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    const resource = b.stack.node.findAll().find((c) => c instanceof CfnResource && c.cfnResourceType === 'Custom::AWS') as CfnResource;
    resource.addPropertyOverride('Create', new CfnParameter(b.stack, 'Call', { default: '{}' }).valueAsString);
    const error = synthError(b.stack);
    expect(error).toMatch(/\[NO_PUBLIC_IP\][^]*at Resources\.RunIt\w*\.Properties\.Create \(\{"Ref":"Call"\}, only known at run time: it may run this task definition\)/);
    expect(error).toMatch(/\[SECRETS_NOT_IN_ENVIRONMENT\][^]*every variable of the container overrides of the custom resource/);
  });
});

/** An EventBridge rule that runs the service's task definition privately with `environment` for container `containerName`. */
function ruleWithOverride(b: Built, environment: { name: string; value: string }[], containerName = 'app'): events.Rule {
  const rule = new events.Rule(b.stack, 'Nightly', { schedule: events.Schedule.rate(Duration.hours(24)) });
  rule.addTarget(new targets.EcsTask({
    cluster: b.cluster,
    taskDefinition: b.svc.taskDefinition,
    securityGroups: [b.svc.connections.securityGroups[0]],
    containerOverrides: [{ containerName, environment }],
  }));
  return rule;
}

describe('environment variables runners pass as container overrides', () => {
  test('an EventBridge EcsTask override with a plain password fails SECRETS_NOT_IN_ENVIRONMENT at the rule', () => {
    const b = service();
    ruleWithOverride(b, [{ name: 'DB_PASSWORD', value: 'hunter2' }]);
    expect(synthError(b.stack)).toMatch(new RegExp(`${SECRET.source}[^]*at Resources\\.Nightly\\w+\\.Properties\\.Targets\\[0\\]\\.Input\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));
  });

  test('environment files an override loads are plain variables no template shows', () => {
    const b = service();
    const rule = ruleWithOverride(b, [{ name: 'LOG_LEVEL', value: 'debug' }]);
    (rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.Input',
      JSON.stringify({ containerOverrides: [{ name: 'app', environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::cfg/app.env' }] }] }));
    expect(synthError(b.stack)).toMatch(/container 'app': every variable of the environment files \[\{"Type":"s3","Value":"arn:aws:s3:::cfg\/app\.env"\}\] of the EventBridge rule Nightly\w+ is a plain environment variable[^]*at Resources\.Nightly\w+\.Properties\.Targets\[0\]\.Input\.ContainerOverrides\[0\]\.EnvironmentFiles/);
  });

  test('an override with a neutral name and value passes', () => {
    const b = service();
    ruleWithOverride(b, [{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('an override whose value holds a URL password fails by its value', () => {
    const b = service();
    ruleWithOverride(b, [{ name: 'DATABASE_URL', value: 'postgres://app:hunter2@db:5432/shop' }]);
    expect(synthError(b.stack)).toMatch(/environment variable DATABASE_URL holds a password in plain text/);
  });

  test('an override of a container the task definition does not have is not its variable (RunTask refuses it)', () => {
    const b = service();
    ruleWithOverride(b, [{ name: 'DB_PASSWORD', value: 'hunter2' }], 'sidecar');
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('the override passes with an exemption of the control for the container', () => {
    const b = service({ exemptions: [exemption(Control.SECRETS_NOT_IN_ENVIRONMENT, { container: 'app' })] });
    ruleWithOverride(b, [{ name: 'DB_PASSWORD', value: 'hunter2' }]);
    expect(() => synth(b.stack)).not.toThrow();
  });

  test('an input transformer template with placeholders is read by the names it writes', () => {
    const b = service();
    const rule = ruleWithOverride(b, [{ name: 'LOG_LEVEL', value: 'debug' }]);
    (rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.Input', undefined);
    (rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.InputTransformer', {
      InputPathsMap: { id: '$.id' },
      InputTemplate: '{"containerOverrides":[{"name":"app","environment":[{"name":"DB_PASSWORD","value":<id>}]}]}',
    });
    expect(synthError(b.stack)).toMatch(new RegExp(`${SECRET.source}[^]*Targets\\[0\\]\\.InputTransformer\\.InputTemplate\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));
  });

  test('a rule input only known at deploy time may set any variable', () => {
    const b = service();
    const rule = ruleWithOverride(b, [{ name: 'LOG_LEVEL', value: 'debug' }]);
    (rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.Input', new CfnParameter(b.stack, 'Overrides', { default: '{}' }).valueAsString);
    expect(synthError(b.stack)).toMatch(/container 'app': every variable of the container overrides of the EventBridge rule Nightly\w+ \(\{"Ref":"Overrides"\}, only known at run time\)[^]*at Resources\.Nightly\w+\.Properties\.Targets\[0\]\.Input;/);
  });

  test('a Step Functions EcsRunTask override with a plain password fails', () => {
    const b = service();
    new sfn.StateMachine(b.stack, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EcsRunTask(b.stack, 'Run', {
        cluster: b.cluster,
        taskDefinition: b.svc.taskDefinition,
        launchTarget: new tasks.EcsFargateLaunchTarget(),
        securityGroups: [b.svc.connections.securityGroups[0]],
        containerOverrides: [{ containerDefinition: b.svc.taskDefinition.defaultContainer!, environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }],
      })),
    });
    expect(synthError(b.stack)).toMatch(new RegExp(`${SECRET.source}[^]*States\\.Run\\.Parameters\\.Overrides\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));
  });

  test('the task token a callback task passes as an override is no plain secret: Step Functions documents that way', () => {
    const b = service();
    new sfn.StateMachine(b.stack, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EcsRunTask(b.stack, 'Run', {
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        cluster: b.cluster,
        taskDefinition: b.svc.taskDefinition,
        launchTarget: new tasks.EcsFargateLaunchTarget(),
        securityGroups: [b.svc.connections.securityGroups[0]],
        containerOverrides: [{ containerDefinition: b.svc.taskDefinition.defaultContainer!, environment: [{ name: 'TASK_TOKEN', value: sfn.JsonPath.taskToken }] }],
      })),
    });
    expect(synthError(b.stack)).toBe('');
  });

  test('a state whose override environment is chosen at run time may set any variable', () => {
    const b = service();
    new sfn.CfnStateMachine(b.stack, 'Raw', {
      roleArn: 'arn:aws:iam::123456789012:role/flow',
      definitionString: b.stack.toJsonString({
        StartAt: 'Run',
        States: {
          Run: {
            Type: 'Task',
            Resource: 'arn:aws:states:::ecs:runTask',
            End: true,
            Parameters: {
              TaskDefinition: b.svc.taskDefinition.taskDefinitionArn,
              Overrides: { ContainerOverrides: [{ 'Name': 'app', 'Environment.$': '$.env' }] },
            },
          },
        },
      }),
    });
    expect(synthError(b.stack)).toMatch(/\[SECRETS_NOT_IN_ENVIRONMENT\] Stack\/Api\/TaskDefinition container 'app': every variable of the container overrides of the state machine Raw \(Environment\.\$ "\$\.env", only known at run time\)/);
  });

  test('a pipe override with a plain password fails', () => {
    const b = service();
    new pipes.CfnPipe(b.stack, 'Pipe', {
      source: 'arn:aws:sqs:eu-west-1:123456789012:jobs',
      target: b.cluster.clusterArn,
      roleArn: 'arn:aws:iam::123456789012:role/pipe',
      targetParameters: {
        ecsTaskParameters: {
          taskDefinitionArn: b.svc.taskDefinition.taskDefinitionArn,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroups: [serviceGroup(b)] } },
          overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }] },
        },
      },
    });
    expect(synthError(b.stack)).toMatch(new RegExp(`${SECRET.source}[^]*at Resources\\.Pipe\\.Properties\\.TargetParameters\\.EcsTaskParameters\\.Overrides\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));
  });

  test("a schedule's ECS target input with a plain password fails", () => {
    const b = service();
    new scheduler.CfnSchedule(b.stack, 'Hourly', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: b.cluster.clusterArn,
        roleArn: 'arn:aws:iam::123456789012:role/scheduler',
        ecsParameters: {
          taskDefinitionArn: b.svc.taskDefinition.taskDefinitionArn,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroups: [serviceGroup(b)] } },
        },
        input: JSON.stringify({ containerOverrides: [{ name: 'app', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }] }),
      },
    });
    expect(synthError(b.stack)).toMatch(new RegExp(`${SECRET.source}[^]*at Resources\\.Hourly\\.Properties\\.Target\\.Input\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));
  });

  test('a universal target and a custom resource passing a plain password as an override fail', () => {
    const overrides = { ContainerOverrides: [{ Name: 'app', Environment: [{ Name: 'DB_PASSWORD', Value: 'hunter2' }] }] };
    const network = (b: Built) => ({ AwsvpcConfiguration: { Subnets: ['subnet-0aaaaaaaaaaaaaaa1'], SecurityGroups: [serviceGroup(b)] } });
    const scheduled = service();
    const task = scheduled.svc.taskDefinition.taskDefinitionArn;
    universalSchedule(scheduled, { TaskDefinition: task, NetworkConfiguration: network(scheduled), Overrides: overrides });
    expect(synthError(scheduled.stack)).toMatch(new RegExp(`${SECRET.source}[^]*Target\\.Input\\.Overrides\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));

    const custom = service();
    new cr.AwsCustomResource(custom.stack, 'RunIt', {
      onUpdate: {
        service: '@aws-sdk/client-ecs',
        action: 'RunTaskCommand',
        parameters: { taskDefinition: custom.svc.taskDefinition.taskDefinitionArn, networkConfiguration: network(custom), overrides },
        physicalResourceId: cr.PhysicalResourceId.of('run'),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    expect(synthError(custom.stack)).toMatch(new RegExp(`${SECRET.source}[^]*Update\\.parameters\\.Overrides\\.ContainerOverrides\\[0\\]\\.Environment\\[0\\]`));
  });
});
