import { spawn } from 'child_process';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');

/** What `bench/run.ts` writes to stderr, and its exit status, when started with `env` (it refuses bad options before any work). */
function runBench(env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', 'bench/tsconfig.json', 'bench/run.ts'], {
      cwd: REPO, env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

// A run as small as the benchmark allows, under each bad option: if one were taken, the run ends at once, with status 0.
const SMALLEST = { BENCH_ONLY: 'k8s-checks', BENCH_N: '1', BENCH_RUNS: '1' };

// Each option a typo would silently turn into another measurement.
const BAD_OPTIONS: [Record<string, string>, RegExp][] = [
  [{ BENCH_ONLY: 'ecs,k8' }, /BENCH_ONLY must list some of ecs, k8s, ecs-checks, k8s-checks, ecs-process, k8s-process, found: "ecs,k8"/],
  [{ BENCH_CDK_VALIDATION: 'yes' }, /BENCH_CDK_VALIDATION must be 0 or 1, found: "yes"/],
  [{ BENCH_EAGER_FEEDBACK: 'true' }, /BENCH_EAGER_FEEDBACK must be 0 or 1, found: "true"/],
  [{ BENCH_PREDICTABLE: '2' }, /BENCH_PREDICTABLE must be 0 or 1, found: "2"/],
  [{ BENCH_RUNS: '0' }, /BENCH_RUNS must be a positive integer, found: "0"/],
  [{ BENCH_WARM_UP: '1.5' }, /BENCH_WARM_UP must be a positive integer, found: "1.5"/],
  [{ BENCH_N: '10,x' }, /BENCH_N must be positive integers separated by commas, e.g. 10,100, found: "10,x"/],
];

test('the benchmark refuses a bad option, naming it, the value received and what it takes', async () => {
  // WHEN: all at once, each a process of its own
  const results = await Promise.all(BAD_OPTIONS.map(([env]) => runBench({ ...SMALLEST, ...env })));
  // THEN
  results.forEach(({ status, stderr }, i) => {
    expect(status).not.toBe(0);
    expect(stderr).toMatch(BAD_OPTIONS[i][1]);
  });
}, 120_000);
