import { ControlStatus, PostureReport } from './posture-report';

/** The state of one control as a table cell: `exempted until 2027-03-31 (SEC-1421)`. */
export function describeState(status: ControlStatus): string {
  switch (status.state) {
    case 'exempted':
      return status.exemptions.map((e) => {
        const until = e.expires ? `exempted until ${e.expires}` : 'exempted (no expiry)';
        return e.ticket ? `${until} (${e.ticket})` : until;
      }).join('; ');
    case 'not-applicable':
      return 'n/a';
    default:
      return status.state;
  }
}

/**
 * Text from user input (names, justifications, tickets, dates) as a table cell. The backslash is escaped
 * first: GitHub reads `\\` as one escaped character, so a `\` before our `\|` would unescape the pipe.
 */
const cell = (text: unknown): string => String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');

/** Text from user input in a heading or a paragraph: one line. */
const line = (text: string): string => text.replace(/\r?\n|\r/g, ' ');

/** The report as Markdown: a summary, then a table per workload and its exemptions. */
export function renderMarkdown(report: PostureReport): string {
  const { summary } = report;
  const lines = [
    `# Security posture (${report.date})`,
    '',
    `${summary.workloads} workload(s): ${summary.violations} violation(s), ${summary.exempted} exempted finding(s), ${summary.warnings} warning(s), ${summary.exemptionErrors} invalid exemption(s).`,
  ];
  for (const workload of report.workloads) {
    lines.push('', `## ${line(workload.name)}`, '', line(`${workload.platform}, ${workload.file ?? workload.location}`), '', '| Control | State | Details |', '|---|---|---|');
    for (const status of workload.controls) {
      const details = status.findings.map((f) => `${f.container ? `${f.container}: ` : ''}${f.problem}`).join('; ');
      lines.push(`| ${status.control} | ${cell(describeState(status))} | ${cell(details)} |`);
    }
    if (workload.exemptions.length > 0) {
      lines.push('', '| Exempted control | Container | Justification | Expires | Ticket |', '|---|---|---|---|---|');
      for (const e of workload.exemptions) {
        lines.push(`| ${cell(e.control)} | ${cell(e.container ?? '(all)')} | ${cell(e.justification)} | ${cell(e.expires ?? 'never')} | ${cell(e.ticket ?? '')} |`);
      }
    }
    for (const problem of workload.exemptionProblems) {
      lines.push('', `- ${problem.severity}: ${cell(problem.message)}`);
    }
  }
  return lines.join('\n') + '\n';
}
