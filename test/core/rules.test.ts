import { secureContainer, secureWorkload, TODAY } from './fixtures';
import { Control, ControlId, DEFAULT_POLICY, Platform, evaluate, resolvePolicy } from '../../lib/core';

const PLATFORMS: Platform[] = ['kubernetes', 'ecs-fargate', 'ecs-ec2'];

function violations(workload: ReturnType<typeof secureWorkload>, policy = DEFAULT_POLICY) {
  return evaluate(workload, [], policy, TODAY)
    .map((f) => ({ control: f.control, severity: f.severity, container: f.container, setting: f.setting, problem: f.problem }));
}

function controlsOf(workload: ReturnType<typeof secureWorkload>, policy = DEFAULT_POLICY): ControlId[] {
  return violations(workload, policy).map((v) => v.control);
}

describe('a compliant posture', () => {
  test.each(PLATFORMS)('has no findings on %s', (platform) => {
    expect(violations(secureWorkload(platform))).toEqual([]);
  });
});

describe('RUN_AS_NON_ROOT', () => {
  test('uid 0 is a violation naming where it was set', () => {
    const found = violations(secureWorkload('ecs-fargate', {}, { users: [{ value: { uid: 0, gid: 0 }, at: 'ContainerDefinitions[0].User' }] }));
    expect(found).toEqual([
      expect.objectContaining({ control: Control.RUN_AS_NON_ROOT, container: 'app', setting: 'ContainerDefinitions[0].User', problem: 'the user is 0 (root)' }),
      expect.objectContaining({ control: Control.RUN_AS_NON_ROOT, problem: 'the group is 0 (root)' }),
    ]);
  });

  test('a user name cannot be verified', () => {
    const found = violations(secureWorkload('ecs-ec2', {}, { users: [{ value: { uid: 'nginx' }, at: 'User' }] }));
    expect(found).toEqual([expect.objectContaining({ problem: expect.stringMatching(/the user is a name \("nginx"\)/) })]);
  });

  test('no user on ECS means the image decides', () => {
    expect(violations(secureWorkload('ecs-fargate', {}, { users: [] }))).toEqual([
      expect.objectContaining({ control: Control.RUN_AS_NON_ROOT, problem: expect.stringMatching(/no user is set/) }),
    ]);
  });

  test('a pod-level uid 0 is a violation even when the container sets a non-root uid', () => {
    const users = [{ value: { uid: 0 }, at: 'spec.securityContext.runAsUser' }, { value: { uid: 65532, gid: 65532 }, at: 'spec.containers[0].securityContext.runAsUser' }];
    expect(violations(secureWorkload('kubernetes', {}, { users }))).toEqual([
      expect.objectContaining({ control: Control.RUN_AS_NON_ROOT, setting: 'spec.securityContext.runAsUser' }),
    ]);
  });

  test('a container-level runAsNonRoot false is a violation even when the pod sets true', () => {
    const runAsNonRoot = [{ value: true, at: 'pod' }, { value: false, at: 'spec.containers[0].securityContext.runAsNonRoot' }];
    expect(violations(secureWorkload('kubernetes', {}, { runAsNonRoot }))).toEqual([
      expect.objectContaining({ setting: 'spec.containers[0].securityContext.runAsNonRoot', problem: 'runAsNonRoot is false' }),
    ]);
  });

  test('runAsNonRoot unset on Kubernetes is a violation even with a non-root uid', () => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { runAsNonRoot: [] }))).toEqual([Control.RUN_AS_NON_ROOT]);
  });
});

describe('fixes name the output\'s own settings, for workloads written by hand, and the props that set them', () => {
  const fixes = (workload: ReturnType<typeof secureWorkload>) => evaluate(workload, [], DEFAULT_POLICY, TODAY).map((f) => f.fix);

  test('RUN_AS_NON_ROOT: runAsUser and runAsGroup on Kubernetes, User on ECS', () => {
    const root = (platform: Platform) => secureWorkload(platform, {}, { users: [{ value: { uid: 0, gid: 65532 }, at: 'user' }] });
    expect(fixes(root('kubernetes'))).toEqual(['run as a numeric non-root user and group, e.g. runAsUser: 65532 and runAsGroup: 65532 '
      + '(a SecureService: user: { uid: 65532, gid: 65532 }), and make the image work as that user']);
    expect(fixes(root('ecs-fargate'))).toEqual(['run as a numeric non-root user and group, e.g. User "65532:65532" '
      + '(a SecureService: user: { uid: 65532, gid: 65532 }), and make the image work as that user']);
  });

  test('RESOURCE_LIMITS: requests and limits on Kubernetes, a Memory limit and the task Cpu on ECS', () => {
    const unbounded = (platform: Platform) => secureWorkload(platform, {}, { resources: {} });
    expect(fixes(unbounded('kubernetes'))).toEqual([
      'set cpu and memory requests and limits on every container (a SecureService: cpu and memoryMiB, on the service and on every sidecar)',
    ]);
    expect(fixes(unbounded('ecs-ec2'))).toEqual([
      'give every container a Memory limit and the task a Cpu (a SecureService: cpu and memoryMiB, on the service and on every sidecar)',
    ]);
  });

  test('READ_ONLY_ROOT_FILESYSTEM: a volume at each written path', () => {
    const writable = secureWorkload('kubernetes', {}, { readOnlyRootFilesystem: { value: false, at: 'readOnlyRootFilesystem' } });
    expect(fixes(writable)).toEqual(['keep the root filesystem read-only and mount a volume at each path the process writes to (a SecureService: writablePaths)']);
  });
});

/** Limits of `cpu` and `memory`, with requests of 0 (allowed: a request bounds nothing). */
function bounds(cpu: string, memory: string) {
  const observed = (value: string, at: string) => ({ value, at });
  return { cpuRequest: observed('0', 'requests.cpu'), cpuLimit: observed(cpu, 'limits.cpu'), memoryRequest: observed('0', 'requests.memory'), memoryLimit: observed(memory, 'limits.memory') };
}

