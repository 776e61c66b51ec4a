import { CONTROL_CATALOG, PostureReport, describeState } from '../core';

const WIDTH = Math.max(...CONTROL_CATALOG.map((c) => c.id.length));

/** The report for a terminal: per workload, one line per control (enforced / exempted until DATE (ticket) / violated). */
export function renderTable(report: PostureReport): string {
  const lines: string[] = [];
  for (const workload of report.workloads) {
    lines.push(`${workload.name}  (${workload.platform}, ${workload.file ?? workload.location})`);
    for (const status of workload.controls) {
      const details = status.state === 'violated' || status.state === 'warning'
        ? `  ${status.findings.filter((f) => f.status === 'violated').map((f) => `${f.container ? `${f.container}: ` : ''}${f.problem}`).join('; ')}`
        : '';
      lines.push(`  ${status.control.padEnd(WIDTH)}  ${describeState(status)}${details}`);
    }
    for (const problem of workload.exemptionProblems) lines.push(`  ${problem.severity}: ${problem.message}`);
    lines.push('');
  }
  const s = report.summary;
  lines.push(`${s.workloads} workload(s): ${s.violations} violation(s), ${s.exempted} exempted, ${s.warnings} warning(s), ${s.exemptionErrors} invalid exemption(s)`);
  return lines.join('\n') + '\n';
}
