import { ControlId, isControlId } from './controls';
import { closestName, unknownKeyProblems } from './known-keys';
import { shown } from './shown';
import { MAX_USER_ID, isPlainObject, isUserId } from './workload';

/** What a platform team sets for every service below a scope. */
export interface SecurityPolicyProps {
  /**
   * The user services run as when they do not set one.
   * @default { uid: 65532, gid: 65532 }
   */
  readonly defaultUser?: { readonly uid: number; readonly gid: number };
  /**
   * Whether every exemption needs a ticket.
   * @default false
   */
  readonly requireTicket?: boolean;
  /**
   * A regular expression (source text) every ticket must match, e.g. `^SEC-\\d+$`. Setting a pattern
   * also makes the ticket required: an exemption without one fails, as if `requireTicket` were true.
   * @default - any non-empty ticket
   */
  readonly ticketPattern?: string;
  /**
   * Whether every exemption needs an expiry date.
   * @default false
   */
  readonly requireExpiry?: boolean;
  /**
   * The furthest an expiry may be from today, in days. Setting a horizon also makes the expiry
   * required: an exemption without one fails, as if `requireExpiry` were true.
   * @default - no limit
   */
  readonly maxExemptionDays?: number;
  /**
   * Exemptions expiring within this many days produce a warning.
   * @default 30
   */
  readonly expiryWarningDays?: number;
  /**
   * Controls that may never be exempted below this scope.
   * @default - none
   */
  readonly nonWaivable?: readonly ControlId[];
  /**
   * Image registries services may pull from (host names such as `ghcr.io` or prefixes such as
   * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team`). Docker Hub images count as `docker.io`.
   * @default - any registry
   */
  readonly allowedRegistries?: readonly string[];
}

/** A policy with every default filled in. */
export interface ResolvedSecurityPolicy {
  readonly defaultUser: { readonly uid: number; readonly gid: number };
  readonly requireTicket: boolean;
  readonly ticketPattern?: string;
  readonly requireExpiry: boolean;
  readonly maxExemptionDays?: number;
  readonly expiryWarningDays: number;
  readonly nonWaivable: readonly ControlId[];
  readonly allowedRegistries?: readonly string[];
}

/** The uid and gid distroless and Chainguard images name `nonroot`. */
export const DEFAULT_UID = 65532;

export const DEFAULT_POLICY: ResolvedSecurityPolicy = {
  defaultUser: { uid: DEFAULT_UID, gid: DEFAULT_UID },
  requireTicket: false,
  requireExpiry: false,
  expiryWarningDays: 30,
  nonWaivable: [],
};

/**
 * Fills in the defaults after checking the props; throws with every problem found. The props are
 * checked at run time too: they also arrive as JSON (the CLI's `--policy` file, the cdk8s plugin's
 * properties), where a misspelled or wrongly typed setting would otherwise be dropped silently.
 */
