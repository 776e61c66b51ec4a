/** One text inside a JSON value, where it is and the key that holds it. */
export interface JsonText {
  /** Its path in the value: `[0].password`, `.postgres.instances[0].url`. */
  readonly path: string;
  /** The object key that holds it, directly or through arrays; undefined at the top. */
  readonly key?: string;
  readonly value: string;
}

/**
 * Every text of `value` when it is a JSON object or array (a tool's settings in an annotation or a Docker
 * label, Datadog's `[{"password": "..."}]`), else undefined: read as its texts, each can be judged by its key.
 */
export function jsonTexts(value: string): JsonText[] | undefined {
  if (!/^\s*[[{]/.test(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const texts: JsonText[] = [];
  const visit = (part: unknown, path: string, key: string | undefined): void => {
    if (typeof part === 'string') {
      texts.push({ path, key, value: part });
    } else if (Array.isArray(part)) {
      part.forEach((item, i) => visit(item, `${path}[${i}]`, key));
    } else if (typeof part === 'object' && part !== null) {
      for (const [k, item] of Object.entries(part)) visit(item, `${path}.${k}`, k);
    }
  };
  visit(parsed, '', undefined);
  return texts;
}
