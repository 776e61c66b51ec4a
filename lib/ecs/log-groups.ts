/**
 * Where a container's logs go, as the templates tell: the driver, and for awslogs or a FireLens
 * CloudWatch output the log group that holds them and its retention. A group counts only if it holds
 * these logs for certain: by reference, or by its literal name in a template of the task's account and
 * region, created unconditionally.
 */
import { LoggingPosture } from '../core';
import {
  AppIndex, CfnResourceJson, Json, TemplatePlace, TemplateScope, atIn, isObject, literalBoolean, literalNumber, literalString, referencedResource,
} from './template-values';
import { isDiscardingOutput } from '../core/rules/logging';

const AWSLOGS_GROUP = 'the awslogs log group';
const FIRELENS_GROUP = 'the log group of the FireLens CloudWatch output';

/** How the container's logs are shipped and kept. */
export function readLogging(reading: TemplatePlace, container: Json, path: string, task: Json): LoggingPosture {
  const config = isObject(container.LogConfiguration) ? container.LogConfiguration : undefined;
  if (!config || config.LogDriver === undefined) return {};
  const driver = { value: literalString(config.LogDriver) ?? JSON.stringify(config.LogDriver), at: `${path}.LogConfiguration.LogDriver` };
  if (driver.value === 'syslog') {
    const address = literalString(isObject(config.Options) ? config.Options['syslog-address'] : undefined);
    return address === undefined ? { driver } : { driver, syslogAddress: { value: address, at: `${path}.LogConfiguration.Options.syslog-address` } };
  }
  const options = isObject(config.Options) ? config.Options : {};
  const at = `${path}.LogConfiguration.Options`;
  if (driver.value === 'awsfirelens') {
    const router = firelensRouter(task);
    const keys = outputKeys(router ? literalString(router.Type) : undefined);
    const output = firelensOutput(options, keys, at);
    const loss = deployTimeOutput(options, keys, at) ?? firelensLoss(options, output, router, at);
    const kept = loss === undefined && output !== undefined && isCloudWatchOutput(output.value) ? firelensGroup(reading, options, at) : {};
    return { driver, ...(output ? { firelensOutput: output } : {}), ...(loss ? { firelensLoss: loss } : {}), ...kept };
  }
  if (driver.value !== 'awslogs') return { driver };
  // Docker's awslogs driver sends to awslogs-endpoint instead of the region's own: another region's, or any.
  const endpoint = options['awslogs-endpoint'];
  if (endpoint !== undefined) {
    const endpointAt = `${at}.awslogs-endpoint (${JSON.stringify(endpoint)}, where the logs go instead of the stack's region)`;
    return { driver, logGroup: AWSLOGS_GROUP, retentionDays: { value: 'unknown', at: endpointAt } };
  }
  // A group the app does not define may never expire; with awslogs-create-group ECS creates it without a retention period.
  const created = literalBoolean(options['awslogs-create-group']) === true ? ', and awslogs-create-group makes ECS create it without a retention period' : '';
  const group = { name: options['awslogs-group'], at: `${at}.awslogs-group`, region: options['awslogs-region'], regionAt: `${at}.awslogs-region`, created };
  return { driver, logGroup: AWSLOGS_GROUP, ...groupRetention(reading, group) };
}

/** Where a group is named, in which region, and what creates it when the app does not (for messages). */
interface NamedGroup {
  readonly name: unknown;
  readonly at: string;
  readonly region: unknown;
  readonly regionAt: string;
  readonly created: string;
}

/**
 * The retention of the log group named, as the app defines it; undefined when the group never expires.
 * A group in another region, or one the app does not define (or only under a condition), is not the
 * app's: its retention is unknown.
 */
function groupRetention(reading: TemplatePlace, group: NamedGroup): Pick<LoggingPosture, 'retentionDays'> {
  if (!isOwnRegion(reading, group.region)) {
    // The group of that name in another region is not the app's: ECS may create it there, without a retention period.
    return { retentionDays: { value: 'unknown', at: `${group.regionAt} (${JSON.stringify(group.region)}, not the stack's region)` } };
  }
  const found = logGroupOf(reading, group.name);
  if (!found) {
    const name = literalString(group.name);
    const elsewhere = name !== undefined && logGroupsByName(reading.app).has(name) ? ' in the task\'s account and region' : '';
    return { retentionDays: { value: 'unknown', at: `${group.at} (${JSON.stringify(group.name)}, a log group the app does not define${elsewhere}${group.created})` } };
  }
  const [scope, logicalId, resource, condition] = found;
  if (condition !== undefined) {
    const groupId = atIn(reading, scope, logicalId);
    return { retentionDays: { value: 'unknown', at: `${group.at} (${JSON.stringify(group.name)}, the log group ${groupId} exists only when ${condition} is true${group.created})` } };
  }
  const retention = resource.Properties?.RetentionInDays;
  if (retention === undefined) return {};
  const retentionAt = atIn(reading, scope, logicalId, 'Properties', 'RetentionInDays');
  const days = literalNumber(retention);
  return { retentionDays: days !== undefined ? { value: days, at: retentionAt } : { value: 'unknown', at: `${retentionAt} (${JSON.stringify(retention)}, only known at deploy time)` } };
}

