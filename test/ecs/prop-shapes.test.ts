/**
 * ECS props of the wrong shape or kind (secrets, allowFrom, token sizes, logRetention, string booleans) and
 * invalid exemptions: each fails before anything is written, naming the prop, the value received and the fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, CfnParameter, Lazy, Stack, aws_ec2 as ec2, aws_ecs as ecs, aws_logs as logs, aws_secretsmanager as secretsmanager, aws_ssm as ssm,
} from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { API, TODAY, exemption, fixture, service, synth } from './fixtures';
import { Control, Exemption, SecurityPolicy, SecurityPolicyProps } from '../../lib/core';
import { SecureLaunchType, SecureService, SecureServiceProps, SecureSidecarOptions } from '../../lib/ecs';

/** A value of the wrong type, as JavaScript callers and JSON configs can pass it. */
const wrong = <T>(value: unknown) => value as T;
const SECRET_KINDS = 'must be an ecs.Secret (ecs.Secret.fromSecretsManager(...) or ecs.Secret.fromSsmParameter(...))';

function construction(props: Partial<SecureServiceProps>): () => SecureService {
  const f = fixture();
  return () => new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, ...props });
}

describe('secrets must be ecs.Secret values', () => {
  const CASES: [string, unknown, string][] = [
    [
      'the Kubernetes shape',
      { DB_PASSWORD: { secretName: 'db', key: 'password' } },
      `secrets.DB_PASSWORD ${SECRET_KINDS}, found: {"secretName":"db","key":"password"}; this is the Kubernetes shape; `
      + "on ECS write ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, 'Secret', 'db'), 'password')",
    ],
    [
      'the Kubernetes shape without a key',
      { DB_PASSWORD: { secretName: "o'brien" } },
      `secrets.DB_PASSWORD ${SECRET_KINDS}, found: {"secretName":"o'brien"}; this is the Kubernetes shape; `
      + "on ECS write ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, 'Secret', 'o\\'brien'))",
    ],
    [
      'a Secrets Manager ARN',
      { DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' },
      `secrets.DB_PASSWORD ${SECRET_KINDS}, found: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"; `
      + "wrap the ARN: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db'))",
    ],
    [
      'an SSM parameter ARN',
      { DB_PASSWORD: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/db' },
      `secrets.DB_PASSWORD ${SECRET_KINDS}, found: "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db"; `
      + "wrap the parameter: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Secret', { parameterName: 'app/db' }))",
    ],
    [
      'an SSM parameter name',
      { DB_PASSWORD: '/app/db' },
      `secrets.DB_PASSWORD ${SECRET_KINDS}, found: "/app/db"; `
      + "wrap the parameter: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Secret', { parameterName: '/app/db' }))",
    ],
    [
      'a number',
      { WORKERS: 4 },
      `secrets.WORKERS ${SECRET_KINDS}, found: 4; e.g. ecs.Secret.fromSecretsManager(secret)`,
    ],
    [
      'a list of names',
      ['DB_PASSWORD'],
      'secrets must be an object of variable names to ecs.Secret values, found: ["DB_PASSWORD"]; give each name its secret, e.g. { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret) }',
    ],
    [
      'null',
      null,
      'secrets must be an object of variable names to ecs.Secret values, found: null; e.g. { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret) }, or leave it out',
    ],
  ];

  test.each(CASES)('%s is rejected at construction', (_, secrets, message) => {
    expect(construction({ secrets: wrong(secrets) })).toThrow(`invalid ecs.SecureService Stack/Api:\n  - ${message}`);
  });

  test('a string that may be the secret itself is not echoed into the build log', () => {
    // GIVEN
    const build = construction({ secrets: wrong({ DB_PASSWORD: 'hunter2-prod' }) });
    // THEN
    expect(build).toThrow(`secrets.DB_PASSWORD ${SECRET_KINDS}, found: a string of 12 characters (not shown: it may be the secret itself); `
      + "a secret's value never goes in the props: store it in Secrets Manager and write ecs.Secret.fromSecretsManager(secret)");
    expect(build).not.toThrow(/hunter2/);
  });

  test('a sidecar\'s secrets are checked too, naming the sidecar', () => {
    // GIVEN
    const { svc } = service({ cpu: 0.125, memoryMiB: 256 });
    // WHEN / THEN
    expect(() => svc.addContainer('side', wrong<SecureSidecarOptions>({ image: 'ghcr.io/acme/side:1.0.0', secrets: { TOKEN: { secretName: 'db', key: 'token' } } })))
      .toThrow(`addContainer('side'): secrets.TOKEN ${SECRET_KINDS}, found: {"secretName":"db","key":"token"}; this is the Kubernetes shape; `
        + "on ECS write ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, 'Secret', 'db'), 'token')");
  });

  test('real Secrets Manager and SSM secrets are rendered, on the main container and a sidecar', () => {
    // GIVEN
    const f = fixture();
    const db = secretsmanager.Secret.fromSecretNameV2(f.stack, 'Db', 'db');
    const token = ssm.StringParameter.fromSecureStringParameterAttributes(f.stack, 'Token', { parameterName: '/app/token' });
    // WHEN
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, cpu: 0.125, memoryMiB: 256, secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(db, 'password') } });
    svc.addContainer('side', { image: 'ghcr.io/acme/side:1.0.0', cpu: 0.125, memoryMiB: 256, secrets: { TOKEN: ecs.Secret.fromSsmParameter(token) } });
    // THEN
    synth(f.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({ Name: 'app', Secrets: [Match.objectLike({ Name: 'DB_PASSWORD' })] }),
        Match.objectLike({ Name: 'side', Secrets: [Match.objectLike({ Name: 'TOKEN' })] }),
      ],
    });
  });
});

