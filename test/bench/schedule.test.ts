import { CellPlan, Job, schedule } from '../../bench/schedule';

const SMALL: CellPlan = { kind: 'ecs', n: 10, sides: ['ours', 'hand'], runs: 61 };
const LARGE: CellPlan = { kind: 'ecs', n: 500, sides: ['ours', 'hand'], runs: 21 };
const CHECKS: CellPlan = { kind: 'k8s-checks', n: 100, sides: ['hand'], runs: 21 };

const of = (cell: CellPlan) => (job: Job) => job.kind === cell.kind && job.n === cell.n;

describe('schedule', () => {
  test('gives every cell and side exactly its runs', () => {
    // WHEN
    const jobs = schedule([SMALL, LARGE, CHECKS]);

    // THEN
    for (const cell of [SMALL, LARGE, CHECKS]) {
      for (const side of cell.sides) {
        expect(jobs.filter((job) => of(cell)(job) && job.side === side)).toHaveLength(cell.runs);
      }
    }
    expect(jobs).toHaveLength(2 * 61 + 2 * 21 + 21);
  });

  test('spreads a cell with fewer runs over the whole benchmark, not the first rounds', () => {
    // WHEN
    const jobs = schedule([SMALL, LARGE]);

    // THEN the large cell's runs fall between the small cell's from start to end
    const positions = jobs.map((job, i) => (of(LARGE)(job) ? i : -1)).filter((i) => i >= 0);
    expect(positions[0]).toBeLessThan(jobs.length / 10);
    expect(positions[positions.length - 1]).toBeGreaterThan(jobs.length * 0.9);
    const gaps = positions.slice(1).map((p, i) => p - positions[i]).filter((gap) => gap > 1);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(4);
  });

  test('runs the two sides of a run back to back, alternating which goes first', () => {
    // WHEN
    const jobs = schedule([LARGE]);

    // THEN
    const firsts = jobs.filter((_, i) => i % 2 === 0).map((job) => job.side);
    const seconds = jobs.filter((_, i) => i % 2 === 1).map((job) => job.side);
    expect(firsts.slice(0, 4)).toEqual(['ours', 'hand', 'ours', 'hand']);
    expect(seconds.slice(0, 4)).toEqual(['hand', 'ours', 'hand', 'ours']);
    expect(firsts.filter((side) => side === 'ours')).toHaveLength(11);
  });

  test('schedules nothing for no cells', () => {
    expect(schedule([])).toEqual([]);
  });
});
