import { pairedRatio } from '../../bench/interval';
import { median } from '../../bench/measure';

// The machine's speed during each run: both sides of a run (a pair) share it.
const SPEEDS = [1, 1.4, 0.8, 1.9, 1.1, 0.7, 1.6, 1.2, 0.9, 1.5, 1.3];
const HAND = SPEEDS.map((speed) => 100 * speed);

describe('pairedRatio', () => {
  test('is the median of the per-run ratios, whatever the machine did between runs', () => {
    // WHEN
    const paired = pairedRatio(HAND.map((ms) => ms * 1.1), HAND);

    // THEN
    expect(paired.median).toBeCloseTo(1.1, 10);
    expect(paired.low).toBeCloseTo(1.1, 10);
    expect(paired.high).toBeCloseTo(1.1, 10);
  });

  test('pairs the i-th samples of the two sides, which the ratio of medians does not see', () => {
    // GIVEN ours' samples one run later: both medians stay, the pairs do not
    const ours = HAND.map((_, i) => HAND[(i + 1) % HAND.length] * 1.1);

    // WHEN
    const paired = pairedRatio(ours, HAND);

    // THEN
    expect(median(ours) / median(HAND)).toBeCloseTo(1.1, 10);
    expect(paired.high - paired.low).toBeGreaterThan(0.2);
  });

  test('gives an interval around the median, the same one each time', () => {
    // GIVEN
    const ours = HAND.map((ms, i) => ms * (1 + (i % 3) / 10));

    // WHEN
    const paired = pairedRatio(ours, HAND);

    // THEN
    expect(paired.low).toBeLessThanOrEqual(paired.median);
    expect(paired.high).toBeGreaterThanOrEqual(paired.median);
    expect(paired.high).toBeGreaterThan(paired.low);
    expect(pairedRatio(ours, HAND)).toEqual(paired);
  });

  test('refuses samples that do not pair', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow('paired samples must be as many on both sides, and some: found 2 of ours and 1 hand-written');
    expect(() => pairedRatio([], [])).toThrow('found 0 of ours and 0 hand-written');
  });
});
