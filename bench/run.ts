/**
 * `npm run bench`: synthesis cost of ecs.SecureService and k8s.SecureService against the same resources
 * written by hand, and of the app-wide checks alone (issue 7). Writes bench/RESULTS.md, prints JSON.
 *
 * BENCH_QUICK=1: N = 10, 50 with 3 runs, for smoke tests (RESULTS.md is left alone; the table goes to
 * stderr; so do the overrides below and profiling). BENCH_RUNS, BENCH_N (e.g. `10,100`) and BENCH_ONLY (e.g. `k8s,k8s-checks`) override;
 * BENCH_CDK_VALIDATION=1 runs the ECS comparison with CDK's built-in CloudFormation validation on both
 * sides (CDK's default; off otherwise, see ecs-scenarios.ts), in wall time and in instruction counts.
 * BENCH_CPU_PROF=1 writes a CPU profile of every child under bench/ (`*.cpuprofile`, git-ignored).
 * BENCH_INSTRUCTIONS=1 counts instructions under valgrind instead (N = 10, 100 and 500 unless BENCH_N
 * says otherwise; about 20 minutes on 2 cores), with V8 deterministic, one run each, the synthesis and the
 * whole process (BENCH_PREDICTABLE=0: V8's background threads, medians of 3 unless BENCH_RUNS says otherwise,
 * the synthesis only); writes
 * bench/INSTRUCTIONS.md on a default run: see instructions.ts. BENCH_WARM_UP (default 1): services each
 * child builds and synthesizes before its clock starts (see child.ts); setting it is an experiment, and so
 * is BENCH_EAGER_FEEDBACK=1 (V8 feedback vectors at a function's first call, see measure.ts).
 *
 * Every cell's runs are spread over the whole run, not measured back to back (schedule.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO, buildForChildren } from './build';
import type { ChildResult } from './child';
import { SERVICES_PER_STACK } from './ecs-scenarios';
import { countProcesses, countTargets, instructionsMarkdown } from './instructions';
import { median, runChild } from './measure';
import { Cell, ChecksResult, Comparison, Results, describeMachine, markdown } from './report';
import { SCENARIO_KINDS } from './scenario-kinds';
import { CellPlan, Job, schedule } from './schedule';

const quick = process.env.BENCH_QUICK === '1';
const ns = process.env.BENCH_N ? process.env.BENCH_N.split(',').map(Number) : quick ? [10, 50] : [10, 100, 500];
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 3 : 21));
/**
 * Runs per cell. At N = 10 a run takes well under a second, but identical runs differ by 20-50%, so
 * a 21-run ratio moved between 1.02 and 1.33 from one run of the benchmark to the next: by default
 * N = 10 gets 61 runs, which costs about three minutes more.
 */
const SMALL_N = 10;
const SMALL_N_RUNS = 61;
const runsAt = (n: number) => (process.env.BENCH_RUNS === undefined && !quick && n <= SMALL_N ? SMALL_N_RUNS : runs);
const only = process.env.BENCH_ONLY?.split(',');
const cpuProfile = process.env.BENCH_CPU_PROF === '1';
const wanted = (kind: string) => only === undefined || only.includes(kind);

// A typo here would measure nothing, or nonsense, without saying so.
const unknownKinds = (only ?? []).filter((kind) => !(SCENARIO_KINDS as readonly string[]).includes(kind));
if (unknownKinds.length > 0) throw new Error(`BENCH_ONLY must list some of ${SCENARIO_KINDS.join(', ')}, found: ${JSON.stringify(process.env.BENCH_ONLY)}`);
if (!['0', '1', undefined].includes(process.env.BENCH_CDK_VALIDATION)) throw new Error(`BENCH_CDK_VALIDATION must be 0 or 1, found: ${JSON.stringify(process.env.BENCH_CDK_VALIDATION)}`);
const cdkValidation = process.env.BENCH_CDK_VALIDATION === '1';
if (!['0', '1', undefined].includes(process.env.BENCH_EAGER_FEEDBACK)) throw new Error(`BENCH_EAGER_FEEDBACK must be 0 or 1, found: ${JSON.stringify(process.env.BENCH_EAGER_FEEDBACK)}`);
if (!['0', '1', undefined].includes(process.env.BENCH_PREDICTABLE)) throw new Error(`BENCH_PREDICTABLE must be 0 or 1, found: ${JSON.stringify(process.env.BENCH_PREDICTABLE)}`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a positive integer, found: ${JSON.stringify(process.env.BENCH_RUNS)}`);
const warmUp = process.env.BENCH_WARM_UP;
if (warmUp !== undefined && !/^[1-9]\d*$/.test(warmUp)) throw new Error(`BENCH_WARM_UP must be a positive integer, found: ${JSON.stringify(warmUp)}`);
const warmUpServices = Number(warmUp ?? '1');
if (ns.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_N must be positive integers separated by commas, e.g. 10,100, found: ${JSON.stringify(process.env.BENCH_N)}`);
// A run that overrides any default measures something else: its tables go to stderr, not to the results files.
const partialRun = only !== undefined || process.env.BENCH_N !== undefined || process.env.BENCH_RUNS !== undefined || warmUp !== undefined
  || process.env.BENCH_EAGER_FEEDBACK === '1';

