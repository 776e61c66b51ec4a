import { ControlStatus, PostureReport, ReportedExemption, describeUnreadInput, summaryLine } from './posture-report';

/** The state of one control as a table cell: `exempted until 2027-03-31 (SEC-1421)`, `exempted by acknowledgement at Shop/Api (no expiry)`. */
export function describeState(status: ControlStatus): string {
  switch (status.state) {
    case 'exempted':
      return status.exemptions.map((e) => {
        const how = e.acknowledgedAt !== undefined ? `exempted by acknowledgement at ${e.acknowledgedAt || '<app>'}` : 'exempted';
        const until = e.expires ? `${how} until ${e.expires}` : `${how} (no expiry)`;
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

const STATUS_WORDS = { 'in-force': 'in force', 'expiring': 'expiring', 'unused': 'unused', 'invalid': 'invalid' } as const;

/** Where an exemption stands, and why: `in force`, `invalid: exemptions[0] (...): expired on 2026-05-01; ...`. */
export function describeExemptionStatus(exemption: ReportedExemption): string {
  const why = exemption.statusReasons.length > 0 ? `: ${exemption.statusReasons.join('; ')}` : '';
  const source = exemption.acknowledgedAt !== undefined ? ` (by acknowledgement at ${exemption.acknowledgedAt || '<app>'})` : '';
  return `${STATUS_WORDS[exemption.status]}${source}${why}`;
}

/** Text from user input in a heading or a paragraph: one line. */
const line = (text: string): string => text.replace(/\r?\n|\r/g, ' ');

/** The report as Markdown: a summary, then a table per workload and its exemptions. */
export function renderMarkdown(report: PostureReport): string {
  const lines = [`# Security posture (${report.date})`, '', `${summaryLine(report, 'exempted finding(s)')}.`];
  if (report.unreadInputs.length > 0) {
    lines.push('', '## Inputs not read', '', 'The report does not cover these: fix them and check again.', '');
    for (const input of report.unreadInputs) lines.push(`- ${line(describeUnreadInput(input))}`);
  }
  if (report.unreadContainers?.length) {
    lines.push('', '## Containers not read (acknowledged)', '',
      'These resources run containers whose settings no check reads, so no control is proven for them; each is passed by an '
      + 'acknowledgement of secure-service::UNREAD_CONTAINERS.', '',
      '| File | Resource | Why not read | Acknowledged at | Justification |', '|---|---|---|---|---|');
    for (const r of report.unreadContainers) {
      lines.push(`| ${[r.file, r.resource, r.problem, r.acknowledgedAt, r.justification].map(cell).join(' | ')} |`);
    }
  }
  for (const workload of report.workloads) {
    lines.push('', `## ${line(workload.name)}`, '', line(`${workload.platform}, ${workload.file ?? workload.location}`), '', '| Control | State | Details |', '|---|---|---|');
    for (const status of workload.controls) {
      // In a row that is not all exempted, say which of its findings are, as the table and JSON do.
      const marked = status.state !== 'exempted';
      const details = status.findings.map((f) => `${f.container ? `${f.container}: ` : ''}${f.problem}${marked && f.status === 'exempted' ? ' (exempted)' : ''}`).join('; ');
      lines.push(`| ${status.control} | ${cell(describeState(status))} | ${cell(details)} |`);
    }
    if (workload.exemptions.length > 0) {
      lines.push('', '| Exemption for control | Container | Justification | Expires | Ticket | Status |', '|---|---|---|---|---|---|');
      for (const e of workload.exemptions) {
        const fields = [e.control, e.container ?? '(all)', e.justification, e.expires ?? 'never', e.ticket ?? '', describeExemptionStatus(e)];
        lines.push(`| ${fields.map(cell).join(' | ')} |`);
      }
    }
    for (const problem of workload.exemptionProblems) {
      lines.push('', `- ${problem.severity}: ${cell(problem.message)}`);
    }
  }
  return lines.join('\n') + '\n';
}