describe.each([
  [Control.READ_ONLY_ROOT_FILESYSTEM, { readOnlyRootFilesystem: { value: false, at: 'ReadonlyRootFilesystem' } }, /root filesystem is writable/],
  [Control.READ_ONLY_ROOT_FILESYSTEM, { readOnlyRootFilesystem: { value: undefined, at: 'ReadonlyRootFilesystem' } }, /root filesystem is writable \(null\)/],
  [Control.DROP_ALL_CAPABILITIES, { capabilitiesDropped: { value: ['NET_RAW'], at: 'drop' } }, /not all dropped/],
  [Control.DROP_ALL_CAPABILITIES, { capabilitiesDropped: { value: ['all'], at: 'drop' } }, /not all dropped/],
  [Control.DROP_ALL_CAPABILITIES, { capabilitiesAdded: [{ value: 'SYS_PTRACE', at: 'add[0]' }] }, /capability SYS_PTRACE is added/],
  [Control.NOT_PRIVILEGED, { privileged: { value: true, at: 'Privileged' } }, /privileged/],
  [Control.SECRETS_NOT_IN_ENVIRONMENT, { plainEnvironment: [{ name: 'DB_PASSWORD', at: 'Environment[0]' }] }, /DB_PASSWORD looks like a secret/],
  [Control.SECRETS_NOT_IN_ENVIRONMENT, { plainEnvironment: [{ name: 'DATABASE_URL', at: 'env[0]', value: 'postgres://app:hunter2@db:5432/app' }] },
    /^environment variable DATABASE_URL holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db:5432\/app\)$/],
  [Control.RESOURCE_LIMITS, { resources: {} }, /no cpu request, cpu limit, memory request, memory limit/],
  [Control.RESOURCE_LIMITS, { resources: bounds('0m', '64Mi') }, /^the cpu limit is 0m, which sets no limit at all$/],
  [Control.RESOURCE_LIMITS, { resources: bounds('100m', '0.0Gi') }, /^the memory limit is 0.0Gi, which sets no limit at all$/],
  [Control.IMAGE_PINNED, { image: { value: 'nginx:latest', at: 'Image' } }, /not pinned \(tag latest\)/],
  [Control.IMAGE_PINNED, { image: { value: 'ghcr.io/acme/api', at: 'Image' } }, /not pinned \(no tag\)/],
])('%s', (control, container, problem) => {
  // On Fargate, dropping ALL capabilities and not running privileged is what blocks escalation; on EC2, a
  // privileged container holds every capability, so no-new-privileges blocks none.
  const alsoOnFargate = 'capabilitiesDropped' in container || 'privileged' in container ? [Control.NO_PRIVILEGE_ESCALATION] : [];
  const alsoOnEc2 = 'privileged' in container ? [Control.NO_PRIVILEGE_ESCALATION] : [];
  test.each(PLATFORMS)(`is violated on %s by ${JSON.stringify(container).slice(0, 60)}`, (platform) => {
    const found = violations(secureWorkload(platform, {}, container));
    expect(found.filter((f) => f.control === control)).toEqual([expect.objectContaining({ control, container: 'app', problem: expect.stringMatching(problem) })]);
    const also = { 'ecs-fargate': alsoOnFargate, 'ecs-ec2': alsoOnEc2, 'kubernetes': [] }[platform];
    expect(found.filter((f) => f.control !== control).map((f) => f.control)).toEqual(also);
  });
});

