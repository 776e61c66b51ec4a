/**
 * Instruction counts under valgrind's callgrind (`BENCH_INSTRUCTIONS=1 npm run bench`). On a shared
 * machine, wall and CPU times of identical runs differ by 20-30%; instruction counts do not depend on
 * other work, so small overheads can be measured at all.
 *
 * V8 runs deterministically (`--predictable`, fixed hash and random seeds): its compilers and garbage
 * collector do on the main thread what they otherwise do on background threads (callgrind counts
 * every thread either way), so an identical run executes the identical instructions. With its
 * background threads, single counts of identical runs differed by 3-4%; BENCH_PREDICTABLE=0 measures
 * that way, and BENCH_RUNS=3 then takes medians.
 *
 * A count covers a whole `node` process (start-up, module loading, warm-up, then the scenario), so
 * the same process building and synthesizing an app with no services is subtracted:
 * ratio = (ours(N) - empty) / (hand-written(N) - empty). Runs are about 50x slower than native ones.
 */
import { spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { REPO } from './build';
import { ChildOptions, Scenario, median } from './measure';

/** V8 flags that make identical runs execute identical instructions. */
export const PREDICTABLE_V8 = ['--predictable', '--hash-seed=1', '--random-seed=1'];

/** How instruction counts run: the children's build, and whether V8 runs deterministically. */
export interface InstructionOptions extends ChildOptions {
  readonly predictable: boolean;
}

/** The instructions one child process executed running `scenario` with `n` services (0: an empty app). */
export function countInstructions(scenario: Scenario, n: number, options: InstructionOptions): Promise<number> {
  const v8Flags = options.predictable ? PREDICTABLE_V8 : [];
  const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...v8Flags,
    path.join(options.buildDir, 'bench', 'child.js'), scenario.kind, scenario.side, String(n)];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { cwd: REPO, env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (e) => reject(new Error(`valgrind could not be started (${e.message}); install it (Debian package valgrind)`)));
    child.on('close', (status) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (status !== 0 || !collected) reject(new Error(`${scenario.kind} ${scenario.side} n=${n} under valgrind failed (status ${status}):\n${stderr}`));
      else resolve(Number(collected[1]));
    });
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
  /** (ours - emptyOurs) / (hand - emptyHand). */
  readonly ratio: number;
  /** What the library adds per service: the difference of the two, over n. */
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
  const count = (target: string, n: number, side: string) =>
    median(counts.filter((_, i) => jobs[i].target === target && jobs[i].n === n && jobs[i].side === side));
  return targets.flatMap((target) => nsByTarget[target]!.map((n) => {
    const [emptyOurs, emptyHand, ours, hand] = [count(target, 0, 'ours'), count(target, 0, 'hand'), count(target, n, 'ours'), count(target, n, 'hand')];
    const [oursAdded, handAdded] = [ours - emptyOurs, hand - emptyHand];
    return { target, n, emptyOurs, emptyHand, ours, hand, ratio: oursAdded / handAdded, addedPerService: (oursAdded - handAdded) / n };
  }));
}

/** The Markdown of bench/INSTRUCTIONS.md. */
export function instructionsMarkdown(counts: readonly InstructionCounts[], runs: number, predictable: boolean, machine: string): string {
  const millions = (value: number) => (value / 1e6).toFixed(0);
  const how = predictable
    ? `V8 ran deterministically (\`${PREDICTABLE_V8.join(' ')}\`): compilers and garbage collector on the main thread, so identical runs count identical instructions${runs > 1 ? `; medians of ${runs} runs` : ''}.`
    : `V8 ran with its background threads (counted too); when they run varies, so single counts of identical runs differ by 3-4%: medians of ${runs} runs.`;
  return [
    '# Instruction counts',
    '',
    `${machine}. Counted by valgrind's callgrind (\`BENCH_INSTRUCTIONS=1 npm run bench\`): whole \`node\` processes, each`,
    "side's empty-app process (start-up, module loading, warm-up with one service of its own) subtracted. Not disturbed by",
    `other work on a shared machine, unlike wall time. ${how}`,
    '',
    '| target | N | ours (M instructions) | hand-written (M) | empty app, ours / hand-written (M) | ratio (target <= 1.1) | added per service (M) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...counts.map((c) => `| ${c.target} | ${c.n} | ${millions(c.ours)} | ${millions(c.hand)} | ${millions(c.emptyOurs)} / ${millions(c.emptyHand)} | `
      + `${c.ratio.toFixed(3)} ${c.ratio <= 1.1 ? 'yes' : '**no**'} | ${(c.addedPerService / 1e6).toFixed(2)} |`),
    '',
    'The difference of the two empty apps is what using the library costs once, whatever N: both sides load the same',
    'modules, so it is the first use (compilation) of our code for one service.',
    '',
  ].join('\n');
}
