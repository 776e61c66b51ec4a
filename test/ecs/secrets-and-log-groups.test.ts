import { Control, ControlId, DEFAULT_POLICY, evaluate } from '../../lib/core';
import { CfnTemplate, readEcsWorkloads } from '../../lib/ecs';
import { AppTemplate, indexApp } from '../../lib/ecs/template-values';

const C0 = 'Resources.Task.Properties.ContainerDefinitions[0]';

function template(container: Record<string, unknown>, more: Record<string, unknown> = {}): CfnTemplate {
  return {
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', ContainerDefinitions: [{ Name: 'web', ...container }] } },
      ...more,
    },
  } as CfnTemplate;
}

/** `problem at setting` of each finding of `control` for the first task definition of `templates[0]`, read with the whole app. */
function findingsIn(control: ControlId, templates: readonly AppTemplate[]): string[] {
  const app = indexApp(templates);
  const [w] = readEcsWorkloads(app.scopes[0].template, { app });
  return evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === control).map((f) => `${f.problem} at ${f.setting}`);
}

describe('SECRETS_NOT_IN_ENVIRONMENT: values that are secrets by construction, whatever the name', () => {
  const secrets = (container: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: template(container, more), label: 'Stack' }]);
  const KEY = { Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'ci' } } };

  test('a variable that holds where a secret is kept (its ARN or name), whatever its name, passes: the app fetches the secret itself', () => {
    // GIVEN: what CDK renders for secret.secretArn, secret.secretName, parameter.parameterName and an imported secret's ARN
    const STORES = {
      Db: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      ApiKey: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } },
    };
    const secretName = {
      'Fn::Join': ['-', [
        { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: 'Db' }] }] }] }] },
        { 'Fn::Select': [1, { 'Fn::Split': ['-', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: 'Db' }] }] }] }] },
      ]],
    };
    const environment = [
      { Name: 'DB_SECRET', Value: { Ref: 'Db' } }, { Name: 'DB_PASSWORD_SECRET', Value: { 'Fn::GetAtt': ['Db', 'Id'] } },
      { Name: 'DB_CREDENTIALS_SECRET', Value: secretName }, { Name: 'API_KEY_PARAM', Value: { Ref: 'ApiKey' } },
      { Name: 'IMPORTED_SECRET', Value: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf' },
    ];
    // THEN
    expect(secrets({ Environment: environment }, STORES)).toEqual([]);
    // A parameter's Value is the secret itself, and text of its own beside a place is no place
    expect(secrets({ Environment: [{ Name: 'API_KEY', Value: { 'Fn::GetAtt': ['ApiKey', 'Value'] } }] }, STORES)).toEqual([
      `environment variable API_KEY looks like a secret but has a plain value (its name says API_KEY) at ${C0}.Environment[0]`,
    ]);
    expect(secrets({ Environment: [{ Name: 'DB_SECRET', Value: { 'Fn::Join': ['', ['hunter2', { Ref: 'Db' }]] } }] }, STORES)).toEqual([
      `environment variable DB_SECRET looks like a secret but has a plain value (its name says SECRET) at ${C0}.Environment[0]`,
    ]);
  });

  test('a stack parameter is plain text where a password stands, in a URL or in the settings a variable carries; a literal ${NAME} is the program\'s reference', () => {
    const PARAMETER = { Parameters: { DbPassword: { Type: 'String' } } };
    const withParameter = (value: unknown) => findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{
      template: { ...template({ Environment: [{ Name: 'APP', Value: value }] }), ...PARAMETER } as CfnTemplate, label: 'Stack',
    }]);
    expect(withParameter({ 'Fn::Sub': 'postgres://app:${DbPassword}@db/app' })).toEqual([
      `environment variable APP holds a password in plain text (postgres://app:****@db/app) at ${C0}.Environment[0]`,
    ]);
    expect(withParameter({ 'Fn::Join': ['', ['-Dspring.datasource.password=', { Ref: 'DbPassword' }]] })).toEqual([
      `environment variable APP holds command line options that give -Dspring.datasource.password a plain value, which its name says is a secret at ${C0}.Environment[0]`,
    ]);
    expect(withParameter({ 'Fn::Sub': '{"spring":{"datasource":{"password":"${DbPassword}"}}}' })).toEqual([
      `environment variable APP holds JSON whose .spring.datasource.password looks like a secret and has a plain value at ${C0}.Environment[0]`,
    ]);
    // Written in the template, `${DB_PASSWORD}` is Spring's placeholder, filled in from the environment at run time.
    expect(withParameter('{"spring":{"datasource":{"password":"${DB_PASSWORD}"}}}')).toEqual([]);
  });

  test('a Secrets Manager dynamic reference (written, or secret.secretValue\'s Fn::Join) is resolved into the value; neutral values pass', () => {
    expect(secrets({
      Environment: [
        { Name: 'LOG_LEVEL', Value: 'info' },
        { Name: 'NOTE', Value: 'resolve:secretsmanager is how {{resolve:ssm:/app/flag}} differs' },
        { Name: 'KEY_ID', Value: { Ref: 'Key' } },
      ],
      Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' }],
      EnvironmentFiles: [],
    }, KEY)).toEqual([]);
    expect(secrets({ Environment: [{ Name: 'APP_CONFIG', Value: '{{resolve:secretsmanager:prod/db:SecretString:password}}' }] })).toEqual([
      `environment variable APP_CONFIG holds the secret {{resolve:secretsmanager:prod/db:SecretString:password}}, which CloudFormation resolves into the value: the secret is plain text in the output at ${C0}.Environment[0]`,
    ]);
    const joined = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:::}}']] };
    expect(secrets({ Environment: [{ Name: 'APP_CONFIG', Value: joined }] })).toEqual([
      expect.stringContaining('holds the secret {{resolve:secretsmanager:${Secret}:SecretString:::}}, which CloudFormation resolves into the value'),
    ]);
  });

  test('an SSM SecureString dynamic reference is a secret too', () => {
    expect(secrets({ Environment: [{ Name: 'SETTING', Value: 'user={{resolve:ssm-secure:/app/pw:1}}' }] })).toEqual([
      expect.stringContaining('holds the secret {{resolve:ssm-secure:/app/pw:1}}'),
    ]);
  });

  test('an access key\'s SecretAccessKey, read by Fn::GetAtt, inside an Fn::Join, or as ${Key.SecretAccessKey} of an Fn::Sub', () => {
    const expected = `environment variable APP_CONFIG holds the SecretAccessKey of AWS::IAM::AccessKey Resources.Key: the secret is plain text in the output at ${C0}.Environment[0]`;
    const getAtt = { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] };
    expect(secrets({ Environment: [{ Name: 'APP_CONFIG', Value: getAtt }] }, KEY)).toEqual([expected]);
    expect(secrets({ Environment: [{ Name: 'APP_CONFIG', Value: { 'Fn::Join': [':', ['id', getAtt]] } }] }, KEY)).toEqual([expected]);
    expect(secrets({ Environment: [{ Name: 'APP_CONFIG', Value: { 'Fn::Sub': 'id:${Key.SecretAccessKey}' } }] }, KEY)).toEqual([expected]);
    expect(secrets({ Environment: [{ Name: 'APP_CONFIG', Value: { 'Fn::Sub': ['id:${S}', { S: getAtt }] } }] }, KEY)).toEqual([expected]);
  });

  test('a Cognito client secret and an AppSync API key are secrets; the access key id and a secret ARN are not', () => {
    const more = {
      Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: {} },
      AppSyncKey: { Type: 'AWS::AppSync::ApiKey', Properties: {} },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      ...KEY,
    };
    expect(secrets({
      Environment: [
        { Name: 'A', Value: { 'Fn::GetAtt': ['Client', 'ClientSecret'] } },
        { Name: 'B', Value: { 'Fn::GetAtt': ['AppSyncKey', 'ApiKey'] } },
        { Name: 'KEY_OWNER', Value: { Ref: 'Key' } },
        { Name: 'DB_SECRET_ARN', Value: { Ref: 'Secret' } },
      ],
    }, more)).toEqual([
      expect.stringMatching(/^environment variable A holds the ClientSecret of AWS::Cognito::UserPoolClient Resources\.Client: /),
      expect.stringMatching(/^environment variable B holds the ApiKey of AWS::AppSync::ApiKey Resources\.AppSyncKey: /),
    ]);
  });

  test('a SecretAccessKey exported by another stack is followed through Fn::ImportValue', () => {
    const keys = { Resources: KEY, Outputs: { Out: { Value: { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] }, Export: { Name: 'Keys:Secret' } } } } as CfnTemplate;
    const api = template({ Environment: [{ Name: 'APP_CONFIG', Value: { 'Fn::ImportValue': 'Keys:Secret' } }] });
    expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: api, label: 'Api' }, { template: keys, label: 'Keys' }])).toEqual([
      expect.stringContaining('holds the SecretAccessKey of AWS::IAM::AccessKey Keys: Resources.Key'),
    ]);
  });

  test('a NoEcho parameter, which CloudFormation masks as a secret, is plain text in a variable whatever its name', () => {
    const api = { ...template({ Environment: [{ Name: 'DB_CONFIG', Value: { Ref: 'DbPass' } }, { Name: 'APP_TARGET', Value: { 'Fn::Sub': 'postgres://app@db/${DbPass}' } }] }), Parameters: { DbPass: { Type: 'String', NoEcho: true } } } as CfnTemplate;
    expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: api, label: 'Api' }])).toEqual([
      expect.stringContaining('environment variable DB_CONFIG holds the NoEcho parameter DbPass'),
      expect.stringContaining('environment variable APP_TARGET holds the NoEcho parameter DbPass'),
    ]);
  });

  test('a stack parameter given to a secret flag is its value in plain text; the same ${NAME} in a shell script is the shell\'s', () => {
    const command = (Command: unknown[]) => findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{
      template: { ...template({ Command }), Parameters: { DbPassword: { Type: 'String' }, Port: { Type: 'Number' } } } as CfnTemplate, label: 'Api',
    }]);
    const PLAIN = 'the value of stack parameter DbPassword (plain text in the task definition), which its name says is a secret';
    expect(command(['app', { 'Fn::Join': ['', ['--db-password=', { Ref: 'DbPassword' }]] }])).toEqual([
      `the command line gives --db-password ${PLAIN} at ${C0}.Command[1]`,
    ]);
    expect(command(['app', '--db-password', { Ref: 'DbPassword' }])).toEqual([`the command line gives --db-password ${PLAIN} at ${C0}.Command[1]`]);
    expect(command(['sh', '-c', { 'Fn::Sub': 'exec app --token "${DbPassword}"' }])).toEqual([
      `the command line gives --token ${PLAIN} at ${C0}.Command[2]`,
    ]);
    expect(command(['sh', '-c', { 'Fn::Sub': ['exec app --token "${Pw}"', { Pw: { Ref: 'DbPassword' } }] }])).toEqual([
      `the command line gives --token ${PLAIN} at ${C0}.Command[2]`,
    ]);
    // A shell expands ${NAME} written in the script (escaped as ${!NAME} in an Fn::Sub); a parameter a flag that takes no secret gets is no secret.
    expect(command(['sh', '-c', { 'Fn::Sub': 'exec app --token "${!DbPassword}" --port ${Port}' }])).toEqual([]);
    expect(command(['sh', '-c', 'exec app --db-password "${DbPassword}"'])).toEqual([]);
    // A nested stack's parameter is plain text too, whatever its parent passes in (a literal, a parameter of its own).
    for (const passed of ['hunter2', { Ref: 'Top' }]) {
      const nested = { ...template({ Command: ['app', '--db-password', { Ref: 'DbPassword' }] }), Parameters: { DbPassword: { Type: 'String' } } } as CfnTemplate;
      const parent = { Parameters: { Top: { Type: 'String' } }, Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { DbPassword: passed } } } } };
      expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [
        { template: nested, label: 'Shop/Child', parent: { label: 'Shop', logicalId: 'Child' } }, { template: parent as CfnTemplate, label: 'Shop' },
      ])).toEqual([`the command line gives --db-password ${PLAIN} at ${C0}.Command[1]`]);
    }
  });

  test('an environment file loads plain variables of unknown names: any of them may be a secret', () => {
    expect(secrets({ EnvironmentFiles: [{ Type: 's3', Value: 'arn:aws:s3:::cfg/app.env' }] })).toEqual([
      'every variable of the environment file "arn:aws:s3:::cfg/app.env" is a plain environment variable whose name and value are unknown here: '
      + `any of them may be a secret at ${C0}.EnvironmentFiles[0]`,
    ]);
    const fromParameter = { Type: 's3', Value: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Bucket' }, '/app.env']] } };
    expect(secrets({ EnvironmentFiles: [{ Type: 's3', Value: 'arn:aws:s3:::cfg/a.env' }, fromParameter] })).toEqual([
      expect.stringContaining('"arn:aws:s3:::cfg/a.env" is a plain environment variable'),
      expect.stringContaining('"arn:aws:s3:::${Bucket}/app.env" is a plain environment variable'),
    ]);
  });

  describe('log driver options and Docker labels are plain text in the task definition too', () => {
    const OPTIONS = `${C0}.LogConfiguration.Options`;

    test('an option named like a secret (a Splunk token, a FireLens output password, an API key) with a plain value', () => {
      const splunk = { LogDriver: 'splunk', Options: { 'splunk-url': 'https://splunk.example.com:8088', 'splunk-token': '00112233-4455-6677-8899-aabbccddeeff' } };
      expect(secrets({ LogConfiguration: splunk })).toEqual([`log driver option splunk-token looks like a secret but has a plain value at ${OPTIONS}.splunk-token`]);
      const firelens = { LogDriver: 'awsfirelens', Options: { Name: 'datadog', Host: 'http-intake.logs.datadoghq.eu', apikey: '0123456789abcdef', HTTP_Passwd: 'hunter2' } };
      expect(secrets({ LogConfiguration: firelens })).toEqual([
        `log driver option apikey looks like a secret but has a plain value at ${OPTIONS}.apikey`,
        `log driver option HTTP_Passwd looks like a secret but has a plain value at ${OPTIONS}.HTTP_Passwd`,
      ]);
    });

    test('a value that is a secret whatever the name: a dynamic reference, a secret attribute, a credential of a known form', () => {
      const options = { Name: 'http', Host: 'logs.example.com', Header: '{{resolve:secretsmanager:prod/logs:SecretString:header}}', Uri: { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] } };
      const labels = { 'deploy.token': 'ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'team': 'payments' };
      expect(secrets({ LogConfiguration: { LogDriver: 'awsfirelens', Options: options }, DockerLabels: labels }, { Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'ci' } } })).toEqual([
        `log driver option Header holds the secret {{resolve:secretsmanager:prod/logs:SecretString:header}}, which CloudFormation resolves into the value: the secret is plain text in the output at ${OPTIONS}.Header`,
        `log driver option Uri holds the SecretAccessKey of AWS::IAM::AccessKey Resources.Key: the secret is plain text in the output at ${OPTIONS}.Uri`,
        `Docker label deploy.token holds a GitHub token in plain text (ghp_****) at ${C0}.DockerLabels.deploy.token`,
      ]);
    });

    test('a secret-like option whose value plainly is none (a switch, a number, a file path) passes, as do the usual awslogs options', () => {
      const options = { 'Name': 'es', 'AWS_Auth': 'On', 'tls_key_passwd_length': '32', 'syslog-tls-key': '/etc/ssl/private/key.pem' };
      expect(secrets({ LogConfiguration: { LogDriver: 'awsfirelens', Options: options } })).toEqual([]);
      const awslogs = { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' }, 'awslogs-stream-prefix': 'app', 'awslogs-region': { Ref: 'AWS::Region' } } };
      expect(secrets({ LogConfiguration: awslogs })).toEqual([]);
    });

    test('a label is judged by the last part of its name, after a tool\'s namespace: Traefik\'s forwardauth address is none', () => {
      const labels = { 'traefik.http.middlewares.auth.forwardauth.address': 'http://auth:4181', 'db.password': 'hunter2' };
      expect(secrets({ DockerLabels: labels })).toEqual([`Docker label db.password looks like a secret but has a plain value at ${C0}.DockerLabels.db.password`]);
      expect(secrets({ DockerLabels: { url: 'postgres://app:hunter2@db:5432/app' } })).toEqual([
        `Docker label url holds a password in plain text (postgres://app:****@db:5432/app) at ${C0}.DockerLabels.url`,
      ]);
    });

    test('a label holding JSON is read as its texts, each judged by its key (a Datadog check\'s password); what the agent fills in passes', () => {
      const labels = {
        'com.datadoghq.ad.instances': JSON.stringify([{ host: '%%host%%', password: 'hunter2' }, { host: 'replica', password: '%%env_REDIS_PASSWORD%%' }]),
        'com.datadoghq.ad.check_names': '["redisdb"]',
      };
      expect(secrets({ DockerLabels: labels })).toEqual([
        `Docker label com.datadoghq.ad.instances[0].password looks like a secret but has a plain value at ${C0}.DockerLabels.com.datadoghq.ad.instances[0].password`,
      ]);
      const masking = JSON.stringify([{ source: 'java', log_processing_rules: [{ type: 'mask_sequences', pattern: 'password=\\S+', replace_placeholder: 'password=[REDACTED]' }] }]);
      expect(secrets({ DockerLabels: { 'com.datadoghq.ad.logs': masking } })).toEqual([]);
    });

    test('a stack parameter in a label named for a secret is its plain value, though it reads like a reference (${Name})', () => {
      const parameters = { Parameters: { DbPassword: { Type: 'String' } } };
      const container = { DockerLabels: { 'co.elastic.metrics/password': { Ref: 'DbPassword' } } };
      expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: { ...template(container), ...parameters } as CfnTemplate, label: 'Stack' }])).toEqual([
        `Docker label co.elastic.metrics/password looks like a secret but has a plain value at ${C0}.DockerLabels.co.elastic.metrics/password`,
      ]);
    });

    test('every other text of the container definition is judged by its value: a Hostname, a WorkingDirectory, an extra host', () => {
      const container = {
        Hostname: '{{resolve:secretsmanager:prod/db:SecretString:password}}',
        WorkingDirectory: { 'Fn::Join': ['', ['/srv/', { Ref: 'DeployKey' }]] },
        ExtraHosts: [{ Hostname: 'db', IpAddress: '10.0.0.5' }, { Hostname: 'ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', IpAddress: '10.0.0.6' }],
      };
      const parameters = { Parameters: { DeployKey: { Type: 'String', NoEcho: true } } };
      expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: { ...template(container), ...parameters } as CfnTemplate, label: 'Stack' }])).toEqual([
        `field Hostname holds the secret {{resolve:secretsmanager:prod/db:SecretString:password}}, which CloudFormation resolves into the value: the secret is plain text in the output at ${C0}.Hostname`,
        `field WorkingDirectory holds the NoEcho parameter DeployKey: the secret is plain text in the output at ${C0}.WorkingDirectory`,
        `field ExtraHosts[1].Hostname holds a GitHub token in plain text (ghp_****) at ${C0}.ExtraHosts[1].Hostname`,
      ]);
    });

    test('every text of the task definition outside its containers is judged by its value too: a Docker volume\'s mount options', () => {
      const volume = { Name: 'share', DockerVolumeConfiguration: { Driver: 'local', DriverOpts: { type: 'cifs', device: '//fs.corp/share', o: 'addr=fs.corp,username=svc,password=hunter2' } } };
      const task = template({});
      (task.Resources!.Task.Properties as Record<string, unknown>).Volumes = [volume];
      expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: task, label: 'Stack' }])).toEqual([
        'field Volumes[0].DockerVolumeConfiguration.DriverOpts.o holds a password in plain text (addr=fs.corp,username=svc,password=****) at Resources.Task.Properties.Volumes[0].DockerVolumeConfiguration.DriverOpts.o',
      ]);
    });

    test('a field is judged by its value only, and the fields that name where a secret is kept by design pass', () => {
      const container = {
        Image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:0000000000000000000000000000000000000000000000000000000000000000',
        User: '1000:1000',
        // Where a secret is kept, given as a NoEcho parameter: read as a field, it would be a secret in plain text.
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: { Ref: 'DbSecretArn' } }],
        RepositoryCredentials: { CredentialsParameter: { Ref: 'DbSecretArn' } },
        MountPoints: [{ SourceVolume: 'tmp', ContainerPath: '/tmp/credentials', ReadOnly: false }],
        DnsSearchDomains: ['svc.local'],
      };
      const parameters = { Parameters: { DbSecretArn: { Type: 'String', NoEcho: true } } };
      expect(findingsIn(Control.SECRETS_NOT_IN_ENVIRONMENT, [{ template: { ...template(container), ...parameters } as CfnTemplate, label: 'Stack' }])).toEqual([]);
    });

    test('a field names its fix: the container definition is plain text, the container\'s secrets are not', () => {
      const [w] = readEcsWorkloads(template({ Hostname: '{{resolve:secretsmanager:x}}' }), { app: indexApp([{ template: template({}), label: 'Stack' }]) });
      const findings = evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.SECRETS_NOT_IN_ENVIRONMENT);
      expect(findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^remove it: ECS shows every field of a container definition in plain text \(DescribeTaskDefinition\)/)]);
    });

    test('each names its fix: the log configuration\'s SecretOptions; for a label, the container\'s secrets', () => {
      const [w] = readEcsWorkloads(template({ LogConfiguration: { LogDriver: 'splunk', Options: { 'splunk-token': 'x' } }, DockerLabels: { PASSWORD: 'x' } }), {
        app: indexApp([{ template: template({}), label: 'Stack' }]),
      });
      const findings = evaluate(w.posture, [], DEFAULT_POLICY, new Date()).filter((f) => f.control === Control.SECRETS_NOT_IN_ENVIRONMENT);
      expect(findings.map((f) => f.fix)).toEqual([
        expect.stringMatching(/^pass it in the log configuration's SecretOptions, which ECS reads from Secrets Manager or SSM/),
        expect.stringMatching(/^remove it from the Docker labels, which the task definition and the host \(docker inspect\) show in plain text/),
      ]);
    });
  });
});