export function resolvePolicy(props: SecurityPolicyProps = {}): ResolvedSecurityPolicy {
  const problems = policyProblems(props);
  if (problems.length > 0) {
    throw new Error(`invalid security policy:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    defaultUser: props.defaultUser ?? DEFAULT_POLICY.defaultUser,
    requireTicket: props.requireTicket ?? DEFAULT_POLICY.requireTicket,
    ticketPattern: props.ticketPattern,
    requireExpiry: props.requireExpiry ?? DEFAULT_POLICY.requireExpiry,
    maxExemptionDays: props.maxExemptionDays,
    expiryWarningDays: props.expiryWarningDays ?? DEFAULT_POLICY.expiryWarningDays,
    nonWaivable: [...(props.nonWaivable ?? [])],
    allowedRegistries: props.allowedRegistries ? [...props.allowedRegistries] : undefined,
  };
}

type SettingCheck = (value: unknown) => string[];

/** One check per setting; typed as a record over the props so a new setting cannot go unchecked. */
const SETTING_CHECKS: { readonly [K in keyof Required<SecurityPolicyProps>]: SettingCheck } = {
  defaultUser: defaultUserProblems,
  requireTicket: (value) => booleanProblems('requireTicket', value),
  ticketPattern: ticketPatternProblems,
  requireExpiry: (value) => booleanProblems('requireExpiry', value),
  maxExemptionDays: (value) => isWholeNumber(value, 1) ? []
    : [`maxExemptionDays must be a whole number of days above 0, found: ${shown(value)}`],
  expiryWarningDays: (value) => isWholeNumber(value, 0) ? []
    : [`expiryWarningDays must be a whole number of days, 0 or more, found: ${shown(value)}`],
  nonWaivable: nonWaivableProblems,
  allowedRegistries: allowedRegistriesProblems,
};
const KNOWN_SETTINGS = Object.keys(SETTING_CHECKS);
const USER_KEYS: readonly string[] = ['uid', 'gid'];

function policyProblems(props: unknown): string[] {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    return [`a security policy must be an object of settings such as { "requireTicket": true }, found: ${JSON.stringify(props)}`];
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(props)) {
    const check = (SETTING_CHECKS as Record<string, SettingCheck | undefined>)[key];
    if (!check) {
      problems.push(unknownSettingProblem(key));
    } else if (value !== undefined) {
      problems.push(...check(value));
    }
  }
  return problems;
}

function unknownSettingProblem(key: string): string {
  const closest = closestName(key, KNOWN_SETTINGS);
  const hint = closest ? `did you mean ${closest}? ` : '';
  return `${JSON.stringify(key)} is not a security policy setting; ${hint}the settings are ${KNOWN_SETTINGS.join(', ')}`;
}

function isWholeNumber(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}


function booleanProblems(setting: string, value: unknown): string[] {
  return typeof value === 'boolean' ? [] : [`${setting} must be true or false (a boolean, not a string), found: ${shown(value)}`];
}

function defaultUserProblems(value: unknown): string[] {
  if (isPlainObject(value) && isUserId(value.uid, 1) && isUserId(value.gid, 1)) return unknownKeyProblems(value, USER_KEYS, 'a field of defaultUser', 'defaultUser.');
  return [`defaultUser must have numeric uid and gid from 1 to ${MAX_USER_ID} (a policy cannot make root the default), found: ${shown(value)}`];
}

function ticketPatternProblems(value: unknown): string[] {
  if (typeof value !== 'string' || value.trim() === '') {
    return [`ticketPattern must be the source text of a regular expression such as '^SEC-\\\\d+$', found: ${JSON.stringify(value)}; leave it out to accept any non-empty ticket`];
  }
  try {
    new RegExp(value);
    return [];
  } catch (e) {
    return [`ticketPattern must be a valid regular expression, found: ${JSON.stringify(value)} (${(e as Error).message})`];
  }
}

function nonWaivableProblems(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [`nonWaivable must be a list of controls such as [Control.NOT_PRIVILEGED], found: ${JSON.stringify(value)}`];
  }
  return value.filter((control) => !isControlId(control))
    .map((control) => `nonWaivable lists an unknown control, found: ${JSON.stringify(control)}; use Control.<ID>`);
}

function allowedRegistriesProblems(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [`allowedRegistries must be a list of registry hosts or prefixes such as ['ghcr.io/acme'], found: ${shown(value)}`];
  }
  // An empty list would allow no image at all; leaving the setting out allows any.
  if (value.length === 0) return ['allowedRegistries cannot be empty, found: []; list the registries images may come from, or leave it out to allow any'];
  return value.filter((registry) => typeof registry !== 'string' || registry.trim() === '' || /\s|:\/\//.test(registry))
    .map((registry) => `allowedRegistries entries must be registry hosts or prefixes without a scheme (e.g. 'ghcr.io/acme'), found: ${JSON.stringify(registry)}`);
}
