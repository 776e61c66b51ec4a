// Names are matched as UPPER_SNAKE words (camelCase and `-`/`.` separators are converted first).
// Anywhere in the name: unambiguous words. Whole words only: short ones that also occur inside
// harmless words (PASSTHROUGH, AUTHOR).
const SECRET_ANYWHERE = /PASSWORD|PASSWD|PASSPHRASE|SECRET|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL|SIGNING_?KEY|ENCRYPTION_?KEY|CONNECTION_?STRING/;
const SECRET_WORD = /(^|_)(TOKEN|TOKENS|PASS|PWD|PW|CREDS|PAT|AUTH|AUTH_DATA|AUTHORIZATION|DSN|SALT)(_|$)/;
// The same words glued to what they belong to (DBPASS, PGPASS, ROOTPW, LDAP_BINDPW, KEYSTOREPASS, GITHUBTOKEN), only after
// an owner: BYPASS and LOWPASS are none, nor Spring's MAXTOKENS (max-tokens), OPAQUETOKEN_CLIENTID or TIKTOKEN.
const GLUED_WORD = new RegExp('(^|_)[A-Z0-9]*((DB|SQL|PG|ROOT|ADMIN|USER|BIND|STORE|KEY|REDIS|MONGO|LDAP|SMTP|MAIL|FTP|MQ|AMQP|MASTER|APP)(PASS|PWD|PW)'
  + '|(AUTH|ACCESS|API|BEARER|REFRESH|SESSION|ID|BOT|GH|GITHUB|GITLAB|NPM|PYPI|SLACK|DISCORD|TELEGRAM|DEPLOY|PERSONAL|SECURITY|CSRF|XSRF|JWT|OAUTH|CLIENT|ADMIN|MASTER)TOKENS?)(_|$)');
// An authorization header's value holds the credential, though HEADER otherwise names a header (CSRF_TOKEN_HEADER).
const AUTH_HEADER_VALUE = /(^|_)AUTH(ORIZATION)?_HEADERS?(_VALUE)?$/;
// A bare KEY is too often not a secret (S3 object keys, partition, sort and cache keys, public and
// site keys): only the kinds of key that are secret by definition (Airflow's FERNET_KEY, WordPress's
// NONCE_KEY and LOGGED_IN_KEY, Azure's STORAGE_ACCOUNT_KEY). Also glued: REDIS_AUTHKEY, MASTERKEY.
const SECRET_KEY = new RegExp('(^|_)(APP|HMAC|AES|SESSION|JWT|MASTER|LICENSE|SDK|SSH|GPG|PGP|TLS|SSL|DEPLOY|WEBHOOK|CLIENT|SERVER|SERVICE|ROLE|ADMIN'
  + '|SHARED|COOKIE|CSRF|CRYPTO|CIPHER|DECRYPTION|AUTH|FERNET|NONCE|LOGGED_IN|ACCOUNT|STORAGE)_?KEY(_|$)');
// A last word that says where a secret is kept, who uses it or what its policy is, not the secret itself:
// DB_SECRET_ARN, PASSWORD_FILE, TOKEN_TTL_SECONDS, AUTH_SERVICE_URL, BASIC_AUTH_USER, PASSWORD_POLICY, and
// settings of an auth feature (Grafana's GF_AUTH_GENERIC_OAUTH_SCOPES and _ALLOWED_GROUPS, GF_AUTH_ANONYMOUS_ORG_ROLE,
// django-auth-ldap's AUTH_LDAP_BIND_DN and _USER_SEARCH_BASE, oauth2-proxy's OAUTH2_PROXY_SKIP_AUTH_ROUTES), a token's
// lifetime, format and claims (ACCESS_TOKEN_EXPIRES_IN, REFRESH_TOKEN_MAX_AGE, TOKEN_SIGNING_ALG, TOKEN_AUDIENCE,
// QUARKUS_OIDC_TOKEN_PRINCIPAL_CLAIM), how passwords are hashed (PASSWORD_HASHER, PASSWORD_HASH_ITERATIONS), which
// version of a secret to read (SECRET_VERSION_STAGE) and where a key is kept (Spring's SERVER_SSL_KEY_STORE, SERVER_SSL_KEY_ALIAS).
// Passing a secret's ARN, name or file and fetching it at run time is the pattern SECRETS_NOT_IN_ENVIRONMENT recommends.
// Words that also end secrets' names (DB_PASSWORD_STAGE, API_KEY_SERVER, TOMCAT_PASSWORD_MANAGER, DB_PASSWORD_MEMORY) count only
// in the phrases that make them a setting: SECRET_VERSION_STAGE, AUTH_SERVER, SECRETS_MANAGER, PASSWORD_HASH_MEMORY.
const ABOUT_A_SECRET = new RegExp('(^|_)(ARN|NAME|ID|PARAMETER|PREFIX|REGION|ENDPOINT|URL|URI|HOST|HOSTNAME|PORT|PATH|PATHS|ROUTES|REGEX'
  + '|FILE|DIR|LENGTH|TTL|TIMEOUT|INTERVAL|GRACE|MS|SECOND|SECONDS|MINUTE|MINUTES|HOUR|HOURS|DAY|DAYS|EXPIRES_IN|EXPIRY|EXPIRATION|EXPIRATION_TIME'
  + '|LIFETIME|TIME_TO_LIVE|MAX_AGE|DURATION|VALIDITY|ENABLED|DISABLED|REQUIRED|STRICT|USER|USERNAME|DN|SEARCH_BASE|USER_MODEL|POLICY|TYPE|TYPES'
  + '|MODE|METHOD|STRATEGY|ALGORITHM|ALGORITHMS|ALG|SCHEME|FORMAT|HEADER|HEADERS|HEADER_PROPERTY|LIMIT|COUNT|ROUNDS|CACHE_SIZE|HASHER'
  + '|HASH_(ITERATIONS|MEMORY|PARALLELISM|COST)|HISTORY|SOURCE|MECHANISM|AUDIENCE|ISSUER|CLAIM|CLAIMS|STORE|ALIAS|VERSION_STAGE|SECRETS_MANAGER'
  + '|AUTH_SERVER|AUTH_REALM|LOG_LEVEL|SCOPE|SCOPES|ROLE|ROLES|ALLOWED_GROUPS|ALLOWED_ORGANIZATIONS|(ORG|ROLE|GROUP|TEAM)_MAPPING|(TEAM|GROUP|ORG)_IDS'
  + '|WHITELIST|ALLOWLIST|BLOCKLIST|FORM|LOGIN|SIGN_UP|ICON|SAMESITE|PROVIDER|BACKEND|BACKENDS|DOMAIN|DOMAINS)$');
