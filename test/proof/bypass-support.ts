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

/** How a catalogue builds a row's service and reads what synthesis says. */
export interface Catalogue<Built, Row extends Bypass<Built>> {
  /** What the failing half's title says the message names besides control and container, e.g. 'the construct path'. */
  readonly where: string;
  /** The workload the findings name when the row names none. */
  readonly defaultWorkload: string;
  /** Builds the service of `row`, with `exemptions` given to it. */
  build(row: Row, exemptions: readonly Exemption[]): Built;
  /** The message synthesis fails with, or '' when it succeeds. */
  synthError(built: Built): string;
  /** More the failing half's message must say for `row`. */
  expectAlso?(error: string, row: Row): void;
}

/**
 * The tests of every row: without exemptions synthesis fails naming each control and the subject;
 * with its cover it passes, or, for a refused row, still fails for the reason `refused` matches.
 */
export function describeRows<Built, Row extends Bypass<Built>>(rows: readonly Row[], catalogue: Catalogue<Built, Row>): void {
  describe.each(rows.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const subject = `${row.workload ?? catalogue.defaultWorkload}${row.container !== undefined ? ` container '${row.container}'` : ':'}`;

    test(`fails synthesis naming the control, ${catalogue.where} and the container`, () => {
      // GIVEN
      const built = catalogue.build(row, []);
      // WHEN
      row.apply(built, []);
      const error = catalogue.synthError(built);
      // THEN
      catalogue.expectAlso?.(error, row);
      for (const control of row.controls) expect(error).toMatch(new RegExp(`\\[${control}\\] ${escape(subject)}`));
      if (row.detail) expect(error).toMatch(row.detail);
    });

    if (row.refused) {
      test(`still fails with ${row.cover ? 'the exemption given' : 'a valid exemption'}: it cannot be exempted`, () => {
        const cover = coverOf(row);
        const built = catalogue.build(row, cover);
        row.apply(built, cover);
        expect(catalogue.synthError(built)).toMatch(row.refused!);
      });
    } else {
      test('passes with a valid exemption of the control for that container', () => {
        const cover = coverOf(row);
        const built = catalogue.build(row, cover);
        row.apply(built, cover);
        expect(catalogue.synthError(built)).toBe('');
      });
    }
  });
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
