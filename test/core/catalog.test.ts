import { CONTROL_CATALOG, Control, controlDefinition, endsInSecretWord, isControlId, isFromAllowedRegistry, looksLikeSecretName, parseImageReference } from '../../lib/core';
import { RULES } from '../../lib/core/evaluate';

test('the catalog has the 15 controls of the design, each with a rule', () => {
  expect(CONTROL_CATALOG.map((c) => c.id)).toEqual(Object.values(Control));
  expect(CONTROL_CATALOG).toHaveLength(15);
  expect(RULES.map((r) => r.control)).toEqual(CONTROL_CATALOG.map((c) => c.id));
  for (const control of CONTROL_CATALOG) {
    expect(control.title.length).toBeGreaterThan(5);
    expect(control.rationale.length).toBeGreaterThan(20);
    expect(['error', 'warning']).toContain(control.severity);
  }
  expect(controlDefinition(Control.IMAGE_PINNED).severity).toBe('warning');
});

test('mappings name the standards auditors ask about', () => {
  expect(controlDefinition(Control.RUN_AS_NON_ROOT).mappings).toMatchObject({ securityHub: ['ECS.20'], controlTower: ['CT.ECS.PR.3'] });
  expect(controlDefinition(Control.NOT_PRIVILEGED).mappings).toMatchObject({ securityHub: ['ECS.4'], controlTower: ['CT.ECS.PR.11'] });
  expect(controlDefinition(Control.SECRETS_NOT_IN_ENVIRONMENT).mappings).toMatchObject({ securityHub: ['ECS.8'], controlTower: ['CT.ECS.PR.12'] });
});

test('unknown controls', () => {
  expect(isControlId('RUN_AS_NON_ROOT')).toBe(true);
  expect(isControlId('run_as_non_root')).toBe(false);
  expect(() => controlDefinition('NOPE' as any)).toThrow(/unknown control: "NOPE"; known controls: RUN_AS_NON_ROOT, /);
});

test.each([
  ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
  ['ghcr.io/acme/api:1.4.2', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }],
  ['localhost:5000/api', { registry: 'localhost:5000', repository: 'api' }],
  ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'api', digest: 'sha256:abc' }],
])('parseImageReference(%j)', (image, expected) => {
  expect(parseImageReference(image)).toEqual({ tag: undefined, digest: undefined, ...expected });
});

test('isFromAllowedRegistry matches hosts and path prefixes, never partial names', () => {
  expect(isFromAllowedRegistry('ghcr.io/acme/api:1', ['ghcr.io'])).toBe(true);
  expect(isFromAllowedRegistry('ghcr.io/acme/api:1', ['ghcr.io/acme'])).toBe(true);
  expect(isFromAllowedRegistry('ghcr.io/acme-evil/api:1', ['ghcr.io/acme'])).toBe(false);
  expect(isFromAllowedRegistry('nginx:1.27', ['docker.io/library'])).toBe(true);
  expect(isFromAllowedRegistry('nginx:1.27', ['ghcr.io'])).toBe(false);
});

test.each([
  'DB_PASSWORD', 'API_KEY', 'APIKEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'ECS_ENGINE_AUTH_DATA', 'PRIVATE_KEY', 'client_secret', 'SMTP_PASS',
  'DB_PW', 'CREDS', 'GITHUB_PAT', 'AUTHORIZATION', 'AES_KEY', 'DB_PASSWORD_HASH', 'AUTH_HEADER', 'PROXY_AUTH_HEADER', 'BASIC_AUTH', 'REDIS_AUTH', 'AUTH',
  'DOCKER_AUTH_CONFIG', 'WORDPRESS_AUTH_KEY', 'REDIS_AUTH_STRING', 'AUTH_HEADERS', 'AUTH_HEADER_VALUE', 'NGINX_AUTH_BASIC',
  'DBPASS', 'PGPASS', 'ROOTPW', 'LDAP_BINDPW', 'KEYSTOREPASS', 'MYSQL_ADMINPWD', 'GITHUBTOKEN', 'authToken', 'REDIS_AUTHKEY', 'MASTERKEY', 'API_TOKENS', 'NPMTOKEN',
  'AIRFLOW__CORE__FERNET_KEY', 'WORDPRESS_NONCE_KEY', 'WORDPRESS_LOGGED_IN_KEY', 'WORDPRESS_AUTH_SALT', 'WORDPRESS_NONCE_SALT', 'HASHIDS_SALT',
  'AZURE_STORAGE_ACCOUNT_KEY', 'AZURE_STORAGE_KEY', 'KEY_STORE_PASSWORD',
  // Rails's SECRET_KEY_BASE is a key, whatever its last word; a bind password beside AUTH_LDAP_BIND_DN is the password.
  'SECRET_KEY_BASE', 'AUTH_LDAP_BIND_PASSWORD', 'KC_HTTPS_CLIENT_AUTH',
  // Vault's AppRole secret id is the AppRole's password.
  'VAULT_SECRET_ID', 'VAULT_APPROLE_SECRET_ID', 'APPROLE_SECRET_ID',
  // Words that make a setting only in their phrases (SECRET_VERSION_STAGE, AUTH_SERVER, SECRETS_MANAGER, PASSWORD_HASH_MEMORY).
  'DB_PASSWORD_STAGE', 'STRIPE_SECRET_KEY_STAGE', 'API_KEY_SERVER', 'SMTP_PASSWORD_SERVER', 'TOMCAT_PASSWORD_MANAGER', 'CLIENT_SECRET_REALM',
  'JWT_SECRET_PROPERTY', 'DB_PASSWORD_MEMORY', 'DB_PASSWORD_TIME', 'OPENAI_API_KEY_MODEL', 'ENCRYPTION_KEY_LEVEL', 'WEBHOOK_SECRET_IDS', 'GITHUB_TOKEN_GROUPS',
])('%s looks like a secret', (name) => {
  expect(looksLikeSecretName(name)).toBe(true);
});

