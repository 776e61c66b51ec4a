/**
 * Resources of the templates that run containers no check reads (lib/ecs/unread-containers.ts). As in
 * synthesis, each one fails unless an acknowledgement of `secure-service::UNREAD_CONTAINERS` with a
 * justified reason covers it (the closest one up its construct path, as CDK picks it); the report lists
 * the acknowledged ones with their reason, so that what was passed unjudged is in front of the auditor.
 */
import { CloudFormationInput, InputError } from './read-inputs';
import { StackAcknowledgements, resourceAcknowledgement } from './stack-acknowledgements';
import { AcknowledgedUnreadResource } from '../core';
import { rejectedAcknowledgementAdvice } from '../ecs/acknowledgements';
import { CfnTemplate } from '../ecs/template-values';
import { unreadContainers, unreadContainersFix } from '../ecs/unread-containers';

/** What tells, for one template, which resources are read and which acknowledgements apply. */
export interface UnreadContainersContext {
  /** Whether the AWS::CloudFormation::Stack `logicalId` of `input` deploys a template that is among the inputs. */
  readonly isReadStack: (input: CloudFormationInput, logicalId: string) => boolean;
  /** The acknowledgements of the input's stack (of its top-level stack, for a nested one). */
  readonly acknowledgements: (input: CloudFormationInput) => StackAcknowledgements;
}

/**
 * The resources of `inputs` whose containers are not read, each with the acknowledgement that covers it.
 * Throws an InputError, as the plugin fails synthesis, for the first one no acknowledgement covers or
 * whose acknowledgement does not count.
 */
export function acknowledgedUnreadContainers(inputs: readonly CloudFormationInput[], context: UnreadContainersContext): AcknowledgedUnreadResource[] {
  return inputs.flatMap((input) => unreadContainers(input.template as CfnTemplate, (id) => context.isReadStack(input, id)).map((unread) => {
    const acknowledgement = resourceAcknowledgement(context.acknowledgements(input), 'UNREAD_CONTAINERS', unread.logicalId);
    if (acknowledgement === undefined) throw new InputError(`${input.file}: ${unread.problem}; ${unreadContainersFix(unread.readable)}`);
    if (acknowledgement.problem !== undefined) {
      const { description, fix } = rejectedAcknowledgementAdvice(acknowledgement);
      throw new InputError(`${input.file}: ${unread.problem}, and ${description}; fix: ${fix}`);
    }
    return {
      file: input.file,
      resource: unread.logicalId,
      problem: unread.problem,
      justification: acknowledgement.reason as string,
      acknowledgedAt: acknowledgement.path,
    };
  }));
}
