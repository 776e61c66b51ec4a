/**
 * How sure a ratio of medians is. On a shared machine, identical runs differ by 20-50% in wall time,
 * so a ratio from a handful of runs can land on either side of a target by chance; the interval says
 * how far it could be.
 */
import { median } from './measure';

const RESAMPLES = 2000;

/**
 * A 95% bootstrap interval of median(ours) / median(hand): both sides' samples are resampled with
 * replacement. The generator is seeded, so the same samples always give the same interval.
 */
export function ratioInterval(ours: readonly number[], hand: readonly number[]): [number, number] {
  const resample = resampler();
  return interval95(() => median(resample(ours)) / median(resample(hand)));
}

/**
 * The median of the per-run ratios ours / hand, with its 95% bootstrap interval (the runs resampled
 * as pairs). The schedule runs the two sides of a run back to back (schedule.ts), so the i-th samples
 * of the two sides are a pair and share the state the machine was in. Pooled runs from a slow and a
 * fast stretch widen the interval of the ratio of medians; the pairs' ratios do not mix them.
 */
export function pairedRatio(ours: readonly number[], hand: readonly number[]): { median: number; low: number; high: number } {
  if (ours.length !== hand.length || ours.length === 0) {
    throw new Error(`paired samples must be as many on both sides, and some: found ${ours.length} of ours and ${hand.length} hand-written`);
  }
  const ratios = ours.map((ms, i) => ms / hand[i]);
  const resample = resampler();
  const [low, high] = interval95(() => median(resample(ratios)));
  return { median: median(ratios), low, high };
}

/** The 2.5th and 97.5th percentiles of a statistic drawn RESAMPLES times. */
function interval95(draw: () => number): [number, number] {
  const values = Array.from({ length: RESAMPLES }, draw).sort((a, b) => a - b);
  return [values[Math.floor(RESAMPLES * 0.025)], values[Math.ceil(RESAMPLES * 0.975) - 1]];
}

/** Draws samples with replacement, from a seeded generator. */
function resampler(): (samples: readonly number[]) => number[] {
  const random = seededRandom(0x5ec0de);
  return (samples) => samples.map(() => samples[Math.floor(random() * samples.length)]);
}

// Park and Miller's minimal standard generator: good enough for resampling, and seedable, unlike Math.random.
function seededRandom(seed: number): () => number {
  const modulus = 2147483647;
  let state = seed % modulus;
  return () => {
    state = (state * 16807) % modulus;
    return (state - 1) / (modulus - 1);
  };
}
