/**
 * The order the benchmark's measurements run in. This machine has phases that last minutes: identical
 * runs differ by 20-50% in wall time, and whole stretches run slow or fast. Measured back to back, a
 * cell took whichever phase it fell in, and the same build's ECS ratio at N = 10 read 1.16-1.17 in
 * one session and 1.06 in the next. Spread over the whole benchmark, every cell samples the same mix
 * of phases (bench/PROFILING.md: whether that narrows the spread between runs, three runs cannot say).
 */
import type { Scenario } from './measure';

/** One cell: a scenario at one N, the sides it compares (or the one side it times), and its runs. */
export interface CellPlan {
  readonly kind: Scenario['kind'];
  readonly n: number;
  readonly sides: readonly Scenario['side'][];
  readonly runs: number;
}

/** One measurement: one fresh process. */
export interface Job {
  readonly kind: Scenario['kind'];
  readonly side: Scenario['side'];
  readonly n: number;
}

/**
 * Every cell's runs spread evenly over the same rounds (as many rounds as the largest cell has runs),
 * cells in the order given within a round. A run of a comparison measures both sides back to back,
 * and which side goes first alternates from one run of the cell to the next, so drift in the
 * machine's load hits both alike.
 */
export function schedule(cells: readonly CellPlan[]): Job[] {
  const rounds = Math.max(0, ...cells.map((cell) => cell.runs));
  const jobs: Job[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const cell of cells) {
      // How many of the cell's runs come before this round; the cell has a run in it when the count
      // grows by the next round.
      const run = Math.floor((round * cell.runs) / rounds);
      if (Math.floor(((round + 1) * cell.runs) / rounds) === run) continue;
      const sides = run % 2 === 0 ? cell.sides : [...cell.sides].reverse();
      for (const side of sides) jobs.push({ kind: cell.kind, side, n: cell.n });
    }
  }
  return jobs;
}