describe('SECRETS_NOT_IN_ENVIRONMENT by value', () => {
  test.each([
    'postgres://app:$(DB_PASSWORD)@db:5432/app',
    'postgres://app:${DB_PASSWORD}@db:5432/app',
    'postgres://app@db:5432/app',
    'https://api.example.com/v1?user=a:b',
    'jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}',
    'https://example.com/reset?password_hint=abc',
    'redis://cache:6379',
    'postgres://{{.Data.username}}:{{.Data.password}}@db:5432/app',
    'jdbc:postgresql://db/app?user={{ .Data.username }}&password={{ .Data.password }}&ssl=true',
    'mongodb://datadog:%%env_MONGO_PASSWORD%%@%%host%%:%%port%%/admin',
    'Server=db;Password=ENC[db_password]',
    'postgres://app:****@db/app',
    'jdbc:postgresql://db/app?password=<password>',
    'password=\\S+',
    'password=[REDACTED]',
  ])('a value without a literal password is fine: %s', (value) => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { plainEnvironment: [{ name: 'DATABASE_URL', at: 'env[0]', value }] }))).toEqual([]);
  });

  test.each([
    ['jdbc:postgresql://db:5432/app?user=app&password=hunter2', 'jdbc:postgresql://db:5432/app?user=app&password=****'],
    ['jdbc:sqlserver://db:1433;databaseName=app;user=sa;Password=hunter2', 'jdbc:sqlserver://db:1433;databaseName=app;user=sa;Password=****'],
    ['mongodb://db:27017/app?authSource=admin&pwd=hunter2#x', 'mongodb://db:27017/app?authSource=admin&pwd=****#x'],
    ['Server=db;Database=app;User Id=sa;Password=hunter2;', 'Server=db;Database=app;User Id=sa;Password=****;'],
    ['passwd=hunter2', 'passwd=****'],
    ['jdbc:postgresql://db/app?user=app&password=$(X)hunter2', 'jdbc:postgresql://db/app?user=app&password=****'],
    ['postgres://app:$(LOG_LEVEL)hunter2@db/app', 'postgres://app:****@db/app'],
    ['jdbc:postgresql://db/app?password={{ .Data.password }}hunter2', 'jdbc:postgresql://db/app?password=****'],
    ['postgres://app:{{.Data.password}}hunter2@db/app', 'postgres://app:****@db/app'],
    // CloudFormation fills a dynamic reference in with a plain parameter's value.
    ['postgres://app:{{resolve:ssm:db-password}}@db/app', 'postgres://app:****@db/app'],
    ['postgres://app:{{resolve:ssm:/prod/db/password}}@db/app', 'postgres://app:****@db/app'],
    // Mount options (a CIFS volume), libpq's key/value form and a Kafka JAAS line.
    ['addr=fs.corp,username=svc,password=hunter2', 'addr=fs.corp,username=svc,password=****'],
    ['host=db user=app password=hunter2 dbname=app', 'host=db user=app password=**** dbname=app'],
    ['PlainLoginModule required username="app" password="hunter2";', 'PlainLoginModule required username="app" password="****";'],
  ])('a password parameter of a URL or connection string is a violation too (a reference counts only as the whole password): %s', (value, redacted) => {
    const [finding] = violations(secureWorkload('kubernetes', {}, { plainEnvironment: [{ name: 'SPRING_DATASOURCE_URL', at: 'env[0]', value }] }));
    expect(finding).toEqual(expect.objectContaining({ control: Control.SECRETS_NOT_IN_ENVIRONMENT, problem: `environment variable SPRING_DATASOURCE_URL holds a password in plain text (${redacted})` }));
    expect(JSON.stringify(finding)).not.toContain('hunter2');
  });

  test.each([
    ['sk_live_' + 'a1B2c3D4e5F6g7H8i9J0', 'a Stripe secret key', 'sk_l****'],
    ['ghp_' + 'A'.repeat(36), 'a GitHub token', 'ghp_****'],
    ['github_pat_' + '1'.repeat(30), 'a GitHub token', 'gith****'],
    ['sk-proj-' + 'x'.repeat(40), 'an OpenAI API key', 'sk-p****'],
    ['sk-ant-api03-' + 'y'.repeat(40), 'an Anthropic API key', 'sk-a****'],
    ['https://hooks.slack.com/services/T0001/B0002/abcdefghijkl', 'a Slack webhook', 'https://hook****'],
    ['xoxb-123456789012-abcdefghij', 'a Slack token', 'xoxb****'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id', 'AKIA****'],
    ['AIza' + 'B'.repeat(35), 'a Google API key', 'AIza****'],
    ['glpat-' + 'x1Y2z3'.repeat(4), 'a GitLab token', 'glpa****'],
    ['npm_' + 'a1B2'.repeat(9), 'an npm token', 'npm_****'],
    ['pypi-AgEIcHlwaS5vcmc' + 'Q'.repeat(50), 'a PyPI token', 'pypi****'],
    ['hf_' + 'AbCdEfGh'.repeat(5), 'a Hugging Face token', 'hf_A****'],
    ['SG.' + 'a'.repeat(22) + '.' + 'B'.repeat(43), 'a SendGrid API key', 'SG.a****'],
    ['x-honeycomb-team=hcaik_' + '0a1b2c'.repeat(9) + '0a1b', 'a Honeycomb ingest key', 'x-honeycomb-team=hcai****'],
    ['Authorization=Basic dXNlcjpzM2NyZXRwYXNz', 'an Authorization header', 'Auth****'],
    ['authorization=Bearer%20eW91LWtub3ctbm90aGluZw', 'an Authorization header', 'auth****'],
    ['Bearer 9f8e7d6c5b4a39281726354a5b6c7d8e', 'an Authorization header value', 'Bear****'],
    ['Bearer%209f8e7d6c5b4a39281726354a5b6c7d8e', 'an Authorization header value', 'Bear****'],
    ['https://ptb.discord.com/api/v10/webhooks/123456789012345678/' + 'AbC-dEf_'.repeat(8), 'a Discord webhook', 'https://ptb.disc****'],
    ['https://discord.com/api/webhooks/123456789012345678/' + 'AbC-dEf_'.repeat(8), 'a Discord webhook', 'https://disc****'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA', 'a private key', '----****'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'a signed JSON Web Token', 'eyJh****'],
  ])('a credential whose form gives it away is a violation whatever the name: %s', (value, kind, redacted) => {
    const [finding] = violations(secureWorkload('kubernetes', {}, { plainEnvironment: [{ name: 'PAYMENTS', at: 'env[0]', value }] }));
    expect(finding).toEqual(expect.objectContaining({ control: Control.SECRETS_NOT_IN_ENVIRONMENT, problem: `environment variable PAYMENTS holds ${kind} in plain text (${redacted})` }));
  });

  test.each(['sk_test_abc', 'ghp_short', 'pk_live_' + 'a'.repeat(24), 'eyJhbGciOiJIUzI1NiJ9', 'sk-learn-1.4.2', 'hf_transfer', 'npm_config_cache', 'SG.example',
    'Bearer $(API_TOKEN)', 'Bearer %%env_METRICS_TOKEN%%', 'Basic realm="api"', 'Token auth', 'https://discord.com/invite/acme'])('a value that only resembles one is fine: %s', (value) => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { plainEnvironment: [{ name: 'PAYMENTS', at: 'env[0]', value }] }))).toEqual([]);
  });

  test('the password never appears in the message', () => {
    const [finding] = violations(secureWorkload('ecs-fargate', {}, { plainEnvironment: [{ name: 'BROKER', at: 'Environment[0]', value: 'amqps://svc:s3cr3t-Pa55@mq.internal/vhost' }] }));
    expect(finding.problem).toBe('environment variable BROKER holds a password in plain text (amqps://svc:****@mq.internal/vhost)');
    expect(JSON.stringify(finding)).not.toContain('s3cr3t');
  });
});

