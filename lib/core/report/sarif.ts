import { CONTROL_CATALOG } from '../controls';
import { Finding } from '../evaluate';
import { PostureReport, TOOL_NAME, TOOL_VERSION, WorkloadReport } from './posture-report';

const LEVEL = { error: 'error', warning: 'warning' } as const;

function location(workload: WorkloadReport, finding: Finding) {
  const logical = [{ fullyQualifiedName: finding.container ? `${workload.name}/${finding.container}` : workload.name, kind: 'resource' }];
  return workload.file
    ? { physicalLocation: { artifactLocation: { uri: workload.file } }, logicalLocations: logical }
    : { logicalLocations: logical };
}

function result(workload: WorkloadReport, finding: Finding) {
  const ruleIndex = CONTROL_CATALOG.findIndex((c) => c.id === finding.control);
  return {
    ruleId: finding.control,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${finding.problem} at ${finding.setting}; fix: ${finding.fix}` },
    locations: [location(workload, finding)],
    ...(finding.exemption ? {
      suppressions: [{
        kind: 'external',
        status: 'accepted',
        justification: finding.exemption.justification,
        properties: { expires: finding.exemption.expires, ticket: finding.exemption.ticket, container: finding.exemption.container },
      }],
    } : {}),
  };
}

/** The report as a SARIF 2.1.0 log: one rule per control, exemptions as accepted suppressions. */
export function renderSarif(report: PostureReport): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: TOOL_VERSION,
          rules: CONTROL_CATALOG.map((c) => ({
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
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: report.workloads.flatMap((w) => w.exemptionProblems.map((p) => ({
          level: LEVEL[p.severity],
          message: { text: p.message },
        }))),
      }],
      results: report.workloads.flatMap((w) => w.controls.flatMap((c) => c.findings.map((f) => result(w, f)))),
    }],
  };
}
