// The platform team's golden path: AcmeService carries the company policy to every service.
import { App, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Chart, Testing } from 'cdk8s';
import { ACME_POLICY } from '../examples/platform/acme-policy';
import { AcmeService } from '../examples/platform/acme-service';
import { api } from '../examples/services';
import { Control, Exemption, SecurityPolicy, ecs, k8s } from '../lib';

const WHY = 'Reporting engine writes its cache under /opt/app until the Q2 rewrite lands';

function acmeApp(props: Partial<ecs.SecureServiceProps> = {}) {
  const app = new App({ context: { 'secure-service:today': '2026-11-28' } });
  const stack = new Stack(app, 'Payments');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
  });
  new AcmeService(stack, 'Payments', { ...api, image: 'ghcr.io/acme/payments:2.0.0', healthCheck: { command: ['/app/healthcheck'] }, vpc, ...props });
  return { app, stack };
}

const writable = (exemption: Partial<Exemption>) => ({
  readOnlyRootFilesystem: false,
  exemptions: [{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: WHY, ...exemption }],
});

test('a compliant exemption (ticket SEC-n, expiry within 90 days) is accepted and recorded', () => {
  const { stack } = acmeApp(writable({ ticket: 'SEC-1421', expires: '2027-01-15' }));
  Template.fromStack(stack).hasResource('AWS::ECS::TaskDefinition', {
    Metadata: { 'secure-service:exemptions': [{ control: 'READ_ONLY_ROOT_FILESYSTEM', justification: WHY, ticket: 'SEC-1421', expires: '2027-01-15' }] },
  });
});

test.each([
  [{ expires: '2027-01-15' }, /the security policy requires a ticket; add ticket: '...' matching \^SEC-\\d\+\$/],
  [{ ticket: 'JIRA-7', expires: '2027-01-15' }, /ticket must match \^SEC-\\d\+\$, found: "JIRA-7"/],
  [{ ticket: 'SEC-1421' }, /the security policy requires an expiry; add expires: 'YYYY-MM-DD' within 90 days/],
  [{ ticket: 'SEC-1421', expires: '2027-06-30' }, /expires 2027-06-30 is 214 days away, beyond the 90 days the security policy allows/],
])('the policy rejects the exemption %j', (exemption, message) => {
  const { app } = acmeApp(writable(exemption));
  expect(() => app.synth()).toThrow(message);
});

test('NOT_PRIVILEGED and NO_HOST_NAMESPACES cannot be exempted under the Acme policy', () => {
  const { app } = acmeApp({ exemptions: [{ control: Control.NO_HOST_NAMESPACES, justification: WHY, ticket: 'SEC-9', expires: '2027-01-15' }] });
  expect(() => app.synth()).toThrow(/the security policy makes NO_HOST_NAMESPACES non-waivable: it cannot be exempted/);
});

test('images from outside the company registries fail', () => {
  const { app } = acmeApp({ image: 'docker.io/library/redis:7.2' });
  expect(() => app.synth()).toThrow(/image docker.io\/library\/redis:7.2 comes from docker.io, which the security policy does not allow/);
});

test('the same policy on a Kubernetes chart', () => {
  const chart = new Chart(Testing.app(), 'payments', { namespace: 'payments' });
  SecurityPolicy.of(chart).apply(ACME_POLICY);
  new k8s.SecureService(chart, 'cache', { ...api, image: 'docker.io/library/redis:7.2' });
  expect(() => Testing.synth(chart)).toThrow(/image docker.io\/library\/redis:7.2 comes from docker.io, which the security policy does not allow/);
});
