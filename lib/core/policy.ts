import { Construct, IConstruct } from 'constructs';
import { DEFAULT_POLICY, ResolvedSecurityPolicy, SecurityPolicyProps, resolvePolicy } from './policy-settings';

// A global symbol, so that two copies of the library in one app still see each other's policies.
const POLICY_KEY = Symbol.for('secure-service.SecurityPolicy');

type PolicyHolder = IConstruct & { [POLICY_KEY]?: ResolvedSecurityPolicy };

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

  /** The policy with its defaults filled in. */
  public readonly settings: ResolvedSecurityPolicy;

  /** Applies `props` to `scope` (this construct's parent) and everything below it. */
  public constructor(scope: Construct, id: string, props: SecurityPolicyProps = {}) {
    assertNoPolicy(scope);
    // Resolved first, so that invalid props leave no half-made policy construct in the tree.
    const settings = resolvePolicy(props);
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

/** Sets the policy of one scope. */
export class SecurityPolicyScope {
  public constructor(private readonly scope: IConstruct) {}

  /** Applies `props` to the scope and everything below it. */
  public apply(props: SecurityPolicyProps): SecurityPolicy {
    return new SecurityPolicy(this.scope as Construct, 'SecureServicePolicy', props);
  }
}
