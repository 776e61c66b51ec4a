import { Construct, IConstruct } from 'constructs';
import { DEFAULT_POLICY, ResolvedSecurityPolicy, SecurityPolicyProps, resolvePolicy } from './policy-settings';

// A global symbol, so that two copies of the library in one app still see each other's policies.
const POLICY_KEY = Symbol.for('secure-service.SecurityPolicy');

type PolicyHolder = IConstruct & { [POLICY_KEY]?: ResolvedSecurityPolicy };

// The default user a service was built with: a policy applied above it later cannot change it.
const BUILT_WITH_USER = Symbol.for('secure-service.builtWithDefaultUser');

type ServiceHolder = IConstruct & { [BUILT_WITH_USER]?: ResolvedSecurityPolicy['defaultUser'] };

/**
 * A platform team's policy for every service below a scope. Both CDK and cdk8s trees are `constructs`
 * trees, so one mechanism serves both targets. The nearest policy up the tree wins; its fields are
 * merged over the defaults (not over policies further up).
 *
 * ```ts
 * SecurityPolicy.of(stack).apply({ requireTicket: true, ticketPattern: '^SEC-\\d+$' });
 * // or, as a construct that applies to its scope:
 * new SecurityPolicy(stack, 'Policy', { requireTicket: true });
 * ```
 */
export class SecurityPolicy extends Construct {
  /** A handle to set the policy of `scope`. */
  public static of(scope: IConstruct): SecurityPolicyScope {
    return new SecurityPolicyScope(scope);
  }

  /** The policy in force at `scope`: the nearest one up the tree, or the defaults. */
  public static resolve(scope: IConstruct): ResolvedSecurityPolicy {
    for (let ancestor: IConstruct | undefined = scope; ancestor; ancestor = ancestor.node.scope) {
      const policy = (ancestor as PolicyHolder)[POLICY_KEY];
      if (policy) return policy;
    }
    return DEFAULT_POLICY;
  }

  /**
   * The policy in force at a service being built (`scope`), which renders its default user now: a
   * policy applied above it afterwards with another default user is then an error, not a silent miss.
   * @internal
   */
  public static _resolveForService(scope: IConstruct): ResolvedSecurityPolicy {
    const policy = SecurityPolicy.resolve(scope);
    Object.defineProperty(scope, BUILT_WITH_USER, { value: policy.defaultUser, configurable: true });
    return policy;
  }

  /** The policy with its defaults filled in. */
  public readonly settings: ResolvedSecurityPolicy;

  /** Applies `props` to `scope` (this construct's parent) and everything below it. */
  public constructor(scope: Construct, id: string, props: SecurityPolicyProps = {}) {
    assertNoPolicy(scope);
    // Resolved first, so that invalid props leave no half-made policy construct in the tree.
    const settings = resolvePolicy(props);
    assertNoServiceBuiltWithAnotherUser(scope, settings.defaultUser);
    super(scope, id);
    this.settings = settings;
    (scope as PolicyHolder)[POLICY_KEY] = this.settings;
  }
}

// Checked before the construct is added, so a second policy gets this message, not a duplicate-id error.
function assertNoPolicy(scope: IConstruct): void {
  if ((scope as PolicyHolder)[POLICY_KEY]) {
    throw new Error(`${scope.node.path || '<root>'} already has a security policy; set one policy per scope (nested scopes may set their own)`);
  }
}

/**
 * Services below `scope` already built with a default user other than `defaultUser`, whose policy this
 * one would become (no policy between them and `scope`): their containers already run as the old user,
 * while every other setting of the new policy would apply to them, so the policy came too late.
 */
function assertNoServiceBuiltWithAnotherUser(scope: IConstruct, defaultUser: ResolvedSecurityPolicy['defaultUser']): void {
  const late = scope.node.findAll().filter((c) => {
    const used = (c as ServiceHolder)[BUILT_WITH_USER];
    return used !== undefined && (used.uid !== defaultUser.uid || used.gid !== defaultUser.gid) && !policyBetween(c, scope);
  });
  if (late.length === 0) return;
  const built = late.map((c) => `${c.node.path} (${(c as ServiceHolder)[BUILT_WITH_USER]!.uid}:${(c as ServiceHolder)[BUILT_WITH_USER]!.gid})`).join(', ');
  throw new Error(`the security policy of ${scope.node.path || '<root>'} sets defaultUser ${defaultUser.uid}:${defaultUser.gid}, `
    + `but ${built} ${late.length === 1 ? 'was' : 'were'} built before it with another default user, which it cannot change; `
    + 'apply the policy before creating the services below it');
}

/** Whether a policy is set on `construct` or on a scope between it and `scope` (exclusive). */
function policyBetween(construct: IConstruct, scope: IConstruct): boolean {
  for (let c: IConstruct | undefined = construct; c && c !== scope; c = c.node.scope) {
    if ((c as PolicyHolder)[POLICY_KEY]) return true;
  }
  return false;
}

/** Sets the policy of one scope. */
export class SecurityPolicyScope {
  public constructor(private readonly scope: IConstruct) {}

  /** Applies `props` to the scope and everything below it. */
  public apply(props: SecurityPolicyProps): SecurityPolicy {
    return new SecurityPolicy(this.scope as Construct, 'SecureServicePolicy', props);
  }
}
