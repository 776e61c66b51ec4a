import { Construct } from 'constructs';
import { Control, DEFAULT_POLICY, SecurityPolicy, resolvePolicy } from '../../lib/core';

function tree() {
  const root = new Construct(undefined as any, '');
  const team = new Construct(root, 'Team');
  const service = new Construct(team, 'Service');
  const deep = new Construct(service, 'Deep');
  return { root, team, service, deep };
}

test('without a policy, the defaults apply', () => {
  const { deep } = tree();
  expect(SecurityPolicy.resolve(deep)).toEqual(DEFAULT_POLICY);
  expect(DEFAULT_POLICY.defaultUser).toEqual({ uid: 65532, gid: 65532 });
});

test('the nearest policy up the tree wins, merged over the defaults (not over the outer policy)', () => {
  const { root, team, service, deep } = tree();
  SecurityPolicy.of(root).apply({ requireTicket: true, nonWaivable: [Control.NOT_PRIVILEGED] });
  new SecurityPolicy(team, 'Policy', { defaultUser: { uid: 10001, gid: 10001 } });

  expect(SecurityPolicy.resolve(root).requireTicket).toBe(true);
  const teamPolicy = SecurityPolicy.resolve(deep);
  expect(teamPolicy.defaultUser).toEqual({ uid: 10001, gid: 10001 });
  expect(teamPolicy.requireTicket).toBe(false);
  expect(teamPolicy.nonWaivable).toEqual([]);
  expect(SecurityPolicy.resolve(service)).toBe(teamPolicy);
});

test('a policy applies to its own scope', () => {
  const { team } = tree();
  const policy = SecurityPolicy.of(team).apply({ maxExemptionDays: 30 });
  expect(SecurityPolicy.resolve(team)).toBe(policy.settings);
});

test('one policy per scope', () => {
  const { team } = tree();
  SecurityPolicy.of(team).apply({});
  expect(() => new SecurityPolicy(team, 'Other', {})).toThrow('Team already has a security policy; set one policy per scope (nested scopes may set their own)');
});

describe('invalid policies are rejected with every problem', () => {
  test.each([
    [{ defaultUser: { uid: 0, gid: 0 } }, /defaultUser must have numeric uid and gid above 0 \(a policy cannot make root the default\), found: {"uid":0,"gid":0}/],
    [{ defaultUser: { uid: 1.5, gid: 10 } }, /defaultUser must have numeric uid and gid above 0/],
    [{ ticketPattern: '^SEC-(' }, /ticketPattern must be a valid regular expression, found: "\^SEC-\("/],
    [{ maxExemptionDays: 0 }, /maxExemptionDays must be a whole number of days above 0, found: 0/],
    [{ expiryWarningDays: -1 }, /expiryWarningDays must be a whole number of days, 0 or more, found: -1/],
    [{ nonWaivable: ['PRIVILEGED' as any] }, /nonWaivable lists an unknown control, found: "PRIVILEGED"; use Control.<ID>/],
    [{ allowedRegistries: ['https://ghcr.io'] }, /allowedRegistries entries must be registry hosts or prefixes without a scheme \(e.g. 'ghcr.io\/acme'\), found: "https:\/\/ghcr.io"/],
  ])('%j', (props, message) => {
    expect(() => resolvePolicy(props)).toThrow(message);
    expect(() => resolvePolicy(props)).toThrow(/^invalid security policy:/);
  });
});