describe('allowFrom must be a list of peers', () => {
  test('one peer, not in a list', () => {
    const f = fixture();
    const sg = new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.vpc });
    expect(() => new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, allowFrom: wrong(sg) }))
      .toThrow('allowFrom must be a list of peers (IConnectable), found: the construct Stack/Sg; wrap the peer in a list: allowFrom: [peer], or leave allowFrom out');
  });

  test('a CIDR string', () => {
    expect(construction({ allowFrom: wrong('10.0.0.0/16') }))
      .toThrow('allowFrom must be a list of peers (IConnectable), found: "10.0.0.0/16"; e.g. allowFrom: [loadBalancer] or [ec2.Peer.ipv4(\'10.0.0.0/16\')], or leave allowFrom out');
  });

  test.each([
    ['undefined', [undefined], 0, 'undefined'],
    ['null after a peer', [ec2.Peer.ipv4('10.0.0.0/16'), null], 1, 'null'],
    ['a CIDR string', ['10.0.0.0/16'], 0, '"10.0.0.0/16"'],
  ])('an entry that is %s', (_, allowFrom, index, found) => {
    expect(construction({ allowFrom: wrong(allowFrom) })).toThrow(`allowFrom[${index}] must be a peer (IConnectable: a security group, a service, ec2.Peer.ipv4(...)), found: ${found}; `
      + 'remove it, or give the peer (a variable read before it was assigned is undefined)');
  });

  test('a value JSON cannot show is still named', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(construction({ allowFrom: wrong([circular]) })).toThrow('allowFrom[0] must be a peer (IConnectable: a security group, a service, ec2.Peer.ipv4(...)), found: [object Object]; ');
  });

  test('security groups and CIDR peers open the container port', () => {
    // GIVEN
    const f = fixture();
    const sg = new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.vpc });
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, allowFrom: [sg, ec2.Peer.ipv4('10.0.0.0/16') as unknown as ec2.IConnectable] });
    // THEN
    const template = synth(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: Match.anyValue() });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 8080 })]) });
  });
});

