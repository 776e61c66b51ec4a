/**
 * Kubernetes naming rules (DNS-1123 labels, label keys and values), checked before anything is
 * rendered so a bad name fails at construction with the prop and value, not at `kubectl apply`.
 */

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Whether `value` is a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters. */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS_1123_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain (most objects' names): DNS-1123 labels joined by '.', at most 253 characters. */
export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

/** A problem with a name that must be a DNS-1123 label, or undefined. */
export function dnsLabelProblem(prop: string, value: unknown): string | undefined {
  if (isDnsLabel(value)) return undefined;
  // Words kept apart: a construct id `OrdersApi` suggests "orders-api".
  const suggestion = typeof value === 'string' ? toDnsLabel(value.replace(/([a-z0-9])([A-Z])/g, '$1-$2')) : '';
  const hint = suggestion !== '' && suggestion !== value ? `, e.g. ${JSON.stringify(suggestion)}` : '';
  return `${prop} must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), found: ${JSON.stringify(value)}; use a valid name${hint}`;
}

/**
 * A problem with a DNS-1123 label that must also be a DNS-1035 label (a Service's name: it starts with a
 * letter), or undefined. Check `dnsLabelProblem` first: this adds only the first letter.
 */
export function dns1035LabelProblem(prop: string, value: string): string | undefined {
  if (/^[a-z]/.test(value)) return undefined;
  const suggestion = `svc-${value}`.slice(0, 63).replace(/-+$/, '');
  return `${prop} must start with a letter, found: ${JSON.stringify(value)}; it names the Service, and a Service name is a DNS-1035 label (a DNS-1123 label starting with a letter), use e.g. ${JSON.stringify(suggestion)}`;
}

/** `value` turned into a DNS-1123 label as well as possible (may be empty). */
export function toDnsLabel(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
}

/** Problems with a map of labels (keys `[prefix/]name`, values at most 63 characters). */
export function labelProblems(prop: string, labels: { readonly [key: string]: string } | undefined): string[] {
  if (labels !== undefined && (typeof labels !== 'object' || labels === null || Array.isArray(labels))) {
    return [`${prop} must be an object of label keys to values, found: ${JSON.stringify(labels)}; e.g. { team: 'payments' }`];
  }
  const problems: string[] = [];
  const given = labels ?? {};
  for (const key of Object.keys(given)) {
    const value = given[key];
    const slash = key.indexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_1123_SUBDOMAIN.test(prefix));
    if (!prefixOk || name === '' || name.length > 63 || !LABEL_NAME.test(name)) {
      problems.push(`${prop} has an invalid label key, found: ${JSON.stringify(key)}; use [prefix/]name, the name at most 63 alphanumerics, '-', '_' or '.', e.g. 'team'`);
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_NAME.test(value)) {
      problems.push(`${prop}.${key} has an invalid label value, found: ${JSON.stringify(value)}; use at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`);
    }
  }
  return problems;
}