const isCloudWatchOutput = (output: string) => /^cloudwatch(_logs)?$/i.test(output.trim());

// Fluent Bit reads a boolean setting as true from true, on or yes, in any case.
const isFluentBitTrue = (value: unknown) => value === true || /^(true|on|yes)$/i.test(literalString(value) ?? '');

/** The retention a CloudWatch output gives a group it creates: log_retention_days, which Fluent Bit applies only above 0. */
function createdRetentionDays(options: Json): number | undefined {
  const days = literalNumber(options.log_retention_days);
  return days !== undefined && days > 0 ? days : undefined;
}

/**
 * The group a FireLens CloudWatch output (Fluent Bit's) writes to, judged as awslogs's is: log_group_name
 * in region. A group it creates (auto_create_group) gets log_retention_days; one named per record at run
 * time (log_group_template) cannot be told.
 */
function firelensGroup(reading: TemplatePlace, options: Json, at: string): Pick<LoggingPosture, 'logGroup' | 'retentionDays'> {
  if (options.log_group_template !== undefined) {
    return { logGroup: FIRELENS_GROUP, retentionDays: { value: 'unknown', at: `${at}.log_group_template (${JSON.stringify(options.log_group_template)}, a group named at run time)` } };
  }
  const days = createdRetentionDays(options);
  if (isFluentBitTrue(options.auto_create_group) && days !== undefined) {
    return { logGroup: FIRELENS_GROUP, retentionDays: { value: days, at: `${at}.log_retention_days` } };
  }
  const group = { name: options.log_group_name, at: `${at}.log_group_name`, region: options.region, regionAt: `${at}.region`, created: '' };
  return { logGroup: FIRELENS_GROUP, ...groupRetention(reading, group) };
}

/** Whether an awslogs-region is the region of the template's stack: `{ Ref: AWS::Region }`, the stack's region written out, or none. */
/** The FirelensConfiguration of the task's FireLens router (its Type, fluentbit or fluentd, and its Options). */
function firelensRouter(task: Json): Json | undefined {
  const router = (Array.isArray(task.ContainerDefinitions) ? task.ContainerDefinitions : [])
    .find((c): c is Json => isObject(c) && isObject(c.FirelensConfiguration));
  return router ? router.FirelensConfiguration as Json : undefined;
}

/**
 * What loses the logs whatever the output: an `exclude-pattern` matching every record (the ECS agent makes
 * it a grep filter), no output named and no configuration file of the router to name one, or a CloudWatch
 * output creating its group without a retention period (as awslogs-create-group does).
 */
function firelensLoss(
  options: Json, output: { value: string } | undefined, router: Json | undefined, at: string,
): { value: string; at: string } | undefined {
  const exclude = literalString(options['exclude-pattern']);
  if (exclude !== undefined && matchesEverything(exclude)) {
    return { value: `its exclude-pattern ${JSON.stringify(exclude)} matches every record, so FireLens drops them all`, at: `${at}.exclude-pattern` };
  }
  if (options['exclude-pattern'] !== undefined && exclude === undefined) {
    return { value: `its exclude-pattern ${JSON.stringify(options['exclude-pattern'])} is only known at deploy time: it may match every record`, at: `${at}.exclude-pattern` };
  }
  const routerOptions = router && isObject(router.Options) ? router.Options : {};
  if (output === undefined && routerOptions['config-file-value'] === undefined) {
    return { value: 'no output is named (Name for Fluent Bit, @type for fluentd), and the router has no configuration file to name one: the logs go nowhere', at };
  }
  const cloudWatch = output !== undefined && isCloudWatchOutput(output.value);
  if (cloudWatch && options.auto_create_group !== undefined && typeof options.auto_create_group !== 'boolean' && literalString(options.auto_create_group) === undefined
    && createdRetentionDays(options) === undefined) {
    return {
      value: `auto_create_group ${JSON.stringify(options.auto_create_group)} is only known at deploy time: the CloudWatch output may create its log group without a retention period`,
      at: `${at}.auto_create_group`,
    };
  }
  const creates = cloudWatch && isFluentBitTrue(options.auto_create_group);
  if (creates && createdRetentionDays(options) === undefined) {
    const none = options.log_retention_days === undefined ? '' : ` (log_retention_days ${JSON.stringify(options.log_retention_days)} sets none)`;
    return { value: `auto_create_group makes the CloudWatch output create its log group without a retention period${none}`, at: `${at}.auto_create_group` };
  }
  return undefined;
}

