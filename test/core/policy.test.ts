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
    [{ defaultUser: { uid: 0, gid: 0 } }, /defaultUser must have numeric uid and gid from 1 to 2147483647 \(a policy cannot make root the default\), found: {"uid":0,"gid":0}/],
    [{ defaultUser: { uid: 1.5, gid: 10 } }, /defaultUser must have numeric uid and gid from 1 to 2147483647/],
    [{ defaultUser: { uid: 3000000000, gid: 3000000000 } }, /defaultUser must have numeric uid and gid from 1 to 2147483647 .*found: {"uid":3000000000,"gid":3000000000}/],
    [{ ticketPattern: '^SEC-(' }, /ticketPattern must be a valid regular expression, found: "\^SEC-\("/],
    [{ maxExemptionDays: 0 }, /maxExemptionDays must be a whole number of days above 0, found: 0/],
    [{ expiryWarningDays: -1 }, /expiryWarningDays must be a whole number of days, 0 or more, found: -1/],
    [{ nonWaivable: ['PRIVILEGED' as any] }, /nonWaivable lists an unknown control, found: "PRIVILEGED"; use Control.<ID>/],
    [{ allowedRegistries: ['https://ghcr.io'] }, /allowedRegistries entries must be registry hosts or prefixes without a scheme \(e.g. 'ghcr.io\/acme'\), found: "https:\/\/ghcr.io"/],
    [{ defaultUser: null }, /defaultUser must have numeric uid and gid from 1 to 2147483647 \(a policy cannot make root the default\), found: null/],
    [{ defaultUser: [10001, 10001] }, /defaultUser must have numeric uid and gid from 1 to 2147483647 .*found: \[10001,10001\]/],
    [{ defaultUser: { uid: '10001', gid: '10001' } }, /defaultUser must have numeric uid and gid from 1 to 2147483647 .*found: {"uid":"10001","gid":"10001"}/],
    [{ requireTicket: 'false' }, /requireTicket must be true or false \(a boolean, not a string\), found: "false"/],
    [{ requireExpiry: 1 }, /requireExpiry must be true or false \(a boolean, not a string\), found: 1/],
    [{ ticketPattern: 123 }, /ticketPattern must be the source text of a regular expression such as '\^SEC-\\\\d\+\$', found: 123; leave it out to accept any non-empty ticket/],
    [{ ticketPattern: ' ' }, /ticketPattern must be the source text of a regular expression .*found: " "/],
    [{ maxExemptionDays: '90' }, /maxExemptionDays must be a whole number of days above 0, found: "90"/],
    [{ expiryWarningDays: null }, /expiryWarningDays must be a whole number of days, 0 or more, found: null/],
    [{ nonWaivable: 'NOT_PRIVILEGED' }, /nonWaivable must be a list of controls such as \[Control.NOT_PRIVILEGED\], found: "NOT_PRIVILEGED"/],
    [{ nonWaivable: [42] }, /nonWaivable lists an unknown control, found: 42; use Control.<ID>/],
    [{ allowedRegistries: 'ghcr.io' }, /allowedRegistries must be a list of registry hosts or prefixes such as \['ghcr.io\/acme'\], found: "ghcr.io"/],
    [{ allowedRegistries: [42] }, /allowedRegistries entries must be registry hosts .*found: 42/],
  ])('%j', (props, message) => {
    expect(() => resolvePolicy(props as any)).toThrow(message);
    expect(() => resolvePolicy(props as any)).toThrow(/^invalid security policy:/);
  });

  const SETTINGS = 'the settings are defaultUser, requireTicket, ticketPattern, requireExpiry, maxExemptionDays, expiryWarningDays, nonWaivable, allowedRegistries';

  test.each([null, [{ requireTicket: true }], 'requireTicket', 42])('a policy that is not an object: %j', (props) => {
    expect(() => resolvePolicy(props as any)).toThrow(
      `invalid security policy:\n  - a security policy must be an object of settings such as { "requireTicket": true }, found: ${JSON.stringify(props)}`,
    );
  });

  test('misspelled settings are named, with the closest known one, and every problem is listed', () => {
    const props = JSON.parse('{"requireTickets":true,"nonWaiveable":["NO_HOST_NAMESPACES"],"maxExemptionDay":30,"ticketPattern":123}');
    expect(() => resolvePolicy(props)).toThrow([
      'invalid security policy:',
      `  - "requireTickets" is not a security policy setting; did you mean requireTicket? ${SETTINGS}`,
      `  - "nonWaiveable" is not a security policy setting; did you mean nonWaivable? ${SETTINGS}`,
      `  - "maxExemptionDay" is not a security policy setting; did you mean maxExemptionDays? ${SETTINGS}`,
      "  - ticketPattern must be the source text of a regular expression such as '^SEC-\\\\d+$', found: 123; leave it out to accept any non-empty ticket",
    ].join('\n'));
  });

  test('an unknown setting nothing resembles gets the list alone', () => {
    expect(() => resolvePolicy({ enforceEverything: true } as any)).toThrow(`"enforceEverything" is not a security policy setting; ${SETTINGS}`);
  });

  test('settings left undefined count as not set', () => {
    expect(resolvePolicy({ requireTicket: undefined, defaultUser: undefined })).toEqual(DEFAULT_POLICY);
  });
});

describe('SecurityPolicy checks its props at run time (they may come from JSON)', () => {
  test('apply() rejects a misspelled setting', () => {
    const { team } = tree();
    expect(() => SecurityPolicy.of(team).apply(JSON.parse('{"requireTickets":true}'))).toThrow(/"requireTickets" is not a security policy setting; did you mean requireTicket\?/);
    expect(SecurityPolicy.resolve(team)).toBe(DEFAULT_POLICY);
    // nothing half-made is left behind: the corrected policy can be applied to the same scope
    expect(SecurityPolicy.of(team).apply({ requireTicket: true }).settings.requireTicket).toBe(true);
  });

  test('a string "false" does not switch tickets on', () => {
    const { team } = tree();
    expect(() => new SecurityPolicy(team, 'Policy', { requireTicket: 'false' } as any)).toThrow(/requireTicket must be true or false \(a boolean, not a string\), found: "false"/);
  });
});

describe('a policy applied after a service was built with its default user', () => {
  const USER = { defaultUser: { uid: 10001, gid: 10001 } };

  test('is an error naming the service and the user it was built with', () => {
    const { root, service } = tree();
    SecurityPolicy._resolveForService(service);
    expect(() => SecurityPolicy.of(root).apply(USER)).toThrow(
      'the security policy of <root> sets defaultUser 10001:10001, but Team/Service (65532:65532) was built before it with another default user, '
      + 'which it cannot change; apply the policy before creating the services below it');
  });

  test('is no error where a policy between them stays the service\'s policy', () => {
    const { root, team, service } = tree();
    SecurityPolicy.of(team).apply({ requireTicket: true });
    SecurityPolicy._resolveForService(service);
    expect(() => SecurityPolicy.of(root).apply(USER)).not.toThrow();
  });

  test('is no error for a construct that never built with a default user', () => {
    const { root, service } = tree();
    SecurityPolicy.resolve(service);
    expect(() => SecurityPolicy.of(root).apply(USER)).not.toThrow();
  });
});
