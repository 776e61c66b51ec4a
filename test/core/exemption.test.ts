import { TODAY } from './fixtures';
import { Control, DEFAULT_POLICY, Exemption, ResolvedSecurityPolicy, isExpired, resolvePolicy, validateExemptions } from '../../lib/core';

const GOOD = 'Legacy reporting engine writes its cache under /opt/app; rewrite planned in Q2';

function problems(exemption: Partial<Exemption>, policy: ResolvedSecurityPolicy = DEFAULT_POLICY) {
  return validateExemptions([{ control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: GOOD, ...exemption } as Exemption], policy, TODAY)
    .map((p) => `${p.severity}: ${p.message}`);
}

test('a well-written exemption has no problems', () => {
  expect(problems({})).toEqual([]);
  expect(problems({ expires: '2027-03-31', ticket: 'SEC-1421', container: 'app' })).toEqual([]);
});

test('an unknown control', () => {
  expect(problems({ control: 'READ_ONLY' as any })).toEqual([
    expect.stringMatching(/^error: exemptions\[0\] \(READ_ONLY\): control must be one of the catalog, found: "READ_ONLY"; use Control.<ID>, one of RUN_AS_NON_ROOT, /),
  ]);
});

test('a misspelled field, as a hand-written record can carry it, is an error naming the field it meant', () => {
  expect(problems({ expiry: '2027-03-31' } as Partial<Exemption>)).toEqual([
    'error: exemptions[0] (READ_ONLY_ROOT_FILESYSTEM): expiry is not a field of an exemption, found: "2027-03-31"; did you mean expires? the known ones are control, justification, expires, ticket, container',
  ]);
});

describe('justification', () => {
  test.each([
    ['', /at least 20 characters after trimming, found 0/],
    ['   needs root access       ', /at least 20 characters after trimming, found 17/],
    ['TODO: write the justification', /is a placeholder \(it says "TODO"\)/],
    ['TBD after the security review', /is a placeholder \(it says "TBD"\)/],
    ['needed for now, fix later please', /is a placeholder \(it says "fix later"\)/],
    ['temporary temporary temporary', /is a placeholder:/],
    ['n/a n/a n/a n/a n/a n/a n/a', /is a placeholder:/],
    ['none none none none none none', /is a placeholder:/],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaa', /is not a sentence \(repeated characters\)/],
    ['abababab abababab abababab', /is not a sentence \(repeated characters\)/],
    ['FluentbitNeedsRootToReadLogs', /is not a sentence \(fewer than 3 different words\)/],
    ['qwerty qwerty qwerty qwerty', /is not a sentence \(fewer than 3 different words\): "qwerty qwerty qwerty qwerty"/],
    ['abcdef abcdef abcdef abcdef', /is not a sentence \(fewer than 3 different words\)/],
    ['1234567890 1234567890 1234567890', /is not a sentence \(fewer than 3 different words\)/],
    ['blah blah blah blah blah needs root', /is not a sentence \(one word repeated: "blah"\)/],
    ['needs root access needs root access', /is not a sentence \(the same words repeated\)/],
    ['ルートでのみ動作しますルートでのみ動作します', /is not a sentence \(the same words repeated\)/],
    ['qwerty asdfgh zxcvbn uiop hjkl', /is not a sentence \(keyboard or alphabet runs such as "qwerty"\)/],
    ['q w e r t y u i o p a s d', /is not a sentence \(letters or digits one at a time\)/],
    ['a b c d e f g h i j k', /is not a sentence \(letters or digits one at a time\)/],
    ['1 2 3 4 5 6 7 8 9 10 11', /is not a sentence \(letters or digits one at a time\)/],
    ['to-do, will fix it next sprint', /is a placeholder \(it says "to-do"\)/],
    ['lorem ipsum dolor sit amet consectetur', /is a placeholder \(it says "lorem ipsum"\)/],
    ['Dolor sit amet, consectetur adipiscing elit', /is a placeholder \(it says "Dolor sit amet"\)/],
    ['!!!! #### ???? ++++ $$$$ %%%% &&&&', /is not a sentence \(fewer than 3 different words\)/],
    ['漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢', /is not a sentence \(repeated characters\)/],
  ])('%j is rejected', (justification, message) => {
    const found = problems({ justification });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^error: exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM\): justification /);
    expect(found[0]).toMatch(message);
    expect(found[0]).toMatch(/write why the control must be weakened/);
  });

  test.each([
    ['English', GOOD],
    ['Russian', 'Необходимо для совместимости со старым движком отчётов'],
    ['Japanese (no spaces)', 'ベンダーのイメージはルートでのみ動作します。修正版は2027年に提供予定です'],
    ['Chinese (no spaces)', '供应商镜像只能以root身份运行，修复版本预计2027年发布'],
    ['French (accents)', 'Le moteur de rapports hérité écrit son cache sous /opt/app ; réécriture prévue au T2'],
    ['Greek', 'Ο πράκτορας καταγραφής διαβάζει το /var/log ως root μέχρι την αναβάθμιση'],
  ])('a real %s justification is accepted', (_, justification) => {
    expect(problems({ justification })).toEqual([]);
  });

  test('the length counts characters, not UTF-16 units', () => {
    expect(problems({ justification: '🔒'.repeat(10) })).toEqual([expect.stringMatching(/at least 20 characters after trimming, found 10/)]);
  });

  test('a non-string justification', () => {
    expect(problems({ justification: 42 as any })).toEqual([expect.stringMatching(/justification must be a string, found: 42/)]);
  });
});

