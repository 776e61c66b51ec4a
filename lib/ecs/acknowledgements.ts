/**
 * CDK's `Validations.of(x).acknowledge({ id, reason })` suppresses a plugin's violations below `x`.
 * For our rules that would be an exemption without the exemption's bar, so an acknowledgement of
 * our rules counts only when its reason passes the same justification check, and, for a control,
 * only when the security policy would accept an exemption that carries nothing but a justification.
 * CDK stores each one as construct metadata `aws:cdk:acknowledged-rules` whose data maps the rule id
 * to the reason, and matches a violating resource to the closest acknowledgement up its construct
 * path; we do the same to know which violations a rejected acknowledgement would hide.
 */
import { IConstruct } from 'constructs';
import { ControlId, ResolvedSecurityPolicy, SecurityPolicy, isControlId, justificationProblem } from '../core';

/** The construct metadata type CDK records acknowledgements under (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`). */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** One acknowledgement of one of our rules. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: unknown;
  /** The construct path it was made at ('' for the app). */
  readonly path: string;
  /** Why the acknowledgement does not count (its reason, or the security policy), or undefined when it counts. */
  readonly problem?: string;
}

/** Every acknowledgement on `constructs` (an app's `node.findAll()`) of a rule id starting with `prefix` (e.g. `secure-service::`). */
export function collectAcknowledgements(constructs: readonly IConstruct[], prefix: string): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of constructs) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [ruleId, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        if (!ruleId.startsWith(prefix)) continue;
        const problem = justificationProblem(reason) ?? policyProblem(ruleId, construct);
        found.push({ ruleId, reason, path: construct.node.path, problem });
      }
    }
  }
  return found;
}

/**
 * The acknowledgement CDK would apply to a violation of `ruleId` at `violating`: the closest one up
 * its path. Its `problem` also says when the policy in force at the violating construct (which may be
 * stricter than the one where the acknowledgement was made) does not let it count.
 */
export function closestAcknowledgement(
  acknowledgements: readonly Acknowledgement[], ruleId: string, violating: IConstruct,
): Acknowledgement | undefined {
  let path = violating.node.path;
  for (;;) {
    const match = acknowledgements.filter((a) => a.ruleId === ruleId && a.path === path);
    // Several acknowledgements at one path: CDK keeps the last one recorded.
    if (match.length > 0) return withPolicyAt(match[match.length - 1], violating);
    if (path === '') return undefined;
    const slash = path.lastIndexOf('/');
    path = slash === -1 ? '' : path.slice(0, slash);
  }
}

function withPolicyAt(acknowledgement: Acknowledgement, violating: IConstruct): Acknowledgement {
  if (acknowledgement.problem !== undefined) return acknowledgement;
  const problem = policyProblem(acknowledgement.ruleId, violating);
  return problem ? { ...acknowledgement, problem } : acknowledgement;
}

/**
 * What to tell the user about an acknowledgement that does not count, and how to fix it: a better
 * reason for a poor one; the exemptions prop (or the secure setting) when the policy rejects it.
 */
export function rejectedAcknowledgementAdvice(acknowledgement: Acknowledgement): { readonly description: string; readonly fix: string } {
  const head = `the acknowledgement of ${acknowledgement.ruleId} at ${acknowledgement.path || '<app>'} does not count: ${acknowledgement.problem}`;
  // A reason that passes the justification check was rejected by the policy: a better one would not help.
  if (justificationProblem(acknowledgement.reason) === undefined) {
    return {
      description: head,
      fix: 'remove the acknowledgement and restore the secure setting, or give the service an exemption with what the security policy requires',
    };
  }
  return {
    description: `${head}; an acknowledgement of a secure-service rule is an exemption and needs a justification of at least 20 characters `
      + 'that says why the control must be weakened and what limits the risk, or use the exemptions prop',
    fix: 'give the acknowledgement a real justification, or remove it and restore the secure setting',
  };
}

/**
 * Why the security policy in force at `construct` does not let an acknowledgement of `ruleId`
 * (`secure-service::<RULE>`) stand for an exemption, or undefined. Only controls are exemptions; the
 * plugin's other rules are not.
 */
function policyProblem(ruleId: string, construct: IConstruct): string | undefined {
  const rule = ruleId.slice(ruleId.indexOf('::') + 2);
  if (!isControlId(rule)) return undefined;
  return policyRequirementProblem(rule, SecurityPolicy.resolve(construct));
}

/** Why `policy` accepts no acknowledgement of `control`: an acknowledgement carries a reason and nothing else. */
export function policyRequirementProblem(control: ControlId, policy: ResolvedSecurityPolicy): string | undefined {
  if (policy.nonWaivable.includes(control)) {
    return `the security policy makes ${control} non-waivable, so neither an acknowledgement nor an exemption covers it; restore the secure setting`;
  }
  const needs: string[] = [];
  if (policy.requireTicket || policy.ticketPattern !== undefined) {
    needs.push(policy.ticketPattern !== undefined ? `a ticket (matching ${policy.ticketPattern})` : 'a ticket');
  }
  if (policy.requireExpiry || policy.maxExemptionDays !== undefined) {
    needs.push(policy.maxExemptionDays !== undefined ? `an expiry (within ${policy.maxExemptionDays} days)` : 'an expiry');
  }
  if (needs.length === 0) return undefined;
  return `the security policy requires ${needs.join(' and ')} for every exemption, which an acknowledgement cannot carry; use the exemptions prop instead`;
}
