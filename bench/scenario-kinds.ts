/**
 * What the benchmark can measure, in one list for the runner, the measured child and their types. A
 * module of its own with no imports: the child loads it, and must load nothing it does not measure.
 * `*-process`: the whole cold process (child.ts, measureProcess); the others: N services after a warm-up.
 */
export const SCENARIO_KINDS = ['ecs', 'k8s', 'ecs-checks', 'k8s-checks', 'ecs-process', 'k8s-process'] as const;

export type ScenarioKind = typeof SCENARIO_KINDS[number];
