/**
 * A URL with a password in it (`postgres://app:hunter2@db:5432/app`): the most common way a secret
 * ends up in a plain variable whose name (`DATABASE_URL`) says nothing. A password that is a reference
 * expanded at run time (`$(DB_PASSWORD)` on Kubernetes, `${DB_PASSWORD}`) is not one.
 */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/i;
const REFERENCE = /^\$(\(|\{)/;

/** The value with the password of a URL in it replaced by `****`, or undefined when it carries none. */
export function redactedUrlPassword(value: string): string | undefined {
  const match = URL_WITH_PASSWORD.exec(value);
  if (!match || REFERENCE.test(match[1])) return undefined;
  const start = match.index + match[0].length - match[1].length - 1;
  return `${value.slice(0, start)}****${value.slice(start + match[1].length)}`;
}