describe('cpu and memoryMiB must be numbers at synth time', () => {
  const FIX = "ECS needs the literal size to reserve the container's share and size the task: give a number (e.g. %s), "
    + 'and choose between sizes in the CDK app rather than with a deploy-time parameter';

  test.each([
    ['cpu', SecureLaunchType.EC2, '0.25'],
    ['cpu', SecureLaunchType.FARGATE, '0.25'],
    ['memoryMiB', SecureLaunchType.EC2, '512'],
  ] as const)('%s from a CfnParameter on %s', (prop, launchType, example) => {
    // GIVEN
    const f = fixture();
    const parameter = new CfnParameter(f.stack, 'Size', { type: 'Number', default: 1 }).valueAsNumber;
    // WHEN / THEN
    expect(() => new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, launchType, [prop]: parameter }))
      .toThrow(`invalid ecs.SecureService Stack/Api:\n  - ${prop} must be a number at synth time, found a token ({"Ref":"Size"}); ${FIX.replace('%s', example)}`);
  });

  test('a sidecar\'s cpu token is rejected, naming the sidecar', () => {
    const { stack, svc } = service();
    const parameter = new CfnParameter(stack, 'SideCpu', { type: 'Number', default: 0.25 }).valueAsNumber;
    expect(() => svc.addContainer('side', { image: 'ghcr.io/acme/side:1.0.0', cpu: parameter }))
      .toThrow(`addContainer('side'): cpu must be a number at synth time, found a token ({"Ref":"SideCpu"}); ${FIX.replace('%s', '0.25')}`);
  });

  test('a token that cannot be resolved yet is still named', () => {
    const lazy = Lazy.number({ produce: () => { throw new Error('not yet'); } });
    expect(construction({ memoryMiB: lazy })).toThrow(`memoryMiB must be a number at synth time, found a token (a value only known later); ${FIX.replace('%s', '512')}`);
  });

  test('replicas and containerPort may still be tokens', () => {
    // GIVEN
    const f = fixture();
    const replicas = new CfnParameter(f.stack, 'Replicas', { type: 'Number', default: 2 }).valueAsNumber;
    const containerPort = new CfnParameter(f.stack, 'Port', { type: 'Number', default: 8080 }).valueAsNumber;
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, replicas, containerPort });
    // THEN
    const template = synth(f.stack);
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: { Ref: 'Replicas' } });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ PortMappings: [Match.objectLike({ ContainerPort: { Ref: 'Port' } })] })] });
  });
});

describe('logRetention must be one of logs.RetentionDays', () => {
  test.each([
    [2, 'found: 2; use logs.RetentionDays.THREE_DAYS (the next longer period CloudWatch Logs offers)'],
    [1.5, 'found: 1.5; use logs.RetentionDays.THREE_DAYS (the next longer period CloudWatch Logs offers)'],
    [0, 'found: 0; use logs.RetentionDays.ONE_DAY (the next longer period CloudWatch Logs offers)'],
    [-7, 'found: -7; use logs.RetentionDays.ONE_DAY (the next longer period CloudWatch Logs offers)'],
    ['7', 'found: "7"; use logs.RetentionDays.ONE_WEEK (a number, not a string)'],
    ['2', 'found: "2"; use logs.RetentionDays.THREE_DAYS (the next longer period CloudWatch Logs offers)'],
    [5000, 'found: 5000; use logs.RetentionDays.TEN_YEARS, or logs.RetentionDays.INFINITE (which weakens LOGGING and needs its exemption)'],
    [Infinity, 'found: Infinity; use logs.RetentionDays.TEN_YEARS, or logs.RetentionDays.INFINITE (which weakens LOGGING and needs its exemption)'],
    ['a week', 'found: "a week"; use a logs.RetentionDays value, e.g. logs.RetentionDays.ONE_YEAR'],
    [NaN, 'found: NaN; use a logs.RetentionDays value, e.g. logs.RetentionDays.ONE_YEAR'],
  ])('%p is rejected at construction', (retention, message) => {
    expect(construction({ logRetention: wrong(retention) })).toThrow(`invalid ecs.SecureService Stack/Api:\n  - logRetention must be one of logs.RetentionDays, ${message}`);
  });

  test.each([logs.RetentionDays.ONE_DAY, logs.RetentionDays.ONE_WEEK, logs.RetentionDays.TEN_YEARS])('RetentionDays %d is rendered', (retention) => {
    const { stack } = service({ logRetention: retention });
    synth(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: retention });
  });

  test('a deploy-time retention is still allowed: LOGGING asks for its exemption, and with it the service synthesizes', () => {
    // GIVEN
    const f = fixture();
    const days = new CfnParameter(f.stack, 'Days', { type: 'Number', default: 30 }).valueAsNumber;
    // WHEN
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, logRetention: days, exemptions: [exemption(Control.LOGGING)] });
    // THEN
    synth(f.stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: { Ref: 'Days' } });
  });
});

