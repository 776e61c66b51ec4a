/**
 * What checks need from the cdk8s tree: the day to judge exemptions on, and a channel for warnings.
 */
export { TODAY_CONTEXT_KEY, todayOf } from '../core/today';

const printed = new Set<string>();

/**
 * cdk8s has no warning channel (no Annotations, and validations only return errors), so warnings go
 * to stderr, each message once per process, prefixed so they can be found in CI logs.
 */
export function printWarnings(messages: readonly string[]): void {
  for (const message of messages) {
    if (printed.has(message)) continue;
    printed.add(message);
    process.stderr.write(`[secure-service] warning: ${message}\n`);
  }
}
