import { CONTROL_CATALOG, PostureReport, ReportedExemption, WorkloadReport, describeState, describeUnreadContainers, describeUnreadInput, summaryLine } from '../core';

const WIDTH = Math.max(...CONTROL_CATALOG.map((c) => c.id.length));

/**
 * The report for a terminal: per workload, one line per control (enforced / exempted until DATE (ticket) /
 * violated), its exemptions with their status and justification, then what could not be read and the
 * acknowledged resources whose containers are not read.
 */
export function renderTable(report: PostureReport): string {
  const lines: string[] = [];
  for (const workload of report.workloads) lines.push(...workloadLines(workload), '');
  if (report.unreadInputs.length > 0) {
    lines.push('not read, so not checked:');
    for (const input of report.unreadInputs) lines.push(`  ${describeUnreadInput(input)}`);
    lines.push('');
  }
  if (report.unreadContainers?.length) {
    lines.push('containers not read, so not checked, passed by acknowledgement:');
    for (const resource of report.unreadContainers) lines.push(`  ${describeUnreadContainers(resource)}`);
    lines.push('');
  }
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

function workloadLines(workload: WorkloadReport): string[] {
  const lines = [`${workload.name}  (${workload.platform}, ${workload.file ?? workload.location})`];
  for (const status of workload.controls) {
    const details = status.state === 'violated' || status.state === 'warning'
      ? `  ${status.findings.filter((f) => f.status === 'violated').map((f) => `${f.container ? `${f.container}: ` : ''}${f.problem}`).join('; ')}`
      : '';
    lines.push(`  ${status.control.padEnd(WIDTH)}  ${describeState(status)}${details}`);
  }
  const printed = new Set(workload.exemptionProblems.map((p) => p.message));
  for (const exemption of workload.exemptions) lines.push(...exemptionLines(exemption, printed));
  for (const problem of workload.exemptionProblems) lines.push(`  ${problem.severity}: ${problem.message}`);
  return lines;
}

// The status, and the reasons for it that are not among the workload's error and warning lines, which follow.
function exemptionLines(e: ReportedExemption, printed: ReadonlySet<string>): string[] {
  const status = e.status === 'in-force' ? 'in force' : e.status;
  const facts = [
    status,
    ...(e.acknowledgedAt !== undefined ? [`by acknowledgement at ${e.acknowledgedAt || '<app>'}`] : []),
    e.expires !== undefined ? `until ${e.expires}` : 'no expiry',
    ...(e.ticket !== undefined ? [`ticket ${e.ticket}`] : []),
    ...e.statusReasons.filter((reason) => !printed.has(reason)),
  ];
  const container = e.container !== undefined ? `container ${e.container}` : 'every container';
  return [`  exemption of ${e.control} (${container}): ${facts.join(', ')}`, `    justification: ${e.justification}`];
}
