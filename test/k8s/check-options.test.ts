// The arguments of checkObjects, checkWorkloads, checkChart, ChartChecks and the cdk8s CLI plugin: a
// misspelled option or an invalid value fails naming it, never checking with a weaker default.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Yaml } from 'cdk8s';
import { GOLDEN, TODAY, newChart, synthError } from './helpers';
import { resolvePolicy } from '../../lib/core';
import { ChartChecks, SecureService, SecureServiceValidation, ValidationPluginContext, checkChart, checkObjects, checkWorkloads, readWorkloads } from '../../lib/k8s';

/** A value of the wrong type, as JavaScript callers and JSON configs can pass it. */
const wrong = <T>(value: unknown) => value as T;

const JUSTIFICATION = 'Vendor image needs root until the Q3 rewrite; reviewed by platform security';

/** A Pod hardened but for a container running as root, with the exemptions recorded on it. */
function rootPod(exemptions: object[]) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop', annotations: { 'secure-service.dev/exemptions': JSON.stringify(exemptions) } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'c',
        image: 'ghcr.io/acme/x:1',
        securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      }],
    },
  };
}
const EXEMPTED = rootPod([{ control: 'RUN_AS_NON_ROOT', justification: JUSTIFICATION }]);
const EXPIRED = rootPod([{ control: 'RUN_AS_NON_ROOT', justification: JUSTIFICATION, expires: '2020-01-01' }]);