describe('SECRETS_NOT_IN_ENVIRONMENT in settings a value carries', () => {
  const variable = (name: string, value: string) => ({ name, at: 'env[0]', value });
  const problemOf = (platform: Platform, ...plainEnvironment: { name: string; at: string; value: string }[]) =>
    violations(secureWorkload(platform, {}, { plainEnvironment })).map((f) => f.problem);

  test.each(PLATFORMS)('on %s: JVM options, JSON settings and header lists carrying a secret fail, the secret never shown', (platform) => {
    expect(problemOf(platform, variable('JAVA_TOOL_OPTIONS', '-Xmx512m -Dspring.datasource.password=hunter2'))).toEqual([
      'environment variable JAVA_TOOL_OPTIONS holds command line options that give -Dspring.datasource.password a plain value, which its name says is a secret',
    ]);
    expect(problemOf(platform, variable('JAVA_OPTS', '-Djavax.net.ssl.trustStorePassword=hunter2'))).toEqual([expect.stringContaining('-Djavax.net.ssl.trustStorePassword a plain value')]);
    expect(problemOf(platform, variable('SPRING_APPLICATION_JSON', '{"spring":{"datasource":{"password":"hunter2"}}}'))).toEqual([
      'environment variable SPRING_APPLICATION_JSON holds JSON whose .spring.datasource.password looks like a secret and has a plain value',
    ]);
    expect(problemOf(platform, variable('APP_CONFIG', '{"upstream":{"token":"ghp_' + 'A'.repeat(36) + '"}}'))).toEqual([
      'environment variable APP_CONFIG holds a GitHub token in plain text ({"upstream":{"token":"ghp_****"}})',
    ]);
    expect(problemOf(platform, variable('APP_CONFIG', '{"upstream":"amqps://svc:hunter2@mq/vhost"}'))).toEqual([
      'environment variable APP_CONFIG holds a password in plain text ({"upstream":"amqps://svc:****@mq/vhost"})',
    ]);
    expect(problemOf(platform, variable('OTEL_EXPORTER_OTLP_HEADERS', 'api-key=abc123,x-tenant=acme'))).toEqual([
      'environment variable OTEL_EXPORTER_OTLP_HEADERS holds settings whose api-key looks like a secret and has a plain value',
    ]);
  });

  test.each([
    ['JAVA_TOOL_OPTIONS', '-Xmx512m -Dspring.profiles.active=prod -Dspring.datasource.password-file=/run/secrets/db'],
    ['NODE_OPTIONS', '--max-old-space-size=4096'],
    ['SPRING_APPLICATION_JSON', '{"spring":{"datasource":{"password":"","url":"jdbc:postgresql://db/app"},"security":{"oauth2":{"token-ttl":"3600"}}}}'],
    ['SPRING_APPLICATION_JSON', '{"spring":{"datasource":{"password":"${DB_PASSWORD}"}}}'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'x-tenant=acme,x-auth-required=true'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'service.name=api,deployment.environment=prod'],
    ['FEATURE_FLAGS', '["auth", "tokens"]'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'Authorization=Bearer $(OTEL_TOKEN)'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'Authorization=Basic%20$(OTEL_BASIC)'],
    ['SPRING_APPLICATION_JSON', '{"auth":"oidc"}'],
    ['TRAEFIK_ARGS', 'auth=basic'],
    ['DEEP', `${'['.repeat(5000)}"x"${']'.repeat(5000)}`],
  ])('on Kubernetes %s=%s passes', (name, value) => {
    expect(problemOf('kubernetes', variable(name, value))).toEqual([]);
  });
});

