/**
 * Instruction counts under valgrind's callgrind (`BENCH_INSTRUCTIONS=1 npm run bench`). On a shared
 * machine, wall and CPU times of identical runs differ by 20-30%; instruction counts do not depend on
 * other work, so small overheads can be measured at all.
 *
 * V8 runs deterministically (`--predictable`, fixed hash and random seeds): its compilers and garbage
 * collector do on the main thread what they otherwise do on background threads (callgrind counts
 * every thread either way), so an identical run executes the same instructions (to within about 1%:
 * when the garbage collector runs still follows wall time a little). With its
 * background threads, single counts of identical runs differed by 3-4% (before the seeds were fixed
 * there too: see FIXED_SEEDS); BENCH_PREDICTABLE=0 measures that way, and BENCH_RUNS=3 then takes medians.
 *
 * A count covers a whole `node` process (start-up, module loading, warm-up, then the scenario), so
 * the same process building and synthesizing an app with no services is subtracted:
 * ratio = (ours(N) - empty) / (hand-written(N) - empty). Runs are about 50x slower than native ones.
 *
 * The ratio is taken on the synthesis' own thread: TurboFan's compilation jobs, which a default
 * `node` runs on a background thread and `--predictable` on the main one, are subtracted too. At
 * N = 10 they are half of what each side adds, about the same on both sides, and counted in they
 * made 1.10 look like 1.05. The counts compare builds; they do not weigh an instruction by its time
 * (at N = 10 the two measures disagree: bench/PROFILING.md), so wall time with enough runs judges
 * the target.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from './build';
import { CHILD_NODE_FLAGS, ChildOptions, Scenario, median } from './measure';

/**
 * Fixed seeds, in every count: with a random hash seed, V8 searches for primes at start-up for a
 * varying 5-27 M instructions per process (`HashSeed::InitializeRoots`), more than ours adds at N = 10.
 */
export const FIXED_SEEDS = ['--hash-seed=1', '--random-seed=1'];

/** V8 flags that make identical runs execute identical instructions. */
export const PREDICTABLE_V8 = ['--predictable', ...FIXED_SEEDS];

/** How instruction counts run: the children's build, and whether V8 runs deterministically. */
export interface InstructionOptions extends ChildOptions {
  readonly predictable: boolean;
}

/** What one child process executed. */
export interface ProcessInstructions {
  /** Every instruction, of every thread. */
  readonly total: number;
  /**
   * Those of TurboFan's compilation jobs (`PipelineCompilationJob::ExecuteJobImpl`). A default `node`
   * runs them on a background thread, beside the synthesis; `--predictable` runs them on the main
   * thread, so they would count as if the synthesis waited for them.
   */
  readonly optimizingCompiler: number;
}

/** The function whose inclusive count is TurboFan's background work. */
const OPTIMIZING_JOB = 'v8::internal::compiler::PipelineCompilationJob::ExecuteJobImpl(';

