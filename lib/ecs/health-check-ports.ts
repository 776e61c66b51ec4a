/**
 * Ports only a load balancer's health check uses. A service whose health is served on a management port
 * (`healthCheck.port`) maps no container port for it: the target group checks it, and the security group
 * admits it from the load balancer. NETWORK_ISOLATION counts such a port only for openings from a load
 * balancer's security group, so a rule that opens the management port to anything else fails.
 */
import { Runner } from './app-links';
import { AppIndex, Json, TemplateScope, asArray, isObject, literalNumber, referencedResource } from './template-values';

const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

/** The literal HealthCheckPort of every target group the runners (ECS services) register their tasks with. */
export function healthCheckPorts(app: AppIndex, runners: readonly Runner[]): number[] {
  const ports: number[] = [];
  for (const runner of runners) {
    const properties = runner.scope.template.Resources?.[runner.logicalId]?.Properties;
    for (const registration of asArray(isObject(properties) ? properties.LoadBalancers : undefined)) {
      const group = referencedResource(app, runner.scope, isObject(registration) ? registration.TargetGroupArn : undefined);
      // 'traffic-port' (the default) is the container port the registration names, which the task maps.
      const port = group?.resource.Type === TARGET_GROUP ? literalNumber(group.resource.Properties?.HealthCheckPort) : undefined;
      if (port !== undefined && !ports.includes(port)) ports.push(port);
    }
  }
  return ports;
}

/**
 * Whether an ingress rule's source is a security group the app defines and gives to load balancers alone.
 * A group the app does not define (an imported load balancer's) cannot be shown to be one, and a group an
 * instance, a task or a function also has admits them too.
 */
export function fromLoadBalancerOf(app: AppIndex): (scope: TemplateScope, rule: Json) => boolean {
  const groups = new Set<string>();
  for (const scope of app.scopes) {
    for (const [, balancer] of scope.template.ofType(LOAD_BALANCER)) {
      for (const group of asArray(balancer.Properties?.SecurityGroups)) {
        const found = referencedResource(app, scope, group);
        if (found) groups.add(key(found.scope, found.logicalId));
      }
    }
  }
  if (groups.size > 0) {
    for (const shared of groupsGivenToOthers(app, groups)) groups.delete(shared);
  }
  return (scope, rule) => {
    const source = referencedResource(app, scope, rule.SourceSecurityGroupId);
    return source !== undefined && groups.has(key(source.scope, source.logicalId));
  };
}

const key = (scope: TemplateScope, logicalId: string) => `${scope.label}\0${logicalId}`;

// Resources that name a group without being in it: the load balancers themselves, groups and their rules, and
// nested stacks, which pass it on to resources of their own (visited in their templates).
const NOT_MEMBERS = new Set([LOAD_BALANCER, 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress', 'AWS::CloudFormation::Stack']);

/** The groups of `candidates` that some other resource of the app (an instance, a service, a function) names. */
function groupsGivenToOthers(app: AppIndex, candidates: ReadonlySet<string>): Set<string> {
  const shared = new Set<string>();
  const visit = (scope: TemplateScope, value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => visit(scope, item));
    } else if (isObject(value)) {
      const found = 'Ref' in value || 'Fn::GetAtt' in value || 'Fn::ImportValue' in value ? referencedResource(app, scope, value) : undefined;
      if (found && candidates.has(key(found.scope, found.logicalId))) shared.add(key(found.scope, found.logicalId));
      for (const child of Object.values(value)) visit(scope, child);
    }
  };
  for (const scope of app.scopes) {
    for (const [, resource] of Object.entries(scope.template.Resources ?? {})) {
      if (isObject(resource) && !NOT_MEMBERS.has(String(resource.Type))) visit(scope, resource.Properties);
    }
  }
  return shared;
}