describe('SECRETS_NOT_IN_ENVIRONMENT: a name that says secret with a value that plainly holds none', () => {
  test.each([
    ['MYSQL_RANDOM_ROOT_PASSWORD', 'yes'], ['OAUTH2_PROXY_PASS_ACCESS_TOKEN', 'true'], ['GF_AUTH_GENERIC_OAUTH_USE_PKCE', 'true'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/var/run/secrets/gcp/key.json'], ['OTEL_EXPORTER_OTLP_CLIENT_KEY', '/etc/otel/client.key'],
    ['SPRING_SSL_BUNDLE_PEM_SERVER_KEYSTORE_PRIVATE_KEY', 'file:/etc/tls/tls.key'], ['SERVER_SSL_KEY_STORE_PASSWORD_FILE', 'classpath:pw.txt'],
    // 1 and 0 are switches too (MySQL's images, Rails), and nothing holds no secret.
    ['MYSQL_RANDOM_ROOT_PASSWORD', '1'], ['DISABLE_AUTH', '1'], ['SKIP_AUTH', '0'], ['SECRET_KEY_BASE_DUMMY', '1'], ['OAUTH2_PROXY_BASIC_AUTH_PASSWORD', ''],
    // A setting named for an auth feature as a whole may be given its mechanism.
    ['AUTH', 'oidc'], ['DB_AUTH', 'iam'], ['KC_HTTPS_CLIENT_AUTH', 'request'], ['REDIS_AUTH', 'none'],
  ])('%s=%s passes on every platform', (name, value) => {
    for (const platform of PLATFORMS) expect(problemOf(platform, { name, at: 'env[0]', value })).toEqual([]);
  });

  test.each([
    ['DB_PASSWORD', '123456'], ['API_TOKEN', 'true-but-not-a-switch'], ['DB_PASSWORD', 'relative/path'], ['DB_PASSWORD', '10'],
    // A mechanism's name is no secret only where the setting is the auth feature itself: REDIS_AUTH=hunter2 is its password.
    ['REDIS_AUTH', 'hunter2'], ['DB_PASSWORD', 'ldap'], ['API_TOKEN', 'iam'], ['db.password', 'hunter2'],
    // An AWS secret key or a base64 secret may start with a slash; a location needs a path after it.
    ['AWS_SECRET_ACCESS_KEY', '/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'], ['JWT_SECRET', '/q3v8kYhT0pZ+Xa9bN2cL7mR4sW1eD6fG5hJ8kL0oP='], ['DB_PASSWORD', 'file:hunter2'],
  ])('%s=%s still fails: a number or other text may be the secret', (name, value) => {
    const word = /PASSWORD|TOKEN|SECRET|AUTH/.exec(name.toUpperCase())![0];
    expect(problemOf('kubernetes', { name, at: 'env[0]', value })).toEqual([`environment variable ${name} looks like a secret but has a plain value (its name says ${word})`]);
  });

  // The JDK's trust store ships with `changeit`; a trust store holds public certificates, a key store a private key.
  test.each([
    ['SERVER_SSL_TRUST_STORE_PASSWORD', 'changeit'], ['KAFKA_SSL_TRUSTSTORE_PASSWORD', 'changeit'], ['KC_SPI_TRUSTSTORE_FILE_PASSWORD', 'changeit'],
    ['JAVA_TOOL_OPTIONS', '-Djavax.net.ssl.trustStore=/etc/pki/cacerts -Djavax.net.ssl.trustStorePassword=changeit'],
    ['SPRING_APPLICATION_JSON', '{"server":{"ssl":{"trust-store-password":"changeit"}}}'], ['KAFKA_OPTS', 'ssl.truststore.password=changeit'],
  ])('%s=%s passes: a trust store\'s password that is the JDK\'s published default', (name, value) => {
    for (const platform of PLATFORMS) expect(problemOf(platform, { name, at: 'env[0]', value })).toEqual([]);
  });

  test.each([
    ['SERVER_SSL_KEY_STORE_PASSWORD', 'changeit', 'environment variable SERVER_SSL_KEY_STORE_PASSWORD looks like a secret but has a plain value (its name says PASSWORD)'],
    ['SERVER_SSL_TRUST_STORE_PASSWORD', 'changeme', 'environment variable SERVER_SSL_TRUST_STORE_PASSWORD looks like a secret but has a plain value (its name says PASSWORD)'],
    ['JAVA_TOOL_OPTIONS', '-Djavax.net.ssl.keyStorePassword=changeit',
      'environment variable JAVA_TOOL_OPTIONS holds command line options that give -Djavax.net.ssl.keyStorePassword a plain value, which its name says is a secret'],
  ])('%s=%s still fails: a key store\'s password, or another one', (name, value, problem) => {
    expect(problemOf('kubernetes', { name, at: 'env[0]', value })).toEqual([problem]);
  });

  function problemOf(platform: Platform, ...plainEnvironment: { name: string; at: string; value: string }[]) {
    return violations(secureWorkload(platform, {}, { plainEnvironment })).map((f) => f.problem);
  }
});

describe('SECRETS_NOT_IN_ENVIRONMENT: $(NAME) on Kubernetes takes a variable defined before it', () => {
  const env = (...pairs: [string, string][]) => pairs.map(([name, value], i) => ({ name, at: `env[${i}]`, value }));

  test('a password in a plain variable put into a URL by $(NAME) fails at the URL, redacted', () => {
    const found = violations(secureWorkload('kubernetes', {}, { plainEnvironment: env(['CONN_PART', 'hunter2'], ['DATABASE_URL', 'postgres://app:$(CONN_PART)@db/app']) }));
    expect(found.map((f) => [f.setting, f.problem])).toEqual([['env[1]', 'environment variable DATABASE_URL holds a password in plain text (postgres://app:****@db/app)']]);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  test('a reference to a reference is the value it ends at, as Kubernetes expands them in order', () => {
    const found = violations(secureWorkload('kubernetes', {}, {
      plainEnvironment: env(['DB_PART', 'hunter2'], ['DB_PART2', '$(DB_PART)'], ['DATABASE_URL', 'postgres://app:$(DB_PART2)@db/app']),
    }));
    expect(found.map((f) => f.setting)).toEqual(['env[2]']);
  });

  test('a secret-looking name whose reference expands to a file\'s place passes; to a plain value, it fails', () => {
    expect(violations(secureWorkload('kubernetes', {}, { plainEnvironment: env(['TOKEN_FILE', '/run/secrets/api'], ['API_TOKEN', '$(TOKEN_FILE)']) }))).toEqual([]);
    expect(violations(secureWorkload('kubernetes', {}, { plainEnvironment: env(['PART', 'hunter2'], ['API_TOKEN', '$(PART)']) })).map((f) => f.setting)).toEqual(['env[1]']);
  });

  test('references that double at each step are judged as written past a bound, without running out of memory', () => {
    const doubling = Array.from({ length: 40 }, (_, i): [string, string] => [`V${i}`, i ? `$(V${i - 1})$(V${i - 1})` : 'x']);
    expect(violations(secureWorkload('kubernetes', {}, { plainEnvironment: env(...doubling) }))).toEqual([]);
  });

  test('a variable defined after it, one not plain, and ECS (which expands nothing) leave the reference as it is', () => {
    const url = 'postgres://app:$(CONN_PART)@db/app';
    expect(violations(secureWorkload('kubernetes', {}, { plainEnvironment: env(['DATABASE_URL', url], ['CONN_PART', 'hunter2']) }))).toEqual([]);
    expect(violations(secureWorkload('kubernetes', {}, { plainEnvironment: env(['DATABASE_URL', url]) }))).toEqual([]);
    expect(violations(secureWorkload('ecs-fargate', {}, { plainEnvironment: env(['CONN_PART', 'hunter2'], ['DATABASE_URL', url]) }))).toEqual([]);
  });
});

describe('NO_PRIVILEGE_ESCALATION', () => {
  test('unset allowPrivilegeEscalation is a violation on Kubernetes', () => {
    expect(violations(secureWorkload('kubernetes', {}, { allowPrivilegeEscalation: { value: undefined, at: 'securityContext.allowPrivilegeEscalation' } }))).toEqual([
      expect.objectContaining({ control: Control.NO_PRIVILEGE_ESCALATION, problem: expect.stringMatching(/not switched off/) }),
    ]);
  });

  test('missing no-new-privileges is a violation on ECS EC2', () => {
    expect(controlsOf(secureWorkload('ecs-ec2', {}, { allowPrivilegeEscalation: { value: true, at: 'DockerSecurityOptions' } }))).toEqual([Control.NO_PRIVILEGE_ESCALATION]);
  });

  test('on Fargate, dropping ALL capabilities is what counts', () => {
    expect(controlsOf(secureWorkload('ecs-fargate', {}, { allowPrivilegeEscalation: { value: undefined, at: 'n/a' } }))).toEqual([]);
    expect(controlsOf(secureWorkload('ecs-fargate', {}, { capabilitiesDropped: { value: [], at: 'drop' } }))).toEqual([Control.DROP_ALL_CAPABILITIES, Control.NO_PRIVILEGE_ESCALATION]);
  });
});

describe('SECCOMP_RUNTIME_DEFAULT', () => {
  test('no profile on Kubernetes means Unconfined', () => {
    expect(violations(secureWorkload('kubernetes', {}, { seccompProfiles: [] }))).toEqual([
      expect.objectContaining({ control: Control.SECCOMP_RUNTIME_DEFAULT, problem: 'no seccomp profile is set, so Unconfined applies' }),
    ]);
  });

  test('no profile on ECS means the Docker default applies', () => {
    expect(controlsOf(secureWorkload('ecs-ec2', {}, { seccompProfiles: [] }))).toEqual([]);
  });

  test('a container-level Unconfined is a violation under a pod-level RuntimeDefault', () => {
    const seccompProfiles = [{ value: 'RuntimeDefault', at: 'pod' }, { value: 'Unconfined', at: 'spec.containers[0].securityContext.seccompProfile.type' }];
    expect(violations(secureWorkload('kubernetes', {}, { seccompProfiles }))).toEqual([
      expect.objectContaining({ setting: 'spec.containers[0].securityContext.seccompProfile.type', problem: 'the seccomp profile is Unconfined' }),
    ]);
  });

  test('Localhost profiles are allowed', () => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { seccompProfiles: [{ value: 'Localhost', at: 'pod' }] }))).toEqual([]);
  });
});

