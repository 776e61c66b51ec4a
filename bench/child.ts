/**
 * One measurement in a fresh process (started by measure.ts): builds and synthesizes one scenario,
 * timing only that, and prints `{ ms, maxRssMiB, ... }` as one JSON line on stdout.
 *
 * Usage: node child.js <ecs|k8s|ecs-checks|k8s-checks|ecs-process|k8s-process> <ours|hand> <n>
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { Side } from './ecs-scenarios';
import { library } from './library';
import { SCENARIO_KINDS } from './scenario-kinds';

/* eslint-disable @typescript-eslint/no-require-imports -- each process loads only the frameworks its scenario uses, as an app does */
const ecsScenarios = () => require('./ecs-scenarios') as typeof import('./ecs-scenarios');
const k8sScenarios = () => require('./k8s-scenarios') as typeof import('./k8s-scenarios');
/* eslint-enable @typescript-eslint/no-require-imports */

/** What one child reports. */
export interface ChildResult {
  /** Wall time of the measured work. */
  readonly ms: number;
  /** CPU time (user + system, all threads) of the measured work: less disturbed than wall time by other work on the machine. */
  readonly cpuMs: number;
  /** Peak resident set size of the whole process. */
  readonly maxRssMiB: number;
  /** Violations the checks reported (checks scenarios only; expected 0: the hand-written services are hardened). */
  readonly violations?: number;
}

/** BENCH_CDK_VALIDATION=1 (checked by run.ts): the ECS comparison with CDK's built-in CloudFormation validation on, on both sides. */
const cdkValidation = process.env.BENCH_CDK_VALIDATION === '1';

/**
 * BENCH_WARM_UP (checked by run.ts): services in the warm-up, 1 unless set. An experiment, not the
 * measure: V8 gives a function that runs once per service its inline caches only after about eight
 * services, so a longer warm-up shows how much of a cell is that one-time learning.
 */
const warmUpServices = Number(process.env.BENCH_WARM_UP ?? '1');

/**
 * aws-cdk-lib and cdk8s load most of their modules, and V8 compiles each function, on first use.
 * Before the clock starts, each side builds and synthesizes one service of its own kind (checks
 * scenarios: one hand-written service, then our check's modules are loaded), so neither side's module
 * loading or first compilation is measured (nor, see collectSetUpGarbage, the collection of their
 * garbage): what is measured is what N services cost. The instruction counts report the first-use
 * cost of each side separately (their empty-app runs), and the process scenarios measure it with the rest.
 */
function warmUp(scenario: string, side: Side, outdir: string): void {
  const dir = path.join(outdir, 'warm-up');
  const checks = scenario.endsWith('-checks');
  const warmSide = checks ? 'hand' : side;
  if (scenario.startsWith('ecs')) {
    ecsScenarios().buildEcsApp(warmSide, warmUpServices, dir, scenario === 'ecs' && cdkValidation).synth();
    if (checks) void library().ecs;
  } else {
    k8sScenarios().buildK8sApp(warmSide, warmUpServices, dir).synth();
    if (checks) void library().k8s;
  }
}

/**
 * Loading the modules and the warm-up leave garbage and a collection already under way: left alone,
 * it finishes in the window (a mark-compact of every loaded module's objects, plus scavenges: about
 * 15 ms, a fifth of a Kubernetes window at N = 10), on one side more than the other. Collected
 * before the clock starts, it is set-up, like the loading. Not after preparing the checks' input:
 * a full collection also shrinks the young generation, and the checks then ran 1.3x as long as they
 * do right after a synthesis, where they run in a real one. Needs `node --expose-gc`
 * (CHILD_NODE_FLAGS in measure.ts).
 */
function collectSetUpGarbage(): void {
  if (typeof global.gc !== 'function') throw new Error('run the child with node --expose-gc (CHILD_NODE_FLAGS in measure.ts)');
  global.gc();
}

/** The work the clock measures, returning the violations found (checks scenarios); what it reads is prepared here. */
function measuredWork(scenario: string, side: Side, n: number, outdir: string): () => number | undefined {
  switch (scenario) {
    case 'ecs':
      return () => void ecsScenarios().buildEcsApp(side, n, outdir, cdkValidation).synth();
    case 'k8s':
      return () => void k8sScenarios().buildK8sApp(side, n, outdir).synth();
    case 'ecs-checks': {
      const check = ecsScenarios().prepareEcsChecks(n, outdir);
      return () => check().violations;
    }
    case 'k8s-checks': {
      const check = k8sScenarios().prepareK8sChecks(n, outdir);
      return () => check().violations;
    }
    default:
      throw new Error(`not a measured scenario: ${JSON.stringify(scenario)}`);
  }
}

function measure(scenario: string, side: Side, n: number, outdir: string): ChildResult {
  warmUp(scenario, side, outdir);
  collectSetUpGarbage();
  const work = measuredWork(scenario, side, n, outdir);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const violations = work();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, violations };
}

/**
 * What `cdk synth` or `cdk8s synth` waits for in the app's process: Node's start-up, loading the
 * frameworks (and, for ours, the library, through its package entry point), building N services and
 * synthesizing them, in one cold process with no warm-up. Times are since the process started
 * (`performance.now()` counts from its time origin), CPU time is the whole process's.
 */
function measureProcess(scenario: string, side: Side, n: number, outdir: string): ChildResult {
  if (scenario === 'ecs-process') ecsScenarios().buildEcsApp(side, n, outdir, cdkValidation).synth();
  else k8sScenarios().buildK8sApp(side, n, outdir).synth();
  const cpu = process.cpuUsage();
  return { ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function main(): void {
  const [scenario, side, count] = process.argv.slice(2);
  if (!(SCENARIO_KINDS as readonly string[]).includes(scenario)) {
    throw new Error(`scenario must be one of ${SCENARIO_KINDS.join(', ')}, found: ${JSON.stringify(scenario)}`);
  }
  const n = Number(count);
  if (side !== 'ours' && side !== 'hand') throw new Error(`side must be ours or hand, found: ${JSON.stringify(side)}`);
  // 0 builds an empty app: the baseline of instruction counts.
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer, found: ${JSON.stringify(count)}`);
  if (!Number.isInteger(warmUpServices) || warmUpServices < 1) {
    throw new Error(`BENCH_WARM_UP must be a positive integer, found: ${JSON.stringify(process.env.BENCH_WARM_UP)}`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-service-bench-out-'));
  try {
    const result = scenario.endsWith('-process') ? measureProcess(scenario, side, n, outdir) : measure(scenario, side, n, outdir);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
