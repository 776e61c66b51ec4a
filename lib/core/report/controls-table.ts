import { CONTROL_CATALOG } from '../controls';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The control catalog as a Markdown table with the standard mappings (the README's table is generated from it). */
export function renderControlsTable(): string {
  const rows = CONTROL_CATALOG.map((c) => {
    const standards = [
      c.mappings.podSecurityStandards ? `PSS ${c.mappings.podSecurityStandards}` : undefined,
      ...c.mappings.securityHub.map((id) => `Security Hub ${id}`),
      ...c.mappings.controlTower,
      ...c.mappings.cis,
    ].filter((s): s is string => s !== undefined);
    return `| \`${c.id}\` | ${c.severity} | ${cell(c.title)} | ${cell(c.kubernetes)} | ${cell(c.ecs)} | ${cell(standards.join('; ') || '-')} |`;
  });
  return ['| Control | Severity | What it means | Kubernetes | ECS | Standards |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
