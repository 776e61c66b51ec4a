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

/** One container's share of the task, as its props set it (or the defaults do). */
export interface ContainerSize {
  readonly name: string;
  /** vCPUs, as the props give them. */
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Which of the two the container leaves to the defaults. */
  readonly defaults: { readonly cpu: boolean; readonly memoryMiB: boolean };
}

/**
 * Why the containers' sizes do not add up to a task size Fargate offers, or undefined when they do.
 * The message names the values received (in the props' own units) and the nearest sizes offered: for
 * one container as the props to set; for several, whose props each set a share, as what they must add
 * up to, with the first container's values that would get there.
 */
export function fargateSizeProblem(containers: readonly ContainerSize[]): string | undefined {
  const units = containers.reduce((sum, c) => sum + cpuUnits(c.cpu), 0);
  const memoryMiB = containers.reduce((sum, c) => sum + c.memoryMiB, 0);
  const size = FARGATE_SIZES.find((s) => s.cpu === units);
  if (size && size.memory.includes(memoryMiB)) return undefined;
  const wording = containers.length === 1 ? oneContainer(containers[0]) : severalContainers(containers);
  if (!size) {
    const larger = FARGATE_SIZES.find((s) => s.cpu >= units);
    return `${wording.received}: Fargate offers ${FARGATE_SIZES.map((s) => vcpu(s.cpu)).join(', ')} vCPU per task, found: ${vcpu(units)} vCPU`
      + (larger ? `; ${wording.resize(larger.cpu, larger.memory)}` : '; use launchType EC2 for larger tasks');
  }
  const fits = FARGATE_SIZES.find((s) => s.memory.includes(memoryMiB));
  return `${wording.received}: with ${vcpu(units)} vCPU Fargate offers memoryMiB ${size.memory.join(', ')}, found: ${memoryMiB}`
    + (wording.rememory ? `; ${wording.rememory(size.memory)}` : '')
    + (fits ? `; or ${wording.recpu(fits.cpu)} for ${memoryMiB} MiB` : '');
}

const vcpu = (units: number) => units / 1024;

/** How a message names the sizes received and the props that would fix them. */
interface SizeWording {
  readonly received: string;
  /** The fix that keeps the cpu: the task's memory to one of `choices`; undefined where the message's list says it. */
  readonly rememory?: (choices: readonly number[]) => string;
  /** The fix for a cpu Fargate does not offer: the task's cpu to `units`, its memory to one of `choices`. */
  resize(units: number, choices: readonly number[]): string;
  /** The fix that keeps the memory: the task's cpu to `units`. */
  recpu(units: number): string;
}

function oneContainer(container: ContainerSize): SizeWording {
  return {
    received: `cpu ${container.cpu} and memoryMiB ${container.memoryMiB}`,
    resize: (units, choices) => `use cpu: ${vcpu(units)} (with memoryMiB one of ${choices.join(', ')})`,
    recpu: (units) => `use cpu: ${vcpu(units)}`,
  };
}

function severalContainers(containers: readonly ContainerSize[]): SizeWording {
  const [first, ...others] = containers;
  const othersCpu = others.reduce((sum, c) => sum + cpuUnits(c.cpu), 0);
  const othersMemory = others.reduce((sum, c) => sum + c.memoryMiB, 0);
  const byDefault = (is: boolean) => (is ? ' by default' : '');
  const shares = containers.map((c) => `${c.name} (${c.cpu} vCPU${byDefault(c.defaults.cpu)}, ${c.memoryMiB} MiB${byDefault(c.defaults.memoryMiB)})`);
  // The first container's values that reach the size with the others as they are, where some do.
  const firstCpu = (units: number) => (units > othersCpu ? [`${first.name} cpu: ${vcpu(units - othersCpu)}`] : []);
  const firstMemory = (choices: readonly number[]) => {
    const reachable = choices.find((m) => m > othersMemory);
    return reachable === undefined ? [] : [`${first.name} memoryMiB: ${reachable - othersMemory}`];
  };
  const example = (settings: readonly string[]) => (settings.length > 0 ? ` (e.g. ${settings.join(', ')})` : '');
  return {
    received: `cpu and memoryMiB add up to ${vcpu(othersCpu + cpuUnits(first.cpu))} vCPU and ${othersMemory + first.memoryMiB} MiB `
      + `over containers ${shares.join(', ')}`,
    resize: (units, choices) => `make the containers' cpu add up to ${vcpu(units)} and their memoryMiB to one of ${choices.join(', ')}`
      + example([...firstCpu(units), ...firstMemory(choices)]),
    recpu: (units) => `make their cpu add up to ${vcpu(units)}${example(firstCpu(units))}`,
    rememory: (choices) => `make the containers' memoryMiB add up to one of them${example(firstMemory(choices))}`,
  };
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
