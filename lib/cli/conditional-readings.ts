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
  const elsewhere = exemptionsUsedElsewhere(readings, templateFile);
  return [...groups.values()].map((group) => {
    const { assessment } = readings[group[0]];
    const when = conditionsOf(outcomes, group, templateFile);
    const usedHere = usedIn(assessment);
    const usedElsewhere = elsewhere.filter(({ index }) => !usedHere.has(index));
    return {
      ...assessment,
      workload: { ...assessment.workload, name: `${name} (when ${when})` },
      workloadKey: `${assessment.workload.file}\0${name}`,
      // One exemption of one task definition: used when any combination uses it, so not "remove it" in the others.
      exemptionProblems: assessment.exemptionProblems.filter((p) => !(p.unused && usedElsewhere.some(({ index }) => index === p.index))),
      ...(usedElsewhere.length > 0 ? { coveringInOtherReadings: usedElsewhere } : {}),
    };
  });
}

/** The positions (in `exemptions`) of the exemptions that cover a finding of an assessment. */
function usedIn(assessment: ReportedAssessment): Set<number> {
  return new Set(assessment.findings.flatMap((f) => (f.exemption ? [assessment.exemptions.indexOf(f.exemption)] : [])));
}

/** Each exemption some readings use but not all, and the conditions under which they use it. */
function exemptionsUsedElsewhere(readings: readonly Reading[], templateFile: (template: number) => string): { index: number; when: string }[] {
  const used = readings.map((r) => usedIn(r.assessment));
  return readings[0].assessment.exemptions.flatMap((_, index) => {
    const using = used.flatMap((u, k) => (u.has(index) ? [k] : []));
    if (using.length === 0 || using.length === readings.length) return [];
    const outcomes = readings.map((r, k) => ({ choices: r.choices, key: String(used[k].has(index)) }));
    return [{ index, when: conditionsOf(outcomes, using, templateFile) }];
  });
}
