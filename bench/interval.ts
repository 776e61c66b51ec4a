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
  const random = seededRandom(0x5ec0de);
  const resampledMedian = (samples: readonly number[]) => median(samples.map(() => samples[Math.floor(random() * samples.length)]));
  const ratios = Array.from({ length: RESAMPLES }, () => resampledMedian(ours) / resampledMedian(hand)).sort((a, b) => a - b);
  return [ratios[Math.floor(RESAMPLES * 0.025)], ratios[Math.ceil(RESAMPLES * 0.975) - 1]];
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
