import { CONTROL_CATALOG, ControlId, isControlId } from './controls';
import { keyList, unknownKeyProblems } from './known-keys';
import { ResolvedSecurityPolicy } from './policy-settings';
import { shown } from './shown';

/**
 * Permission, with a written reason, for one control to be weakened. An exemption never weakens
 * anything by itself.
 */
export interface Exemption {
  /** The control that may be weakened, e.g. `Control.READ_ONLY_ROOT_FILESYSTEM`. */
  readonly control: ControlId;
  /** Why, in words an auditor can follow: at least 20 characters, not a placeholder. */
  readonly justification: string;
  /**
   * Last day the exemption is valid, as an ISO date `YYYY-MM-DD`.
   * @default - never expires (unless the policy sets `requireExpiry` or `maxExemptionDays`)
   */
  readonly expires?: string;
  /**
   * The ticket that tracks the exemption, e.g. `SEC-1421`.
   * @default - none (unless the policy sets `requireTicket` or `ticketPattern`)
   */
  readonly ticket?: string;
  /**
   * The one container the exemption covers.
   * @default - every container of the service, and the service itself
   */
  readonly container?: string;
}

/** The fields of an Exemption. */
export const EXEMPTION_KEYS = keyList<Exemption>({ control: true, justification: true, expires: true, ticket: true, container: true });

/** A problem with one exemption. Errors fail synthesis (and the exemption covers nothing); warnings do not. */
export interface ExemptionProblem {
  readonly severity: 'error' | 'warning';
  readonly exemption: Exemption;
  /** Its position in the list it came from. */
  readonly index: number;
  readonly message: string;
  /**
   * Set on the warning of a valid exemption that covers nothing: a reading of the workload in another
   * combination of template conditions may still use it.
   * @default false
   */
  readonly unused?: boolean;
}

export const MIN_JUSTIFICATION_LENGTH = 20;

/** Words that say nothing on their own; a justification made only of them is a placeholder. */
const PLACEHOLDER_WORDS = new Set([
  'todo', 'tbd', 'tba', 'fixme', 'xxx', 'wip', 'n/a', 'na', 'none', 'nothing', 'needed', 'need', 'required',
  'necessary', 'temporary', 'temp', 'later', 'fix', 'will', 'be', 'fixed', 'for', 'now', 'to', 'do', 'it',
  'is', 'test', 'testing', 'placeholder', 'justification', 'reason', 'because', 'exemption', 'exempt',
  'ok', 'okay', 'yes', 'please', 'ignore', 'asdf', 'foo', 'bar', 'lorem', 'ipsum', 'the', 'this', 'a',
]);
const PLACEHOLDER_PHRASES = /\b(todo|to-do|tbd|fixme|fix later|to be (decided|determined|done)|lorem ipsum|dolor sit amet)\b/i;
/**
 * Scripts written without spaces between words: each letter counts as a word, so a Japanese or Chinese
 * sentence is judged by its characters rather than as one long "word".
 */
