// What Datadog's agent fills in from its own environment or its secrets backend (%%env_DB_PASSWORD%%, ENC[db_password]).
const AGENT_FILLS_IN = '%%env_[A-Za-z0-9_]+%%|ENC\\[[^\\]]+\\]';
const AGENT_REFERENCE = new RegExp(`^((Bearer|Basic|Token)\\s+)?(${AGENT_FILLS_IN})$`);

/** Whether a value is only what Datadog's agent fills in, alone or after an Authorization scheme (`Bearer %%env_TOKEN%%`). */
export function isAgentReference(value: string): boolean {
  return AGENT_REFERENCE.test(value);
}

/**
 * A password written into a value whose name (`DATABASE_URL`, `SPRING_DATASOURCE_URL`) says nothing:
 * the most common way a secret ends up in a plain variable. Two forms: a URL's user info
 * (`postgres://app:hunter2@db/app`), and a password parameter (`password`, `passwd`, `pwd`) of a URL
 * (`jdbc:postgresql://db/app?user=app&password=hunter2`, `jdbc:sqlserver://db;password=hunter2`), of a
 * connection string (`Server=db;User Id=sa;Password=hunter2`, libpq's `host=db password=hunter2`), of mount
 * options (`username=svc,password=hunter2`) or of a JAAS line (`password="hunter2";`).
 * A password that is a reference filled in later is not one: `$(DB_PASSWORD)` on Kubernetes, `${DB_PASSWORD}`,
 * a template expression (`{{ .Data.password }}`), what Datadog's agent fills in (`%%env_DB_PASSWORD%%`,
 * `ENC[db_password]`). Nor is a placeholder (`****`, `<password>`, `[REDACTED]`) or a pattern (`\S+`).
 */
// A dynamic reference (`{{resolve:ssm:/prod/db}}`) counts as one part of the password, slashes and all.
const URL_USER_INFO_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:((?:\{\{[^{}]*\}\}|[^\s/@])+)@/i;
const PASSWORD_PARAMETER = /(?:^|[?&;,\s])\s*(?:password|passwd|pwd)\s*=\s*("[^"]*"|'[^']*'|(?:\{\{[^{}]*\}\})+[^&;,#\s]*|[^&;#\s]+)/i;
// The whole password is one reference: `$(X)hunter2` still writes hunter2 into the manifest. Template
// expressions (Vault's agent, `{{ .Data.password }}{{ end }}`) count, but not a dynamic reference
// (`{{resolve:ssm:...}}`), which CloudFormation fills in with a plain parameter's value.
const REFERENCE = new RegExp(`^(\\$(\\([A-Za-z_][A-Za-z0-9_]*\\)|\\{[A-Za-z_][A-Za-z0-9_]*\\})|(\\{\\{(?!\\s*resolve:)[^{}]*\\}\\})+|${AGENT_FILLS_IN})$`);
// A placeholder for a password (in an example, a log mask) or a pattern that matches one.
const PLACEHOLDER = /^(\*+|x{3,}|\[?REDACTED\]?|<[^<>]*>|\\S[+*]|\.[+*]|\[\^[^\]]*\][+*])$/i;

