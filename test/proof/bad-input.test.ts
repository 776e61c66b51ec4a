/**
 * The bad-input catalogue: one auditable list of invalid inputs. Each must fail (at construction, or
 * at synthesis before anything is written) with a message that names the prop, the value received
 * and the fix; none may be corrected or dropped silently. Shared props run on BOTH targets with the
 * same bad value. Counts are asserted at the end, so the README's numbers cannot drift.
 */
import * as fs from 'fs';
import { CfnParameter, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2, aws_ecs as awsecs } from 'aws-cdk-lib';
import { Chart, Testing } from 'cdk8s';
import { ecs, k8s } from '../../lib';
import { Control, Exemption, SecureServiceSpec, SecurityPolicy, SecurityPolicyProps } from '../../lib/core';
import { fixture } from '../ecs/fixtures';
import { newChart } from '../k8s/helpers';

type Target = 'ECS' | 'Kubernetes';
/** What the message must contain: the prop, the value received and the fix. */
type Expect = readonly [prop: string, value: string, fix: string];

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const SHARED_BASE: SecureServiceSpec & { image: string } = {
  image: IMAGE, containerPort: 8080, writablePaths: ['/tmp'], cpu: 0.25, memoryMiB: 512, healthCheck: { command: ['/app/healthcheck'] },
};
const JUSTIFICATION = 'Vendor agent reads host metrics; reviewed by platform security in the Q3 audit';
/** A value of the wrong type, as JavaScript callers and JSON configs can pass it. */
const wrong = <T>(value: unknown) => value as T;
const ecsSecret = () => awsecs.Secret.fromSsmParameter({ parameterArn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db', parameterName: 'db' } as any);

/** Shared props plus secret names, built for either target. */
interface SharedInput extends Partial<SecureServiceSpec> {
  readonly image?: string;
  readonly secretNames?: readonly string[];
}

function ecsProps({ secretNames, ...props }: SharedInput): Partial<ecs.SecureServiceProps> {
  return secretNames ? { ...props, secrets: Object.fromEntries(secretNames.map((n) => [n, ecsSecret()])) } : props;
}
function k8sProps({ secretNames, ...props }: SharedInput): Partial<k8s.SecureServiceProps> {
  return secretNames ? { ...props, secrets: Object.fromEntries(secretNames.map((n) => [n, { secretName: 'db', key: 'password' }])) } : props;
}

/** Builds then synthesizes; the error message, or '' when both succeed. */
function failure(build: () => () => void): string {
  let synth: () => void;
  try {
    synth = build();
  } catch (e) {
    return (e as Error).message;
  }
  try {
    synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

/** An ECS service (Fargate unless props say otherwise) in a fresh app; returns its synthesis. */
type EcsFixture = ReturnType<typeof fixture>;
type EcsMore = (svc: ecs.SecureService, f: EcsFixture) => void;
function onEcs(props: Partial<ecs.SecureServiceProps>, more: EcsMore = () => undefined, policy?: SecurityPolicyProps) {
  return () => {
    const f = fixture();
    if (policy) SecurityPolicy.of(f.stack).apply(policy);
    const svc = new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, ...props } as ecs.SecureServiceProps);
    more(svc, f);
    return () => f.app.synth();
  };
}

/** A Kubernetes service in a fresh app; its synthesis writes nothing when it fails (asserted). */
function onK8s(props: Partial<k8s.SecureServiceProps>, more: (svc: k8s.SecureService) => void = () => undefined, policy?: SecurityPolicyProps, id = 'api') {
  return () => {
    const { app, chart } = newChart();
    if (policy) SecurityPolicy.of(chart).apply(policy);
    const svc = new k8s.SecureService(chart, id, { ...SHARED_BASE, ...props } as k8s.SecureServiceProps);
    more(svc);
    return () => {
      try {
        app.synth();
      } catch (e) {
        const written = fs.readdirSync(app.outdir);
        if (written.length > 0) throw new Error(`synthesis failed but wrote ${written.join(', ')}: ${(e as Error).message}`);
        throw e;
      }
    };
  };
}

function expectRejected(message: string, [prop, value, fix]: Expect): void {
  expect(message).not.toBe('');
  expect(message).toContain(prop);
  expect(message).toContain(value);
  expect(message).toContain(fix);
}

const counts: Record<string, number> = {};
function count(table: string, cases: readonly unknown[], targets = 1): void {
  counts[table] = cases.length * targets;
}

// ---------------------------------------------------------------------------------------------
// shared props: the same bad value fails on both targets

const SHARED: [string, SharedInput, Expect][] = [
  ['containerPort 0', { containerPort: 0 }, ['containerPort', 'found: 0', 'listen on 8080']],
  ['containerPort above 65535', { containerPort: 70000 }, ['containerPort', 'found: 70000', 'whole number from 1 to 65535']],
  ['containerPort fractional', { containerPort: 80.5 }, ['containerPort', 'found: 80.5', 'whole number from 1 to 65535']],
  ['cpu 0', { cpu: 0 }, ['cpu', 'found: 0', 'positive number of vCPUs (e.g. 0.25)']],
  ['cpu negative', { cpu: -1 }, ['cpu', 'found: -1', 'positive number of vCPUs']],
  ['cpu NaN', { cpu: NaN }, ['cpu', 'found: NaN', 'positive number of vCPUs']],
  ['cpu Infinity', { cpu: Infinity }, ['cpu', 'found: Infinity', 'positive number of vCPUs']],
  ['memoryMiB below 6', { memoryMiB: 4 }, ['memoryMiB', 'found: 4', 'at least 6']],
  ['memoryMiB fractional', { memoryMiB: 512.5 }, ['memoryMiB', 'found: 512.5', 'whole number of MiB']],
  ['replicas negative', { replicas: -1 }, ['replicas', 'found: -1', 'whole number, 0 or more']],
  ['replicas fractional', { replicas: 1.5 }, ['replicas', 'found: 1.5', 'whole number, 0 or more']],
  ['user.uid negative', { user: { uid: -1 } }, ['user.uid', 'found: -1', 'use the numeric uid']],
  ['user.uid a name', { user: { uid: 'nobody' as unknown as number } }, ['user.uid', 'found: "nobody"', 'use the numeric uid']],
  ['user.gid fractional', { user: { uid: 10001, gid: 1.5 } }, ['user.gid', 'found: 1.5', 'use the numeric gid']],
  ['user without uid', { user: wrong({ gid: 5 }) }, ['user.uid is required when user is set', 'found: {"gid":5}', "leave user out for the policy's default user"]],
  ['writablePaths relative', { writablePaths: ['tmp'] }, ['writablePaths[0]', 'found: "tmp"', "e.g. '/tmp'"]],
  ['writablePaths root', { writablePaths: ['/'] }, ['writablePaths[0]', "cannot be '/'", 'list the directories the process writes to']],
  ['writablePaths not normalised', { writablePaths: ['/var/../tmp/'] }, ['writablePaths[0]', 'found: "/var/../tmp/"', 'use "/tmp"']],
  ['writablePaths duplicate', { writablePaths: ['/tmp', '/tmp'] }, ['writablePaths[1]', 'found: "/tmp"', 'list each path once']],
  ['writablePaths nested', { writablePaths: ['/var', '/var/cache'] }, ['writablePaths[1]', '"/var/cache" is inside writablePaths entry "/var"', 'remove it']],
  ['environment name with a space', { environment: { 'LOG LEVEL': 'info' } }, ['environment name', 'found: "LOG LEVEL"', 'must be letters, digits, \'_\', \'-\' and \'.\'']],
  ['environment value not a string', { environment: { WORKERS: 4 as unknown as string } }, ['environment.WORKERS', 'found: 4', 'must be a string']],
  ['environment value NaN (shown as NaN, not null)', { environment: { WORKERS: wrong(NaN) } }, ['environment.WORKERS', 'found: NaN', 'must be a string']],
  ['capability with CAP_ prefix', { capabilities: { add: ['CAP_SYS_PTRACE'] } }, ['capabilities.add', 'found: "CAP_SYS_PTRACE"', 'use "SYS_PTRACE"']],
  ['capability lower case', { capabilities: { add: ['sys_ptrace'] } }, ['capabilities.add', 'found: "sys_ptrace"', 'upper-case Linux capability name']],
  ['healthCheck empty', { healthCheck: {} }, ['healthCheck', 'found: {}', 'exactly one of path or command']],
  ['healthCheck path and command', { healthCheck: { path: '/healthz', command: ['/bin/check'] } }, ['healthCheck', 'found: {"path":"/healthz","command":["/bin/check"]}', 'exactly one of path or command']],
  ['healthCheck relative path', { healthCheck: { path: 'healthz' } }, ['healthCheck.path', 'found: "healthz"', "must start with '/'"]],
  ['healthCheck empty command', { healthCheck: { command: [] } }, ['healthCheck.command', 'found: []', 'non-empty list of arguments']],
  ['healthCheck start period beyond ECS\'s', { healthCheck: { command: ['/app/healthcheck'], startPeriodSeconds: 600 } }, ['healthCheck.startPeriodSeconds', 'found: 600', 'from 1 to 300']],
  ['healthCheck.path without containerPort (nothing to check it on)', { containerPort: undefined, healthCheck: { path: '/healthz' } }, ['healthCheck.path needs a containerPort', 'path "/healthz" without containerPort', 'set containerPort (Kubernetes also probes healthCheck.port alone)']],
  ['healthCheck interval below what ECS takes', { healthCheck: { command: ['/app/healthcheck'], intervalSeconds: 1 } }, ['healthCheck.intervalSeconds', 'found: 1', 'from 5 to 300']],
  ['healthCheck timeout not below the interval', { healthCheck: { command: ['/app/healthcheck'], intervalSeconds: 10, timeoutSeconds: 10 } },
    ['healthCheck.timeoutSeconds must be less than the interval', 'found: timeoutSeconds 10 with intervalSeconds 10', 'set intervalSeconds above 10, or a shorter timeout']],
  ['healthCheck.port with a command check', { healthCheck: { command: ['/app/healthcheck'], port: 9000 } }, ['healthCheck.port', 'found: port 9000 with a command check', 'leave port out']],
  ['healthCheck.port out of range', { healthCheck: { path: '/healthz', port: 90000 } }, ['healthCheck.port', 'found: 90000', 'from 1 to 65535']],
  ['healthCheck.port a string', { healthCheck: { path: '/healthz', port: '9000' as unknown as number } }, ['healthCheck.port', 'found: "9000"', 'from 1 to 65535']],
  ['healthCheck.livenessPath with a command check', { healthCheck: { command: ['/app/healthcheck'], livenessPath: '/live' } }, ['healthCheck.livenessPath', 'found: livenessPath "/live" with a command check', 'leave livenessPath out']],
  ['healthCheck.livenessPath relative', { healthCheck: { path: '/ready', livenessPath: 'live' } }, ['healthCheck.livenessPath', 'found: "live"', "must start with '/'"]],
  ['seccompProfile misspelt', { seccompProfile: 'unconfined' as 'Unconfined' }, ['seccompProfile', 'found: "unconfined"', "must be 'RuntimeDefault' or 'Unconfined'"]],
  ['secret name not a variable name', { secretNames: ['db-password'] }, ['secrets name', 'found: "db-password"', 'valid environment variable name']],
  ['secret also in environment', { secretNames: ['DB_PASSWORD'], environment: { DB_PASSWORD: 'hunter2' } }, ['DB_PASSWORD', 'both in environment and in secrets', 'keep it in secrets only']],
  ['image empty', { image: '' }, ['image', 'found: ""', "such as 'ghcr.io/acme/api:1.4.2'"]],
  ['image blank', { image: '   ' }, ['image', 'found: "   "', "such as 'ghcr.io/acme/api:1.4.2'"]],
  ['image with a scheme', { image: 'https://ghcr.io/acme/api:1.4.2' }, ['image', 'found: "https://ghcr.io/acme/api:1.4.2"', 'remove "https://"']],
  ['image repository in upper case', { image: 'ghcr.io/Acme/api:1.4.2' }, ['image', 'found: "ghcr.io/Acme/api:1.4.2"', 'repository names are lower case']],
  ['image with an empty tag', { image: 'ghcr.io/acme/api:' }, ['image', 'found: "ghcr.io/acme/api:"', "a tag being 1-128 letters, digits, '_', '.' or '-'"]],
  ['image with a digest too short', { image: 'ghcr.io/acme/api@sha256:abc' }, ['image', 'found: "ghcr.io/acme/api@sha256:abc"', '@sha256:<64 hex digits>']],
  // wrong shapes and types: named, never spread into characters nor crashing on null
  ['writablePaths a string', { writablePaths: wrong('/tmp') }, ['writablePaths must be a list of absolute paths', 'found: "/tmp"', 'write ["/tmp"]']],
  ['command a string', { command: wrong('node server.js') }, ['command must be a non-empty list', 'found: "node server.js"', 'write ["node","server.js"]']],
  ['capabilities.add a string', { capabilities: { add: wrong('SYS_PTRACE') } }, ['capabilities.add must be a list', 'found: "SYS_PTRACE"', 'write ["SYS_PTRACE"]']],
  ['environment null', { environment: wrong(null) }, ['environment must be an object', 'found: null', "e.g. { LOG_LEVEL: 'info' }"]],
  ['user null', { user: wrong(null) }, ['user must be an object', 'found: null', 'e.g. { uid: 10001, gid: 10001 }']],
  ['healthCheck null', { healthCheck: wrong(null) }, ['healthCheck must be an object', 'found: null', "e.g. { path: '/healthz' }"]],
  ['exemptions an object', { exemptions: wrong({ control: Control.RUN_AS_NON_ROOT, justification: JUSTIFICATION }) }, ['exemptions must be a list', 'found: {"control":"RUN_AS_NON_ROOT"', 'wrap the exemption in [ ]']],
  ['exemptions holding null', { exemptions: wrong([null]) }, ['exemptions[0] must be an object', 'found: null', 'e.g. { control: Control.RUN_AS_NON_ROOT']],
  ['privileged a string', { privileged: wrong('true') }, ['privileged must be true or false', 'found: "true"', 'write true without quotes']],
  ['readOnlyRootFilesystem a string', { readOnlyRootFilesystem: wrong('false') }, ['readOnlyRootFilesystem must be true or false', 'found: "false"', 'write false without quotes']],
  ['allowPrivilegeEscalation a number', { allowPrivilegeEscalation: wrong(0) }, ['allowPrivilegeEscalation must be true or false', 'found: 0', 'write true or false']],
  // misspelled props and fields: named, never dropped (with them, what they were meant to set)
  ['a misspelled prop', wrong({ writeablePaths: ['/tmp'] }), ['writeablePaths is not a prop of', 'found: ["/tmp"]', 'did you mean writablePaths?']],
  // props named as other construct libraries name them: what this one takes instead
  ['env, as cdk8s-plus has it', wrong({ env: { LOG_LEVEL: 'info' } }), ['env is not a prop of', 'found: {"LOG_LEVEL":"info"}', 'the variables are environment (plain values) and secrets']],
  ['memoryLimitMiB, as aws-ecs has it', wrong({ memoryLimitMiB: 512 }), ['memoryLimitMiB is not a prop of', 'found: 512', 'the memory is memoryMiB']],
  ['desiredCount, as aws-ecs has it', wrong({ desiredCount: 2 }), ['desiredCount is not a prop of', 'found: 2', 'the number of tasks or pods is replicas']],
  ['taskImageOptions, as aws-ecs-patterns has it', wrong({ taskImageOptions: { containerPort: 8080 } }),
    ['taskImageOptions is not a prop of', 'found: {"containerPort":8080}', 'image, containerPort, environment and secrets are props of the service itself']],
  ['user with a misspelled field', { user: wrong({ uid: 10001, gidd: 10001 }) }, ['user.gidd is not a field of user', 'found: 10001', 'did you mean gid?']],
  ['healthCheck with a misspelled field', { healthCheck: wrong({ paths: '/healthz' }) }, ['healthCheck.paths is not a field of healthCheck', 'found: "/healthz"', 'did you mean path?']],
  ['capabilities with a misspelled field', { capabilities: wrong({ adds: ['SYS_PTRACE'] }) }, ['capabilities.adds is not a field of capabilities', 'found: ["SYS_PTRACE"]', 'did you mean add?']],
  [
    'an exemption with a misspelled field',
    { exemptions: [wrong({ control: Control.RUN_AS_NON_ROOT, justification: JUSTIFICATION, expiry: '2027-01-01' })] },
    ['exemptions[0].expiry is not a field of an exemption', 'found: "2027-01-01"', 'did you mean expires?'],
  ],
];
count('shared props', SHARED, 2);

describe.each(['ECS', 'Kubernetes'] as Target[])('bad shared props on %s', (target) => {
  test.each(SHARED)('%s', (_, input, expected) => {
    expectRejected(failure(target === 'ECS' ? onEcs(ecsProps(input)) : onK8s(k8sProps(input))), expected);
  });
});

// ---------------------------------------------------------------------------------------------
// sidecars: the same checks, with the container named

/** A sidecar's options; `mainHealthPort` gives the main container a health check on a port of its own. */
const SIDECAR: [string, SharedInput & { name?: string; mainHealthPort?: number }, Expect][] = [
  ['sidecar containerPort', { containerPort: -1 }, ['containerPort', 'found: -1', 'whole number from 1 to 65535']],
  ['sidecar writable path', { writablePaths: ['cache'] }, ['writablePaths[0]', 'found: "cache"', "e.g. '/tmp'"]],
  ['sidecar capability prefix', { capabilities: { add: ['CAP_NET_ADMIN'] } }, ['capabilities.add', 'found: "CAP_NET_ADMIN"', 'use "NET_ADMIN"']],
  ['sidecar secret in environment', { secretNames: ['API_KEY'], environment: { API_KEY: 'x' } }, ['API_KEY', 'both in environment and in secrets', 'keep it in secrets only']],
  ['sidecar on the main container\'s port', { containerPort: 8080 }, ['containerPort 8080', "container 'main'", 'choose another port']],
  ['sidecar on the main container\'s health port', { containerPort: 9000, mainHealthPort: 9000 }, ['containerPort 9000', "is already the healthCheck.port of container 'main'", 'choose another port']],
  ['sidecar named like the main container', { name: 'main' }, ['name', '"main"', 'choose another name']],
  ['sidecar exemption for another container', { exemptions: [{ control: Control.RUN_AS_NON_ROOT, justification: JUSTIFICATION, container: 'main' }] }, ['exemptions[0]', 'main', 'leave container out']],
  ['sidecar command a string', { command: wrong('fluent-bit -c /etc/fb.conf') }, ['command must be a non-empty list', 'found: "fluent-bit -c /etc/fb.conf"', 'write ["fluent-bit","-c","/etc/fb.conf"]']],
  ['sidecar user null', { user: wrong(null) }, ['user must be an object', 'found: null', 'e.g. { uid: 10001, gid: 10001 }']],
  ['sidecar misspelled option', wrong({ writeablePaths: ['/cache'] }), ['writeablePaths is not an option of addContainer', 'found: ["/cache"]', 'did you mean writablePaths?']],
];
count('sidecars', SIDECAR, 2);

describe.each(['ECS', 'Kubernetes'] as Target[])('bad sidecar options on %s', (target) => {
  test.each(SIDECAR)('%s', (_, { name = 'log-router', mainHealthPort, ...input }, expected) => {
    const healthCheck = mainHealthPort === undefined ? {} : { healthCheck: { path: '/healthz', port: mainHealthPort } };
    const message = target === 'ECS'
      ? failure(onEcs({ containerName: 'main', ...healthCheck }, (svc) => svc.addContainer(name, { image: IMAGE, ...ecsProps(input) } as ecs.SecureSidecarOptions)))
      : failure(onK8s({ name: 'main', ...healthCheck }, (svc) => svc.addContainer(name, { image: IMAGE, ...k8sProps(input) } as k8s.SecureContainerProps)));
    expectRejected(message, expected);
    expect(message).toContain(name);
  });
});

// ---------------------------------------------------------------------------------------------
// exemptions and policies: fail at synthesis, on both targets

const FAR = '2099-12-31';
const EXEMPTIONS: [string, Partial<Exemption>, SecurityPolicyProps | undefined, Expect][] = [
  ['unknown control', { control: 'ROOT' as Exemption['control'] }, undefined, ['control', 'found: "ROOT"', 'use Control.<ID>']],
  ['justification too short', { justification: 'legacy' }, undefined, ['justification', '"legacy"', 'write why the control must be weakened']],
  ['justification blank after trimming', { justification: ' '.repeat(30) }, undefined, ['justification', 'found 0', 'write why the control must be weakened']],
  ['justification TODO', { justification: 'TODO: explain why the agent needs it' }, undefined, ['justification is a placeholder', '"TODO"', 'write why the control must be weakened']],
  ['justification only filler words', { justification: 'needed for now, will be fixed' }, undefined, ['justification is a placeholder', '"needed for now, will be fixed"', 'write why']],
  ['justification repeated characters', { justification: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, undefined, ['justification is not a sentence', '"aaaaaaaaaaaaaaaaaaaaaaaa"', 'write why']],
  ['justification not a string', { justification: 42 as unknown as string }, undefined, ['justification', 'found: 42', 'write why']],
  ['expires not a calendar date', { expires: '2027-02-30' }, undefined, ['expires', 'found: "2027-02-30"', 'ISO date YYYY-MM-DD']],
  ['expires in another format', { expires: '31/03/2027' }, undefined, ['expires', 'found: "31/03/2027"', 'ISO date YYYY-MM-DD']],
  ['expired', { expires: '2020-01-01' }, undefined, ['expired on', '2020-01-01', 'renew the exemption with a new expiry after review']],
  ['container blank', { container: '' }, undefined, ['container', 'found: ""', 'leave it out to cover every container']],
  ['container that does not exist', { container: 'ghost' }, undefined, ['container', "'ghost'", 'leave container out to cover every container']],
  ['ticket blank', { ticket: ' ' }, undefined, ['ticket', 'found: " "', 'non-empty string']],
  ['ticket missing under requireTicket', {}, { requireTicket: true, ticketPattern: '^SEC-\\d+$' }, ['ticket', 'requires a ticket', "add ticket: '...' matching ^SEC-\\d+$"]],
  ['ticket not matching the pattern', { ticket: 'JIRA-12' }, { ticketPattern: '^SEC-\\d+$' }, ['ticket', 'found: "JIRA-12"', 'must match ^SEC-\\d+$']],
  ['expiry missing under requireExpiry', {}, { requireExpiry: true, maxExemptionDays: 90 }, ['expiry', 'requires an expiry', "add expires: 'YYYY-MM-DD' within 90 days"]],
  ['expiry beyond maxExemptionDays', { expires: FAR }, { maxExemptionDays: 90 }, ['expires', FAR, 'choose an expiry within 90 days']],
  ['non-waivable control', {}, { nonWaivable: [Control.RUN_AS_NON_ROOT] }, ['RUN_AS_NON_ROOT', 'non-waivable', 'remove the exemption and restore the secure setting']],
];
count('exemptions', EXEMPTIONS, 2);

describe.each(['ECS', 'Kubernetes'] as Target[])('bad exemptions on %s', (target) => {
  test.each(EXEMPTIONS)('%s', (_, bad, policy, expected) => {
    const exemptions = [{ control: Control.RUN_AS_NON_ROOT, justification: JUSTIFICATION, ...bad } as Exemption];
    const message = target === 'ECS'
      ? failure(onEcs({ exemptions, containerName: 'app' }, undefined, policy))
      : failure(onK8s({ exemptions, name: 'app' }, undefined, policy));
    expectRejected(message, expected);
  });
});

const POLICIES: [string, SecurityPolicyProps, Expect][] = [
  ['defaultUser root', { defaultUser: { uid: 0, gid: 0 } }, ['defaultUser', 'found: {"uid":0,"gid":0}', 'numeric uid and gid from 1 to 2147483647']],
  ['defaultUser gid missing', { defaultUser: { uid: 10001 } as SecurityPolicyProps['defaultUser'] }, ['defaultUser', 'found: {"uid":10001}', 'numeric uid and gid from 1 to 2147483647']],
  ['ticketPattern not a regular expression', { ticketPattern: 'SEC-(' }, ['ticketPattern', 'found: "SEC-("', 'valid regular expression']],
  ['maxExemptionDays 0', { maxExemptionDays: 0 }, ['maxExemptionDays', 'found: 0', 'whole number of days above 0']],
  ['expiryWarningDays negative', { expiryWarningDays: -1 }, ['expiryWarningDays', 'found: -1', 'whole number of days, 0 or more']],
  ['nonWaivable unknown control', { nonWaivable: ['ROOT' as Exemption['control']] }, ['nonWaivable', 'found: "ROOT"', 'use Control.<ID>']],
  ['allowedRegistries with a scheme', { allowedRegistries: ['https://ghcr.io'] }, ['allowedRegistries', 'found: "https://ghcr.io"', "without a scheme (e.g. 'ghcr.io/acme')"]],
  ['allowedRegistries empty (no image could be used)', { allowedRegistries: [] }, ['allowedRegistries cannot be empty', 'found: []', 'or leave it out to allow any']],
  ['defaultUser with a field it does not have', { defaultUser: wrong({ uid: 10001, gid: 10001, name: 'app' }) }, ['defaultUser.name is not a field of defaultUser', 'found: "app"', 'the known ones are uid, gid']],
  ['defaultUser uid NaN (shown as NaN, not null)', { defaultUser: { uid: NaN, gid: 10001 } }, ['defaultUser', 'found: {"uid":NaN,"gid":10001}', 'numeric uid and gid from 1 to 2147483647']],
  ['maxExemptionDays Infinity (shown as Infinity, not null)', { maxExemptionDays: Infinity }, ['maxExemptionDays', 'found: Infinity', 'whole number of days above 0']],
];
count('policies', POLICIES, 2);

describe.each(['ECS', 'Kubernetes'] as Target[])('bad security policies on %s', (target) => {
  test.each(POLICIES)('%s', (_, policy, expected) => {
    const message = target === 'ECS' ? failure(onEcs({}, undefined, policy)) : failure(onK8s({}, undefined, policy));
    expectRejected(message, expected);
  });
});

const POLICY_VIOLATIONS: [string, SecurityPolicyProps, SharedInput, Expect][] = [
  ['image from a registry the policy does not allow', { allowedRegistries: ['ghcr.io/acme'] }, { image: 'docker.io/library/nginx:1.27' }, ['image docker.io/library/nginx:1.27', 'comes from docker.io', 'pull from an allowed registry: ghcr.io/acme']],
  ['a second policy on one scope', {}, {}, ['already has a security policy', 'Stack', 'set one policy per scope']],
];
count('policy violations', POLICY_VIOLATIONS, 2);

describe.each(['ECS', 'Kubernetes'] as Target[])('inputs a security policy rejects on %s', (target) => {
  test.each(POLICY_VIOLATIONS)('%s', (name, policy, input, expected) => {
    const twice = name.startsWith('a second policy');
    const message = target === 'ECS'
      ? failure(onEcs(ecsProps(input), (svc) => twice && SecurityPolicy.of(svc.node.scope!).apply(policy), policy))
      : failure(onK8s(k8sProps(input), (svc) => twice && SecurityPolicy.of(svc.node.scope!).apply(policy), policy));
    expectRejected(message, target === 'ECS' ? expected : [expected[0], expected[1] === 'Stack' ? 'test' : expected[1], expected[2]]);
  });
});

const LATE_POLICIES: [string, SecurityPolicyProps, Expect][] = [
  ['a policy with another default user, applied after the service was built', { defaultUser: { uid: 10001, gid: 10001 } },
    ['sets defaultUser 10001:10001', 'built before it with another default user', 'apply the policy before creating the services below it']],
];
count('late policies', LATE_POLICIES, 2);

describe.each(['ECS', 'Kubernetes'] as Target[])('a policy applied too late on %s', (target) => {
  test.each(LATE_POLICIES)('%s', (_, policy, expected) => {
    const late = (svc: { node: { scope?: unknown } }) => SecurityPolicy.of(svc.node.scope as never).apply(policy);
    const message = target === 'ECS' ? failure(onEcs({}, late)) : failure(onK8s({}, late));
    expectRejected(message, expected);
    expect(message).toContain(target === 'ECS' ? 'Stack/Api (65532:65532)' : 'test/api (65532:65532)');
  });

  test('the same policy without a default user, or with the one the service was built with, may come after it', () => {
    for (const policy of [{ requireTicket: true }, { defaultUser: { uid: 65532, gid: 65532 } }]) {
      const late = (svc: { node: { scope?: unknown } }) => SecurityPolicy.of(svc.node.scope as never).apply(policy);
      expect(target === 'ECS' ? failure(onEcs({}, late)) : failure(onK8s({}, late))).toBe('');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// ECS only

const listener = (f: ReturnType<typeof fixture>) => new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc }).addListener('Http', { port: 80 });

const ECS_ONLY: [string, () => () => () => void, Expect][] = [
  ['healthCheck.port from a stack parameter', () => () => {
    const f = fixture();
    const port = new CfnParameter(f.stack, 'HealthPort', { type: 'Number' }).valueAsNumber;
    return () => new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, healthCheck: { path: '/healthz', port } });
  }, ['healthCheck.port must be a number known at synthesis on ECS', 'found: ${Token[', 'write the port the process serves health on']],
  ['healthCheck path on a port of its own without containerPort', () => onEcs({ containerPort: undefined, healthCheck: { path: '/health/ready', port: 9000 } }),
    ['healthCheck.path needs a containerPort on ECS', 'found: path "/health/ready" on healthCheck.port 9000 without containerPort', 'set containerPort, or use healthCheck.command']],
  ['a misspelled ECS prop', () => onEcs(wrong({ logRetension: 7 })), ['logRetension is not a prop of ecs.SecureService', 'found: 7', 'did you mean logRetention?']],
  ['a Kubernetes prop spread into ECS', () => onEcs(wrong({ copyFromImage: true })),
    ['copyFromImage is not a prop of ecs.SecureService', 'found: true', 'a prop of k8s.SecureService only; on ECS a writable path starts with the image\'s files when the Dockerfile declares it as a VOLUME']],
  ['cluster and vpc together', () => () => {
    const f = fixture();
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, vpc: f.vpc });
    return () => f.app.synth();
  }, ['cluster and vpc', 'found both', 'give cluster, or vpc for a new cluster']],
  ['neither cluster nor vpc', () => () => {
    const f = fixture();
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE });
    return () => f.app.synth();
  }, ['cluster or vpc', 'found neither', 'give an ecs.Cluster']],
  ['vpc without private subnets', () => () => {
    const f = fixture();
    const vpc = ec2.Vpc.fromVpcAttributes(f.stack, 'Public', { vpcId: 'vpc-0123456789abcdef1', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-0ccccccccccccccc1'] });
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, vpc });
    return () => f.app.synth();
  }, ['the vpc has no private subnets', 'found only public ones', 'choose subnets with vpcSubnets']],
  ['Fargate memory not offered for the cpu', () => onEcs({ cpu: 0.25, memoryMiB: 4096 }), ['memoryMiB', 'found: 4096', 'or use cpu: 0.5 for 4096 MiB']],
  ['Fargate cpu not offered', () => onEcs({ cpu: 0.3 }), ['cpu 0.3 and memoryMiB 512', 'found: 0.2998046875 vCPU', 'use cpu: 0.5']],
  ['Fargate cpu above the largest task', () => onEcs({ cpu: 32, memoryMiB: 65536 }), ['cpu 32', 'found: 32 vCPU', 'use launchType EC2 for larger tasks']],
  ['sidecars add up to a size Fargate does not offer', () => onEcs({}, (svc) => svc.addContainer('proxy', { image: IMAGE, cpu: 0.25, memoryMiB: 256 })), ['cpu and memoryMiB add up to 0.5 vCPU and 768 MiB over containers app (0.25 vCPU, 512 MiB), proxy (0.25 vCPU, 256 MiB)', 'found: 768', 'Fargate runs only the task sizes it offers']],
  ['privileged on Fargate', () => onEcs({ privileged: true }), ['privileged', 'found: true', 'use launchType EC2 with an exemption of NOT_PRIVILEGED']],
  ['capability Fargate cannot add', () => onEcs({ capabilities: { add: ['NET_ADMIN'] } }), ['capabilities.add', 'found: "NET_ADMIN"', 'can only hold SYS_PTRACE on Fargate']],
  ['allowPrivilegeEscalation on Fargate', () => onEcs({ allowPrivilegeEscalation: true }), ['allowPrivilegeEscalation', 'found: true', 'remove it or use launchType EC2']],
  ['seccompProfile Unconfined (ECS takes no seccomp option)', () => onEcs({ seccompProfile: 'Unconfined' }), ['seccompProfile', "found: 'Unconfined'", 'remove seccompProfile']],
  ['unknown launchType', () => onEcs({ launchType: 'WINDOWS' as ecs.SecureLaunchType }), ['launchType', 'found: "WINDOWS"', 'SecureLaunchType.FARGATE or SecureLaunchType.EC2']],
  ['containerName with a space', () => onEcs({ containerName: 'my app' }), ['containerName', 'found: "my app"', "letters, digits, '-' or '_'"]],
  ['listener without containerPort', () => () => {
    const f = fixture();
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, containerPort: undefined, cluster: f.cluster, listener: listener(f) });
    return () => f.app.synth();
  }, ['containerPort', 'found: undefined', 'set the port the process listens on']],
  ['allowFrom without containerPort', () => onEcs({ containerPort: undefined, allowFrom: [ec2.Peer.ipv4('10.0.0.0/16') as unknown as ec2.IConnectable] }), ['containerPort', 'found: undefined', 'set the port the process listens on']],
  ['attachToListener without containerPort', () => onEcs({ containerPort: undefined }, (svc, f) => svc.attachToListener(listener(f))), ['attachToListener needs containerPort', 'found: undefined', 'set containerPort to the port the process listens on']],
  ['sidecar name with a space', () => onEcs({}, (svc) => svc.addContainer('log router', { image: IMAGE })), ['name', 'found: "log router"', "letters, digits, '-' or '_'"]],
  ['today context not a date', () => () => {
    const f = fixture({ 'secure-service:today': '01/06/2026' });
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster });
    return () => f.app.synth();
  }, ['secure-service:today', 'found: "01/06/2026"', 'ISO date YYYY-MM-DD']],
  // secrets of the wrong kind and allowFrom of the wrong shape: named, never a TypeError
  ['secrets in the Kubernetes shape', () => onEcs({ secrets: wrong({ DB_PASSWORD: { secretName: 'db', key: 'password' } }) }), ['secrets.DB_PASSWORD must be an ecs.Secret', 'found: {"secretName":"db","key":"password"}', "ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, 'Secret', 'db'), 'password')"]],
  ['secrets value an ARN string', () => onEcs({ secrets: wrong({ DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' }) }), ['secrets.DB_PASSWORD must be an ecs.Secret', 'found: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"', 'wrap the ARN: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(']],
  ['secrets a list of names', () => onEcs({ secrets: wrong(['DB_PASSWORD']) }), ['secrets must be an object of variable names to ecs.Secret values', 'found: ["DB_PASSWORD"]', 'give each name its secret']],
  ['sidecar secrets in the Kubernetes shape', () => onEcs({}, (svc) => svc.addContainer('side', wrong({ image: IMAGE, secrets: { TOKEN: { secretName: 'db', key: 'token' } } }))), ["addContainer('side'): secrets.TOKEN must be an ecs.Secret", 'found: {"secretName":"db","key":"token"}', 'this is the Kubernetes shape']],
  ['allowFrom one peer, not in a list', () => () => {
    const f = fixture();
    const sg = new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.vpc });
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, allowFrom: wrong(sg) });
    return () => f.app.synth();
  }, ['allowFrom must be a list of peers (IConnectable)', 'found: the construct Stack/Sg', 'wrap the peer in a list: allowFrom: [peer]']],
  ['allowFrom holding undefined', () => onEcs({ allowFrom: wrong([undefined]) }), ['allowFrom[0] must be a peer', 'found: undefined', 'remove it, or give the peer']],
  // sizes only known at deploy time: ECS needs the literal size (a token's encoded double would be written as the size)
  ['cpu from a deploy-time parameter', () => () => {
    const f = fixture();
    const cpu = new CfnParameter(f.stack, 'Cpu', { type: 'Number', default: 0.25 }).valueAsNumber;
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, launchType: ecs.SecureLaunchType.EC2, cpu });
    return () => f.app.synth();
  }, ['cpu must be a number at synth time', 'found a token ({"Ref":"Cpu"})', 'give a number (e.g. 0.25)']],
  ['memoryMiB from a deploy-time parameter', () => () => {
    const f = fixture();
    const memoryMiB = new CfnParameter(f.stack, 'Memory', { type: 'Number', default: 512 }).valueAsNumber;
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, memoryMiB });
    return () => f.app.synth();
  }, ['memoryMiB must be a number at synth time', 'found a token ({"Ref":"Memory"})', 'give a number (e.g. 512)']],
  // values CloudFormation would reject only at deploy (or with its resolution error)
  ['logRetention not a RetentionDays value', () => onEcs({ logRetention: wrong(2) }), ['logRetention must be one of logs.RetentionDays', 'found: 2', 'use logs.RetentionDays.THREE_DAYS']],
  ['logRetention a string', () => onEcs({ logRetention: wrong('7') }), ['logRetention must be one of logs.RetentionDays', 'found: "7"', 'use logs.RetentionDays.ONE_WEEK (a number, not a string)']],
  ['enableExecuteCommand a string', () => onEcs({ enableExecuteCommand: wrong('false') }), ['enableExecuteCommand must be true or false', 'found: "false"', 'write false without quotes']],
  ['sidecar essential a string', () => onEcs({}, (svc) => svc.addContainer('side', { image: IMAGE, essential: wrong('false') })), ["addContainer('side'): essential must be true or false", 'found: "false"', 'write false without quotes']],
  // an invalid exemption fails in the service's node validation: nothing is written (asserted here, as onK8s does)
  ['an invalid exemption, before anything is written', () => () => {
    const f = fixture();
    new ecs.SecureService(f.stack, 'Api', { ...SHARED_BASE, cluster: f.cluster, exemptions: [{ control: Control.RUN_AS_NON_ROOT, justification: 'TODO', expires: '2020-01-01' }] });
    return () => {
      try {
        f.app.synth();
      } catch (e) {
        const written = fs.readdirSync(f.app.outdir);
        if (written.length > 0) throw new Error(`synthesis failed but wrote ${written.join(', ')}: ${(e as Error).message}`);
        throw e;
      }
    };
  }, ['[Stack/Api] exemptions[0] (RUN_AS_NON_ROOT): justification must be at least 20 characters', 'found 4: "TODO"', 'write why the control must be weakened']],
];
count('ECS only', ECS_ONLY);

