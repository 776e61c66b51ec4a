/**
 * ECS resources that run containers the checks do not read: a daemon's task definition (ECS Managed
 * Instances run one on every instance), and an Express Mode service given its container directly, whose
 * task definition ECS writes itself when it deploys. Nothing can be proven of their containers, so each is
 * reported rather than passed over.
 */
import { CfnTemplate, isObject } from './template-values';

export const DAEMON_TASK_DEFINITION = 'AWS::ECS::DaemonTaskDefinition';
export const EXPRESS_GATEWAY_SERVICE = 'AWS::ECS::ExpressGatewayService';

/** How to run them where the checks read them. */
export const READABLE_CONTAINERS = 'run the containers in a SecureService, or in an ECS task definition (AWS::ECS::TaskDefinition) the checks judge';
export const UNREAD_CONTAINERS_FIX = `${READABLE_CONTAINERS}; or, where the team that owns the policy has reviewed them, `
  + 'acknowledge secure-service::UNREAD_CONTAINERS on the resource with that reason';

/** One resource whose containers are not read, and why, for a message. */
export interface UnreadContainers {
  readonly logicalId: string;
  readonly problem: string;
}

/** Whether a template's text may hold such a resource: most do not, and need not be parsed for it. */
export function mayHoldUnreadContainers(text: string): boolean {
  return text.includes(DAEMON_TASK_DEFINITION) || text.includes(EXPRESS_GATEWAY_SERVICE);
}

/** The resources of `template` that run containers the checks do not read. */
export function unreadContainers(template: CfnTemplate): UnreadContainers[] {
  const resources = isObject(template.Resources) ? template.Resources : {};
  return Object.keys(resources).flatMap((logicalId): UnreadContainers[] => {
    const resource = resources[logicalId];
    const at = `Resources.${logicalId}`;
    if (resource?.Type === DAEMON_TASK_DEFINITION) {
      return [{ logicalId, problem: `${at} (${DAEMON_TASK_DEFINITION}) runs containers on every instance whose settings the checks do not read: no control can be proven for them` }];
    }
    if (resource?.Type === EXPRESS_GATEWAY_SERVICE && isObject(resource.Properties) && resource.Properties.PrimaryContainer !== undefined) {
      return [{
        logicalId,
        problem: `${at} (${EXPRESS_GATEWAY_SERVICE}) is given its container (PrimaryContainer), and ECS writes its task definition only when it deploys: `
          + 'its user, root filesystem and capabilities cannot be read, so no control can be proven for it',
      }];
    }
    return [];
  });
}