describe('LOGGING: a log group named by awslogs-group counts only where it holds the logs', () => {
  const LOGGING = {
    LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': 'shared-logs', 'awslogs-create-group': 'true', 'awslogs-stream-prefix': 'web' } },
  };
  const group = (more: Record<string, unknown> = {}) => ({ Group: { Type: 'AWS::Logs::LogGroup', ...more, Properties: { LogGroupName: 'shared-logs', RetentionInDays: 7 } } });
  const retention = (templates: readonly AppTemplate[]) => {
    const app = indexApp(templates);
    return readEcsWorkloads(app.scopes[0].template, { app })[0].posture.containers[0].logging?.retentionDays;
  };
  const EU = { account: '111111111111', region: 'eu-west-1' };

  test('a group of that name holds the logs in the same account and region, or where either is unknown; not in another one', () => {
    expect(retention([{ template: template(LOGGING, group()), label: 'Api', ...EU }])).toEqual({ value: 7, at: 'Resources.Group.Properties.RetentionInDays' });
    const logs = { Resources: group() } as CfnTemplate;
    expect(retention([{ template: template(LOGGING), label: 'Api', ...EU }, { template: logs, label: 'Logs', ...EU }])?.value).toBe(7);
    expect(retention([{ template: template(LOGGING), label: 'Api', ...EU }, { template: logs, label: 'Logs' }])?.value).toBe(7);
    expect(retention([{ template: template(LOGGING), label: 'Api' }, { template: logs, label: 'Logs', region: 'us-east-1' }])?.value).toBe(7);
    const expected = {
      value: 'unknown',
      at: `${C0}.LogConfiguration.Options.awslogs-group ("shared-logs", a log group the app does not define in the task's account and region, `
        + 'and awslogs-create-group makes ECS create it without a retention period)',
    };
    expect(retention([{ template: template(LOGGING), label: 'Api', ...EU }, { template: logs, label: 'Logs', ...EU, region: 'us-east-1' }])).toEqual(expected);
    expect(retention([{ template: template(LOGGING), label: 'Api', ...EU }, { template: logs, label: 'Logs', ...EU, account: '222222222222' }])).toEqual(expected);
  });

  test('a group of that name in the task\'s region wins over one elsewhere, whatever the order of the templates', () => {
    const elsewhere = { Resources: { Far: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'shared-logs' } } } } as CfnTemplate;
    const here = { Resources: group() } as CfnTemplate;
    const api = { template: template(LOGGING), label: 'Api', ...EU };
    expect(retention([api, { template: here, label: 'Here', ...EU }, { template: elsewhere, label: 'Far', ...EU, region: 'us-east-1' }])?.value).toBe(7);
    expect(retention([api, { template: elsewhere, label: 'Far', ...EU, region: 'us-east-1' }, { template: here, label: 'Here', ...EU }])?.value).toBe(7);
  });

  // CloudFormation refuses to deploy a Ref to a resource it does not create, so only a match by name may miss the group.
  test('a group of that name under a resource Condition may not exist: its retention is unknown; a Ref to it still counts', () => {
    const byRef = { LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Group' } } } };
    expect(retention([{ template: template(byRef, group({ Condition: 'CreateSharedLogs' })), label: 'Api', ...EU }])?.value).toBe(7);
    const conditional = template(LOGGING, group({ Condition: 'CreateSharedLogs' }));
    expect(findingsIn(Control.LOGGING, [{ template: conditional, label: 'Api', ...EU }])).toEqual([
      'the retention period of the awslogs log group cannot be proven: the group may never expire at '
      + `${C0}.LogConfiguration.Options.awslogs-group ("shared-logs", the log group Resources.Group exists only when condition CreateSharedLogs of Api is true, `
      + 'and awslogs-create-group makes ECS create it without a retention period)',
    ]);
  });

  test('a group of that name in a nested stack under a Condition of its parent may not exist either', () => {
    const parent = { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Condition: 'WithLogs', Properties: {} } } } as CfnTemplate;
    const child = { Resources: group() } as CfnTemplate;
    const templates: AppTemplate[] = [
      { template: template(LOGGING), label: 'Api', ...EU }, { template: parent, label: 'Shop', ...EU },
      { template: child, label: 'Shop/Child', ...EU, parent: { label: 'Shop', logicalId: 'Child' } },
    ];
    expect(retention(templates)?.at).toMatch(/the log group Shop\/Child: Resources\.Group exists only when condition WithLogs of Shop is true/);
  });

  test('an unconditional group of that name wins over a conditional one', () => {
    const conditional = { Resources: { Maybe: { Type: 'AWS::Logs::LogGroup', Condition: 'C', Properties: { LogGroupName: 'shared-logs' } } } } as CfnTemplate;
    expect(retention([{ template: template(LOGGING, group()), label: 'Api', ...EU }, { template: conditional, label: 'Other', ...EU }])?.value).toBe(7);
  });
});