describe('bad ECS-only inputs', () => {
  test.each(ECS_ONLY)('%s', (_, build, expected) => {
    expectRejected(failure(build()), expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes only

const K8S_ONLY: [string, () => () => () => void, Expect][] = [
  ['sidecar health check on the main container\'s port', () => onK8s({ name: 'main' }, (svc) => svc.addContainer('admin', { image: IMAGE, healthCheck: { path: '/healthz', port: 8080 } })),
    ["container 'admin': healthCheck.port 8080", "is already the port of container 'main'", 'choose another port']],
  ['name not a DNS-1123 label', () => onK8s({ name: 'Shop_API' }), ['name', 'found: "Shop_API"', 'e.g. "shop-api"']],
  ['name longer than 63 characters', () => onK8s({ name: 'a'.repeat(64) }), ['name', `found: "${'a'.repeat(64)}"`, 'at most 63 characters']],
  ['construct id used as name is not a label', () => onK8s({}, undefined, undefined, 'Api'), ['name (the construct id, used as the name when the name prop is not set)', 'found: "Api"', 'e.g. "api"']],
  ['a camelCase construct id used as name', () => onK8s({}, undefined, undefined, 'OrdersApi'), ['name (the construct id', 'found: "OrdersApi"', 'e.g. "orders-api"']],
  ['namespace upper case', () => onK8s({ namespace: 'Shop' }), ['namespace', 'found: "Shop"', 'e.g. "shop"']],
  ['label key', () => onK8s({ labels: { 'bad key!': 'x' } }), ['labels', 'found: "bad key!"', 'use [prefix/]name']],
  ['label value', () => onK8s({ labels: { team: 'a b' } }), ['labels.team', 'found: "a b"', 'at most 63 alphanumerics']],
  ['selector label in labels', () => onK8s({ labels: { 'app.kubernetes.io/name': 'other' } }), ['labels cannot set app.kubernetes.io/name', 'found: "other"', 'set name instead']],
  ['allowFrom peer without labels', () => onK8s({ allowFrom: [{}] }), ['allowFrom[0]', 'found: {}', 'leave allowFrom out to admit any peer']],
  ['a misspelled Kubernetes prop', () => onK8s(wrong({ allowfrom: [{ podLabels: { app: 'web' } }] })), ['allowfrom is not a prop of k8s.SecureService', 'found: [{"podLabels":{"app":"web"}}]', 'did you mean allowFrom?']],
  ['a cdk8s-plus option the service does not take', () => onK8s(wrong({ args: ['--port', '8080'] })),
    ['args is not a prop of k8s.SecureService', 'found: ["--port","8080"]', 'set it with a JSON patch on the Deployment (ApiObject.of(svc.deployment).addJsonPatch(...))']],
  ['an ECS prop spread into Kubernetes', () => onK8s(wrong({ logRetention: 7 })),
    ['logRetention is not a prop of k8s.SecureService', 'found: 7', 'a prop of ecs.SecureService only; on Kubernetes the node keeps the containers\' output, and a cluster logging agent ships it']],
  ['allowFrom peer with a misspelled field', () => onK8s({ allowFrom: [wrong({ podLabel: { app: 'web' } })] }), ['allowFrom[0].podLabel is not a field of a network peer', 'found: {"app":"web"}', 'did you mean podLabels?']],
  [
    'a Secret key reference with a misspelled field',
    () => onK8s({ secrets: { DB_PASSWORD: wrong({ secretName: 'db', keys: 'password' }) } }),
    ['secrets.DB_PASSWORD.keys is not a field of a Secret key reference', 'found: "password"', 'did you mean key?'],
  ],
  [
    'a host path mount with a misspelled field',
    () => onK8s({ hostPathMounts: [wrong({ hostPath: '/var/log', mountPath: '/host/log', readonly: true })] }),
    ['hostPathMounts[0].readonly is not a field of a host path mount', 'found: true', 'did you mean readOnly?'],
  ],
  ['allowFrom label value', () => onK8s({ allowFrom: [{ podLabels: { app: 'a b' } }] }), ['allowFrom[0].podLabels.app', 'found: "a b"', 'at most 63 alphanumerics']],
  ['servicePort above 65535', () => onK8s({ servicePort: 70000 }), ['servicePort', 'found: 70000', 'whole number from 1 to 65535']],
  ['servicePort without containerPort', () => onK8s({ containerPort: undefined, servicePort: 80 }), ['servicePort', 'servicePort 80 without containerPort', 'needs a containerPort to forward to']],
  ['cpu below 1m', () => onK8s({ cpu: 0.0001 }), ['cpu', 'found: 0.0001', 'at least 0.001 (1m)']],
  ['secretName not a DNS-1123 subdomain', () => onK8s({ secrets: { DB_PASSWORD: { secretName: 'DB', key: 'password' } } }), ['secrets.DB_PASSWORD.secretName', 'found: "DB"', "e.g. 'db'"]],
  ['secret key with a space', () => onK8s({ secrets: { DB_PASSWORD: { secretName: 'db', key: 'pass word' } } }), ['secrets.DB_PASSWORD.key', 'found: "pass word"', "letters, digits, '-', '_' or '.'"]],
  ['secretsMountPath relative', () => onK8s({ secretsAsFiles: true, secretsMountPath: 'run/secrets' }), ['secretsMountPath', 'found: "run/secrets"', "e.g. '/run/secrets'"]],
  ['copyFromImage outside writablePaths', () => onK8s({ copyFromImage: ['/var/cache'] }), ['copyFromImage', 'found: "/var/cache"', 'add it to writablePaths too']],
  ['secretsMountPath without secretsAsFiles', () => onK8s({ secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } }, secretsMountPath: '/etc/app/secrets' }), ['secretsMountPath needs secretsAsFiles: true', 'found: secretsMountPath "/etc/app/secrets" without secretsAsFiles', 'add secretsAsFiles: true to mount the secrets as files there, or remove secretsMountPath']],
  ['secretsMountPath with secretsAsFiles false', () => onK8s({ secretsAsFiles: false, secretsMountPath: '/etc/app/secrets' }), ['secretsMountPath needs secretsAsFiles: true', 'found: secretsMountPath "/etc/app/secrets" with secretsAsFiles false', 'add secretsAsFiles: true']],
  ['writablePathSizeMiB without writablePaths', () => onK8s({ writablePaths: undefined, writablePathSizeMiB: 1024 }), ['writablePathSizeMiB needs writablePaths', 'found: writablePathSizeMiB 1024 without writablePaths', 'list the paths the process writes to in writablePaths, or remove writablePathSizeMiB']],
  ['sidecar writablePathSizeMiB without writablePaths', () => onK8s({}, (svc) => svc.addContainer('helper', { image: IMAGE, writablePathSizeMiB: 64 })), ["container 'helper': writablePathSizeMiB needs writablePaths", 'found: writablePathSizeMiB 64 without writablePaths', 'or remove writablePathSizeMiB']],
  ['writablePathSizeMiB fractional', () => onK8s({ writablePathSizeMiB: 0.5 }), ['writablePathSizeMiB', 'found: 0.5', 'whole number of MiB, at least 1']],
  ['hostPort 0', () => onK8s({ hostPort: 0 }), ['hostPort', 'found: 0', 'whole number from 1 to 65535']],
  ['hostPort NaN (shown as NaN, not null)', () => onK8s({ hostPort: NaN }), ['hostPort', 'found: NaN', 'whole number from 1 to 65535']],
  ['servicePort Infinity', () => onK8s({ servicePort: Infinity }), ['servicePort', 'found: Infinity', 'whole number from 1 to 65535']],
  ['writablePathSizeMiB NaN', () => onK8s({ writablePathSizeMiB: NaN }), ['writablePathSizeMiB', 'found: NaN', 'whole number of MiB, at least 1']],
  ['hostPort above 65535', () => onK8s({ hostPort: 65536 }), ['hostPort', 'found: 65536', 'whole number from 1 to 65535']],
  ['hostPort without containerPort', () => onK8s({ containerPort: undefined, hostPort: 80 }), ['hostPort', 'hostPort 80 without containerPort', 'needs a containerPort to bind']],
  ['hostPath relative', () => onK8s({ hostPathMounts: [{ hostPath: 'var/log', mountPath: '/logs' }] }), ['hostPathMounts[0].hostPath', 'found: "var/log"', 'must be an absolute path']],
  ['mountPath relative', () => onK8s({ hostPathMounts: [{ hostPath: '/var/log', mountPath: 'logs' }] }), ['hostPathMounts[0].mountPath', 'found: "logs"', 'must be an absolute path']],
  ['privileged without allowPrivilegeEscalation', () => onK8s({ privileged: true }), ['privileged: true needs allowPrivilegeEscalation: true', 'found: allowPrivilegeEscalation false', 'exempt NOT_PRIVILEGED and NO_PRIVILEGE_ESCALATION']],
  ['sidecar name not a DNS-1123 label', () => onK8s({}, (svc) => svc.addContainer('Log_Router', { image: IMAGE })), ['addContainer name', 'found: "Log_Router"', 'e.g. "log-router"']],
  ['sidecar image with a space', () => onK8s({}, (svc) => svc.addContainer('proxy', { image: 'envoy proxy:1' })), ['image', 'found: "envoy proxy:1"', "such as 'ghcr.io/acme/api:1.4.2'"]],
  ['allowFrom empty (Kubernetes would admit every source)', () => onK8s({ allowFrom: [] }), ['allowFrom cannot be empty', 'found: []', 'leave allowFrom out to admit any peer on the service port, or list the peers']],
  ['allowFrom one peer, not a list', () => onK8s({ allowFrom: wrong({ podLabels: { app: 'web' } }) }), ['allowFrom must be a list of peers', 'found: {"podLabels":{"app":"web"}}', 'write [{"podLabels":{"app":"web"}}]']],
  ['construct id used as the Service name starts with a digit', () => onK8s({}, undefined, undefined, '2fa-api'), ['name (the construct id, used as the name when the name prop is not set) must start with a letter', 'found: "2fa-api"', 'e.g. "svc-2fa-api"']],
  ['name of a Service starts with a digit', () => onK8s({ name: '2fa' }), ['name must start with a letter', 'found: "2fa"', 'DNS-1035 label']],
  ['hostNetwork a string', () => onK8s({ hostNetwork: wrong('false') }), ['hostNetwork must be true or false', 'found: "false"', 'write false without quotes']],
  ['hostPID a string', () => onK8s({ hostPID: wrong('true') }), ['hostPID must be true or false', 'found: "true"', 'write true without quotes']],
  ['hostIPC a number', () => onK8s({ hostIPC: wrong(1) }), ['hostIPC must be true or false', 'found: 1', 'write true or false']],
  ['automountServiceAccountToken a string', () => onK8s({ automountServiceAccountToken: wrong('true') }), ['automountServiceAccountToken must be true or false', 'found: "true"', 'write true without quotes']],
  ['secretsAsFiles a string', () => onK8s({ secretsAsFiles: wrong('yes') }), ['secretsAsFiles must be true or false', 'found: "yes"', 'write true or false']],
  ['hostPathMounts readOnly a string', () => onK8s({ hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host/log', readOnly: wrong('true') }] }), ['hostPathMounts[0].readOnly must be true or false', 'found: "true"', 'write true without quotes']],
  ['hostPathMounts one mount, not a list', () => onK8s({ hostPathMounts: wrong({ hostPath: '/var/log', mountPath: '/host/log' }) }), ['hostPathMounts must be a list of mounts', 'found: {"hostPath":"/var/log"', 'write [{"hostPath":"/var/log"']],
  ['secrets null', () => onK8s({ secrets: wrong(null) }), ['secrets must be an object of variable names to Secret keys', 'found: null', "e.g. { DB_PASSWORD: { secretName: 'db', key: 'password' } }"]],
  ['secret given as a string', () => onK8s({ secrets: { DB_PASSWORD: wrong('db') } }), ['secrets.DB_PASSWORD must be an object with secretName and key', 'found: "db"', "e.g. { secretName: 'db', key: 'password' }"]],
  ['copyFromImage a string', () => onK8s({ copyFromImage: wrong('/tmp') }), ['copyFromImage must be a list of paths', 'found: "/tmp"', 'write ["/tmp"]']],
  ['labels a list', () => onK8s({ labels: wrong(['team=payments']) }), ['labels must be an object of label keys to values', 'found: ["team=payments"]', "e.g. { team: 'payments' }"]],
  ['host path mounted on a writable path', () => onK8s({ hostPathMounts: [{ hostPath: '/var/log', mountPath: '/tmp' }] }), ['hostPathMounts[0].mountPath mounts "/tmp"', 'writablePaths[0] already mounts', 'choose another path']],
  ['secret file mounted on a host path mount', () => onK8s({ secretsAsFiles: true, secrets: { TOKEN: { secretName: 'db', key: 'token' } }, hostPathMounts: [{ hostPath: '/etc/token', mountPath: '/run/secrets/TOKEN' }] }), ['secrets.TOKEN (a file, with secretsAsFiles) mounts "/run/secrets/TOKEN"', 'hostPathMounts[0].mountPath already mounts', 'choose another path']],
  ['sidecar whose copy init container takes a container\'s name', () => onK8s({}, (svc) => {
    svc.addContainer('copy-x-tmp', { image: IMAGE });
    svc.addContainer('x', { image: IMAGE, writablePaths: ['/tmp'], copyFromImage: ['/tmp'] });
  }), ['copyFromImage "/tmp" needs an init container named \'copy-x-tmp\'', 'a container of api already has that name', 'rename that container']],
  ['sidecar exemptions an object', () => onK8s({}, (svc) => svc.addContainer('proxy', { image: IMAGE, exemptions: wrong({ control: Control.LOGGING }) })), ["container 'proxy': exemptions must be a list", 'found: {"control":"LOGGING"}', 'wrap the exemption in [ ]']],
  ['sidecar exemptions holding null', () => onK8s({}, (svc) => svc.addContainer('proxy', { image: IMAGE, exemptions: wrong([null]) })), ["container 'proxy': exemptions[0] must be an object", 'found: null', 'with control and justification']],
  ['two services with one name in one namespace', () => () => {
    const { app, chart } = newChart();
    new k8s.SecureService(chart, 'api', SHARED_BASE);
    new k8s.SecureService(chart, 'api2', { ...SHARED_BASE, name: 'api' });
    return () => app.synth();
  }, ['name "api"', 'already used by the SecureService at test/api', 'give one of them another name']],
  ['today context not a date', () => () => {
    const app = Testing.app();
    app.node.setContext(k8s.TODAY_CONTEXT_KEY, '2026-1-5');
    new k8s.SecureService(new Chart(app, 'test'), 'api', SHARED_BASE);
    return () => app.synth();
  }, ['secure-service:today', 'found: "2026-1-5"', 'ISO date YYYY-MM-DD']],
];
count('Kubernetes only', K8S_ONLY);

describe('bad Kubernetes-only inputs', () => {
  test.each(K8S_ONLY)('%s', (_, build, expected) => {
    expectRejected(failure(build()), expected);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the catalogue', () => {
  test('holds at least 60 bad inputs, counted per target', () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const perTarget = {
      ECS: counts['shared props'] / 2 + counts.sidecars / 2 + counts.exemptions / 2 + counts.policies / 2 + counts['policy violations'] / 2
        + counts['late policies'] / 2 + counts['ECS only'],
      Kubernetes: counts['shared props'] / 2 + counts.sidecars / 2 + counts.exemptions / 2 + counts.policies / 2 + counts['policy violations'] / 2
        + counts['late policies'] / 2 + counts['Kubernetes only'],
    };
    process.stdout.write(`bad-input catalogue: ${JSON.stringify({ ...counts, total, perTarget })}\n`);
    expect(total).toBeGreaterThanOrEqual(60);
    expect(perTarget.ECS + perTarget.Kubernetes).toBe(total);
    // The README gives the counts: the whole, per target, and per group (a row's cases, before its targets).
    const readme = fs.readFileSync(`${__dirname}/../../README.md`, 'utf8');
    expect(readme).toContain(`**${total} invalid inputs (${perTarget.ECS} on ECS, ${perTarget.Kubernetes} on Kubernetes)**`);
    const both = ['shared props', 'sidecars', 'exemptions', 'policies', 'policy violations', 'late policies'];
    const rows = [...readme.matchAll(/^\| .* \| (\d+) \| (× 2|ECS|Kubernetes) \|$/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual([...both.map((table) => counts[table] / 2), counts['ECS only'], counts['Kubernetes only']]);
  });

  test('a valid base synthesizes on both targets: each case fails for its own bad value', () => {
    expect(failure(onEcs({}))).toBe('');
    expect(failure(onK8s({}))).toBe('');
  });
});
