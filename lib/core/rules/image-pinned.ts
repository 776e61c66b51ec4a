import { Control } from '../controls';
import { hasDeployTimeParts, parseImageReference, registryVerdict } from '../image';
import { Rule, Violation, always, eachContainer } from './rule';

// An exemption of IMAGE_PINNED is the app team's answer to an unpinned tag; the allow-list is the
// platform team's, and only they may widen it.
const NOT_WAIVABLE = "an exemption does not cover the security policy's registry allow-list";

export const imagePinned: Rule = {
  control: Control.IMAGE_PINNED,
  appliesTo: always,
  check: (workload, policy) => eachContainer(workload, (c) => {
    if (!c.image) return [];
    const problems: Omit<Violation, 'container'>[] = [];
    const image = c.image.value;
    const ref = parseImageReference(image);
    // A tag only known at deploy time cannot be judged; it is not reported as unpinned either.
    if (!hasDeployTimeParts(image) && !ref.digest && (ref.tag === undefined || ref.tag === 'latest')) {
      problems.push({
        setting: c.image.at,
        problem: `image ${image} is not pinned (${ref.tag ? 'tag latest' : 'no tag'}): it changes under you`,
        fix: 'use a version tag, or better a digest (image@sha256:...)',
      });
    }
    const allowed = policy.allowedRegistries;
    const verdict = allowed ? registryVerdict(image, allowed) : 'allowed';
    if (allowed && verdict === 'notAllowed') {
      problems.push({
        setting: c.image.at,
        problem: `image ${image} comes from ${ref.registry}, which the security policy does not allow`,
        fix: hasDeployTimeParts(ref.registry)
          ? `pull from an allowed registry: ${allowed.join(', ')}`
          : `pull from an allowed registry: ${allowed.join(', ')}, or have whoever sets the security policy allow ${ref.registry} in its allowedRegistries`,
        severity: 'error',
        notWaivable: NOT_WAIVABLE,
      });
    } else if (allowed && verdict === 'unknown') {
      problems.push({
        setting: c.image.at,
        problem: `image ${image} cannot be proven to come from an allowed registry: its registry is only known at deploy time`,
        fix: `give the stack an explicit env (account and region) so that ECR and asset registries can be read, or use a literal image from an allowed registry: ${allowed.join(', ')}`,
        severity: 'error',
        notWaivable: NOT_WAIVABLE,
      });
    }
    return problems;
  }),
};