describe('expiry', () => {
  test.each(['2027-3-31', '31/03/2027', '2027-02-30', 'tomorrow'])('%j is not an ISO date', (expires) => {
    expect(problems({ expires })).toEqual([expect.stringContaining(`expires must be an ISO date YYYY-MM-DD, found: "${expires}"`)]);
  });

  test('a past date fails; today is still valid', () => {
    expect(problems({ expires: '2026-11-27' })).toEqual([expect.stringMatching(/error: .*expired on 2026-11-27; restore the secure setting, or renew/)]);
    expect(problems({ expires: '2026-11-28' })).toEqual([expect.stringMatching(/^warning: .*expires on 2026-11-28, in 0 day\(s\)/)]);
  });

  test('an expiry within the warning window warns', () => {
    expect(problems({ expires: '2026-12-20' })).toEqual([expect.stringMatching(/^warning: .*in 22 day\(s\); renew it or restore/)]);
    expect(problems({ expires: '2026-12-20' }, resolvePolicy({ expiryWarningDays: 7 }))).toEqual([]);
  });

  test('an invalid Date as today is refused: every expiry would pass (NaN compares false)', () => {
    const exemption = { control: Control.READ_ONLY_ROOT_FILESYSTEM, justification: GOOD, expires: '2020-01-01' };
    const message = 'today must be a valid date, found: Invalid Date; pass the Date of the day to judge exemptions\' expiry on';
    expect(() => validateExemptions([exemption], DEFAULT_POLICY, new Date('not a date'))).toThrow(message);
    expect(() => isExpired(exemption, new Date(NaN))).toThrow(message);
    expect(isExpired(exemption, TODAY)).toBe(true);
  });

  test('a horizon alone makes the expiry required, naming the setting', () => {
    const policy = resolvePolicy({ maxExemptionDays: 90 });
    expect(problems({}, policy)).toEqual([
      expect.stringMatching(/^error: exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM\): the security policy's maxExemptionDays \(90\) requires an expiry; add expires: 'YYYY-MM-DD' within 90 days$/),
    ]);
    expect(problems({ expires: '2027-02-26' }, policy)).toEqual([]);
  });

  test('the policy can require an expiry and cap its horizon', () => {
    const policy = resolvePolicy({ requireExpiry: true, maxExemptionDays: 90 });
    expect(problems({}, policy)).toEqual([expect.stringMatching(/the security policy requires an expiry; add expires: 'YYYY-MM-DD' within 90 days/)]);
    expect(problems({ expires: '2027-02-26' }, policy)).toEqual([]);
    expect(problems({ expires: '2027-02-27' }, policy)).toEqual([expect.stringMatching(/expires 2027-02-27 is 91 days away, beyond the 90 days the security policy allows/)]);
  });
});

describe('ticket', () => {
  const policy = resolvePolicy({ requireTicket: true, ticketPattern: '^SEC-\\d+$' });

  test('required by the policy', () => {
    expect(problems({}, policy)).toEqual([expect.stringMatching(/the security policy requires a ticket; add ticket: '...' matching \^SEC-\\d\+\$/)]);
  });

  test('must match the pattern', () => {
    expect(problems({ ticket: 'JIRA-1' }, policy)).toEqual([expect.stringMatching(/ticket must match \^SEC-\\d\+\$, found: "JIRA-1"/)]);
    expect(problems({ ticket: 'SEC-1421' }, policy)).toEqual([]);
  });

  test('a pattern alone makes the ticket required, naming the setting', () => {
    const patternOnly = resolvePolicy({ ticketPattern: '^SEC-\\d+$' });
    expect(problems({}, patternOnly)).toEqual([
      expect.stringMatching(/^error: exemptions\[0\] \(READ_ONLY_ROOT_FILESYSTEM\): the security policy's ticketPattern requires a ticket; add ticket: '...' matching \^SEC-\\d\+\$$/),
    ]);
    expect(problems({ ticket: 'SEC-7' }, patternOnly)).toEqual([]);
  });

  test('without requireTicket or a pattern, a ticket stays optional', () => {
    expect(problems({}, resolvePolicy({ requireExpiry: false }))).toEqual([]);
  });

  test('must not be empty', () => {
    expect(problems({ ticket: '  ' })).toEqual([expect.stringMatching(/ticket must be a non-empty string, found: "  "/)]);
  });
});

test('a non-waivable control cannot be exempted', () => {
  const policy = resolvePolicy({ nonWaivable: [Control.NOT_PRIVILEGED] });
  expect(problems({ control: Control.NOT_PRIVILEGED }, policy)).toEqual([
    expect.stringMatching(/exemptions\[0\] \(NOT_PRIVILEGED\): the security policy makes NOT_PRIVILEGED non-waivable: it cannot be exempted/),
  ]);
  expect(problems({}, policy)).toEqual([]);
});

test('an empty container name', () => {
  expect(problems({ container: '' })).toEqual([expect.stringMatching(/container must be a container name, found: ""; leave it out to cover every container/)]);
});

test('every problem of one exemption is reported, each naming the exemption', () => {
  const found = validateExemptions([
    { control: Control.RUN_AS_NON_ROOT, justification: GOOD },
    { control: Control.NOT_PRIVILEGED, justification: 'TBD', expires: '2020-01-01', container: 'sidecar' },
  ], DEFAULT_POLICY, TODAY);
  expect(found.map((p) => p.message)).toEqual([
    expect.stringMatching(/^exemptions\[1\] \(NOT_PRIVILEGED, container 'sidecar'\): justification must be at least 20/),
    expect.stringMatching(/^exemptions\[1\] \(NOT_PRIVILEGED, container 'sidecar'\): expired on 2020-01-01/),
  ]);
});
