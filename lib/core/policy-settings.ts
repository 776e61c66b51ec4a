import { ControlId, isControlId } from './controls';

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
   * A regular expression (source text) every ticket must match, e.g. `^SEC-\\d+$`.
   * @default - any non-empty ticket
   */
  readonly ticketPattern?: string;
  /**
   * Whether every exemption needs an expiry date.
   * @default false
   */
  readonly requireExpiry?: boolean;
  /**
   * The furthest an expiry may be from today, in days.
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

/** Fills in the defaults after checking the props; throws with every problem found. */
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

function isWholeNumber(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

function policyProblems(props: SecurityPolicyProps): string[] {
  const problems: string[] = [];
  if (props.defaultUser !== undefined) {
    const { uid, gid } = props.defaultUser;
    if (!isWholeNumber(uid, 1) || !isWholeNumber(gid, 1)) {
      problems.push(`defaultUser must have numeric uid and gid above 0 (a policy cannot make root the default), found: ${JSON.stringify(props.defaultUser)}`);
    }
  }
  if (props.ticketPattern !== undefined) {
    try {
      new RegExp(props.ticketPattern);
    } catch (e) {
      problems.push(`ticketPattern must be a valid regular expression, found: ${JSON.stringify(props.ticketPattern)} (${(e as Error).message})`);
    }
  }
  if (props.maxExemptionDays !== undefined && !isWholeNumber(props.maxExemptionDays, 1)) {
    problems.push(`maxExemptionDays must be a whole number of days above 0, found: ${JSON.stringify(props.maxExemptionDays)}`);
  }
  if (props.expiryWarningDays !== undefined && !isWholeNumber(props.expiryWarningDays, 0)) {
    problems.push(`expiryWarningDays must be a whole number of days, 0 or more, found: ${JSON.stringify(props.expiryWarningDays)}`);
  }
  for (const control of props.nonWaivable ?? []) {
    if (!isControlId(control)) {
      problems.push(`nonWaivable lists an unknown control, found: ${JSON.stringify(control)}; use Control.<ID>`);
    }
  }
  for (const registry of props.allowedRegistries ?? []) {
    if (typeof registry !== 'string' || registry.trim() === '' || /\s|:\/\//.test(registry)) {
      problems.push(`allowedRegistries entries must be registry hosts or prefixes without a scheme (e.g. 'ghcr.io/acme'), found: ${JSON.stringify(registry)}`);
    }
  }
  return problems;
}