// A pattern matching the empty string matches every record.
function matchesEverything(pattern: string): boolean {
  try {
    return new RegExp(pattern).test('');
  } catch {
    return false;
  }
}

/** The option that names the output, by the router's type: either when the template does not tell it. */
function outputKeys(type: string | undefined): readonly string[] {
  return type === 'fluentbit' ? ['Name'] : type === 'fluentd' ? ['@type'] : ['Name', '@type'];
}

// An output named only at deploy time (a parameter, a dynamic reference) may be one that discards the logs.
function deployTimeOutput(options: Json, keys: readonly string[], at: string): { value: string; at: string } | undefined {
  const key = keys.find((k) => options[k] !== undefined && literalString(options[k]) === undefined);
  if (key === undefined) return undefined;
  return { value: `its output ${key} ${JSON.stringify(options[key])} is only known at deploy time: it may be one that discards them (null)`, at: `${at}.${key}` };
}

/**
 * The output FireLens sends the logs to: the ECS agent names it from `Name` for a Fluent Bit router and
 * from `@type` for a fluentd one, and passes every other key to the plugin. With the router's type
 * unknown either may name it, so one that discards the logs is the one reported.
 */
function firelensOutput(options: Json, keys: readonly string[], at: string): { value: string; at: string } | undefined {
  const outputs = keys.filter((key) => options[key] !== undefined)
    .map((key) => ({ value: literalString(options[key]) ?? JSON.stringify(options[key]), at: `${at}.${key}` }));
  return outputs.find((o) => isDiscardingOutput(o.value)) ?? outputs[0];
}

function isOwnRegion(reading: TemplatePlace, region: unknown): boolean {
  if (region === undefined || (isObject(region) && region.Ref === 'AWS::Region')) return true;
  const written = literalString(region);
  return written !== undefined && written === reading.scope.region;
}

/** A log group of the app, and the condition it is created under when matched by name (a Ref to a missing group fails deployment). */
type FoundLogGroup = readonly [TemplateScope, string, CfnResourceJson, string?];

/**
 * The AWS::Logs::LogGroup an awslogs-group names: by reference, or by its literal name in a template that may
 * deploy to the task's account and region (a group of that name elsewhere does not hold these logs).
 */
function logGroupOf(reading: TemplatePlace, group: unknown): FoundLogGroup | undefined {
  const referenced = referencedResource(reading.app, reading.scope, group);
  if (referenced) return referenced.resource.Type === 'AWS::Logs::LogGroup' ? [referenced.scope, referenced.logicalId, referenced.resource] : undefined;
  const name = literalString(group);
  if (name === undefined) return undefined;
  const named: FoundLogGroup[] = (logGroupsByName(reading.app).get(name) ?? [])
    .filter(([scope]) => mayShareEnv(scope, reading.scope))
    .map(([scope, id, resource]) => [scope, id, resource, creationCondition(reading.app, scope, resource)]);
  return named.find((found) => found[3] === undefined) ?? named[0];
}

const LOG_GROUPS_BY_NAME = new WeakMap<AppIndex, Map<string, [TemplateScope, string, CfnResourceJson][]>>();

/** Every log group of the app with a literal name, by name (built once per app, when a container names one). */
function logGroupsByName(app: AppIndex): Map<string, [TemplateScope, string, CfnResourceJson][]> {
  let byName = LOG_GROUPS_BY_NAME.get(app);
  if (byName) return byName;
  byName = new Map();
  LOG_GROUPS_BY_NAME.set(app, byName);
  for (const scope of app.scopes) {
    for (const [id, resource] of scope.template.ofType('AWS::Logs::LogGroup')) {
      const groupName = literalString(resource.Properties?.LogGroupName);
      if (groupName !== undefined) (byName.get(groupName) ?? byName.set(groupName, []).get(groupName)!).push([scope, id, resource]);
    }
  }
  return byName;
}

/** Whether two templates may deploy to the same account and region: each is the same, or unknown in either. */
function mayShareEnv(a: TemplateScope, b: TemplateScope): boolean {
  const same = (x: string | undefined, y: string | undefined) => x === undefined || y === undefined || x === y;
  return same(a.account, b.account) && same(a.region, b.region);
}

/** The condition a resource is only created under: its own `Condition`, or that of the nested stack holding it. */
function creationCondition(app: AppIndex, scope: TemplateScope, resource: CfnResourceJson, hops = 0): string | undefined {
  const condition = (resource as { readonly Condition?: unknown }).Condition;
  if (condition !== undefined) return `condition ${typeof condition === 'string' ? condition : JSON.stringify(condition)} of ${scope.label}`;
  const parent = app.parentOf(scope);
  const stack = parent?.scope.template.Resources?.[parent.logicalId];
  return parent && stack && hops < 8 ? creationCondition(app, parent.scope, stack, hops + 1) : undefined;
}
