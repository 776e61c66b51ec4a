/** Runs one measurement in a fresh `node` child and reads its result; medians. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO } from './build';
import type { ChildResult } from './child';
import type { ScenarioKind } from './scenario-kinds';

/** A scenario: what is built (and checked), by which side. */
export interface Scenario {
  readonly kind: ScenarioKind;
  readonly side: 'ours' | 'hand';
}

/** How children run. */
export interface ChildOptions {
  /** The directory `buildForChildren` wrote. */
  readonly buildDir: string;
  /** Write a V8 CPU profile of the child under bench/ (`*.cpuprofile`, git-ignored). */
  readonly cpuProfile?: boolean;
}

/**
 * Node flags of every child, timed or counted: child.ts collects the set-up's garbage before it measures.
 * BENCH_EAGER_FEEDBACK=1, an experiment (checked by run.ts): V8 gives every function its inline caches at
 * its first call, not after it has run about eight times its size, which shows how much of a cell is V8
 * warming up to code that runs once per service (bench/PROFILING.md).
 */
export const CHILD_NODE_FLAGS = ['--expose-gc', ...(process.env.BENCH_EAGER_FEEDBACK === '1' ? ['--no-lazy-feedback-allocation'] : [])];

/** Runs `scenario` with `n` services in a fresh process; throws with the child's stderr when it fails. */
export function runChild(scenario: Scenario, n: number, options: ChildOptions): ChildResult {
  const profile = options.cpuProfile
    ? ['--cpu-prof', '--cpu-prof-dir', path.join(REPO, 'bench'), '--cpu-prof-name', `${scenario.kind}-${scenario.side}-${n}-${Date.now()}.cpuprofile`]
    : [];
  const child = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, ...profile, path.join(options.buildDir, 'bench', 'child.js'), scenario.kind, scenario.side, String(n)], {
    cwd: REPO,
    // The build directory is outside the repo: dependencies are found through NODE_PATH.
    env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') },
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (child.stdout ?? '').trim().split('\n');
  if (child.status !== 0 || lines.length === 0) {
    throw new Error(`${scenario.kind} ${scenario.side} n=${n} failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`);
  }
  return JSON.parse(lines[lines.length - 1]) as ChildResult;
}

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
