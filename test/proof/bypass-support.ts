// The shape of a bypass catalogue row, shared by the ECS and Kubernetes catalogues.
import { ControlId, Exemption, SecurityPolicyProps } from '../../lib/core';

/**
 * One way to weaken a control AFTER construction. `apply` runs on a freshly built service; the same
 * row is built twice: without exemptions (must fail naming every control), and with `cover` (must
 * pass, unless the row is `refused`: then it must still fail, for the reason `refused` matches).
 */
export interface Bypass<Built> {
  readonly name: string;
  /** The controls the bypass weakens: the error must name each one. */
  readonly controls: readonly ControlId[];
  /** The container the findings name; undefined for settings of the whole workload. */
  readonly container?: string;
  /** The workload the findings name, when it is not the service's own. */
  readonly workload?: string;
  /** A policy set above the service before it is built. */
  readonly policy?: SecurityPolicyProps;
  /** More the failing half's message must match (the setting, the value). */
  readonly detail?: RegExp;
  /** The exemptions that try to cover the bypass. @default - one valid exemption per control, for `container` */
  readonly cover?: readonly Exemption[];
  /** Set when no exemption can make the bypass pass: what the covered half's error must say. */
  readonly refused?: RegExp;
  /** Applies the bypass; `exemptions` are the covering ones (empty in the failing half), for rows that record them on objects they create. */
  apply(built: Built, exemptions: readonly Exemption[]): void;
}

/** A justification good enough for any policy in these catalogues. */
export function justified(control: ControlId, more: Partial<Exemption> = {}): Exemption {
  return { control, justification: `Vendor agent needs this until the Q3 rewrite; reviewed by platform security as ${control}`, ...more };
}

/** The default cover of a row: one valid exemption per control, for the row's container. */
export function coverOf(row: Bypass<unknown>): readonly Exemption[] {
  return row.cover ?? row.controls.map((control) => justified(control, row.container !== undefined ? { container: row.container } : {}));
}

/** Escapes text for use in a RegExp. */
export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every row name must be unique, so a failure points at one row. */
export function assertUniqueNames(rows: readonly { readonly name: string }[]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.name)) throw new Error(`duplicate bypass row name: ${row.name}`);
    seen.add(row.name);
  }
}
