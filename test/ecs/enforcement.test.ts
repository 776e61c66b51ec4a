import { Aspects, IAspect, Validations, aws_ec2 as ec2, aws_ecs as ecs, aws_logs as logs } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { API, exemption, fixture, reportedViolations, service, synth } from './fixtures';
import { Control, ControlId, SecurityPolicy, SecurityPolicyProps } from '../../lib/core';
import { SecureLaunchType, SecureService, SecureServiceProps } from '../../lib/ecs';

function ec2Service(props: Partial<SecureServiceProps>) {
  const f = fixture();
  f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
  const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, launchType: SecureLaunchType.EC2, ...props });
  return { ...f, svc };
}

/** A weakening prop, the control it weakens, on EC2 or not, and the other controls it weakens too. */
const WEAKENING: [string, ControlId, Partial<SecureServiceProps>, boolean, ControlId[]?][] = [
  ['user: { uid: 0 }', Control.RUN_AS_NON_ROOT, { user: { uid: 0 } }, false],
  ['readOnlyRootFilesystem: false', Control.READ_ONLY_ROOT_FILESYSTEM, { readOnlyRootFilesystem: false }, false],
  ["capabilities: { add: ['SYS_PTRACE'] }", Control.DROP_ALL_CAPABILITIES, { capabilities: { add: ['SYS_PTRACE'] } }, false],
  ['a secret-looking environment variable', Control.SECRETS_NOT_IN_ENVIRONMENT, { environment: { DB_PASSWORD: 'hunter2' } }, false],
  ['a URL with a password in a plain variable', Control.SECRETS_NOT_IN_ENVIRONMENT, { environment: { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' } }, false],
  ['logRetention: INFINITE', Control.LOGGING, { logRetention: logs.RetentionDays.INFINITE }, false],
  // A privileged container holds every capability: no-new-privileges stops no escalation, as on Kubernetes.
  ['privileged: true (EC2)', Control.NOT_PRIVILEGED, { privileged: true }, true, [Control.NO_PRIVILEGE_ESCALATION]],
  ['allowPrivilegeEscalation: true (EC2)', Control.NO_PRIVILEGE_ESCALATION, { allowPrivilegeEscalation: true }, true],
];

describe.each(WEAKENING)('weakening prop %s', (_, control, props, onEc2, alsoWeakened = []) => {
  const build = (more: Partial<SecureServiceProps> = {}) => (onEc2 ? ec2Service({ ...props, ...more }) : service({ ...props, ...more }));

  test('fails synthesis naming the control, construct path, container and fix', () => {
    // GIVEN
    const { stack } = build();
    // WHEN / THEN
    expect(() => synth(stack)).toThrow(new RegExp(`\\[${control}\\] Stack/Api/TaskDefinition container 'app': .* fix: .*\\(or add an exemption \\{ control: Control\\.${control}`));
  });

  test('passes with an exemption of that control, recorded on the task definition', () => {
    // GIVEN
    const controls = [control, ...alsoWeakened];
    const { stack } = build({ exemptions: controls.map((c) => exemption(c, { expires: '2026-12-31', ticket: 'SEC-1' })) });
    // WHEN
    const template = synth(stack);
    // THEN
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefinition.Metadata['secure-service:exemptions']).toEqual(controls.map((c) => (
      { control: c, justification: exemption(c).justification, expires: '2026-12-31', ticket: 'SEC-1' }
    )));
  });

  for (const other of alsoWeakened) {
    test(`still fails with that exemption alone: ${other} is weakened too`, () => {
      const { stack } = build({ exemptions: [exemption(control)] });
      expect(() => synth(stack)).toThrow(new RegExp(`\\[${other}\\] Stack/Api/TaskDefinition container 'app'`));
    });
  }
});

describe('bypasses of the construct are seen in the final template', () => {
  test('addPropertyOverride on the task definition', () => {
    // GIVEN
    const { stack, svc } = service();
    // WHEN
    (svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.User', '0');
    // THEN
    expect(() => synth(stack)).toThrow(/\[RUN_AS_NON_ROOT\] Stack\/Api\/TaskDefinition container 'app': the user is 0 \(root\) at Resources\.ApiTaskDefinition\w+\.Properties\.ContainerDefinitions\[0\]\.User/);
  });

  test('an Aspect that writes the L1', () => {
    // GIVEN
    const { stack } = service();
    class WritableRoot implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof ecs.CfnTaskDefinition) node.addPropertyOverride('ContainerDefinitions.0.ReadonlyRootFilesystem', false);
      }
    }
    // WHEN
    Aspects.of(stack).add(new WritableRoot());
    // THEN
    expect(() => synth(stack)).toThrow(/\[READ_ONLY_ROOT_FILESYSTEM\] Stack\/Api\/TaskDefinition container 'app': the root filesystem is writable \(false\)/);
  });

  test('addDeletionOverride of the log configuration and of the drop list', () => {
    // GIVEN
    const { stack, svc } = service();
    const cfn = svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    // WHEN
    cfn.addDeletionOverride('Properties.ContainerDefinitions.0.LogConfiguration');
    cfn.addDeletionOverride('Properties.ContainerDefinitions.0.LinuxParameters.Capabilities');
    // THEN
    expect(() => synth(stack)).toThrow(/\[LOGGING\][^]*\[DROP_ALL_CAPABILITIES\]|\[DROP_ALL_CAPABILITIES\][^]*\[LOGGING\]/);
  });

  test('a public IP on the service and a security group open beyond the port', () => {
    // GIVEN
    const { stack, svc } = service();
    // WHEN
    (svc.service.node.defaultChild as ecs.CfnService).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp', 'ENABLED');
    svc.connections.allowFromAnyIpv4(ec2.Port.allTcp());
    // THEN
    expect(() => synth(stack)).toThrow(/\[NO_PUBLIC_IP\][^]*tasks get a public IP address/);
    expect(() => synth(stack)).toThrow(/\[NETWORK_ISOLATION\][^]*admits port 0-65535\/TCP, which is not a container port/);
  });

  test('Fargate-unsupported settings added through the L2 escape hatch are fatal', () => {
    // GIVEN
    const { stack, svc } = service();
    // WHEN
    svc.container.linuxParameters!.addTmpfs({ containerPath: '/cache', size: 64 });
    // THEN
    expect(() => synth(stack)).toThrow(/FATAL Stack\/Api\/TaskDefinition: container "app" sets LinuxParameters\.Tmpfs, which Fargate does not support/);
  });
});

