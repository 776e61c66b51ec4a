import * as fc from 'fast-check';
import { SecureContainerOptions, booleanProblem, containerShapeProblems, secretNameProblems, validateContainerOptions, validateServiceSpec, writablePathProblems } from '../../lib/core';

/** A value of the wrong type, as JavaScript callers and JSON configs can pass it. */
const wrong = <T>(value: unknown) => value as T;

describe('validateServiceSpec', () => {
  test('a realistic service is valid', () => {
    expect(validateServiceSpec({
      containerPort: 8080,
      cpu: 0.25,
      memoryMiB: 512,
      replicas: 2,
      writablePaths: ['/tmp', '/var/cache/nginx'],
      environment: { 'LOG_LEVEL': 'info', 'discovery.type': 'single-node', 'log-format': 'json', '_X': '1' },
      healthCheck: { path: '/healthz' },
      user: { uid: 10001, gid: 10001 },
      capabilities: { add: ['SYS_PTRACE'] },
      seccompProfile: 'RuntimeDefault',
    })).toEqual([]);
  });

  test.each([
    [{ replicas: -1 }, 'replicas must be a whole number, 0 or more, found: -1'],
    [{ replicas: 1.5 }, 'replicas must be a whole number, 0 or more, found: 1.5'],
    [{ containerPort: 0 }, 'containerPort must be a whole number from 1 to 65535, found: 0; to serve port 80, listen on 8080 and map 80 in the load balancer or Service'],
    [{ containerPort: 70000 }, 'containerPort must be a whole number from 1 to 65535, found: 70000'],
    [{ cpu: 0 }, 'cpu must be a positive number of vCPUs (e.g. 0.25), found: 0'],
    [{ cpu: Number.NaN }, 'cpu must be a positive number of vCPUs (e.g. 0.25), found: NaN'],
    [{ memoryMiB: 512.5 }, 'memoryMiB must be a whole number of MiB, at least 6, found: 512.5'],
    [{ user: { uid: -1 } }, 'user.uid must be a whole number from 0 to 2147483647, found: -1; names cannot be verified, use the numeric uid (e.g. 65532)'],
    [{ user: { uid: 'nginx' as any } }, 'user.uid must be a whole number from 0 to 2147483647, found: "nginx"'],
    [{ user: { uid: 1000, gid: 2.5 } }, 'user.gid must be a whole number from 0 to 2147483647, found: 2.5; use the numeric gid (e.g. 65532)'],
    [{ user: { uid: 2147483648 } }, 'user.uid must be a whole number from 0 to 2147483647, found: 2147483648'],
    [{ user: { uid: 1e21 } }, 'user.uid must be a whole number from 0 to 2147483647, found: 1e+21'],
    [{ user: { uid: 1000, gid: 4294967296 } }, 'user.gid must be a whole number from 0 to 2147483647, found: 4294967296'],
    [{ environment: { 'LOG LEVEL': 'info' } }, 'environment name must be letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (/^[-._A-Za-z][-._A-Za-z0-9]*$/), found: "LOG LEVEL"'],
    [{ environment: { '1LOG': 'info' } }, 'environment name must be letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (/^[-._A-Za-z][-._A-Za-z0-9]*$/), found: "1LOG"'],
    [{ environment: { PORT: 8080 as any } }, 'environment.PORT must be a string, found: 8080'],
    [{ capabilities: { add: ['CAP_NET_BIND_SERVICE'] } }, 'capabilities.add takes names without the CAP_ prefix, found: "CAP_NET_BIND_SERVICE"; use "NET_BIND_SERVICE"'],
    [{ capabilities: { add: ['sys_ptrace'] } }, 'capabilities.add has an unknown capability, found: "sys_ptrace"; use an upper-case Linux capability name such as SYS_PTRACE'],
    [{ healthCheck: {} }, 'healthCheck needs exactly one of path or command, found: {}'],
    [{ containerPort: 8080, healthCheck: { path: '/a', command: ['x'] } }, 'healthCheck needs exactly one of path or command'],
    [{ containerPort: 8080, healthCheck: { path: 'healthz' } }, 'healthCheck.path must start with \'/\', found: "healthz"'],
    [{ healthCheck: { path: '/healthz' } }, 'healthCheck.path needs a containerPort to be checked on, found: path "/healthz" without containerPort; set containerPort (Kubernetes also probes healthCheck.port alone), or use healthCheck.command'],
    [{ healthCheck: { command: ['/bin/healthcheck'], port: 9000 } },
      'healthCheck.port is the port healthCheck.path is served on, found: port 9000 with a command check, which runs inside the container; leave port out, or check a path on it instead of the command'],
    [{ healthCheck: { path: '/healthz', port: 0 } }, 'healthCheck.port must be a whole number from 1 to 65535, found: 0; give the port the process serves healthCheck.path on'],
    [{ healthCheck: { path: '/healthz', port: 8080.5 } }, 'healthCheck.port must be a whole number from 1 to 65535, found: 8080.5'],
    [{ healthCheck: { command: ['/bin/healthcheck'], livenessPath: '/live' } },
      'healthCheck.livenessPath is an HTTP path beside healthCheck.path, found: livenessPath "/live" with a command check; leave livenessPath out, or check paths instead of the command'],
    [{ containerPort: 8080, healthCheck: { path: '/ready', livenessPath: 'live' } }, 'healthCheck.livenessPath must start with \'/\', found: "live"'],
    [{ healthCheck: { command: ['/bin/healthcheck'], intervalSeconds: 4 } }, 'healthCheck.intervalSeconds must be a whole number of seconds from 5 to 300, found: 4'],
    [{ healthCheck: { command: ['/bin/healthcheck'], intervalSeconds: '30' as any } }, 'healthCheck.intervalSeconds must be a whole number of seconds from 5 to 300, found: "30"'],
    [{ healthCheck: { command: ['/bin/healthcheck'], timeoutSeconds: 1 } }, 'healthCheck.timeoutSeconds must be a whole number of seconds from 2 to 60, found: 1'],
    [{ healthCheck: { command: ['/bin/healthcheck'], timeoutSeconds: 61, intervalSeconds: 120 } }, 'healthCheck.timeoutSeconds must be a whole number of seconds from 2 to 60, found: 61'],
    [{ healthCheck: { command: ['/bin/healthcheck'], timeoutSeconds: 30, intervalSeconds: 30 } },
      'healthCheck.timeoutSeconds must be less than the interval, found: timeoutSeconds 30 with intervalSeconds 30; set intervalSeconds above 30, or a shorter timeout'],
    [{ healthCheck: { command: ['/bin/healthcheck'], timeoutSeconds: 15 } },
      'healthCheck.timeoutSeconds must be less than the interval, found: timeoutSeconds 15 with no intervalSeconds (Kubernetes checks every 10); set intervalSeconds above 15'],
    [{ healthCheck: { command: [] } }, 'healthCheck.command must be a non-empty list of arguments, found: []; the image must contain the program (distroless images have no curl)'],
    [{ healthCheck: { command: ['CMD-SHELL', 'wget -qO- http://localhost:8080/healthz || exit 1'] } },
      'healthCheck.command is the program and its arguments, without ECS\'s CMD-SHELL (added where the target needs it), found: ["CMD-SHELL","wget -qO- http://localhost:8080/healthz || exit 1"]; drop "CMD-SHELL", and for a shell write [\'sh\', \'-c\', \'...\'] (the image must contain sh)'],
    [{ healthCheck: { command: ['CMD', '/bin/healthcheck'] } }, 'healthCheck.command is the program and its arguments, without ECS\'s CMD (added where the target needs it), found: ["CMD","/bin/healthcheck"]; drop "CMD"'],
    [{ seccompProfile: 'unconfined' as any }, 'seccompProfile must be \'RuntimeDefault\' or \'Unconfined\', found: "unconfined"'],
    [{ healthCheck: { command: ['/bin/healthcheck'], startPeriodSeconds: 600 } },
      'healthCheck.startPeriodSeconds must be a whole number of seconds from 1 to 300 (the longest start period ECS takes), found: 600; give the time the process takes to start, with some margin'],
    [{ healthCheck: { command: ['/bin/healthcheck'], startPeriodSeconds: 0 } }, 'healthCheck.startPeriodSeconds must be a whole number of seconds from 1 to 300'],
    [{ healthCheck: { command: ['/bin/healthcheck'], startPeriodSeconds: '60' as any } }, 'healthCheck.startPeriodSeconds must be a whole number of seconds from 1 to 300 (the longest start period ECS takes), found: "60"'],
  ])('%j', (spec, message) => {
    const problems = validateServiceSpec(spec);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  test('a health check on a port of its own needs no containerPort, and may repeat it', () => {
    expect(validateServiceSpec({ healthCheck: { path: '/health/ready', livenessPath: '/health/live', port: 9000 } })).toEqual([]);
    expect(validateServiceSpec({ containerPort: 8080, healthCheck: { path: '/healthz', port: 8080 } })).toEqual([]);
  });

  test('values that are placeholders for later are not judged', () => {
    const unresolved = (v: unknown) => v === -1;
    expect(validateServiceSpec({ replicas: -1, containerPort: -1, healthCheck: { path: '/healthz', port: -1 } }, unresolved)).toEqual([]);
  });
});

describe('wrong shapes and types', () => {
  test.each<[SecureContainerOptions, string]>([
    [{ writablePaths: wrong('/tmp') }, 'writablePaths must be a list of absolute paths, found: "/tmp"; write ["/tmp"]'],
    [{ writablePaths: wrong({ path: '/tmp' }) }, 'writablePaths must be a list of absolute paths, found: {"path":"/tmp"}; write [{"path":"/tmp"}]'],
    [{ writablePaths: wrong(null) }, "writablePaths must be a list of absolute paths, found: null; e.g. ['/tmp']"],
    [{ command: wrong(' node  server.js ') }, 'command must be a non-empty list of non-empty arguments, found: " node  server.js "; write ["node","server.js"]'],
    [{ command: [] }, "command must be a non-empty list of non-empty arguments, found: []; e.g. ['node', 'server.js']"],
    [{ command: ['node', ''] }, 'command must be a non-empty list of non-empty arguments, found: ["node",""]'],
    [{ command: wrong(['node', 3]) }, 'command must be a non-empty list of non-empty arguments, found: ["node",3]'],
    [{ environment: wrong(null) }, "environment must be an object of variable names to strings, found: null; e.g. { LOG_LEVEL: 'info' }, or leave it out"],
    [{ environment: wrong(['LOG_LEVEL=info']) }, 'environment must be an object of variable names to strings, found: ["LOG_LEVEL=info"]'],
    [{ user: wrong(null) }, 'user must be an object with a numeric uid, found: null; e.g. { uid: 10001, gid: 10001 }, or leave it out for the default user'],
    [{ user: wrong(10001) }, 'user must be an object with a numeric uid, found: 10001'],
    [{ healthCheck: wrong(null) }, "healthCheck must be an object with path or command, found: null; e.g. { path: '/healthz' }, or leave it out"],
    [{ healthCheck: wrong('/healthz') }, 'healthCheck must be an object with path or command, found: "/healthz"'],
    [{ capabilities: wrong(['NET_ADMIN']) }, 'capabilities must be an object with add, found: ["NET_ADMIN"]; e.g. { add: [\'NET_BIND_SERVICE\'] }, or leave it out'],
    [{ capabilities: { add: wrong('NET_ADMIN') } }, 'capabilities.add must be a list of capability names, found: "NET_ADMIN"; write ["NET_ADMIN"]'],
    [{ exemptions: wrong({ control: 'LOGGING' }) }, 'exemptions must be a list of exemptions, found: {"control":"LOGGING"}; wrap the exemption in [ ]'],
    [{ exemptions: wrong([{ control: 'LOGGING' }, null]) }, "exemptions[1] must be an object with control and justification, found: null; e.g. { control: Control.RUN_AS_NON_ROOT, justification: '...' }"],
    [{ exemptions: wrong(['LOGGING']) }, 'exemptions[0] must be an object with control and justification, found: "LOGGING"'],
  ])('%j', (options, message) => {
    expect(validateContainerOptions(options)).toEqual([expect.stringContaining(message)]);
  });

  test('are reported alone: the checks that read inside them would crash or report each character', () => {
    expect(validateContainerOptions({ writablePaths: wrong('/tmp'), capabilities: { add: wrong('NET_ADMIN') }, cpu: -1 }, "container 'x': ")).toEqual([
      'container \'x\': writablePaths must be a list of absolute paths, found: "/tmp"; write ["/tmp"]',
      'container \'x\': capabilities.add must be a list of capability names, found: "NET_ADMIN"; write ["NET_ADMIN"]',
    ]);
  });

  test('placeholders for later (CDK tokens) are not judged', () => {
    const token = { resolve: () => ['/tmp'] };
    expect(containerShapeProblems({ writablePaths: wrong(token), command: wrong(token) }, '', (v) => v === token)).toEqual([]);
  });

  test.each<[SecureContainerOptions, string]>([
    [{ readOnlyRootFilesystem: wrong('false') }, 'readOnlyRootFilesystem must be true or false, found: "false"; write false without quotes'],
    [{ privileged: wrong('true') }, 'privileged must be true or false, found: "true"; write true without quotes'],
    [{ allowPrivilegeEscalation: wrong(1) }, 'allowPrivilegeEscalation must be true or false, found: 1; write true or false'],
    [{ privileged: wrong(null) }, 'privileged must be true or false, found: null; write true or false'],
  ])('booleans: %j', (options, message) => {
    expect(validateContainerOptions(options)).toEqual([message]);
  });

  test('booleanProblem accepts booleans and leaving the prop out', () => {
    expect([true, false, undefined].map((v) => booleanProblem('hostPID', v))).toEqual([undefined, undefined, undefined]);
    expect(booleanProblem('hostPID', 'yes')).toBe('hostPID must be true or false, found: "yes"; write true or false');
  });
});

test('container problems are prefixed with the container', () => {
  expect(validateContainerOptions({ cpu: -1 }, "addContainer('log-router'): ")).toEqual([
    "addContainer('log-router'): cpu must be a positive number of vCPUs (e.g. 0.25), found: -1",
  ]);
});

describe('writablePathProblems', () => {
  test.each([
    [['tmp'], 'writablePaths[0] must be an absolute path, found: "tmp"; e.g. \'/tmp\''],
    [['/'], "writablePaths[0] cannot be '/': that makes the whole root filesystem writable"],
    [['/tmp/'], 'writablePaths[0] must be normalised, found: "/tmp/"; use "/tmp"'],
    [['/var/../tmp'], 'writablePaths[0] must be normalised, found: "/var/../tmp"; use "/tmp"'],
    [['/tmp', '/tmp'], 'writablePaths[1] is a duplicate of writablePaths[0], found: "/tmp"; list each path once'],
    [['/var/cache', '/var/cache/nginx'], 'writablePaths[1] "/var/cache/nginx" is inside writablePaths entry "/var/cache", which is already writable; remove it'],
  ])('%j', (paths, message) => {
    expect(writablePathProblems(paths)).toEqual([expect.stringContaining(message)]);
  });

  test('siblings with a common prefix are not nested', () => {
    expect(writablePathProblems(['/var/cache', '/var/cache2'])).toEqual([]);
  });

  test.each([['/a//b', '/a/b'], ['/a/./b', '/a/b'], ['/a/.', '/a'], ['/a/b/..', '/a'], ['//tmp', '/tmp']])('%s is not normalised: use %s', (path, fix) => {
    expect(writablePathProblems([path])).toEqual([`writablePaths[0] must be normalised, found: ${JSON.stringify(path)}; use ${JSON.stringify(fix)}`]);
  });

  test.each(['/a/...', '/a/.b', '/a/b..', '/.cache'])('%s is normalised: dots inside a name are part of it', (path) => {
    expect(writablePathProblems([path])).toEqual([]);
  });

  test('a path is reported as not normalised exactly when resolving its segments changes it', () => {
    const segment = fc.constantFrom('', '.', '..', '...', 'a', '.a', 'a.', 'b');
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
      const path = `/${segments.join('/')}`;
      fc.pre(path !== '/');
      const resolved: string[] = [];
      for (const s of segments) {
        if (s === '..') resolved.pop();
        else if (s !== '' && s !== '.') resolved.push(s);
      }
      const normalised = `/${resolved.join('/')}` === path;
      expect(writablePathProblems([path]).some((p) => p.includes('must be normalised'))).toBe(!normalised);
    }));
  });
});

describe('secretNameProblems', () => {
  test('names must be environment variable names', () => {
    expect(secretNameProblems(['db-password'])).toEqual(['secrets name must be a valid environment variable name (/^[A-Za-z_][A-Za-z0-9_]*$/), found: "db-password"; use letters, digits and _, e.g. "DB_PASSWORD"']);
  });

  test('an environment that is not an object holds no names to collide with (its shape is reported elsewhere)', () => {
    expect(secretNameProblems(['DB_PASSWORD'], wrong(null))).toEqual([]);
  });

  test('a name cannot be both plain and secret', () => {
    expect(secretNameProblems(['DB_PASSWORD'], { DB_PASSWORD: 'x' })).toEqual(['DB_PASSWORD is both in environment and in secrets; keep it in secrets only']);
  });
});
