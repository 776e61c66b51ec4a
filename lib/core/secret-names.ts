// Anywhere in the name: unambiguous words. Whole `_` separated words only: short ones that also occur
// inside harmless words (PASSTHROUGH, AUTHOR).
const SECRET_ANYWHERE = /PASSWORD|PASSWD|SECRET|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL|SIGNING_?KEY|ENCRYPTION_?KEY|CONNECTION_?STRING/;
const SECRET_WORD = /(^|_)(TOKEN|TOKENS|PASS|PWD|AUTH|AUTH_DATA|DSN)(_|$)/;

/**
 * Whether an environment variable's name says it holds a secret (e.g. DB_PASSWORD, API_KEY,
 * GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, ECS_ENGINE_AUTH_DATA).
 */
export function looksLikeSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  return SECRET_ANYWHERE.test(upper) || SECRET_WORD.test(upper);
}
