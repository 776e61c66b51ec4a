/** The benchmark's results as JSON (stdout) and as the Markdown table of bench/RESULTS.md. */
import * as os from 'os';
import { ratioInterval } from './interval';

/** The machine a run happened on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly date: string;
  /** 1-minute load average at the start and the end: other work on the machine makes timings noisy. */
  readonly loadAverage: readonly [number, number];
}

/** Medians of one scenario at one N. */
export interface Cell {
  readonly n: number;
  readonly runs: number;
  readonly medianMs: number;
  /** Median CPU time (user + system): the steadier figure on a shared machine. */
  readonly medianCpuMs: number;
  readonly medianMaxRssMiB: number;
  /**
   * Every run's wall time, in the order the schedule ran them: the i-th samples of a comparison's two
   * sides ran back to back, and `pairedRatio` (interval.ts) pairs them by that position.
   */
  readonly samplesMs: readonly number[];
}

/** One target (ECS or Kubernetes): ours against hand-written, per N. */
export interface Comparison {
  readonly target: 'ecs' | 'k8s';
  readonly ours: readonly Cell[];
  readonly hand: readonly Cell[];
}

/** The app-wide checks alone, per N. */
export interface ChecksResult {
  readonly target: 'ecs' | 'k8s';
  readonly cells: readonly Cell[];
}

/** Everything a run measured. */
export interface Results {
  readonly machine: Machine;
  readonly servicesPerEcsStack: number;
  /** Whether the ECS comparison ran with CDK's built-in CloudFormation validation on (on both sides). */
  readonly cdkValidation: boolean;
  /** Services each measured process built before its clock started (1 unless BENCH_WARM_UP set it). */
  readonly warmUpServices: number;
  readonly comparisons: readonly Comparison[];
  /** The same comparison as whole cold processes: start-up, loading, building and synthesis (child.ts, measureProcess). */
  readonly processes: readonly Comparison[];
  readonly checks: readonly ChecksResult[];
}

/** The targets of issue 7. */
export const TARGETS = { ratio: 1.1, checksMsPerWorkload: 5, growth: 5.5 } as const;

/** The current machine; `startLoad` is the load average taken before the run. */
export function describeMachine(startLoad: number): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    loadAverage: [startLoad, os.loadavg()[0]],
  };
}

/** Median time at the largest N over the median at the one before it (100 -> 500 in a full run). */
export function growth(cells: readonly Cell[]): number | undefined {
  if (cells.length < 2) return undefined;
  const [before, last] = cells.slice(-2);
  return last.medianMs / before.medianMs;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const mark = (ok: boolean) => (ok ? 'yes' : '**no**');

function comparisonTable(comparisons: readonly Comparison[]): string[] {
  const lines = [
    `| target | N | runs | ours ms | hand-written ms | ratio (target <= ${TARGETS.ratio}) | 95% interval | CPU ms ours / hand-written | CPU ratio | ours peak RSS MiB | hand-written peak RSS MiB |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of comparisons) {
    c.ours.forEach((ours, i) => {
      const hand = c.hand[i];
      const ratio = ours.medianMs / hand.medianMs;
      const cpuRatio = ours.medianCpuMs / hand.medianCpuMs;
      const [low, high] = ratioInterval(ours.samplesMs, hand.samplesMs);
      lines.push(`| ${c.target} | ${ours.n} | ${ours.runs} | ${ms(ours.medianMs)} | ${ms(hand.medianMs)} | ${ratio.toFixed(3)} ${mark(ratio <= TARGETS.ratio)} | `
        + `${low.toFixed(2)}-${high.toFixed(2)} | ${ms(ours.medianCpuMs)} / ${ms(hand.medianCpuMs)} | ${cpuRatio.toFixed(2)} | ${ours.medianMaxRssMiB.toFixed(0)} | ${hand.medianMaxRssMiB.toFixed(0)} |`);
    });
  }
  return lines;
}

/** The Markdown written to bench/RESULTS.md. */
export function markdown(results: Results): string {
  const { machine } = results;
  const lines = [
    '# Benchmark results',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date}.`,
    `Load average (1 min) ${machine.loadAverage[0].toFixed(2)} at the start, ${machine.loadAverage[1].toFixed(2)} at the end: `
      + 'the machine was shared with other work, so timings are noisy; compare ratios, not absolute times.',
    '',
    'Each cell is the median of fresh `node` processes (one per measurement; every cell\'s runs spread evenly over the whole benchmark, ours and hand-written back to back, alternating which goes first); time is '
      + 'building and synthesizing (`app.synth()`) as wall time and as CPU time (user + system), peak RSS is the whole process. '
      + `Before the clock starts, each process builds and synthesizes ${results.warmUpServices === 1 ? 'one service' : `${results.warmUpServices} services`} of its own side (the checks alone: hand-written), then collects the garbage that and the loading left (\`global.gc()\`; the checks alone then prepare their input). `
      + `ECS: ${results.servicesPerEcsStack} services per stack on both sides, CDK's built-in CloudFormation validation ${results.cdkValidation ? 'on' : 'off'} (both sides). `
      + '95% interval: where the ratio of medians lies, by bootstrap resampling of both sides\' runs; it is wide where the machine was noisy.',
    '',
    '## Ours against hand-written',
    '',
    ...comparisonTable(results.comparisons),
  ];
  if (results.processes.length > 0) {
    lines.push('', '## The whole process: what `cdk synth` and `cdk8s synth` wait for', '',
      'The same services, each side in a cold `node` process of its own with no warm-up: Node\'s start-up, loading the framework '
      + '(ours: and the library, through its package entry point, as `require(\'secure-service\')` does), building and synthesizing; '
      + 'time from the process\'s start to the end of the synthesis, CPU time of the whole process.', '',
      ...comparisonTable(results.processes));
  }
  lines.push('', '## The app-wide checks alone', '',
    `| check | N | runs | ms | ms per workload (target <= ${TARGETS.checksMsPerWorkload}) | peak RSS MiB |`, '|---|---:|---:|---:|---:|---:|');
  for (const c of results.checks) {
    const name = c.target === 'ecs' ? 'ecs: SecureServiceChecks.validate' : 'k8s: checkObjects';
    for (const cell of c.cells) {
      const perWorkload = cell.medianMs / cell.n;
      lines.push(`| ${name} | ${cell.n} | ${cell.runs} | ${ms(cell.medianMs)} | ${perWorkload.toFixed(2)} ${mark(perWorkload <= TARGETS.checksMsPerWorkload)} | ${cell.medianMaxRssMiB.toFixed(0)} |`);
    }
  }
  const ns = results.comparisons[0]?.ours.map((c) => c.n) ?? [];
  if (ns.length >= 2) {
    lines.push('', `## Growth from N=${ns[ns.length - 2]} to N=${ns[ns.length - 1]} (linear: ${ns[ns.length - 1] / ns[ns.length - 2]}x; target <= ${TARGETS.growth}x)`, '',
      '| scenario | growth |', '|---|---:|');
    const row = (name: string, cells: readonly Cell[]) => {
      const g = growth(cells);
      if (g !== undefined) lines.push(`| ${name} | ${g.toFixed(2)}x ${mark(g <= TARGETS.growth)} |`);
    };
    for (const c of results.comparisons) {
      row(`${c.target} ours`, c.ours);
      row(`${c.target} hand-written`, c.hand);
    }
    for (const c of results.checks) row(`${c.target} checks`, c.cells);
  }
  return `${lines.join('\n')}\n`;
}