/** The value with a password in it replaced by `****`, or undefined when it carries none. */
export function redactedPassword(value: string): string | undefined {
  // Both forms need an '=' or an '@': most values have neither, and are done with two searches for a character.
  if (!value.includes('=') && !value.includes('@')) return undefined;
  const userInfo = URL_USER_INFO_PASSWORD.exec(value);
  if (userInfo && mayBePassword(userInfo[1])) return redact(value, userInfo.index + userInfo[0].length - userInfo[1].length - 1, userInfo[1]);
  const parameter = PASSWORD_PARAMETER.exec(value);
  if (!parameter) return undefined;
  const start = parameter.index + parameter[0].length - parameter[1].length;
  // A quoted password (JAAS, libpq) is what is between the quotes.
  const quoted = /^["']/.test(parameter[1]);
  const password = quoted ? parameter[1].slice(1, -1) : parameter[1];
  return mayBePassword(password) ? redact(value, quoted ? start + 1 : start, password) : undefined;
}

/** Whether a password parameter's value may be a password: not empty, a reference filled in later or a placeholder. */
export function mayBePassword(text: string): boolean {
  return text !== '' && !REFERENCE.test(text) && !PLACEHOLDER.test(text);
}

function redact(value: string, start: number, password: string): string {
  return `${value.slice(0, start)}****${value.slice(start + password.length)}`;
}

// A CloudFormation dynamic reference to a secret: CloudFormation writes the secret itself into the
// property, so a plain variable's value holds it in plain text whatever the variable's name.
const SECRET_DYNAMIC_REFERENCE = /\{\{resolve:(?:secretsmanager|ssm-secure):[^]*?\}\}/;

/** The first dynamic reference to a secret (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`) in a value, if any. */
export function secretDynamicReference(value: string): string | undefined {
  return SECRET_DYNAMIC_REFERENCE.exec(value)?.[0];
}

/**
 * Credentials whose form gives them away whatever the variable is called (`STRIPE=sk_live_...`): the
 * issuers' token prefixes, a private key, a signed JWT. Each with what it is, for the message.
 */
const KNOWN_CREDENTIALS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  // To the end of the value: the key's body follows its header.
  { kind: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[^]*/ },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: 'a Slack token', pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a Slack webhook', pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/ },
  { kind: 'a Discord webhook', pattern: /discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/[A-Za-z0-9_-]{20,}/ },
  { kind: 'a Stripe secret key', pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}/ },
  { kind: 'an Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{32,}/ },
  { kind: 'an OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}/ },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { kind: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'a PyPI token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/ },
  { kind: 'a Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{34,}\b/ },
  { kind: 'a SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { kind: 'a Honeycomb ingest key', pattern: /\bhc[ax]ik_[0-9a-z]{58}\b/ },
  // An HTTP Authorization header written into a value (OTEL_EXPORTER_OTLP_HEADERS=Authorization=Basic ...).
  // OTLP writes the space percent-encoded: Authorization=Basic%20...
  { kind: 'an Authorization header', pattern: /\bAuthorization\s*[=:]\s*(?:Basic|Bearer|Token|ApiKey)(?:\s+|%20)[A-Za-z0-9+/=._~%-]{8,}/i },
  // The header's value alone (API_TOKEN_HEADER=Bearer ...): a reference after the scheme (`Bearer $(TOKEN)`) is not one.
  // Not `%` in the credential: what Datadog's agent fills in (`Bearer %%env_TOKEN%%`) is a reference.
  { kind: 'an Authorization header value', pattern: /^(?:Basic|Bearer|Token|ApiKey)(?:\s+|%20)[A-Za-z0-9+/=._~-]{16,}$/i },
  { kind: 'a signed JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
];

// What every credential above contains (a superset, case aside): one search rules out most values, where
// each pattern would be a search of its own. Checks run once per synthesis, mostly before V8 optimizes them.
const MAY_BE_KNOWN_CREDENTIAL = new RegExp('private key|akia|asia|gh[pousr]_|github_pat_|xox[abeoprs]-|hooks\\.slack\\.com|discord|_live_|sk-|aiza|glpat-'
  + '|npm_|pypi-|hf_|sg\\.|hc[ax]ik_|authorization|^(basic|bearer|token|apikey)(\\s|%20)|eyj', 'i');

/** What credential a value holds, shown with all but its first characters replaced by `****`, or undefined. */
export function knownCredential(value: string): { readonly kind: string; readonly redacted: string } | undefined {
  if (!MAY_BE_KNOWN_CREDENTIAL.test(value)) return undefined;
  for (const { kind, pattern } of KNOWN_CREDENTIALS) {
    const found = pattern.exec(value);
    if (found) return { kind, redacted: `${value.slice(0, found.index)}${found[0].slice(0, 4)}****${value.slice(found.index + found[0].length)}` };
  }
  return undefined;
}
