/**
 * Settings one variable's value carries for the program that reads it: JSON (`SPRING_APPLICATION_JSON`),
 * command line options (`JAVA_TOOL_OPTIONS=-Dspring.datasource.password=...`), and lists of `key=value`
 * pairs (`OTEL_EXPORTER_OTLP_HEADERS=api-key=...`). A secret in one of them is as plain as the variable,
 * whatever the variable's name. Judged by SECRETS_NOT_IN_ENVIRONMENT; problems never show the secret.
 */
import { JsonText, jsonTexts } from './json-texts';
import { isPublicDefaultPassword } from './public-defaults';
import { argumentSecrets } from './secret-arguments';
import { looksLikeSecretName } from './secret-names';

// `key=value` pairs separated by `,`, `;` or `&`: header lists, connection settings, query strings.
const PAIRS = /^\s*[A-Za-z0-9_.-]+\s*=[^,;&]*(?:[,;&]\s*[A-Za-z0-9_.-]+\s*=[^,;&]*)*$/;

/**
 * What secret a setting inside `value` holds, described for a problem, or undefined. `plainNames`: variables a
 * `$(NAME)` in an option may take a plain value from; `plainlyNone`: whether a setting's text plainly holds no secret.
 */
export function carriedSecret(value: string, plainNames: readonly string[], plainlyNone: (text: string) => boolean): string | undefined {
  const texts = jsonTexts(value);
  if (texts) return jsonSecret(texts, plainlyNone);
  if (/^\s*-/.test(value)) {
    const [found] = argumentSecrets([{ value, at: '' }], { plainNames });
    const problem = found?.problem;
    if (problem === undefined) return undefined;
    return problem.startsWith('the command line gives ') ? `command line options that give ${problem.slice('the command line gives '.length)}` : `command line options: ${problem}`;
  }
  if (PAIRS.test(value)) return pairSecret(value, plainlyNone);
  return undefined;
}

// A password or a credential of a known form anywhere in the value is found in the whole value first; here, by key.
function jsonSecret(texts: readonly JsonText[], plainlyNone: (text: string) => boolean): string | undefined {
  for (const { path, key, value } of texts) {
    if (key !== undefined && looksLikeSecretName(key) && !plainlyNone(value) && !isPublicDefaultPassword(key, value)) return `JSON whose ${path} looks like a secret and has a plain value`;
  }
  return undefined;
}

function pairSecret(value: string, plainlyNone: (text: string) => boolean): string | undefined {
  for (const pair of value.split(/[,;&]/)) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    const setting = pair.slice(at + 1).trim();
    if (looksLikeSecretName(key) && !plainlyNone(decodeURIComponentSafely(setting)) && !isPublicDefaultPassword(key, setting)) return `settings whose ${key} looks like a secret and has a plain value`;
  }
  return undefined;
}

// Header lists may be URL-encoded (OpenTelemetry's): `Bearer%20x`.
function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
