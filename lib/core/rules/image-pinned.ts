import { Control } from '../controls';
import { isFromAllowedRegistry, parseImageReference } from '../image';
import { Rule, Violation, always, eachContainer } from './rule';

export const imagePinned: Rule = {
  control: Control.IMAGE_PINNED,
  appliesTo: always,
  check: (workload, policy) => eachContainer(workload, (c) => {
    if (!c.image) return [];
    const problems: Omit<Violation, 'container'>[] = [];
    const ref = parseImageReference(c.image.value);
    if (!ref.digest && (ref.tag === undefined || ref.tag === 'latest')) {
      problems.push({
        setting: c.image.at,
        problem: `image ${c.image.value} is not pinned (${ref.tag ? 'tag latest' : 'no tag'}): it changes under you`,
        fix: 'use a version tag, or better a digest (image@sha256:...)',
      });
    }
    if (policy.allowedRegistries && !isFromAllowedRegistry(c.image.value, policy.allowedRegistries)) {
      problems.push({
        setting: c.image.at,
        problem: `image ${c.image.value} comes from ${ref.registry}, which the security policy does not allow`,
        fix: `pull from an allowed registry: ${policy.allowedRegistries.join(', ')}, or have whoever sets the security policy allow ${ref.registry} in its allowedRegistries`,
        severity: 'error',
        // An exemption of IMAGE_PINNED is the app team's answer to an unpinned tag; the allow-list is
        // the platform team's, and only they may widen it.
        notWaivable: "an exemption does not cover the security policy's registry allow-list",
      });
    }
    return problems;
  }),
};