describe('workload-wide controls', () => {
  test('host namespaces and host ports', () => {
    const workload = secureWorkload('kubernetes', { hostNamespaces: [{ value: 'pid', at: 'spec.hostPID' }] }, { hostPorts: [{ value: 80, at: 'ports[0].hostPort' }] });
    expect(violations(workload)).toEqual([
      expect.objectContaining({ control: Control.NO_HOST_NAMESPACES, container: undefined, setting: 'spec.hostPID', problem: "the workload shares the host's pid namespace" }),
      expect.objectContaining({ control: Control.NO_HOST_NAMESPACES, container: 'app', problem: 'host port 80 is bound on the node' }),
    ]);
  });

  test.each(['hostPath', 'nfs', 'gitRepo'])('a %s volume violates NO_HOST_PATH_VOLUMES', (kind) => {
    expect(violations(secureWorkload('kubernetes', { volumes: [{ name: 'v', kind, at: 'volumes[0]' }] }))).toEqual([
      expect.objectContaining({ control: Control.NO_HOST_PATH_VOLUMES, problem: expect.stringContaining(`of kind ${kind}`) }),
    ]);
  });

  test.each(['emptyDir', 'secret', 'configMap', 'projected', 'persistentVolumeClaim', 'efs'])('a %s volume is allowed', (kind) => {
    expect(controlsOf(secureWorkload('kubernetes', { volumes: [{ name: 'v', kind, at: 'volumes[0]' }] }))).toEqual([]);
  });

  test('a mounted service account token', () => {
    expect(controlsOf(secureWorkload('kubernetes', { serviceAccountToken: { value: true, at: 'spec.automountServiceAccountToken' } }))).toEqual([Control.NO_SERVICE_ACCOUNT_TOKEN]);
  });

  test('a public IP', () => {
    expect(controlsOf(secureWorkload('ecs-fargate', { publicIp: { value: true, at: 'AssignPublicIp' } }))).toEqual([Control.NO_PUBLIC_IP]);
  });

  test('ingress nothing limits', () => {
    const ingress = { unrestricted: { value: 'no NetworkPolicy selects the pods', at: 'spec.selector' }, openings: [], containerPorts: [] };
    expect(violations(secureWorkload('kubernetes', { ingress }))).toEqual([
      expect.objectContaining({ control: Control.NETWORK_ISOLATION, setting: 'spec.selector', problem: 'no NetworkPolicy selects the pods' }),
    ]);
  });

  const CONTAINER_PORTS = [{ protocol: 'TCP', port: 8080, name: 'http' }, { protocol: 'TCP', port: 8081 }];
  const opened = (opening: object) => secureWorkload('ecs-fargate', {
    ingress: { openings: [{ value: { source: 'security group Sg', ...opening } as any, at: 'SecurityGroupIngress[0]' }], containerPorts: CONTAINER_PORTS },
  });

  test.each([
    [{ protocol: 'TCP', from: 8080 }], [{ protocol: 'TCP', from: 'http' }], [{ protocol: 'TCP', from: 8080, to: 8081 }],
  ])('an opening on container ports only is isolated: %j', (opening) => {
    expect(controlsOf(opened(opening))).toEqual([]);
  });

  test.each([
    [{ protocol: 'ALL' }, 'security group Sg admits every port, which is not a container port (container ports: 8080/TCP, 8081/TCP)'],
    [{ protocol: 'TCP' }, 'security group Sg admits every TCP port'],
    [{ protocol: 'UDP', from: 8080 }, 'security group Sg admits port 8080/UDP'],
    [{ protocol: 'TCP', from: 0, to: 65535 }, 'security group Sg admits port 0-65535/TCP'],
    [{ protocol: 'TCP', from: 8080, to: 8082 }, 'security group Sg admits port 8080-8082/TCP'],
    [{ protocol: 'TCP', from: 'metrics' }, 'security group Sg admits port metrics/TCP'],
  ])('an opening beyond the container ports is a violation: %j', (opening, problem) => {
    expect(violations(opened(opening))).toEqual([
      expect.objectContaining({ control: Control.NETWORK_ISOLATION, setting: 'SecurityGroupIngress[0]', problem: expect.stringContaining(problem) }),
    ]);
  });

  describe('a port only a load balancer\'s health check uses', () => {
    const healthChecked = (opening: object) => secureWorkload('ecs-fargate', {
      ingress: {
        openings: [{ value: { source: 'security group Sg', protocol: 'TCP', ...opening }, at: 'SecurityGroupIngress[0]' }],
        containerPorts: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9000, healthCheckOnly: true }],
      },
    });

    test('counts for an opening from a load balancer', () => {
      expect(controlsOf(healthChecked({ from: 9000, fromLoadBalancer: true }))).toEqual([]);
      expect(controlsOf(healthChecked({ from: 8080, to: 9000, fromLoadBalancer: true }))).toEqual([Control.NETWORK_ISOLATION]);
    });

    test('is a violation opened from anything else, which says so', () => {
      expect(evaluate(healthChecked({ from: 9000 }), [], DEFAULT_POLICY, TODAY)).toEqual([expect.objectContaining({
        control: Control.NETWORK_ISOLATION,
        problem: "security group Sg admits port 9000/TCP, which only a load balancer's health check uses, from a source not shown to be a load balancer's alone "
          + "(container ports: 8080/TCP, 9000/TCP (a load balancer's health check only))",
        fix: 'admit a health check port only from a security group the app defines and gives to load balancers alone (attachToListener does); serve what others need on the container port',
      })]);
      expect(violations(healthChecked({ from: 8999, to: 9000 }))).toEqual([expect.objectContaining({ problem: expect.stringContaining('which only a load balancer') })]);
    });
  });

  test('the fix says that a port the pods do serve counts once a container declares it, and how on each target', () => {
    const [finding] = evaluate(opened({ protocol: 'TCP', from: 9090 }), [], DEFAULT_POLICY, TODAY);
    expect(finding.fix).toBe('admit only the container port, and only from the peers that need it; a port the pods do serve (metrics, management) counts once '
      + 'a container declares it: a sidecar\'s containerPort, or the container\'s port mappings (on a SecureService: svc.container.addPortMappings({ containerPort: <port> }))');
    const onKubernetes = { ...opened({ protocol: 'TCP', from: 9090 }), platform: 'kubernetes' as const };
    expect(evaluate(onKubernetes, [], DEFAULT_POLICY, TODAY).find((f) => f.control === Control.NETWORK_ISOLATION)!.fix)
      .toContain('(on a SecureService: svc.deployment.containers[0].addPort({ number: <port> }))');
  });
});

