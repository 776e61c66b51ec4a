// A NetworkPolicy the API server rejects is never created: it must not count as isolating the pods.
import { readWorkloads } from '../../lib/k8s';
import { networkPolicyRejection } from '../../lib/k8s/network-policy-validity';
import { validateSchemas } from '../support/third-party-k8s';

const VALID = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api.policy', namespace: 'shop' },
  spec: {
    podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }, { key: 'canary', operator: 'DoesNotExist' }] },
    policyTypes: ['Ingress', 'Egress'],
    egress: [{ ports: [{ port: 53, protocol: 'UDP' }], to: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }],
    ingress: [{
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 'http' }, { port: 9000, endPort: 9001, protocol: 'SCTP' }],
      from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { team: 'web' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: 'fd00::/8' } }],
    }],
  },
};

/** VALID with `change` applied to a copy. */
function changed(change: (policy: any) => void): any {
  const policy = JSON.parse(JSON.stringify(VALID));
  change(policy);
  return policy;
}

describe('networkPolicyRejection', () => {
  test('a valid policy (by the kubernetes-models schema too): nothing', () => {
    expect(validateSchemas([VALID])).toEqual([]);
    expect(networkPolicyRejection(VALID)).toBeUndefined();
    expect(networkPolicyRejection(changed((p) => delete p.metadata.namespace))).toBeUndefined();
    const ipv6Except = changed((p) => { p.spec.ingress[0].from[3].ipBlock = { cidr: 'fd00::/8', except: ['fd00:1::/32', 'fd12::/16'] }; });
    expect(validateSchemas([ipv6Except])).toEqual([]);
    expect(networkPolicyRejection(ipv6Except)).toBeUndefined();
    // The API server parses addresses sloppily: a leading zero is a decimal digit, a hex group may have more than four digits.
    for (const cidr of ['010.0.0.0/8', '2001:db8::00001/128', '::ffff:010.0.0.1/128', '::1.2.3.4/128', '2001:DB8::/32']) {
      expect([cidr, networkPolicyRejection(changed((p) => { p.spec.ingress[0].from[2].ipBlock = { cidr }; }))]).toEqual([cidr, undefined]);
    }
    // Go compares an IPv4-mapped address as IPv4.
    expect(networkPolicyRejection(changed((p) => { p.spec.ingress[0].from[2].ipBlock = { cidr: '10.0.0.0/8', except: ['::ffff:10.1.0.0/112'] }; }))).toBeUndefined();
  });

  test.each([
    ['a name that is not a DNS-1123 subdomain', (p: any) => { p.metadata.name = 'API_Policy'; }, 'its name "API_Policy" is not a DNS-1123 subdomain'],
    ['no name', (p: any) => { delete p.metadata.name; }, 'its name undefined is not a DNS-1123 subdomain'],
    ['a namespace that is not a DNS-1123 label', (p: any) => { p.metadata.namespace = 'Shop'; }, 'its namespace "Shop" is not a DNS-1123 label'],
    ['an unknown policy type', (p: any) => { p.spec.policyTypes.push('Bogus'); }, 'policyTypes holds "Bogus", which is neither Ingress nor Egress'],
    ['DoesNotExist with values', (p: any) => { p.spec.podSelector.matchExpressions[1].values = ['y']; },
      'spec.podSelector.matchExpressions[1] has operator "DoesNotExist" with 1 value(s)'],
    ['In without values', (p: any) => { p.spec.podSelector.matchExpressions[0].values = []; }, 'spec.podSelector.matchExpressions[0] has operator "In" with 0 value(s)'],
    ['an unknown operator', (p: any) => { p.spec.podSelector.matchExpressions[0].operator = 'Equals'; }, 'has operator "Equals" with 1 value(s)'],
    ['an unknown protocol', (p: any) => { p.spec.ingress[0].ports[0].protocol = 'tcp'; }, 'spec.ingress[0].ports[0].protocol "tcp" is not TCP, UDP or SCTP'],
    ['port 0', (p: any) => { p.spec.ingress[0].ports[0].port = 0; }, 'spec.ingress[0].ports[0].port 0 is not a port number'],
    ['port 70000', (p: any) => { p.spec.ingress[0].ports[0].port = 70000; }, 'spec.ingress[0].ports[0].port 70000 is not a port number'],
    ['a port name with a double hyphen', (p: any) => { p.spec.ingress[0].ports[1].port = 'my--http'; }, 'spec.ingress[0].ports[1].port "my--http" is not a port name'],
    ['a port name of digits only', (p: any) => { p.spec.ingress[0].ports[1].port = '8080'; }, 'spec.ingress[0].ports[1].port "8080" is not a port name'],
    ['endPort below the port', (p: any) => { p.spec.ingress[0].ports[2].endPort = 8999; }, 'spec.ingress[0].ports[2].endPort 8999 needs a numeric port no larger than it'],
    ['endPort with a named port', (p: any) => { p.spec.ingress[0].ports[1].endPort = 9000; }, 'spec.ingress[0].ports[1].endPort 9000 needs a numeric port'],
    ['ipBlock beside a selector', (p: any) => { p.spec.ingress[0].from[2].podSelector = {}; }, 'spec.ingress[0].from[2] sets ipBlock beside a selector'],
    ['a peer naming nothing', (p: any) => { p.spec.ingress[0].from.push({}); }, 'spec.ingress[0].from[4] names no peer'],
    ['a CIDR without bits', (p: any) => { p.spec.ingress[0].from[2].ipBlock.cidr = '10.0.0.0'; }, 'spec.ingress[0].from[2].ipBlock.cidr "10.0.0.0" is not a CIDR'],
    ['an octet above 255', (p: any) => { p.spec.ingress[0].from[2].ipBlock.cidr = '10.0.0.256/32'; }, '"10.0.0.256/32" is not a CIDR'],
    ['an except entry that is not a CIDR', (p: any) => { p.spec.ingress[0].from[2].ipBlock.except = ['bogus']; }, 'spec.ingress[0].from[2].ipBlock.except[0] "bogus" is not a CIDR'],
    ['an IPv6 CIDR with two ::', (p: any) => { p.spec.ingress[0].from[3].ipBlock.cidr = 'fd00::1::/64'; }, '"fd00::1::/64" is not a CIDR'],
    ['an IPv6 CIDR of three colons', (p: any) => { p.spec.ingress[0].from[3].ipBlock.cidr = ':::/64'; }, '":::/64" is not a CIDR'],
    ['a :: that stands for no group', (p: any) => { p.spec.ingress[0].from[3].ipBlock.cidr = '1:2:3:4:5:6:7::8/128'; }, '"1:2:3:4:5:6:7::8/128" is not a CIDR'],
    ['an IPv4 address before ::', (p: any) => { p.spec.ingress[0].from[3].ipBlock.cidr = '1.2.3.4::/64'; }, '"1.2.3.4::/64" is not a CIDR'],
    ['an IPv4 except entry in an IPv6 CIDR', (p: any) => { p.spec.ingress[0].from[3].ipBlock = { cidr: '::/0', except: ['10.0.0.0/8'] }; },
      '"10.0.0.0/8" is not inside ::/0'],
    ['an IPv6 except entry in an IPv4 CIDR', (p: any) => { p.spec.ingress[0].from[2].ipBlock = { cidr: '10.0.0.0/8', except: ['2001:db8::/32'] }; },
      '"2001:db8::/32" is not inside 10.0.0.0/8'],
    ['an IPv6 group of five digits', (p: any) => { p.spec.ingress[0].from[3].ipBlock.cidr = '12345::/64'; }, '"12345::/64" is not a CIDR'],
    ['nine IPv6 groups', (p: any) => { p.spec.ingress[0].from[3].ipBlock.cidr = '1:2:3:4:5:6:7:8:9/64'; }, '"1:2:3:4:5:6:7:8:9/64" is not a CIDR'],
    ['an IPv6 except entry outside its CIDR', (p: any) => { p.spec.ingress[0].from[3].ipBlock = { cidr: 'fd00::/64', except: ['fe80::/64'] }; },
      '"fe80::/64" is not inside fd00::/64'],

    ['a port name ending in a hyphen', (p: any) => { p.spec.ingress[0].ports[1].port = 'http-'; }, 'spec.ingress[0].ports[1].port "http-" is not a port name'],
    ['an invalid CIDR in an egress rule', (p: any) => { p.spec.egress = [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }]; }, 'spec.egress[0].to[0].ipBlock.cidr "10.0.0.0/33" is not a CIDR'],
    ['an unknown protocol in an egress rule', (p: any) => { p.spec.egress = [{ ports: [{ protocol: 'ICMP' }] }]; }, 'spec.egress[0].ports[0].protocol "ICMP" is not TCP, UDP or SCTP'],
    ['an empty egress peer', (p: any) => { p.spec.egress = [{ to: [{}] }]; }, 'spec.egress[0].to[0] names no peer'],
    ['an except entry outside its CIDR', (p: any) => { p.spec.ingress[0].from[2].ipBlock.except = ['192.168.0.0/16']; }, 'spec.ingress[0].from[2].ipBlock.except[0] "192.168.0.0/16" is not inside 10.0.0.0/8'],
    ['an except entry as wide as its CIDR', (p: any) => { p.spec.ingress[0].from[2].ipBlock.except = ['10.0.0.0/8']; }, '"10.0.0.0/8" is not inside 10.0.0.0/8'],
    ['an invalid label value in matchLabels', (p: any) => { p.spec.ingress[0].from[1].namespaceSelector.matchLabels.team = 'web!'; },
      'spec.ingress[0].from[1].namespaceSelector.matchLabels.team has an invalid label value'],
    ['an invalid label key in matchLabels', (p: any) => { p.spec.podSelector.matchLabels = { 'bad key': 'api' }; }, 'spec.podSelector.matchLabels has an invalid label key'],
    ['an invalid key in an expression', (p: any) => { p.spec.podSelector.matchExpressions[0].key = '-app'; }, 'spec.podSelector.matchExpressions[0] has an invalid label key'],
    ['an invalid value in an expression', (p: any) => { p.spec.podSelector.matchExpressions[0].values = ['api', 'no way']; },
      'spec.podSelector.matchExpressions[0].value has an invalid label value'],
    ['a peer selector with a bad expression', (p: any) => { p.spec.ingress[0].from[1].namespaceSelector.matchExpressions = [{ key: 'k', operator: 'Exists', values: ['v'] }]; },
      'spec.ingress[0].from[1].namespaceSelector.matchExpressions[0] has operator "Exists" with 1 value(s)'],
  ])('%s', (_, change, message) => {
    expect(networkPolicyRejection(changed(change))).toContain(message);
  });
});

