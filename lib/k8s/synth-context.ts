/**
 * What checks need from the cdk8s tree: the day to judge exemptions on, and a channel for warnings.
 */
import { IConstruct } from 'constructs';
import { parseIsoDate } from '../core';

/** Context key that fixes the day exemptions are judged on (`YYYY-MM-DD`), e.g. in tests. */
export const TODAY_CONTEXT_KEY = 'secure-service:today';

/** The day from the context key `secure-service:today`, else the real date; a message when the key is malformed. */
export function todayOf(scope: IConstruct): { readonly today: Date; readonly problem?: string } {
  const value = scope.node.tryGetContext(TODAY_CONTEXT_KEY);
  if (value === undefined) return { today: new Date() };
  const date = typeof value === 'string' ? parsedDay(value) : undefined;
  if (!date) {
    return { today: new Date(), problem: `context ${TODAY_CONTEXT_KEY} must be an ISO date YYYY-MM-DD, found: ${JSON.stringify(value)}` };
  }
  return { today: date };
}

// Every service reads the key several times per synthesis; one app has one or two values.
const PARSED_DAYS = new Map<string, Date | undefined>();

function parsedDay(value: string): Date | undefined {
  if (!PARSED_DAYS.has(value)) PARSED_DAYS.set(value, parseIsoDate(value));
  return PARSED_DAYS.get(value);
}

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