describe('LOGGING', () => {
  test('a container without a log configuration loses its logs', () => {
    expect(violations(secureWorkload('ecs-fargate', {}, { logging: {} }))).toEqual([
      expect.objectContaining({ control: Control.LOGGING, problem: expect.stringMatching(/no log configuration/) }),
    ]);
  });

  test('an awslogs group without retention, the fix saying what RetentionDays.INFINITE does', () => {
    const findings = evaluate(secureWorkload('ecs-ec2', {}, { logging: { driver: { value: 'awslogs', at: 'LogDriver' } } }), [], DEFAULT_POLICY, TODAY);
    expect(findings).toEqual([expect.objectContaining({
      control: Control.LOGGING,
      problem: 'the awslogs log group has no retention period',
      fix: 'give the log group a retention period (RetentionInDays; a SecureService: logRetention, which RetentionDays.INFINITE removes: use TEN_YEARS or more to keep logs long)',
    })]);
  });

  test('a FireLens group created without retention is not kept as LOGGING requires, and the fix names log_retention_days', () => {
    const logging = { driver: { value: 'awsfirelens', at: 'LogDriver' }, firelensLoss: { value: 'auto_create_group makes the CloudWatch output create its log group without a retention period', at: 'Options.auto_create_group' } };
    const [finding] = evaluate(secureWorkload('ecs-fargate', {}, { logging } as any), [], DEFAULT_POLICY, TODAY);
    expect(finding).toMatchObject({
      control: Control.LOGGING,
      problem: 'FireLens does not keep the logs as LOGGING requires: auto_create_group makes the CloudWatch output create its log group without a retention period',
      fix: 'route them to an output that keeps them, every record, in a group with a retention period (a CloudWatch output that creates its group: log_retention_days)',
    });
  });

  test('does not apply on Kubernetes', () => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { logging: undefined }))).toEqual([]);
  });

  const syslog = (address?: string) => secureWorkload('ecs-ec2', {}, {
    logging: { driver: { value: 'syslog', at: 'LogDriver' }, syslogAddress: address === undefined ? undefined : { value: address, at: 'Options.syslog-address' } },
  });

  test.each(['tcp+tls://logs.example.com:6514', 'udp://10.0.0.5:514', 'tcp://syslog.internal'])('syslog to a remote server ships logs: %s', (address) => {
    expect(controlsOf(syslog(address))).toEqual([]);
  });

  test.each([undefined, 'unix:///dev/log', 'udp://127.0.0.1:514', 'tcp://localhost:514'])('syslog to the host keeps them there: %s', (address) => {
    expect(violations(syslog(address))).toEqual([
      expect.objectContaining({ control: Control.LOGGING, problem: expect.stringMatching(/^the log driver syslog does not ship logs off the host/) }),
    ]);
  });
});

describe('IMAGE_PINNED', () => {
  test('a digest pins even without a tag, and the finding is only a warning otherwise', () => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { image: { value: `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`, at: 'image' } }))).toEqual([]);
    expect(violations(secureWorkload('kubernetes', {}, { image: { value: 'nginx', at: 'image' } }))[0].severity).toBe('warning');
  });

  test('a registry outside the policy allow-list is an error', () => {
    const policy = resolvePolicy({ allowedRegistries: ['ghcr.io/acme'] });
    expect(violations(secureWorkload('kubernetes', {}, { image: { value: 'docker.io/acme/api:1.0', at: 'image' } }), policy)).toEqual([
      expect.objectContaining({ control: Control.IMAGE_PINNED, severity: 'error', problem: 'image docker.io/acme/api:1.0 comes from docker.io, which the security policy does not allow' }),
    ]);
    expect(controlsOf(secureWorkload('kubernetes'), policy)).toEqual([]);
  });
});

