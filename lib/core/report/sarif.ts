import { CONTROL_CATALOG } from '../controls';
import { Finding } from '../evaluate';
import {
  AcknowledgedUnreadResource, ExemptionProblemReport, PostureReport, TOOL_NAME, TOOL_VERSION, UnreadInput, WorkloadReport, describeUnreadInput,
} from './posture-report';

const LEVEL = { error: 'error', warning: 'warning' } as const;

/** Rule ids of exemption problems, which are not violations of a control but fail (or warn about) the check all the same. */
export const INVALID_EXEMPTION_RULE = 'INVALID_EXEMPTION';
export const EXEMPTION_WARNING_RULE = 'EXEMPTION_WARNING';
/** The rule id of a resource whose containers are not read, as the validation plugin names it without its prefix. */
export const UNREAD_CONTAINERS_RULE = 'UNREAD_CONTAINERS';

// Listed after the controls: a result's ruleIndex counts from the end of the catalog.
const NON_CONTROL_RULES = [
  {
    id: INVALID_EXEMPTION_RULE,
    name: 'InvalidExemption',
    shortDescription: { text: 'An exemption is invalid and covers nothing' },
    fullDescription: {
      text: 'An exemption that has expired, has a placeholder justification, breaks the security policy (ticket, expiry, '
        + 'non-waivable control) or names a container the workload does not have fails the check, and the setting it '
        + 'was meant to permit is reported as a violation.',
    },
    help: { text: 'Fix the exemption as the message says, or restore the secure setting and remove the exemption.' },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security'] },
  },
  {
    id: EXEMPTION_WARNING_RULE,
    name: 'ExemptionWarning',
    shortDescription: { text: 'An exemption expires soon or covers nothing' },
    fullDescription: { text: 'An exemption within the policy\'s expiry warning window, or one that no weakened setting uses.' },
    help: { text: 'Renew the exemption or restore the secure setting before it expires; remove an unused exemption.' },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['security'] },
  },
  {
    id: UNREAD_CONTAINERS_RULE,
    name: 'UnreadContainers',
    shortDescription: { text: 'A resource runs containers whose settings no check reads' },
    fullDescription: {
      text: 'A daemon task definition, an Express Mode service given its container, or a stack whose template is not read: '
        + 'no control can be proven for the containers it runs. It fails the check unless an acknowledgement with a justification covers it.',
    },
    help: { text: 'Run the containers in a task definition the checks read, deploy the template as a nested stack of the app, or acknowledge it with the reason it was reviewed.' },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security'] },
  },
];

/**
 * A file path as a SARIF artifact URI (an RFC 3986 URI reference): backslashes read as separators,
 * each segment percent-encoded; relative paths stay relative, absolute ones become `file:` URIs.
 */
export function fileUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${slashed.slice(0, 2)}${encodeSegments(slashed.slice(2))}`;
  if (slashed.startsWith('//')) return `file:${encodeSegments(slashed)}`; // a UNC path: //server/share/...
  if (slashed.startsWith('/')) return `file://${encodeSegments(slashed)}`;
  return encodeSegments(slashed);
}