describe('an independent checker agrees where its schema can tell (kubernetes-models)', () => {
  test.each([
    ['an unknown policy type', (p: any) => { p.spec.policyTypes.push('Bogus'); }, /policyTypes\/2 must be equal to one of the allowed values/],
    ['an unknown protocol', (p: any) => { p.spec.ingress[0].ports[0].protocol = 'tcp'; }, /ports\/0\/protocol must be equal to one of the allowed values/],
  ])('%s: both reject it', (_, change, schemaError) => {
    const policy = changed(change);
    expect(networkPolicyRejection(policy)).toBeDefined();
    expect(validateSchemas([policy]).join('\n')).toMatch(schemaError);
  });
});

describe('readWorkloads: a rejected policy isolates nothing, and the message says why', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080, name: 'http' }] }] } } },
  };

  test('valid: isolated; rejected: unrestricted, naming the policy and the reason', () => {
    expect(readWorkloads([deployment, VALID])[0].posture.ingress?.unrestricted).toBeUndefined();
    const rejected = changed((p) => { p.spec.policyTypes = ['Ingress', 'Bogus']; });
    expect(readWorkloads([deployment, rejected])[0].posture.ingress?.unrestricted?.value).toBe('no NetworkPolicy with policyType Ingress selects the pods '
      + '(NetworkPolicy/shop/api.policy would, but the API server rejects it: policyTypes holds "Bogus", which is neither Ingress nor Egress), so every port is open to every peer');
  });
});
