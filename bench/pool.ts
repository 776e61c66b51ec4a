/**
 * Pools the samples of several full runs of the benchmark (their JSON on stdout) into one ratio per
 * cell, with its 95% interval: on a noisy machine one run's 21 samples per cell are too few to place
 * a ratio within a few percent, and runs of the same code add up. Beside the ratio of medians it gives
 * the median of the paired ratios: a run's two sides ran back to back (schedule.ts).
 *
 * Usage: ts-node --transpile-only --project bench/tsconfig.json bench/pool.ts run1.json run2.json ...
 */
import * as fs from 'fs';
import { pairedRatio, ratioInterval } from './interval';
import { median } from './measure';
import type { Cell, Comparison, Results } from './report';

function samplesOf(runs: readonly Results[], target: Comparison['target'], side: 'ours' | 'hand', n: number): number[] {
  return runs.flatMap((run) => {
    const cell = run.comparisons.find((c) => c.target === target)?.[side].find((c: Cell) => c.n === n);
    if (!cell) throw new Error(`every run must measure ${target} at N = ${n}; one does not (was it a partial run?)`);
    return cell.samplesMs;
  });
}

/** Reads a run's JSON; runs measured another way (CDK's validation, the warm-up, services per stack, what a process loads) do not pool. */
function readRun(file: string, first?: Results): Results {
  const run = JSON.parse(fs.readFileSync(file, 'utf-8')) as Results;
  if (!Array.isArray(run.comparisons)) throw new Error(`${file} is not the JSON of a benchmark run (no comparisons); give the stdout of npm run -s bench`);
  for (const setting of ['cdkValidation', 'warmUpServices', 'servicesPerEcsStack'] as const) {
    if (first && run[setting] !== first[setting]) {
      throw new Error(`${file} was measured with ${setting} ${JSON.stringify(run[setting])}, the first run with ${JSON.stringify(first[setting])}; pool only runs measured the same way`);
    }
  }
  // Runs before the process scenarios loaded both frameworks in every process, both sides alike.
  const loaded = (r: Results) => (Array.isArray(r.processes) ? 'each process loading only its own framework' : 'every process loading both frameworks');
  if (first && loaded(run) !== loaded(first)) {
    throw new Error(`${file} was measured with ${loaded(run)}, the first run with ${loaded(first)}; pool only runs measured the same way`);
  }
  return run;
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('give the JSON files of one or more full runs (npm run -s bench > run.json)');
  const first = readRun(files[0]);
  const runs = [first, ...files.slice(1).map((file) => readRun(file, first))];
  const lines = [
    '| target | N | runs | ours ms | hand-written ms | ratio of medians | 95% interval | median of paired ratios | 95% interval |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { target, ours } of runs[0].comparisons) {
    for (const { n } of ours) {
      const oursMs = samplesOf(runs, target, 'ours', n);
      const handMs = samplesOf(runs, target, 'hand', n);
      const [low, high] = ratioInterval(oursMs, handMs);
      const paired = pairedRatio(oursMs, handMs);
      lines.push(`| ${target} | ${n} | ${oursMs.length} | ${median(oursMs).toFixed(1)} | ${median(handMs).toFixed(1)} | `
        + `${(median(oursMs) / median(handMs)).toFixed(3)} | ${low.toFixed(2)}-${high.toFixed(2)} | `
        + `${paired.median.toFixed(3)} | ${paired.low.toFixed(2)}-${paired.high.toFixed(2)} |`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