function encodeSegments(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function location(workload: WorkloadReport, container: string | undefined) {
  const logical = [{ fullyQualifiedName: container !== undefined ? `${workload.name}/${container}` : workload.name, kind: 'resource' }];
  return workload.file
    ? { physicalLocation: { artifactLocation: { uri: fileUri(workload.file) } }, logicalLocations: logical }
    : { logicalLocations: logical };
}

/** The report's entry for the exemption that covers a finding (the finding holds the exemption as it was given). */
function reportedExemption(workload: WorkloadReport, finding: Finding) {
  const given = finding.exemption;
  const status = workload.controls.find((c) => c.control === finding.control);
  return status?.exemptions.find((e) => e.justification === given?.justification && e.container === given?.container);
}

function findingResult(workload: WorkloadReport, finding: Finding) {
  const ruleIndex = CONTROL_CATALOG.findIndex((c) => c.id === finding.control);
  return {
    ruleId: finding.control,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${finding.problem} at ${finding.setting}; fix: ${finding.fix}` },
    locations: [location(workload, finding.container)],
    ...(finding.exemption ? {
      suppressions: [{
        kind: 'external',
        status: 'accepted',
        justification: finding.exemption.justification,
        properties: {
          expires: finding.exemption.expires,
          ticket: finding.exemption.ticket,
          container: finding.exemption.container,
          acknowledgedAt: reportedExemption(workload, finding)?.acknowledgedAt,
        },
      }],
    } : {}),
  };
}

// Code scanning shows results, not notifications: an invalid exemption that fails the build must be one.
function exemptionResult(workload: WorkloadReport, problem: ExemptionProblemReport) {
  const ruleId = problem.severity === 'error' ? INVALID_EXEMPTION_RULE : EXEMPTION_WARNING_RULE;
  return {
    ruleId,
    ruleIndex: CONTROL_CATALOG.length + NON_CONTROL_RULES.findIndex((r) => r.id === ruleId),
    level: LEVEL[problem.severity],
    message: { text: problem.message.includes(workload.name) ? problem.message : `${workload.name}: ${problem.message}` },
    locations: [location(workload, problem.container)],
    properties: { control: problem.control, exemptionIndex: problem.index },
  };
}

// Passed by an acknowledgement: a result, so that code scanning lists it, suppressed as an exemption is.
function unreadContainersResult(resource: AcknowledgedUnreadResource) {
  return {
    ruleId: UNREAD_CONTAINERS_RULE,
    ruleIndex: CONTROL_CATALOG.length + NON_CONTROL_RULES.findIndex((r) => r.id === UNREAD_CONTAINERS_RULE),
    level: 'error',
    message: { text: resource.problem },
    locations: [{
      physicalLocation: { artifactLocation: { uri: fileUri(resource.file) } },
      logicalLocations: [{ fullyQualifiedName: resource.resource, kind: 'resource' }],
    }],
    suppressions: [{ kind: 'external', status: 'accepted', justification: resource.justification, properties: { acknowledgedAt: resource.acknowledgedAt } }],
  };
}

// An input that could not be read makes the run incomplete: a notification, not a result about the code.
function unreadNotification(input: UnreadInput) {
  const region = input.line !== undefined ? { region: { startLine: input.line } } : {};
  return {
    level: 'error',
    message: { text: `not read, so not checked: ${describeUnreadInput(input)}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(input.file) }, ...region } }],
  };
}

/**
 * The report as a SARIF 2.1.0 log: one rule per control, exemptions as accepted suppressions, and
 * exemption problems as results of the INVALID_EXEMPTION (error) and EXEMPTION_WARNING rules; an
 * acknowledged resource whose containers are not read is an UNREAD_CONTAINERS result with an accepted
 * suppression; inputs that could not be read make the run unsuccessful, each a tool execution notification.
 */
export function renderSarif(report: PostureReport): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: TOOL_VERSION,
          rules: [
            ...CONTROL_CATALOG.map((c) => ({
              id: c.id,
              name: c.title.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
              shortDescription: { text: c.title },
              fullDescription: { text: c.rationale },
              help: { text: `Kubernetes: ${c.kubernetes}. ECS: ${c.ecs}.` },
              defaultConfiguration: { level: LEVEL[c.severity] },
              properties: {
                tags: ['security'],
                podSecurityStandards: c.mappings.podSecurityStandards,
                securityHub: c.mappings.securityHub,
                controlTower: c.mappings.controlTower,
                cis: c.mappings.cis,
              },
            })),
            ...NON_CONTROL_RULES,
          ],
        },
      },
      invocations: [{
        executionSuccessful: report.unreadInputs.length === 0,
        ...(report.unreadInputs.length > 0 ? { toolExecutionNotifications: report.unreadInputs.map(unreadNotification) } : {}),
      }],
      results: [
        ...report.workloads.flatMap((w) => [
          ...w.controls.flatMap((c) => c.findings.map((f) => findingResult(w, f))),
          ...w.exemptionProblems.map((p) => exemptionResult(w, p)),
        ]),
        ...(report.unreadContainers ?? []).map(unreadContainersResult),
      ],
    }],
  };
}
