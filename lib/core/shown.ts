/**
 * A received value as messages show it: JSON, except that numbers JSON cannot write (NaN, Infinity)
 * are written as they are, at any depth, where JSON would write null and hide what was received.
 */
export function shown(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify returns undefined (not a string) for undefined and functions.
  if (json === undefined) return String(value);
  // JSON writes a non-finite number as null; a value without null holds none.
  if (!json.includes('null')) return json;
  // A marker the JSON does not hold, so no received string can pass for a marked number.
  let marker = '#number';
  while (json.includes(marker)) marker += '#';
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${marker}${v}` : v));
  // The marker is '#' and letters only: nothing in it for a regular expression to read.
  return marked.replace(new RegExp(`"${marker}(NaN|-?Infinity)"`, 'g'), '$1');
}