describe('boolean props must be booleans', () => {
  test.each([
    ['false', 'found: "false"; write false without quotes'],
    [0, 'found: 0; write true or false'],
  ])('enableExecuteCommand %j', (value, message) => {
    expect(construction({ enableExecuteCommand: wrong(value) })).toThrow(`invalid ecs.SecureService Stack/Api:\n  - enableExecuteCommand must be true or false, ${message}`);
  });

  test.each([
    ['false', 'found: "false"; write false without quotes'],
    ['no', 'found: "no"; write true or false'],
  ])('a sidecar\'s essential %j', (value, message) => {
    const { svc } = service({ cpu: 0.125, memoryMiB: 256 });
    expect(() => svc.addContainer('side', { image: 'ghcr.io/acme/side:1.0.0', cpu: 0.125, memoryMiB: 256, essential: wrong(value) }))
      .toThrow(`invalid ecs.SecureService Stack/Api:\n  - addContainer('side'): essential must be true or false, ${message}`);
  });

  test('real booleans are rendered', () => {
    const { stack, svc } = service({ cpu: 0.125, memoryMiB: 256, enableExecuteCommand: true });
    svc.addContainer('side', { image: 'ghcr.io/acme/side:1.0.0', cpu: 0.125, memoryMiB: 256, essential: false });
    const template = synth(stack);
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'side', Essential: false })]) });
  });
});