describe('exemptions are judged by the core rules', () => {
  const weakened = { readOnlyRootFilesystem: false };

  test('a short justification fails in the service\'s own validation, before the template is written and checked', () => {
    const { stack } = service({ ...weakened, exemptions: [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: 'legacy' }] });
    expect(() => synth(stack)).toThrow(/^Validation failed with the following errors:\n {2}\[Stack\/Api\] exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM\): justification must be at least 20 characters/);
  });

  test('an expired exemption fails', () => {
    const { stack } = service({ ...weakened, exemptions: [exemption(Control.READ_ONLY_ROOT_FILESYSTEM, { expires: '2026-05-31' })] });
    expect(() => synth(stack)).toThrow(/expired on 2026-05-31; restore the secure setting, or renew the exemption/);
  });

  test('an exemption naming a container the service does not have fails', () => {
    const { stack } = service({ ...weakened, exemptions: [exemption(Control.READ_ONLY_ROOT_FILESYSTEM, { container: 'ap' })] });
    expect(() => synth(stack)).toThrow(/names container 'ap', which does not exist; containers: app/);
  });

  test('the policy can require a ticket', () => {
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ requireTicket: true, ticketPattern: '^SEC-\\d+$' });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, ...weakened, exemptions: [exemption(Control.READ_ONLY_ROOT_FILESYSTEM)] });
    expect(() => synth(f.stack)).toThrow(/the security policy requires a ticket; add ticket: '...' matching \^SEC-\\d\+\$/);
  });

  test('a non-waivable control cannot be exempted', () => {
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ nonWaivable: [Control.RUN_AS_NON_ROOT] });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, user: { uid: 0 }, exemptions: [exemption(Control.RUN_AS_NON_ROOT)] });
    expect(() => synth(f.stack)).toThrow('[Stack/Api] exemptions[0] (RUN_AS_NON_ROOT): the security policy makes RUN_AS_NON_ROOT non-waivable: it cannot be exempted; '
      + 'remove the exemption and restore the secure setting');
  });

  test('an unused exemption, one expiring soon, and an unpinned image warn without failing', () => {
    // GIVEN
    const { app } = service({ image: 'ghcr.io/acme/api', exemptions: [exemption(Control.LOGGING, { expires: '2026-06-10' })] });
    // WHEN
    const violations = reportedViolations(app);
    // THEN
    expect(violations.map((v) => [v.ruleName, v.severity])).toEqual([
      ['secure-service::EXEMPTION', 'warning'],
      ['secure-service::EXEMPTION', 'warning'],
      ['secure-service::IMAGE_PINNED', 'warning'],
    ]);
    expect(violations.map((v) => v.description).join('\n')).toMatch(/expires on 2026-06-10, in 9 day\(s\)[^]*unused, nothing weakens LOGGING[^]*image ghcr.io\/acme\/api is not pinned \(no tag\)/);
  });

  test('an image from a registry the policy does not allow fails', () => {
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster });
    expect(() => synth(f.stack)).toThrow(/image ghcr.io\/acme\/api:1.4.2 comes from ghcr.io, which the security policy does not allow/);
  });

  test('an exemption of IMAGE_PINNED does not let an image come from a registry the policy does not allow', () => {
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, exemptions: [exemption(Control.IMAGE_PINNED)] });
    expect(() => synth(f.stack)).toThrow(/FATAL [^]*\[IMAGE_PINNED\] Stack\/Api\/TaskDefinition container 'app': image ghcr.io\/acme\/api:1.4.2 comes from ghcr.io, which the security policy does not allow[^]*\(an exemption does not cover the security policy's registry allow-list\)/);
  });

  test('the clock context must be a date', () => {
    const { stack } = service({}, { 'secure-service:today': 'tomorrow' });
    expect(() => synth(stack)).toThrow(/context secure-service:today must be an ISO date YYYY-MM-DD, found: "tomorrow"/);
  });
});

