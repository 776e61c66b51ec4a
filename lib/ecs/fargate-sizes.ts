import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DEFAULT_CPU, DEFAULT_MEMORY_MIB, shown } from '../core';

/** The task sizes Fargate offers (Linux), in CPU units (1024 = 1 vCPU) and MiB. */
const FARGATE_SIZES: readonly { readonly cpu: number; readonly memory: readonly number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** vCPUs as ECS CPU units. */
export function cpuUnits(vcpus: number): number {
  return Math.round(vcpus * 1024);
}

/** The smallest cpu ECS can reserve: 1 CPU unit. */
const MIN_CPU_UNITS = 1;

/**
 * Why `vcpus` is too small for ECS, or undefined: ECS reserves whole CPU units, and less than one
 * would be rendered as 0 (no reservation at all). Other bad values are the shared validation's.
 */
export function cpuUnitProblem(vcpus: unknown, prefix = ''): string | undefined {
  if (typeof vcpus !== 'number' || !(vcpus > 0) || cpuUnits(vcpus) >= MIN_CPU_UNITS) return undefined;
  return `${prefix}cpu must be at least 1 ECS CPU unit (1/1024 vCPU, ${MIN_CPU_UNITS / 1024}), found: ${vcpus}, which ECS would round to ${cpuUnits(vcpus)} units; use cpu: ${MIN_CPU_UNITS / 1024} or more`;
}

/**
 * Why `cpuUnits`/`memoryMiB` is not a task size Fargate offers, or undefined when it is. The message
 * names the values received (in the props' own units) and the nearest sizes that are offered.
 */
export function fargateSizeProblem(units: number, memoryMiB: number, received: string): string | undefined {
  const size = FARGATE_SIZES.find((s) => s.cpu === units);
  if (size && size.memory.includes(memoryMiB)) return undefined;
  const vcpu = (u: number) => u / 1024;
  if (!size) {
    const larger = FARGATE_SIZES.find((s) => s.cpu >= units);
    return `${received}: Fargate offers ${FARGATE_SIZES.map((s) => vcpu(s.cpu)).join(', ')} vCPU per task, found: ${vcpu(units)} vCPU`
      + (larger ? `; use cpu: ${vcpu(larger.cpu)} (with memoryMiB one of ${larger.memory.join(', ')})` : '; use launchType EC2 for larger tasks');
  }
  const fits = FARGATE_SIZES.find((s) => s.memory.includes(memoryMiB));
  return `${received}: with ${vcpu(units)} vCPU Fargate offers memoryMiB ${size.memory.join(', ')}, found: ${memoryMiB}`
    + (fits ? `; or use cpu: ${vcpu(fits.cpu)} for ${memoryMiB} MiB` : '');
}

/**
 * cpu and memoryMiB become the task size and every container's reservation, which ECS needs as literal
 * numbers: CloudFormation cannot add up or scale a parameter, and a token's encoded double would be
 * written as the size itself (a Cpu of -1.9e292). `scope` resolves the token to show what it stands for.
 */
export function sizeTokenProblems(scope: IConstruct, options: { readonly cpu?: number; readonly memoryMiB?: number }, prefix = ''): string[] {
  return (['cpu', 'memoryMiB'] as const).filter((prop) => Token.isUnresolved(options[prop])).map((prop) =>
    `${prefix}${prop} must be a number at synth time, found a token (${shownToken(scope, options[prop])}); ECS needs the literal size to reserve `
    + `the container's share and size the task: give a number (e.g. ${prop === 'cpu' ? DEFAULT_CPU : DEFAULT_MEMORY_MIB}), `
    + 'and choose between sizes in the CDK app rather than with a deploy-time parameter');
}

/** What a token stands for, e.g. `{"Ref":"TaskCpu"}`: its encoded number means nothing to a reader. */
function shownToken(scope: IConstruct, value: unknown): string {
  try {
    return shown(Stack.of(scope).resolve(value));
  } catch {
    return 'a value only known later';
  }
}