const UNSPACED_SCRIPTS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}`;
/**
 * A letter of an unspaced script, or a run of letters, marks, digits and `/` (so `n/a` stays one word).
 * Built on first use: V8 builds its Unicode classes when the pattern is created, about 1 ms that every
 * `cdk synth` without an exemption would pay while loading the library.
 */
let wordRegExp: RegExp | undefined;
const wordPattern = () => (wordRegExp ??= new RegExp(String.raw`(?=\p{L})[${UNSPACED_SCRIPTS}]|(?:(?![${UNSPACED_SCRIPTS}])[\p{L}\p{M}\p{N}/])+`, 'gu'));
/** Rows of a keyboard and the alphabet: words taken from them (qwerty, asdf, abcdef, 12345) are filler. */
const KEY_RUNS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'azertyuiop', '1234567890', 'abcdefghijklmnopqrstuvwxyz'];
const MIN_KEY_RUN = 4;
const MIN_DISTINCT_WORDS = 3;
const MIN_DISTINCT_CHARACTERS = 6;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** A short label for messages: `exemptions[2] (READ_ONLY_ROOT_FILESYSTEM, container 'app')`. */
export function describeExemption(exemption: Exemption, index: number): string {
  const container = exemption.container !== undefined ? `, container '${exemption.container}'` : '';
  return `exemptions[${index}] (${String(exemption.control)}${container})`;
}

/** The reason a justification is not good enough, or undefined when it is. */
export function justificationProblem(justification: unknown): string | undefined {
  if (typeof justification !== 'string') {
    return `justification must be a string, found: ${shown(justification)}`;
  }
  const text = justification.trim();
  const length = Array.from(text).length;
  if (length < MIN_JUSTIFICATION_LENGTH) {
    return `justification must be at least ${MIN_JUSTIFICATION_LENGTH} characters after trimming, found ${length}: ${JSON.stringify(justification)}`;
  }
  if (PLACEHOLDER_PHRASES.test(text)) {
    return `justification is a placeholder (it says ${JSON.stringify(text.match(PLACEHOLDER_PHRASES)![0])}): ${JSON.stringify(justification)}`;
  }
  const words = text.toLowerCase().match(wordPattern()) ?? [];
  if (words.length > 0 && words.every((w) => PLACEHOLDER_WORDS.has(w))) {
    return `justification is a placeholder: ${JSON.stringify(justification)}`;
  }
  const reason = notASentence(text, words);
  return reason ? `justification is not a sentence (${reason}): ${JSON.stringify(justification)}` : undefined;
}

/** Why text of the right length is still not a sentence an auditor can follow, or undefined. */
function notASentence(text: string, words: readonly string[]): string | undefined {
  if (new Set(text.toLowerCase().replace(/\s/g, '')).size < MIN_DISTINCT_CHARACTERS) return 'repeated characters';
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  if (counts.size < MIN_DISTINCT_WORDS) return `fewer than ${MIN_DISTINCT_WORDS} different words`;
  for (const [word, count] of counts) {
    if (count * 2 > words.length) return `one word repeated: ${JSON.stringify(word)}`;
  }
  if (isRepetition(words.join(''))) return 'the same words repeated';
  const runs = words.filter(isKeyRun);
  if (runs.length * 2 >= words.length) return `keyboard or alphabet runs such as ${JSON.stringify(runs[0])}`;
  // Letters or digits typed one at a time (`q w e r t y`, `1 2 3 4`): a run spelled out, not words.
  if (words.filter((word) => SINGLE_LATIN_CHARACTER.test(word)).length * 2 > words.length) return 'letters or digits one at a time';
  return undefined;
}

// One Latin letter or digit: a word of its own only in runs (a letter of an unspaced script is one by design).
const SINGLE_LATIN_CHARACTER = /^[a-z0-9]$/;

/** Whether `s` is a shorter string repeated (`abcabcabc`): it then occurs inside `s + s` before its length. */
function isRepetition(s: string): boolean {
  return s.length > 0 && (s + s).indexOf(s, 1) < s.length;
}

function isKeyRun(word: string): boolean {
  return word.length >= MIN_KEY_RUN && KEY_RUNS.some((run) => run.includes(word));
}

/** Parses `YYYY-MM-DD` into a UTC date, or undefined when it is not a real calendar date. */
export function parseIsoDate(value: string): Date | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date : undefined;
}

/** Whole days from the start of `now`'s UTC day to `date`. */
function daysFrom(now: Date, date: Date): number {
  // An invalid Date would pass every expiry (NaN compares false): refused, never read as today.
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new Error(`today must be a valid date, found: ${String(now)}; pass the Date of the day to judge exemptions' expiry on`);
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((date.getTime() - today) / MS_PER_DAY);
}

/** Whether the exemption is still valid on `now` (it is valid through its expiry day). */
export function isExpired(exemption: Exemption, now: Date): boolean {
  const date = exemption.expires !== undefined ? parseIsoDate(exemption.expires) : undefined;
  return date !== undefined && daysFrom(now, date) < 0;
}

/**
 * Checks exemptions against the rules every exemption must meet and the policy in force.
 * An exemption with an error must not be used to cover anything.
 */
export function validateExemptions(exemptions: readonly Exemption[], policy: ResolvedSecurityPolicy, now: Date): ExemptionProblem[] {
  return exemptions.flatMap((exemption, index) => validateExemption(exemption, index, policy, now));
}

