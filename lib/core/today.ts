/**
 * The day exemptions are judged on, the same way on both targets: both trees are `constructs` trees.
 */
import { IConstruct } from 'constructs';
import { parseIsoDate } from './exemption';

/** Context key that fixes the day exemptions are judged on (`YYYY-MM-DD`), e.g. in tests. */
export const TODAY_CONTEXT_KEY = 'secure-service:today';

/**
 * The day from the context key nearest `scope` (an app, a Stage, a stack or a chart may set its own),
 * else the real date; and the problem when the key holds no date.
 */
export function todayOf(scope: IConstruct): { readonly today: Date; readonly problem?: string } {
  const value: unknown = scope.node.tryGetContext(TODAY_CONTEXT_KEY);
  if (value === undefined) return { today: new Date() };
  const date = typeof value === 'string' ? parsedDay(value) : undefined;
  if (date) return { today: date };
  return { today: new Date(), problem: `context ${TODAY_CONTEXT_KEY} must be an ISO date YYYY-MM-DD, found: ${JSON.stringify(value)}; fix it or remove it to use the real date` };
}

// Every service reads the key several times per synthesis; one app has one or two values.
const PARSED_DAYS = new Map<string, Date | undefined>();

function parsedDay(value: string): Date | undefined {
  if (!PARSED_DAYS.has(value)) PARSED_DAYS.set(value, parseIsoDate(value));
  return PARSED_DAYS.get(value);
}