/** The error thrown by `run`, or '' when it returns. */
function thrown(run: () => unknown): string {
  try {
    run();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('checkObjects and checkWorkloads: the arguments are checked', () => {
  test('policy given as the SecurityPolicy fields is resolved and enforced, as a resolved policy is', () => {
    // WHEN
    const asFields = checkObjects([EXEMPTED], { policy: { requireTicket: true }, today: TODAY });
    const resolved = checkObjects([EXEMPTED], { policy: resolvePolicy({ requireTicket: true }), today: TODAY });
    // THEN
    expect(asFields.errors).toEqual(resolved.errors);
    expect(asFields.errors).toContainEqual(expect.stringContaining('exemptions[0] (RUN_AS_NON_ROOT): the security policy requires a ticket'));
    expect(checkObjects([EXEMPTED], { today: TODAY }).errors.some((e) => e.includes('ticket'))).toBe(false);
  });

  test.each<[string, () => unknown, string]>([
    [
      'a misspelled option (polcy)',
      () => checkObjects([EXEMPTED], wrong({ polcy: { requireTicket: true }, today: TODAY })),
      'invalid arguments to checkObjects:\n  - polcy is not an option of checkObjects, found: {"requireTicket":true}; did you mean policy? the known ones are locations, file, files, policy, today',
    ],
    [
      'options that are not an object',
      () => checkObjects([EXEMPTED], wrong('strict')),
      "invalid arguments to checkObjects:\n  - the options of checkObjects must be an object such as { policy: { requireTicket: true }, today: '2026-01-15' }, found: \"strict\"",
    ],
    [
      'a policy with a misspelled setting',
      () => checkObjects([EXEMPTED], { policy: wrong({ requireTiket: true }) }),
      'invalid arguments to checkObjects:\n  - policy is not a valid security policy, found: {"requireTiket":true} (invalid security policy:\n'
        + '    - "requireTiket" is not a security policy setting; did you mean requireTicket?',
    ],
    [
      'a policy that is not an object',
      () => checkObjects([EXEMPTED], { policy: wrong('strict') }),
      'policy is not a valid security policy, found: "strict" (invalid security policy:\n    - a security policy must be an object of settings such as { "requireTicket": true }, found: "strict")',
    ],
    [
      'today an Invalid Date (an unset variable: new Date(undefined))',
      () => checkObjects([EXPIRED], { today: new Date('not a date') }),
      "invalid arguments to checkObjects:\n  - today must be a valid date (a Date or YYYY-MM-DD), found: Invalid Date; e.g. '2026-01-15', or leave today out to judge on the current day",
    ],
    [
      'today a string that is not a day',
      () => checkObjects([EXEMPTED], { today: '2026-13-01' }),
      'today must be a valid date (a Date or YYYY-MM-DD), found: "2026-13-01"; e.g. \'2026-01-15\'',
    ],
    [
      'today a number',
      () => checkObjects([EXEMPTED], { today: wrong(NaN) }),
      'today must be a valid date (a Date or YYYY-MM-DD), found: NaN; e.g. \'2026-01-15\'',
    ],
    [
      'objects one object, not a list',
      () => checkObjects(wrong(EXEMPTED), { today: TODAY }),
      'invalid arguments to checkObjects:\n  - objects must be a list of Kubernetes objects, found: {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop","an...; wrap it in [ ]',
    ],
    [
      'objects YAML text',
      () => checkObjects(wrong('apiVersion: v1\nkind: Pod'), { today: TODAY }),
      'objects must be a list of Kubernetes objects, found: "apiVersion: v1\\nkind: Pod"; pass the parsed objects, e.g. what Yaml.load(file) returns',
    ],
    [
      'checkWorkloads: a read option it does not use',
      () => checkWorkloads(readWorkloads([EXEMPTED]), wrong({ locations: ['a'], today: TODAY })),
      'invalid arguments to checkWorkloads:\n  - locations is not an option of checkWorkloads, found: ["a"]; the known ones are policy, today',
    ],
    [
      'checkWorkloads: one workload, not a list',
      () => checkWorkloads(wrong(readWorkloads([EXEMPTED])[0]), { today: TODAY }),
      'invalid arguments to checkWorkloads:\n  - workloads must be a list of workloads, found: {"posture":{"platform":"kubernetes","name":"Pod/shop/p",'
        + '"location":"Pod/shop/...; wrap it in [ ]',
    ],
    [
      'checkWorkloads: an Invalid Date',
      () => checkWorkloads(readWorkloads([EXPIRED]), { today: new Date(Number.NaN) }),
      'invalid arguments to checkWorkloads:\n  - today must be a valid date (a Date or YYYY-MM-DD), found: Invalid Date',
    ],
  ])('%s fails naming it, the value and the fix', (_, run, message) => {
    expect(thrown(run)).toContain(message);
  });

  test('every problem is named at once', () => {
    expect(thrown(() => checkObjects(wrong(EXEMPTED), wrong({ polcy: {}, today: new Date('x') })))).toBe('invalid arguments to checkObjects:\n'
      + '  - objects must be a list of Kubernetes objects, found: {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop","an...; wrap it in [ ]\n'
      + '  - polcy is not an option of checkObjects, found: {}; did you mean policy? the known ones are locations, file, files, policy, today\n'
      + "  - today must be a valid date (a Date or YYYY-MM-DD), found: Invalid Date; e.g. '2026-01-15', or leave today out to judge on the current day");
  });

  test('a valid Date is used: the expired exemption covers nothing', () => {
    const errors = checkObjects([EXPIRED], { today: new Date('2026-01-01') }).errors;
    expect(errors).toContainEqual(expect.stringContaining('expired on 2020-01-01'));
    expect(errors).toContainEqual(expect.stringContaining('[RUN_AS_NON_ROOT]'));
  });

  test('options set to undefined set nothing', () => {
    expect(checkObjects([EXEMPTED], { policy: undefined, today: TODAY }).errors).toEqual(checkObjects([EXEMPTED], { today: TODAY }).errors);
  });
});

describe('checkChart and ChartChecks: the options are checked', () => {
  function legacy(chart: any) {
    return new ApiObject(chart, 'legacy', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'legacy' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } });
  }

  test('ChartChecks: a misspelled option fails at construction, naming it, its value and the option meant', () => {
    const { chart } = newChart();
    expect(() => new ChartChecks(chart, 'Checks', wrong({ includeSecureService: true }))).toThrow('invalid ChartChecks options at test/Checks:\n'
      + '  - includeSecureService is not an option of ChartChecks, found: true; did you mean includeSecureServices? the known ones are includeSecureServices');
  });

  test('ChartChecks: includeSecureServices as a string (which would count as true) fails', () => {
    const { chart } = newChart();
    expect(() => new ChartChecks(chart, 'Checks', { includeSecureServices: wrong('false') }))
      .toThrow('invalid ChartChecks options at test/Checks:\n  - includeSecureServices must be true or false, found: "false"; write false without quotes');
  });

  test('ChartChecks: options that are not an object fail', () => {
    const { chart } = newChart();
    expect(() => new ChartChecks(chart, 'Checks', wrong(null)))
      .toThrow('invalid ChartChecks options at test/Checks:\n  - the options of ChartChecks must be an object such as { includeSecureServices: true }, found: null');
  });

  test('checkChart: a misspelled option fails, naming it', () => {
    const { chart } = newChart();
    legacy(chart);
    expect(() => checkChart(chart, wrong({ includeSecureService: true }))).toThrow('invalid arguments to checkChart:\n'
      + '  - includeSecureService is not an option of checkChart, found: true; did you mean includeSecureServices? the known ones are includeSecureServices');
  });

  test('valid options still check: includeSecureServices reads the SecureServices too', () => {
    const { app, chart } = newChart();
    legacy(chart);
    new SecureService(chart, 'api', { ...GOLDEN, privileged: true, allowPrivilegeEscalation: true });
    new ChartChecks(chart, 'Checks', { includeSecureServices: true });
    expect(checkChart(chart).errors.some((e) => e.includes('legacy'))).toBe(true);
    expect(checkChart(chart, { includeSecureServices: true }).errors.some((e) => e.includes('Deployment/api'))).toBe(true);
    expect(synthError(app)).toContain('legacy');
  });
});

