/**
 * CDK's `Validations.of(x).acknowledge({ id, reason })` suppresses a plugin's violations below `x`.
 * For our rules that would be an exemption without the exemption's bar, so an acknowledgement of
 * our rules counts only when its reason passes the same justification check. CDK stores each one as
 * construct metadata `aws:cdk:acknowledged-rules` whose data maps the rule id to the reason, and
 * matches a violating resource to the closest acknowledgement up its construct path; we do the same
 * to know which violations a rejected acknowledgement would hide.
 */
import { IConstruct } from 'constructs';
import { justificationProblem } from '../core';

/** The construct metadata type CDK records acknowledgements under (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`). */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** One acknowledgement of one of our rules. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: unknown;
  /** The construct path it was made at ('' for the app). */
  readonly path: string;
  /** Why the reason is not good enough, or undefined when it counts. */
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
        found.push({ ruleId, reason, path: construct.node.path, problem: justificationProblem(reason) });
      }
    }
  }
  return found;
}

/** The acknowledgement CDK would apply to a violation of `ruleId` at `constructPath`: the closest one up the path. */
export function closestAcknowledgement(
  acknowledgements: readonly Acknowledgement[], ruleId: string, constructPath: string,
): Acknowledgement | undefined {
  let path = constructPath;
  for (;;) {
    const match = acknowledgements.filter((a) => a.ruleId === ruleId && a.path === path);
    // Several acknowledgements at one path: CDK keeps the last one recorded.
    if (match.length > 0) return match[match.length - 1];
    if (path === '') return undefined;
    const slash = path.lastIndexOf('/');
    path = slash === -1 ? '' : path.slice(0, slash);
  }
}