function cell(n: number, samples: readonly ChildResult[]): Cell {
  return {
    n,
    runs: samples.length,
    medianMs: median(samples.map((s) => s.ms)),
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    medianMaxRssMiB: median(samples.map((s) => s.maxRssMiB)),
    samplesMs: samples.map((s) => Math.round(s.ms * 10) / 10),
  };
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** What each scenario, side and N measured, in the order the schedule ran them. */
class Samples {
  private readonly byCell = new Map<string, ChildResult[]>();

  public add(job: Job, result: ChildResult): void {
    const key = cellKey(job);
    (this.byCell.get(key) ?? this.byCell.set(key, []).get(key)!).push(result);
  }

  public cell(job: Job): Cell {
    return cell(job.n, this.byCell.get(cellKey(job)) ?? []);
  }
}

function cellKey(job: Job): string {
  return `${job.kind} ${job.side} ${job.n}`;
}

function main(): void {
  const startLoad = os.loadavg()[0];
  const buildDir = buildForChildren();
  const options = { buildDir, cpuProfile };
  const targets = (['ecs', 'k8s'] as const).filter(wanted);
  const checkKinds = (['ecs-checks', 'k8s-checks'] as const).filter(wanted);
  const processKinds = (['ecs-process', 'k8s-process'] as const).filter(wanted);
  const plans: CellPlan[] = [
    ...targets.flatMap((kind) => ns.map((n) => ({ kind, n, sides: ['ours', 'hand'] as const, runs: runsAt(n) }))),
    // A whole process takes several times its window: 21 runs at every N keep the benchmark to about 15 minutes.
    ...processKinds.flatMap((kind) => ns.map((n) => ({ kind, n, sides: ['ours', 'hand'] as const, runs }))),
    // The checks alone read hand-written services.
    ...checkKinds.flatMap((kind) => ns.map((n) => ({ kind, n, sides: ['hand'] as const, runs: runsAt(n) }))),
  ];
  const jobs = schedule(plans);
  const samples = new Samples();
  const start = Date.now();
  try {
    jobs.forEach((job, i) => {
      const result = runChild({ kind: job.kind, side: job.side }, job.n, options);
      if (result.violations !== undefined && result.violations !== 0) {
        throw new Error(`${job.kind} n=${job.n}: the hand-written services have ${result.violations} violations; they must be as hardened as ours`);
      }
      samples.add(job, result);
      if ((i + 1) % 50 === 0 || i + 1 === jobs.length) progress(`${i + 1} of ${jobs.length} measurements, ${((Date.now() - start) / 60000).toFixed(1)} min`);
    });
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
  const comparisons: Comparison[] = targets.map((target) => ({
    target,
    ours: ns.map((n) => samples.cell({ kind: target, side: 'ours', n })),
    hand: ns.map((n) => samples.cell({ kind: target, side: 'hand', n })),
  }));
  const processes: Comparison[] = processKinds.map((kind) => ({
    target: kind === 'ecs-process' ? 'ecs' : 'k8s',
    ours: ns.map((n) => samples.cell({ kind, side: 'ours', n })),
    hand: ns.map((n) => samples.cell({ kind, side: 'hand', n })),
  }));
  const checks: ChecksResult[] = checkKinds.map((kind) => ({
    target: kind === 'ecs-checks' ? 'ecs' : 'k8s',
    cells: ns.map((n) => samples.cell({ kind, side: 'hand', n })),
  }));
  const results: Results = {
    machine: describeMachine(startLoad), servicesPerEcsStack: SERVICES_PER_STACK, cdkValidation, warmUpServices, comparisons, processes, checks,
  };
  const table = markdown(results);
  if (quick || cpuProfile || cdkValidation || partialRun) {
    process.stderr.write(`${table}\n(quick, partial or profiled run: bench/RESULTS.md not written)\n`);
  } else {
    fs.writeFileSync(path.join(REPO, 'bench', 'RESULTS.md'), table);
  }
  process.stdout.write(`${JSON.stringify(results, undefined, 2)}\n`);
}

async function countInstructionsMain(): Promise<void> {
  const buildDir = buildForChildren();
  try {
    const predictable = process.env.BENCH_PREDICTABLE !== '0';
    const instructionRuns = Number(process.env.BENCH_RUNS ?? (predictable ? 1 : 3));
    const nsByTarget = Object.fromEntries((['ecs', 'k8s'] as const).filter(wanted).map((target) => [target, ns]));
    const counts = await countTargets(nsByTarget, instructionRuns, { buildDir, predictable });
    const processTargets = (['ecs', 'k8s'] as const).filter((target) => wanted(`${target}-process`));
    const processes = predictable ? await countProcesses(processTargets, ns, { buildDir, predictable }) : [];
    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown';
    const validation = cdkValidation ? "; ECS with CDK's built-in CloudFormation validation on, on both sides" : '';
    const feedback = process.env.BENCH_EAGER_FEEDBACK === '1' ? '; V8 feedback vectors at first call (--no-lazy-feedback-allocation), both sides' : '';
    const machine = `Machine: ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${validation}${feedback}`;
    const table = instructionsMarkdown(counts, instructionRuns, predictable, machine, warmUpServices, processes);
    if (partialRun || !predictable || cdkValidation) {
      process.stderr.write(`${table}\n(partial run: bench/INSTRUCTIONS.md not written)\n`);
    } else {
      fs.writeFileSync(path.join(REPO, 'bench', 'INSTRUCTIONS.md'), table);
    }
    process.stdout.write(`${JSON.stringify({ counts, processes }, undefined, 2)}\n`);
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_INSTRUCTIONS === '1') {
  countInstructionsMain().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 1;
  });
} else {
  main();
}