describe('an acknowledgement counts only where the security policy would accept an exemption with nothing but a justification', () => {
  const REASON = 'Legacy report engine writes its cache under /opt/app until SEC-1421 lands';
  const ACK = { id: 'secure-service::READ_ONLY_ROOT_FILESYSTEM', reason: REASON };

  function acknowledgedUnder(policy: SecurityPolicyProps) {
    const f = fixture();
    SecurityPolicy.of(f.app).apply(policy);
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, readOnlyRootFilesystem: false });
    Validations.of(svc).acknowledge(ACK);
    return { ...f, svc };
  }

  test.each([
    ['requireTicket', { requireTicket: true }, 'a ticket'],
    ['ticketPattern', { ticketPattern: '^SEC-\\d+$' }, 'a ticket \\(matching \\^SEC-\\\\d\\+\\$\\)'],
    ['requireExpiry', { requireExpiry: true }, 'an expiry'],
    ['maxExemptionDays', { maxExemptionDays: 90 }, 'an expiry \\(within 90 days\\)'],
  ] as [string, SecurityPolicyProps, string][])('a policy with %s makes the acknowledgement and the violation it would hide fatal', (_, policy, needs) => {
    // GIVEN
    const { stack } = acknowledgedUnder(policy);
    // WHEN / THEN
    const rejected = `the acknowledgement of secure-service::READ_ONLY_ROOT_FILESYSTEM at Stack/Api does not count: the security policy requires ${needs} for every exemption, which an acknowledgement cannot carry; use the exemptions prop instead`;
    expect(() => synth(stack)).toThrow(new RegExp(`FATAL ${rejected}[^]*Rule secure-service::ACKNOWLEDGEMENT_REASON`));
    expect(() => synth(stack)).toThrow(new RegExp(`FATAL \\[READ_ONLY_ROOT_FILESYSTEM\\] Stack/Api/TaskDefinition container 'app'[^\\n]*\\(${rejected}\\)`));
  });

  test('an acknowledgement the policy rejects is told to use an exemption, not a longer reason', () => {
    const { stack } = acknowledgedUnder({ requireTicket: true });
    const message = (() => {
      try {
        synth(stack);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('synthesis passed');
    })();
    expect(message).toMatch(/give the service an exemption with what the security policy requires/);
    expect(message).not.toMatch(/needs a justification of at least 20 characters/);
  });

  test('the reviewer\'s case: ticket, pattern, expiry and horizon all named; the same justification passes as an exemption with them', () => {
    // GIVEN
    const policy = { requireTicket: true, ticketPattern: '^SEC-\\d+$', requireExpiry: true, maxExemptionDays: 90 };
    const { stack } = acknowledgedUnder(policy);
    // THEN
    expect(() => synth(stack)).toThrow(/does not count: the security policy requires a ticket \(matching \^SEC-\\d\+\$\) and an expiry \(within 90 days\) for every exemption/);
    // AND the exemption, which carries them, is accepted and recorded
    const f = fixture();
    SecurityPolicy.of(f.app).apply(policy);
    new SecureService(f.stack, 'Api', {
      ...API,
      cluster: f.cluster,
      readOnlyRootFilesystem: false,
      exemptions: [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: REASON, ticket: 'SEC-1421', expires: '2026-08-01' }],
    });
    const [taskDefinition] = Object.values(synth(f.stack).findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefinition.Metadata['secure-service:exemptions']).toEqual([
      { control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: REASON, ticket: 'SEC-1421', expires: '2026-08-01' },
    ]);
  });

  test('the stricter policy of the violating service applies, not only the one where the acknowledgement was made', () => {
    // GIVEN: acknowledged on the app, which has no policy; the stack requires a ticket
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ requireTicket: true });
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, readOnlyRootFilesystem: false });
    Validations.of(f.app).acknowledge(ACK);
    // WHEN / THEN
    expect(() => synth(f.stack)).toThrow(/FATAL \[READ_ONLY_ROOT_FILESYSTEM\] Stack\/Api\/TaskDefinition container 'app'[^\n]*\(the acknowledgement of secure-service::READ_ONLY_ROOT_FILESYSTEM at <app> does not count: the security policy requires a ticket for every exemption/);
  });

  test('a control the policy makes non-waivable cannot be acknowledged, and the acknowledgement says why', () => {
    // GIVEN
    const { stack } = acknowledgedUnder({ nonWaivable: [Control.READ_ONLY_ROOT_FILESYSTEM] });
    // WHEN / THEN
    expect(() => synth(stack)).toThrow(/FATAL the acknowledgement of secure-service::READ_ONLY_ROOT_FILESYSTEM at Stack\/Api does not count: the security policy makes READ_ONLY_ROOT_FILESYSTEM non-waivable, so neither an acknowledgement nor an exemption covers it; restore the secure setting/);
  });

  test('a policy without ticket, expiry or non-waivable settings leaves a justified acknowledgement counting', () => {
    // GIVEN
    const { stack } = acknowledgedUnder({ defaultUser: { uid: 10001, gid: 10001 }, expiryWarningDays: 14, nonWaivable: [Control.NOT_PRIVILEGED] });
    // WHEN / THEN
    expect(() => synth(stack)).not.toThrow();
  });

  test('an acknowledgement of a rule that is not a control (an unused exemption) is not an exemption: the policy does not apply to it', () => {
    // GIVEN
    const f = fixture();
    SecurityPolicy.of(f.app).apply({ requireTicket: true, requireExpiry: true });
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, exemptions: [exemption(Control.LOGGING, { ticket: 'SEC-1', expires: '2026-12-31' })] });
    // WHEN
    Validations.of(svc).acknowledge({ id: 'secure-service::EXEMPTION', reason: 'Kept for the log shipping change rolling out next sprint' });
    // THEN
    expect(reportedViolations(f.app).filter((v) => v.severity !== 'warning')).toEqual([]);
  });

  test('an acknowledgement of IMAGE_PINNED does not let an image come from a registry the policy does not allow', () => {
    // GIVEN: a justified acknowledgement, and a policy with nothing an acknowledgement lacks
    const f = fixture();
    SecurityPolicy.of(f.stack).apply({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'] });
    const svc = new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster });
    Validations.of(svc).acknowledge({ id: 'secure-service::IMAGE_PINNED', reason: 'Vendor image mirrored by the platform team next quarter' });
    // WHEN / THEN: the allow-list violation is fatal, which CDK never lets an acknowledgement suppress
    expect(() => synth(f.stack)).toThrow(/FATAL \[IMAGE_PINNED\] Stack\/Api\/TaskDefinition container 'app': image ghcr.io\/acme\/api:1.4.2 comes from ghcr.io, which the security policy does not allow[^\n]*\(an exemption does not cover the security policy's registry allow-list\)/);
  });
});