function validateExemption(exemption: Exemption, index: number, policy: ResolvedSecurityPolicy, now: Date): ExemptionProblem[] {
  const problems: ExemptionProblem[] = [];
  const label = describeExemption(exemption, index);
  const error = (message: string) => problems.push({ severity: 'error', exemption, index, message: `${label}: ${message}` });
  const warning = (message: string) => problems.push({ severity: 'warning', exemption, index, message: `${label}: ${message}` });

  if (!isControlId(exemption.control)) {
    error(`control must be one of the catalog, found: ${shown(exemption.control)}; use Control.<ID>, one of ${CONTROL_CATALOG.map((c) => c.id).join(', ')}`);
  } else if (policy.nonWaivable.includes(exemption.control)) {
    error(`the security policy makes ${exemption.control} non-waivable: it cannot be exempted; remove the exemption and restore the secure setting`);
  }

  const justification = justificationProblem(exemption.justification);
  if (justification) {
    error(`${justification}; write why the control must be weakened and what limits the risk, e.g. "Fluent Bit reads /var/log as root; image is pinned by digest"`);
  }

  if (exemption.container !== undefined && (typeof exemption.container !== 'string' || exemption.container.trim() === '')) {
    error(`container must be a container name, found: ${shown(exemption.container)}; leave it out to cover every container`);
  }
  // A misspelled field (`expiry`) would leave the exemption without what it was meant to say.
  unknownKeyProblems(exemption, EXEMPTION_KEYS, 'a field of an exemption').forEach(error);

  checkExpiry(exemption, policy, now, error, warning);
  checkTicket(exemption, policy, error);
  return problems;
}

type Report = (message: string) => void;

function checkExpiry(exemption: Exemption, policy: ResolvedSecurityPolicy, now: Date, error: Report, warning: Report): void {
  if (exemption.expires === undefined) {
    const within = policy.maxExemptionDays !== undefined ? ` within ${policy.maxExemptionDays} days` : '';
    // A horizon would mean nothing if leaving the date out escaped it.
    if (policy.requireExpiry) {
      error(`the security policy requires an expiry; add expires: 'YYYY-MM-DD'${within}`);
    } else if (policy.maxExemptionDays !== undefined) {
      error(`the security policy's maxExemptionDays (${policy.maxExemptionDays}) requires an expiry; add expires: 'YYYY-MM-DD'${within}`);
    }
    return;
  }
  const date = typeof exemption.expires === 'string' ? parseIsoDate(exemption.expires) : undefined;
  if (!date) {
    error(`expires must be an ISO date YYYY-MM-DD, found: ${shown(exemption.expires)}`);
    return;
  }
  const days = daysFrom(now, date);
  if (days < 0) {
    error(`expired on ${exemption.expires}; restore the secure setting, or renew the exemption with a new expiry after review`);
  } else if (policy.maxExemptionDays !== undefined && days > policy.maxExemptionDays) {
    error(`expires ${exemption.expires} is ${days} days away, beyond the ${policy.maxExemptionDays} days the security policy allows; choose an expiry within ${policy.maxExemptionDays} days`);
  } else if (days <= policy.expiryWarningDays) {
    warning(`expires on ${exemption.expires}, in ${days} day(s); renew it or restore the secure setting before then`);
  }
}

function checkTicket(exemption: Exemption, policy: ResolvedSecurityPolicy, error: Report): void {
  if (exemption.ticket === undefined) {
    const matching = policy.ticketPattern ? ` matching ${policy.ticketPattern}` : '';
    // A pattern would mean nothing if leaving the ticket out escaped it.
    if (policy.requireTicket) {
      error(`the security policy requires a ticket; add ticket: '...'${matching}`);
    } else if (policy.ticketPattern) {
      error(`the security policy's ticketPattern requires a ticket; add ticket: '...'${matching}`);
    }
    return;
  }
  if (typeof exemption.ticket !== 'string' || exemption.ticket.trim() === '') {
    error(`ticket must be a non-empty string, found: ${shown(exemption.ticket)}`);
  } else if (policy.ticketPattern && !new RegExp(policy.ticketPattern).test(exemption.ticket)) {
    error(`ticket must match ${policy.ticketPattern}, found: ${JSON.stringify(exemption.ticket)}`);
  }
}

/** The exemption in the form recorded in synthesized output (keys in a fixed order, absent ones left out). */
export function recordedExemption(exemption: Exemption): Exemption {
  return JSON.parse(JSON.stringify({
    control: exemption.control,
    justification: exemption.justification,
    expires: exemption.expires,
    ticket: exemption.ticket,
    container: exemption.container,
  }));
}