describe('invalid exemptions fail in the service\'s validation, before anything is written', () => {
  const JUSTIFICATION = 'Vendor agent reads host metrics; reviewed by platform security in the Q3 audit';

  interface Options {
    readonly policy?: SecurityPolicyProps;
    readonly context?: Record<string, unknown>;
    readonly more?: (svc: SecureService, stack: Stack) => void;
  }

  /** A service in an app with its own outdir, `more` applied, then synthesized: the error, and what was written. */
  function synthesized(exemptions: Exemption[], options: Options = {}) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-exemptions-'));
    const app = new App({ outdir, context: { 'secure-service:today': TODAY, ...options.context } });
    const stack = new Stack(app, 'Stack');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    if (options.policy) SecurityPolicy.of(stack).apply(options.policy);
    const svc = new SecureService(stack, 'Api', { ...API, vpc, user: { uid: 0 }, exemptions });
    options.more?.(svc, stack);
    let error = '';
    try {
      app.synth();
    } catch (e) {
      error = (e as Error).message;
    }
    const written = fs.readdirSync(outdir);
    fs.rmSync(outdir, { recursive: true, force: true });
    return { error, written };
  }

  const root = (more: Partial<Exemption> = {}): Exemption => ({ control: Control.RUN_AS_NON_ROOT, justification: JUSTIFICATION, ...more });

  test.each([
    ['a short justification', root({ justification: 'TODO' }), undefined,
      'exemptions[0] (RUN_AS_NON_ROOT): justification must be at least 20 characters after trimming, found 4: "TODO"; write why the control must be weakened and what limits the risk'],
    ['an expired one', root({ expires: '2026-05-31' }), undefined,
      'exemptions[0] (RUN_AS_NON_ROOT): expired on 2026-05-31; restore the secure setting, or renew the exemption with a new expiry after review'],
    ['an unknown control', root({ control: 'ROOT' as Exemption['control'] }), undefined,
      'exemptions[0] (ROOT): control must be one of the catalog, found: "ROOT"; use Control.<ID>'],
    ['a missing ticket under requireTicket', root(), { requireTicket: true, ticketPattern: '^SEC-\\d+$' },
      "exemptions[0] (RUN_AS_NON_ROOT): the security policy requires a ticket; add ticket: '...' matching ^SEC-\\d+$"],
    ['a non-waivable control', root(), { nonWaivable: [Control.RUN_AS_NON_ROOT] },
      'exemptions[0] (RUN_AS_NON_ROOT): the security policy makes RUN_AS_NON_ROOT non-waivable: it cannot be exempted; remove the exemption and restore the secure setting'],
    ['an expiry beyond maxExemptionDays', root({ expires: '2099-12-31' }), { maxExemptionDays: 90 },
      'exemptions[0] (RUN_AS_NON_ROOT): expires 2099-12-31 is 26876 days away, beyond the 90 days the security policy allows; choose an expiry within 90 days'],
  ] as [string, Exemption, SecurityPolicyProps | undefined, string][])('%s', (_, bad, policy, message) => {
    const { error, written } = synthesized([bad], { policy });
    expect(error).toContain(`Validation failed with the following errors:\n  [Stack/Api] ${message}`);
    expect(written).toEqual([]);
  });

  test('a sidecar\'s exemption is numbered in the recorded list and names its container, as the checks report it', () => {
    const { error, written } = synthesized([root()], {
      more: (svc) => svc.addContainer('side', { image: 'ghcr.io/acme/side:1.0.0', exemptions: [root({ justification: 'legacy' })] }),
    });
    expect(error).toContain("[Stack/Api] exemptions[1] (RUN_AS_NON_ROOT, container 'side'): justification must be at least 20 characters after trimming, found 6: \"legacy\"");
    expect(written).toEqual([]);
  });

  test('a policy applied after the service is the one its exemptions are judged by, as in the checks', () => {
    const { error } = synthesized([root()], { more: (_, stack) => SecurityPolicy.of(stack).apply({ requireTicket: true }) });
    expect(error).toContain("[Stack/Api] exemptions[0] (RUN_AS_NON_ROOT): the security policy requires a ticket; add ticket: '...'");
  });

  test.each([
    ['the stack\'s day, where the exemption is still valid: it synthesizes', '2026-06-01', ''],
    ['the stack\'s day, after the exemption expired: it fails', '2026-07-01', '[Stack/Api] exemptions[0] (RUN_AS_NON_ROOT): expired on 2026-06-30'],
  ])('"today" is read nearest the service, as on Kubernetes (the app says otherwise): %s', (_, stackDay, error) => {
    // GIVEN: the app's day would judge the other way
    const app = new App({ context: { 'secure-service:today': stackDay === '2026-06-01' ? '2026-07-01' : '2026-06-01' } });
    const stack = new Stack(app, 'Stack');
    stack.node.setContext('secure-service:today', stackDay);
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] });
    new SecureService(stack, 'Api', { ...API, vpc, user: { uid: 0 }, exemptions: [root({ expires: '2026-06-30' })] });
    // WHEN / THEN: the service's own validation and the checks read the same day
    if (error) expect(() => app.synth()).toThrow(error);
    else expect(() => app.synth()).not.toThrow();
  });

  test.each([
    ['tomorrow', '"tomorrow"'],
    [20260601, '20260601'],
  ])('a "today" context of %j fails before anything is written, naming the key', (today, found) => {
    const { error, written } = synthesized([], { context: { 'secure-service:today': today } });
    expect(error).toContain(`[Stack/Api] context secure-service:today must be an ISO date YYYY-MM-DD, found: ${found}; fix it or remove it to use the real date`);
    expect(written).toEqual([]);
  });

  test('valid exemptions synthesize, and one expiring soon only warns (from the checks, which see the template)', () => {
    const { error, written } = synthesized([root({ expires: '2026-06-10', ticket: 'SEC-1' })], { policy: { requireTicket: true } });
    expect(error).toBe('');
    expect(written).toContain('Stack.template.json');
  });
});