// ...except the AWS access key id, half of a credential pair (Security Hub ECS.8 names it), and Vault's AppRole secret id,
// which is the AppRole's password (elsewhere a SECRET_ID names a secret, as AWS's DB_SECRET_ID does).
const AWS_ACCESS_KEY_ID = /(^|_)ACCESS_?KEY_ID$/;
const APPROLE_SECRET_ID = /(^|_)(VAULT|APPROLE)_([A-Z0-9]+_)*SECRET_ID$/;
// A number of tokens, as language models count text (MAX_TOKENS, MAX_NEW_TOKENS, MAX_TOKENS_TO_SAMPLE), is not a token.
const TOKEN_COUNT = /(^|_)(MAX|MIN|NUM|TOTAL)_([A-Z0-9]+_)*TOKENS(_|$)/;

/**
 * Whether an environment variable's name says it holds a secret (e.g. DB_PASSWORD, API_KEY,
 * GITHUB_TOKEN, accessToken, APP_KEY, SSH_PASSPHRASE, AWS_SECRET_ACCESS_KEY, AWS_ACCESS_KEY_ID,
 * ECS_ENGINE_AUTH_DATA, DBPASS, REDIS_AUTHKEY). Names that only say where a secret is kept or describe its policy
 * (DB_SECRET_ARN, DB_PASSWORD_FILE, PASSWORD_MIN_LENGTH, TOKEN_TTL_SECONDS), and counts of a language model's
 * tokens (MAX_TOKENS, TOKEN_LIMIT), do not. Connection URLs
 * (DATABASE_URL) are not judged by name: whether one carries a password is in its value.
 */
export function looksLikeSecretName(name: string): boolean {
  return secretNameWord(name) !== undefined;
}

/** The word that makes a name look like a secret's (`PASSWORD`, `TOKEN`, `FERNET_KEY`, `DBPASS`), for a message; undefined when it does not. */
export function secretNameWord(name: string): string | undefined {
  const words = upperSnake(name);
  const found = SECRET_ANYWHERE.exec(words) ?? SECRET_WORD.exec(words) ?? GLUED_WORD.exec(words) ?? SECRET_KEY.exec(words);
  if (!found || TOKEN_COUNT.test(words)) return undefined;
  const aboutOne = ABOUT_A_SECRET.test(words) && !AWS_ACCESS_KEY_ID.test(words) && !AUTH_HEADER_VALUE.test(words) && !APPROLE_SECRET_ID.test(words);
  if (aboutOne) return undefined;
  return found[0].replace(/^_|_$/g, '');
}

// A last word that says the value is a secret. Not SECRET: where a name is judged this way (a Kubernetes
// annotation's), it names a Secret object or a digest of one (checksum/secret, Vault's agent-inject-secret-db).
const SECRET_LAST_WORD = /(^|_)(PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY)$/;

/** Whether the last word of a name says it holds a secret (`password`, `agent-inject-token`, `api-key`), `secret` aside. */
export function endsInSecretWord(name: string): boolean {
  return SECRET_LAST_WORD.test(upperSnake(name));
}

/** `githubToken` → `GITHUB_TOKEN`, `APIKey` → `API_KEY`, `auth-token` → `AUTH_TOKEN`. */
export function upperSnake(name: string): string {
  // Most names are UPPER_SNAKE already: returned as they are (this runs for every variable).
  if (!/[a-z.-]/.test(name)) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/[-.]/g, '_').toUpperCase();
}

/**
 * The name of a plain variable that stands for every variable of a source whose names cannot be read
 * (an ECS environment file in S3, given as its `source`): any of them may name a secret. `*` is no name a shell reads.
 */
export const EVERY_VARIABLE = '*';
