/**
 * A task definition read in every combination of a template's conditions (`Fn::If`) is reported once
 * per distinct reading, named with the conditions that reading needs: only those that change it, and
 * only the values every combination giving it shares ("Api (when condition Debug of x is true)").
 */
import { ReportedAssessment } from '../core';
import { ConditionChoice, conditionsOf } from '../ecs/template-conditions';

/** A task definition's assessment in one combination of the conditions. */
export interface Reading {
  readonly choices: readonly ConditionChoice[];
  readonly assessment: ReportedAssessment;
}

/**
 * One task definition's assessment in each combination: once when they agree, else once per distinct
 * one, named with the conditions it holds under. `templateFile(i)` names template i in those names.
 */
export function distinctReadings(readings: readonly Reading[], templateFile: (template: number) => string): ReportedAssessment[] {
  // Compared by what the report shows of them (findings, exemptions and their problems), not by the posture
  // read: a condition that changes only a harmless value (a log level) splits nothing.
  const outcomes = readings.map((r) => {
    const { workload, ...judged } = r.assessment;
    return { choices: r.choices, key: JSON.stringify(judged) };
  });
  const groups = new Map<string, number[]>();
  outcomes.forEach(({ key }, k) => (groups.get(key) ?? groups.set(key, []).get(key)!).push(k));
  if (groups.size === 1) return [readings[0].assessment];
  const { name } = readings[0].assessment.workload;
  return [...groups.values()].map((group) => {
    const { assessment } = readings[group[0]];
    const when = conditionsOf(outcomes, group, templateFile);
    return { ...assessment, workload: { ...assessment.workload, name: `${name} (when ${when})` }, workloadKey: `${assessment.workload.file}\0${name}` };
  });
}
