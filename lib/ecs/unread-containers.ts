/**
 * ECS resources that run containers the checks do not read: a daemon's task definition (ECS Managed
 * Instances run one on every instance), an Express Mode service given its container directly, whose
 * task definition ECS writes itself when it deploys, and a stack whose template is not read (a CfnStack
 * of a template in S3, a stack set), whatever it runs. Nothing can be proven of their containers, so each is reported
 * rather than passed over.
 */
import { CfnTemplate, isObject, literalString } from './template-values';

export const DAEMON_TASK_DEFINITION = 'AWS::ECS::DaemonTaskDefinition';
export const EXPRESS_GATEWAY_SERVICE = 'AWS::ECS::ExpressGatewayService';
export const STACK = 'AWS::CloudFormation::Stack';
export const STACK_SET = 'AWS::CloudFormation::StackSet';

/** How to run containers where the checks read them. */
export const READABLE_CONTAINERS = 'run the containers in a SecureService, or in an ECS task definition (AWS::ECS::TaskDefinition) the checks judge';
const READABLE_STACK = 'deploy that template as a NestedStack of the app (a CfnInclude: with loadNestedStacks), whose template the checks read; '
  + 'secure-service check reads it when given with the template that deploys it (the cloud assembly directory)';

/** How to resolve an unread resource: make it read, or acknowledge it with a reason. */
export function unreadContainersFix(readable: string): string {
  return `${readable}; or, where the team that owns the policy has reviewed them, acknowledge secure-service::UNREAD_CONTAINERS on the resource with that reason`;
}

/** One resource whose containers are not read, why, and how to have them read, for a message. */
export interface UnreadContainers {
  readonly logicalId: string;
  readonly problem: string;
  readonly readable: string;
}

/** Whether a template's text may hold such a resource (STACK also finds STACK_SET): most do not, and need not be parsed for it. */
export function mayHoldUnreadContainers(text: string): boolean {
  return text.includes(DAEMON_TASK_DEFINITION) || text.includes(EXPRESS_GATEWAY_SERVICE) || text.includes(STACK);
}

/** The resources of `template` that run containers the checks do not read; `isReadStack` tells a nested stack whose template is read. */
export function unreadContainers(template: CfnTemplate, isReadStack: (logicalId: string) => boolean): UnreadContainers[] {
  const resources = isObject(template.Resources) ? template.Resources : {};
  return Object.keys(resources).flatMap((logicalId): UnreadContainers[] => {
    const resource = resources[logicalId];
    const at = `Resources.${logicalId}`;
    if (resource?.Type === DAEMON_TASK_DEFINITION) {
      return [{
        logicalId,
        problem: `${at} (${DAEMON_TASK_DEFINITION}) runs containers on every instance whose settings the checks do not read: no control can be proven for them`,
        readable: READABLE_CONTAINERS,
      }];
    }
    if (resource?.Type === EXPRESS_GATEWAY_SERVICE && isObject(resource.Properties) && resource.Properties.PrimaryContainer !== undefined) {
      return [{
        logicalId,
        problem: `${at} (${EXPRESS_GATEWAY_SERVICE}) is given its container (PrimaryContainer), and ECS writes its task definition only when it deploys: `
          + 'its user, root filesystem and capabilities cannot be read, so no control can be proven for it',
        readable: READABLE_CONTAINERS,
      }];
    }
    if (resource?.Type === STACK && !isReadStack(logicalId)) {
      const url = isObject(resource.Properties) ? resource.Properties.TemplateURL : undefined;
      const shown = literalString(url) ?? JSON.stringify(url) ?? 'no TemplateURL';
      return [{
        logicalId,
        problem: `${at} (${STACK}) deploys a template the checks do not read (${shown}): no control can be proven for the containers it may run`,
        readable: READABLE_STACK,
      }];
    }
    if (resource?.Type === STACK_SET) {
      return [{
        logicalId,
        problem: `${at} (${STACK_SET}) deploys its template into stacks of other accounts or regions, which the checks do not read: `
          + 'no control can be proven for the containers it may run',
        readable: READABLE_STACK,
      }];
    }
    return [];
  });
}
