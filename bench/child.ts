/**
 * One measurement in a fresh process (started by measure.ts): builds and synthesizes one scenario,
 * timing only that, and prints `{ ms, maxRssMiB, ... }` as one JSON line on stdout.
 *
 * Usage: node child.js <ecs|k8s|ecs-checks|k8s-checks> <ours|hand> <n>
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as cdk from 'aws-cdk-lib';
import { Side, buildEcsApp, prepareEcsChecks } from './ecs-scenarios';
import { buildK8sApp, prepareK8sChecks } from './k8s-scenarios';

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

/**
 * aws-cdk-lib loads its namespaces on first use: load every one either side uses before the clock
 * starts, so module loading is not measured (on both sides alike).
 */
function preload(scenario: string): void {
  if (!scenario.startsWith('ecs')) return;
  void [cdk.aws_ec2, cdk.aws_ecs, cdk.aws_logs, cdk.aws_iam, cdk.aws_elasticloadbalancingv2, cdk.aws_secretsmanager, cdk.aws_ssm];
}

function measure(scenario: string, side: Side, n: number, outdir: string): ChildResult {
  preload(scenario);
  let violations: number | undefined;
  let start: number;
  let cpuStart: NodeJS.CpuUsage;
  switch (scenario) {
    case 'ecs':
      [start, cpuStart] = [performance.now(), process.cpuUsage()];
      buildEcsApp(side, n, outdir).synth();
      break;
    case 'k8s':
      [start, cpuStart] = [performance.now(), process.cpuUsage()];
      buildK8sApp(side, n, outdir).synth();
      break;
    case 'ecs-checks': {
      const check = prepareEcsChecks(n, outdir);
      [start, cpuStart] = [performance.now(), process.cpuUsage()];
      violations = check().violations;
      break;
    }
    case 'k8s-checks': {
      const check = prepareK8sChecks(n, outdir);
      [start, cpuStart] = [performance.now(), process.cpuUsage()];
      violations = check().violations;
      break;
    }
    default:
      throw new Error(`scenario must be ecs, k8s, ecs-checks or k8s-checks, found: ${JSON.stringify(scenario)}`);
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, violations };
}

function main(): void {
  const [scenario, side, count] = process.argv.slice(2);
  const n = Number(count);
  if (side !== 'ours' && side !== 'hand') throw new Error(`side must be ours or hand, found: ${JSON.stringify(side)}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, found: ${JSON.stringify(count)}`);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-service-bench-out-'));
  try {
    process.stdout.write(`${JSON.stringify(measure(scenario, side, n, outdir))}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