test('init containers are checked like containers', () => {
  const workload = secureWorkload('kubernetes', {
    containers: [secureContainer('kubernetes'), secureContainer('kubernetes', { name: 'setup', init: true, privileged: { value: true, at: 'initContainers[0].securityContext.privileged' } })],
  });
  expect(violations(workload)).toEqual([expect.objectContaining({ control: Control.NOT_PRIVILEGED, container: 'setup' })]);
});

describe('found by the bypass catalogue', () => {
  test.each(['bridge', 'nat', '{"Ref":"Mode"}'])('ECS network mode %s puts tasks on the instance network', (mode) => {
    expect(violations(secureWorkload('ecs-ec2', { networkMode: { value: mode, at: 'NetworkMode' } }))).toEqual([
      expect.objectContaining({ control: Control.NO_HOST_NAMESPACES, setting: 'NetworkMode', problem: expect.stringContaining(`the network mode is ${mode}`) }),
    ]);
  });

  test.each(['awsvpc', 'none'])('ECS network mode %s is the task\'s own', (mode) => {
    expect(controlsOf(secureWorkload('ecs-ec2', { networkMode: { value: mode, at: 'NetworkMode' } }))).toEqual([]);
  });

  test('an ECS uid without a group runs with group 0', () => {
    expect(violations(secureWorkload('ecs-fargate', {}, { users: [{ value: { uid: 65532 }, at: 'User' }] }))).toEqual([
      expect.objectContaining({ control: Control.RUN_AS_NON_ROOT, problem: "no group is set: the process runs with the image's group for that uid, 0 (root) unless the image lists the user" }),
    ]);
  });
});

describe('Pod Security Standards baseline settings short of privileged', () => {
  test.each([
    [{ kind: 'procMount', value: 'Unmasked' }, 'procMount is Unmasked: /proc is not masked'],
    [{ kind: 'seLinuxType', value: 'spc_t' }, 'the SELinux type is spc_t'],
    [{ kind: 'seLinuxUser', value: 'system_u' }, 'a custom SELinux user (system_u) is set'],
    [{ kind: 'seLinuxRole', value: 'sysadm_r' }, 'a custom SELinux role (sysadm_r) is set'],
    [{ kind: 'appArmor', value: 'unconfined' }, 'the AppArmor profile is unconfined'],
    [{ kind: 'appArmor', value: 'Unconfined' }, 'the AppArmor profile is Unconfined'],
    [{ kind: 'dockerSecurityOption', value: 'apparmor=unconfined' }, 'the docker security option apparmor=unconfined lifts AppArmor or SELinux confinement'],
    [{ kind: 'dockerSecurityOption', value: 'label=disable' }, 'the docker security option label=disable lifts AppArmor or SELinux confinement'],
    // dockerd reads a bare `disable` as label=disable
    [{ kind: 'dockerSecurityOption', value: 'disable' }, 'the docker security option disable lifts AppArmor or SELinux confinement'],
    [{ kind: 'dockerSecurityOption', value: 'writable-cgroups=true' }, 'the docker security option writable-cgroups=true mounts the cgroup filesystem writable'],
    [{ kind: 'dockerSecurityOption', value: 'writable-cgroups:1' }, 'the docker security option writable-cgroups:1 mounts the cgroup filesystem writable'],
  ] as const)('%j violates NOT_PRIVILEGED', (setting, problem) => {
    expect(violations(secureWorkload('kubernetes', {}, { confinement: [{ value: setting, at: 'securityContext' }] }))).toEqual([
      expect.objectContaining({ control: Control.NOT_PRIVILEGED, container: 'app', setting: 'securityContext', problem }),
    ]);
  });

  test.each([
    { kind: 'procMount', value: 'Default' }, { kind: 'seLinuxType', value: 'container_t' }, { kind: 'seLinuxUser', value: '' },
    { kind: 'appArmor', value: 'runtime/default' }, { kind: 'appArmor', value: 'localhost/acme' }, { kind: 'appArmor', value: 'RuntimeDefault' },
    { kind: 'dockerSecurityOption', value: 'no-new-privileges' }, { kind: 'dockerSecurityOption', value: 'writable-cgroups=false' },
  ] as const)('%j is allowed', (setting) => {
    expect(controlsOf(secureWorkload('kubernetes', {}, { confinement: [{ value: setting, at: 'securityContext' }] }))).toEqual([]);
  });

  test('hostProcess and unsafe sysctls violate NO_HOST_NAMESPACES; safe sysctls do not', () => {
    const hostAccess = [
      { value: { kind: 'hostProcess' as const, value: 'true' }, at: 'spec.securityContext.windowsOptions.hostProcess' },
      { value: { kind: 'sysctl' as const, value: 'kernel.msgmax' }, at: 'spec.securityContext.sysctls[0]' },
      { value: { kind: 'sysctl' as const, value: 'net.ipv4.tcp_syncookies' }, at: 'spec.securityContext.sysctls[1]' },
    ];
    expect(violations(secureWorkload('kubernetes', { hostAccess }))).toEqual([
      expect.objectContaining({ control: Control.NO_HOST_NAMESPACES, problem: 'hostProcess is true: the container runs as a process on the Windows host' }),
      expect.objectContaining({ control: Control.NO_HOST_NAMESPACES, setting: 'spec.securityContext.sysctls[0]', problem: expect.stringContaining('kernel.msgmax, which Pod Security Standards do not count as safe') }),
    ]);
  });
});