test.each([
  'LOG_LEVEL', 'PORT', 'PASSTHROUGH_MODE', 'AUTHOR', 'TOKENIZER_MODEL', 'KEYCLOAK_URL', 'BASIC_AUTH_USER', 'PASSWORD_POLICY', 'AUTH_TYPE', 'PATH', 'PATTERN',
  'GF_AUTH_DISABLE_LOGIN_FORM', 'GF_AUTH_GENERIC_OAUTH_SCOPES', 'GF_AUTH_ANONYMOUS_ORG_ROLE', 'GF_AUTH_GENERIC_OAUTH_ALLOW_SIGN_UP', 'GF_AUTH_OAUTH_AUTO_LOGIN',
  'CSRF_TOKEN_HEADER', 'API_KEY_HEADER',
  'CACHE_BYPASS', 'TWOPASS', 'LOWPASS', 'PGPASSFILE', 'DBPASS_FILE', 'HOTKEY', 'MAX_TOKENS', 'MAX_NEW_TOKENS', 'TOKEN_LIMIT', 'TOKENS_PER_MINUTE',
  'MAX_TOKENS_TO_SAMPLE', 'MAX_BATCH_PREFILL_TOKENS', 'SPRING_AI_OPENAI_CHAT_OPTIONS_MAXTOKENS', 'SPRING_SECURITY_OAUTH2_RESOURCESERVER_OPAQUETOKEN_CLIENTID',
  'TIKTOKEN_ENCODING', 'authSource', 'authMechanism', 'authResponseHeaders',
  'TOKEN_AUDIENCE', 'OIDC_TOKEN_ISSUER', 'AUTH_REQUIRED', 'TOKEN_EXPIRATION', 'GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_STRICT', 'GF_AUTH_GENERIC_OAUTH_ALLOWED_DOMAINS',
  'AIRFLOW__API__AUTH_BACKENDS', 'SERVER_SSL_KEY_STORE', 'SERVER_SSL_KEY_ALIAS', 'BCRYPT_SALT_ROUNDS', 'SALTSTACK_MASTER',
  // Settings of real images and frameworks: a token's lifetime and format, an auth feature's settings, password hashing.
  'ACCESS_TOKEN_EXPIRES_IN', 'REFRESH_TOKEN_MAX_AGE', 'ACCESS_TOKEN_LIFETIME', 'JWT_ACCESS_TOKEN_EXPIRATION_TIME', 'TOKEN_SIGNING_ALG', 'TOKEN_CACHE_SIZE',
  'TOKEN_VALIDITY', 'TOKEN_FORMAT', 'AUTH_COOKIE_SAMESITE', 'AUTH_STRATEGY', 'AUTH_LOG_LEVEL', 'AUTH_REALM', 'AUTH_SERVER', 'AUTH_ALGORITHMS', 'SECRETS_MANAGER',
  'GF_AUTH_GENERIC_OAUTH_ALLOWED_GROUPS', 'GF_AUTH_GENERIC_OAUTH_ORG_MAPPING', 'GF_AUTH_GENERIC_OAUTH_ICON', 'GF_AUTH_PROXY_HEADER_PROPERTY', 'GF_AUTH_PROXY_WHITELIST',
  'GF_AUTH_JWT_EMAIL_CLAIM', 'GF_AUTH_JWT_EXPECT_CLAIMS', 'GF_AUTH_LOGIN_MAXIMUM_LIFETIME_DURATION', 'GF_AUTH_GITHUB_TEAM_IDS',
  'SPRING_SECURITY_OAUTH2_AUTHORIZATIONSERVER_CLIENT_WEB_TOKEN_ACCESS_TOKEN_TIME_TO_LIVE', 'QUARKUS_OIDC_TOKEN_PRINCIPAL_CLAIM', 'QUARKUS_OIDC_TOKEN_LIFESPAN_GRACE',
  'QUARKUS_HTTP_AUTH_PERMISSION_ADMIN_PATHS', 'OAUTH2_PROXY_SKIP_AUTH_ROUTES', 'OAUTH2_PROXY_SKIP_AUTH_REGEX', 'AUTH_LDAP_BIND_DN', 'AUTH_LDAP_USER_SEARCH_BASE',
  'AUTH_USER_MODEL', 'PASSWORD_HASHER', 'PASSWORD_HASH_ITERATIONS', 'PASSWORD_HASH_COST', 'PASSWORD_HISTORY', 'PASSWORD_MAX_AGE', 'SECRET_VERSION_STAGE',
  'SECRET_REFRESH_INTERVAL', 'DB_SECRET_ID', 'SECRET_ID',
])('%s does not look like a secret', (name) => {
  expect(looksLikeSecretName(name)).toBe(false);
});

test.each([
  ['password', true], ['agent-inject-token', true], ['api-key', true], ['dbPassword', true],
  ['secret', false], ['vault-tls-secret', false], ['agent-inject-secret-db', false], ['password-file', false],
])('an annotation name %s ends in a word that says it holds a secret: %s', (name, expected) => {
  expect(endsInSecretWord(name)).toBe(expected);
});