/** The instructions one child process executed running `scenario` with `n` services (0: an empty app). */
export async function countInstructions(scenario: Scenario, n: number, options: InstructionOptions): Promise<ProcessInstructions> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-service-bench-callgrind-'));
  const outFile = path.join(dir, 'callgrind.out');
  try {
    const v8Flags = options.predictable ? PREDICTABLE_V8 : FIXED_SEEDS;
    const what = `${scenario.kind} ${scenario.side} n=${n}`;
    const { stderr } = await run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, process.execPath, ...CHILD_NODE_FLAGS, ...v8Flags,
      path.join(options.buildDir, 'bench', 'child.js'), scenario.kind, scenario.side, String(n)], `${what} under valgrind`);
    const collected = /Collected : (\d+)/.exec(stderr);
    if (!collected) throw new Error(`${what} under valgrind reported no count:\n${stderr}`);
    // Inclusive counts by function; --threshold=100 lists every function, not only the largest.
    const { stdout } = await run('callgrind_annotate', ['--inclusive=yes', '--threshold=100', outFile], `callgrind_annotate of ${what}`);
    const job = stdout.split('\n').find((line) => line.includes(OPTIMIZING_JOB));
    // Without the symbol (a stripped node, another V8), the main thread's share cannot be told apart.
    if (!job) throw new Error(`${what}: callgrind found no ${OPTIMIZING_JOB}...): this node has no symbols for V8's compiler`);
    return { total: Number(collected[1]), optimizingCompiler: Number(job.trim().split(' ')[0].replace(/,/g, '')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `command` to its end; throws with its stderr when it fails. */
function run(command: string, args: readonly string[], what: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') } });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (e) => reject(new Error(`${command} could not be started (${e.message}); install valgrind (Debian package valgrind)`)));
    child.on('close', (status) => (status === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${what} failed (status ${status}):\n${stderr}`))));
  });
}

/** Runs `tasks` at most `limit` at a time (one per core: valgrind runs a process on one core). */
export async function inParallel<T>(tasks: readonly (() => Promise<T>)[], limit = os.cpus().length): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Instruction counts of one target at one N. */
export interface InstructionCounts {
  readonly target: 'ecs' | 'k8s';
  readonly n: number;
  /** The same process with an empty app, per side: start-up, module loading and that side's warm-up (one service). */
  readonly emptyOurs: number;
  readonly emptyHand: number;
  readonly ours: number;
  readonly hand: number;
  /** (ours - emptyOurs) / (hand - emptyHand): every instruction. */
  readonly ratio: number;
  /** What TurboFan's jobs added over the empty app, per side (a default `node` runs them beside the synthesis). */
  readonly optimizingOurs: number;
  readonly optimizingHand: number;
  /** The ratio without TurboFan's jobs: the work on the synthesis' own thread, what wall time follows on two cores. */
  readonly mainThreadRatio: number;
  /** What the library adds per service on that thread: the difference of the two, over n. */
  readonly addedPerService: number;
}

/** Counts `targets` at each of `ns`, running as many valgrind processes at once as there are cores. */
export async function countTargets(
  nsByTarget: { readonly [target in 'ecs' | 'k8s']?: readonly number[] }, runs: number, options: InstructionOptions,
): Promise<InstructionCounts[]> {
  const sides = ['ours', 'hand'] as const;
  const targets = (['ecs', 'k8s'] as const).filter((target) => nsByTarget[target] !== undefined);
  const jobs = targets.flatMap((target) => [0, ...nsByTarget[target]!].flatMap((n) => sides.flatMap((side) =>
    Array.from({ length: runs }, () => ({ target, n, side })))));
  const counts = await inParallel(jobs.map((job) => () => countInstructions({ kind: job.target, side: job.side }, job.n, options)));
  // The median of the runs: without --predictable, when a garbage collection or a background compilation starts differs from run to run.
  const count = (target: string, n: number, side: string, of: (c: ProcessInstructions) => number) =>
    median(counts.filter((_, i) => jobs[i].target === target && jobs[i].n === n && jobs[i].side === side).map(of));
  const total = (c: ProcessInstructions) => c.total;
  const optimizing = (c: ProcessInstructions) => c.optimizingCompiler;
  return targets.flatMap((target) => nsByTarget[target]!.map((n) => {
    const [emptyOurs, emptyHand, ours, hand] = [count(target, 0, 'ours', total), count(target, 0, 'hand', total), count(target, n, 'ours', total), count(target, n, 'hand', total)];
    const optimizingOurs = count(target, n, 'ours', optimizing) - count(target, 0, 'ours', optimizing);
    const optimizingHand = count(target, n, 'hand', optimizing) - count(target, 0, 'hand', optimizing);
    const measured = { target, n, emptyOurs, emptyHand, ours, hand, optimizingOurs, optimizingHand };
    const main = mainThreadWork(measured);
    const ratio = (ours - emptyOurs) / (hand - emptyHand);
    return { ...measured, ratio, mainThreadRatio: main.ours / main.hand, addedPerService: (main.ours - main.hand) / n };
  }));
}

/** Instruction counts of whole cold processes (the process scenarios): nothing subtracted but TurboFan's jobs. */
export interface ProcessCounts {
  readonly target: 'ecs' | 'k8s';
  readonly n: number;
  readonly ours: ProcessInstructions;
  readonly hand: ProcessInstructions;
  /** (ours - its TurboFan jobs) / (hand - its TurboFan jobs). */
  readonly mainThreadRatio: number;
}

/** Counts the whole process of each target in `targets` at each of `ns`, once per side (V8 deterministic: run with `predictable`). */
export async function countProcesses(targets: readonly ('ecs' | 'k8s')[], ns: readonly number[], options: InstructionOptions): Promise<ProcessCounts[]> {
  const cells = targets.flatMap((target) => ns.map((n) => ({ target, n })));
  const count = (target: 'ecs' | 'k8s', n: number, side: 'ours' | 'hand') => () => countInstructions({ kind: `${target}-process`, side }, n, options);
  const sides = await inParallel(cells.flatMap(({ target, n }) => [count(target, n, 'ours'), count(target, n, 'hand')]));
  const mainThread = (c: ProcessInstructions) => c.total - c.optimizingCompiler;
  return cells.map(({ target, n }, i) => {
    const [ours, hand] = sides.slice(2 * i, 2 * i + 2);
    return { target, n, ours, hand, mainThreadRatio: mainThread(ours) / mainThread(hand) };
  });
}

type MeasuredCounts = Pick<InstructionCounts, 'ours' | 'hand' | 'emptyOurs' | 'emptyHand' | 'optimizingOurs' | 'optimizingHand'>;

/** What each side's N services cost on the synthesis' own thread: the count less the empty app and TurboFan's jobs. */
function mainThreadWork(c: MeasuredCounts): { readonly ours: number; readonly hand: number } {
  return { ours: c.ours - c.emptyOurs - c.optimizingOurs, hand: c.hand - c.emptyHand - c.optimizingHand };
}

/** What the library adds per service between two N of one target. */
export interface PerServiceExtra {
  readonly target: 'ecs' | 'k8s';
  readonly from: number;
  readonly to: number;
  /** The ratio of what the services between `from` and `to` cost on the synthesis' own thread. */
  readonly perServiceRatio: number;
  /** What ours adds per service between the two. */
  readonly addedPerService: number;
}

/**
 * What the services between each pair of consecutive N of a target cost. A cell also holds what ours
 * adds once per synthesis and over its first services, which weighs most at small N.
 */
export function perServiceExtra(counts: readonly InstructionCounts[]): PerServiceExtra[] {
  return counts.flatMap((to, i) => {
    const from = counts[i - 1];
    if (from === undefined || from.target !== to.target || from.n >= to.n) return [];
    const [a, b] = [mainThreadWork(from), mainThreadWork(to)];
    return [{
      target: to.target,
      from: from.n,
      to: to.n,
      perServiceRatio: (b.ours - a.ours) / (b.hand - a.hand),
      addedPerService: ((b.ours - b.hand) - (a.ours - a.hand)) / (to.n - from.n),
    }];
  });
}

const millions = (value: number) => (value / 1e6).toFixed(0);

/** The Markdown of bench/INSTRUCTIONS.md. */
export function instructionsMarkdown(
  counts: readonly InstructionCounts[], runs: number, predictable: boolean, machine: string, warmUpServices = 1,
  processes: readonly ProcessCounts[] = [],
): string {
  const how = predictable
    ? `V8 ran deterministically (\`${PREDICTABLE_V8.join(' ')}\`): compilers and garbage collector on the main thread, so identical runs count the same instructions (to within about 1%: when the garbage collector runs still follows wall time a little)${runs > 1 ? `; medians of ${runs} runs` : ''}.`
    : `V8 ran with its background threads (counted too; seeds fixed, \`${FIXED_SEEDS.join(' ')}\`); when they run varies, so single counts of identical runs differ by a few percent: medians of ${runs} runs.`;
  return [
    '# Instruction counts',
    '',
    `${machine}. Counted by valgrind's callgrind (\`BENCH_INSTRUCTIONS=1 npm run bench\`): whole \`node\` processes, each`,
    `side's empty-app process (start-up, module loading, warm-up with ${warmUpServices === 1 ? 'one service' : `${warmUpServices} services`} of its own, a full garbage collection) subtracted. Not disturbed by`,
    `other work on a shared machine, unlike wall time. ${how}`,
    '',
    '| target | N | ours (M instructions) | hand-written (M) | empty app, ours / hand-written (M) | ratio, all | TurboFan jobs, ours / hand-written (M) | ratio without them (target <= 1.1) | added per service (M) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...counts.map((c) => `| ${c.target} | ${c.n} | ${millions(c.ours)} | ${millions(c.hand)} | ${millions(c.emptyOurs)} / ${millions(c.emptyHand)} | `
      + `${c.ratio.toFixed(3)} | ${millions(c.optimizingOurs)} / ${millions(c.optimizingHand)} | `
      + `${c.mainThreadRatio.toFixed(3)} ${c.mainThreadRatio <= 1.1 ? 'yes' : '**no**'} | ${(c.addedPerService / 1e6).toFixed(2)} |`),
    '',
    ...perServiceMarkdown(perServiceExtra(counts)),
    ...processMarkdown(processes),
    'The difference of the two empty apps is what using the library costs once, whatever N: loading its modules (each',
    'side loads only what it uses) and the first use (compilation) of its code for one service.',
    '',
    "TurboFan's jobs (the inclusive count of `PipelineCompilationJob::ExecuteJobImpl`, over the empty app) are V8 optimizing",
    'the hottest functions, mostly the same ones on both sides. A default `node` runs them on a background thread while the',
    'synthesis goes on, so the ratio is taken without them: the ratio of the work on the synthesis\' own thread. Counted',
    'in, they add the same large amount to both sides and pull the ratio towards 1 (column "ratio, all").',
    '',
    'These counts compare builds. They do not weigh an instruction by its time (a cold one costs more than a warm one). They',
    'need the machine to themselves: V8 still times some garbage collections by the clock, and two counts of the same code',
    'that overlapped differed by 1%, 0.05 of a ratio at N = 10 (bench/PROFILING.md). The target is judged by wall time',
    '(bench/RESULTS.md) with enough runs.',
    '',
  ].join('\n');
}

function processMarkdown(rows: readonly ProcessCounts[]): string[] {
  if (rows.length === 0) return [];
  return [
    'The whole process, what `cdk synth` or `cdk8s synth` waits for (the process scenarios: a cold process, no warm-up, each side',
    'loading only what it uses; nothing subtracted but TurboFan\'s jobs, one count each):',
    '',
    '| target | N | ours (M instructions) | hand-written (M) | TurboFan jobs, ours / hand-written (M) | ratio without them (target <= 1.1) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.target} | ${r.n} | ${millions(r.ours.total)} | ${millions(r.hand.total)} | `
      + `${millions(r.ours.optimizingCompiler)} / ${millions(r.hand.optimizingCompiler)} | ${r.mainThreadRatio.toFixed(3)} ${r.mainThreadRatio <= 1.1 ? 'yes' : '**no**'} |`),
    '',
  ];
}

function perServiceMarkdown(rows: readonly PerServiceExtra[]): string[] {
  if (rows.length === 0) return [];
  return [
    'Per service: what the services between two N cost, ours against the same services by hand (without TurboFan\'s',
    'jobs). A cell above also holds what ours adds once per synthesis and over its first services, which weighs most at small N.',
    '',
    '| target | from N | to N | ratio of the services between | added per service (M) |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.target} | ${r.from} | ${r.to} | ${r.perServiceRatio.toFixed(3)} | ${(r.addedPerService / 1e6).toFixed(2)} |`),
    '',
  ];
}