describe('cdk8s CLI plugin: the properties of cdk8s.yaml are checked', () => {
  /** A ValidationContext with the CLI's shape, recording what the plugin reports. */
  function context(manifests: string[]) {
    const violations: any[] = [];
    const submitted: string[] = [];
    const ctx: ValidationPluginContext = {
      manifests,
      report: { addViolation: (v) => violations.push(v), submit: (status) => submitted.push(status) },
      logger: { log: () => undefined },
    };
    return { ctx, violations, submitted };
  }

  function manifestOf(objects: object[]): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secure-service-plugin-')), 'app.k8s.yaml');
    fs.writeFileSync(file, Yaml.stringify(...objects));
    return file;
  }

  test.each<[string, unknown, string]>([
    [
      'a misspelled key (policies), whose policy would be dropped',
      { policies: { requireTicket: true } },
      'invalid SecureServiceValidation properties (cdk8s.yaml validations[].properties):\n'
        + '  - properties.policies is not a property of SecureServiceValidation (cdk8s.yaml validations[].properties), found: {"requireTicket":true}; '
        + 'did you mean policy? the known ones are policy, today',
    ],
    [
      'a key in another case (Policy)',
      { Policy: { requireTicket: true }, today: TODAY },
      '  - properties.Policy is not a property of SecureServiceValidation (cdk8s.yaml validations[].properties), found: {"requireTicket":true}; did you mean policy?',
    ],
    [
      'today not a day',
      { today: '2026-1-5' },
      'invalid SecureServiceValidation properties (cdk8s.yaml validations[].properties):\n'
        + "  - properties.today must be a valid date (a Date or YYYY-MM-DD), found: \"2026-1-5\"; e.g. '2026-01-15', or leave properties.today out to judge on the current day",
    ],
    [
      'a policy with a misspelled setting',
      { policy: { requireTickets: true } },
      '  - properties.policy is not a valid security policy, found: {"requireTickets":true} (invalid security policy:\n'
        + '    - "requireTickets" is not a security policy setting; did you mean requireTicket?',
    ],
    [
      'a policy that is a list',
      { policy: [{ requireTicket: true }] },
      '  - properties.policy is not a valid security policy, found: [{"requireTicket":true}] (invalid security policy:\n'
        + '    - a security policy must be an object of settings such as { "requireTicket": true }, found: [{"requireTicket":true}])',
    ],
    [
      'properties that are not a mapping',
      'policy',
      '  - properties must be an object such as { policy: { requireTicket: true } }, found: "policy"; write them as a YAML mapping',
    ],
  ])('%s: the plugin fails to load, naming the property, the value and the fix', (_, properties, message) => {
    expect(thrown(() => new SecureServiceValidation(wrong(properties)))).toContain(message);
  });

  test('valid properties still check: the policy is enforced, and today is the day exemptions are judged on', async () => {
    // GIVEN
    const manifest = manifestOf([EXEMPTED]);
    // WHEN
    const strict = context([manifest]);
    await new SecureServiceValidation({ policy: { requireTicket: true }, today: TODAY }).validate(strict.ctx);
    const lenient = context([manifest]);
    await new SecureServiceValidation({ today: TODAY }).validate(lenient.ctx);
    const expired = context([manifestOf([EXPIRED])]);
    await new SecureServiceValidation({ today: TODAY }).validate(expired.ctx);
    // THEN
    expect(strict.submitted).toEqual(['failure']);
    expect(strict.violations.map((v) => v.ruleName)).toContain('secure-service/EXEMPTION');
    expect(lenient.violations.map((v) => v.ruleName)).not.toContain('secure-service/EXEMPTION');
    expect(expired.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['secure-service/EXEMPTION', 'secure-service/RUN_AS_NON_ROOT']));
  });
});
