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
  // A stack, not recursion: a value nested thousands deep (kubectl takes one) would overflow the call stack.
  const pending: { part: unknown; path: string; key?: string }[] = [{ part: parsed, path: '' }];
  while (pending.length > 0) {
    const { part, path, key } = pending.pop()!;
    if (typeof part === 'string') {
      texts.push({ path, key, value: part });
    } else if (Array.isArray(part)) {
      for (let i = part.length - 1; i >= 0; i--) pending.push({ part: part[i], path: `${path}[${i}]`, key });
    } else if (typeof part === 'object' && part !== null) {
      const entries = Object.entries(part);
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ part: entries[i][1], path: `${path}.${entries[i][0]}`, key: entries[i][0] });
    }
  }
  return texts;
}
