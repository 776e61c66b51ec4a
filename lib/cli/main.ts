import { readFileSync, writeFileSync } from 'fs';
import {
  PostureReport, ResolvedSecurityPolicy, buildPostureReport, describeUnreadInput, parseIsoDate, renderMarkdown, renderSarif, reportFails,
  resolvePolicy, summaryLine,
} from '../core';
import { assessInputs } from './assess-inputs';
import { InputError, STANDARD_INPUT_PATH, scanInputs } from './read-inputs';
import { renderTable } from './table';

export const USAGE = `usage: secure-service check <cdk.out dir | template.json | manifest.yaml | dir | ->... [options]

Reads CloudFormation templates and Kubernetes YAML, checks every ECS task definition and pod-bearing
object with the secure-service controls, honouring recorded exemptions, and prints the posture report.
- reads Kubernetes manifests from standard input (helm template ... | secure-service check -).

options:
  -h, --help                           print this text
  --format table|json|markdown|sarif   report format (default: table)
  --output FILE                        write the report to FILE instead of standard output
  --policy FILE                        a JSON security policy (SecurityPolicyProps) to check against
  --today YYYY-MM-DD                   the day exemptions are judged on (default: today)

exit codes: 0 clean, 1 violations or invalid exemptions, 2 bad input (also when a file found in a
directory cannot be read, or a directory holds nothing to check: the report then covers the other
files, and lists those it could not read)`;

const FORMATS: { readonly [name: string]: (report: PostureReport) => string } = {
  table: renderTable,
  json: (report) => `${JSON.stringify(report, undefined, 2)}\n`,
  markdown: renderMarkdown,
  sarif: (report) => `${JSON.stringify(renderSarif(report), undefined, 2)}\n`,
};

/** Where the CLI writes, and what it reads as standard input; replaceable in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** The whole of standard input, read when `-` is given; by default the process's. */
  readStandardInput?(): Buffer;
}

const processOutput: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

interface Options {
  readonly paths: string[];
  readonly format: string;
  readonly output?: string;
  readonly policy: ResolvedSecurityPolicy;
  readonly today: Date;
}

/** Runs the CLI and returns its exit code. */
export function main(argv: readonly string[], io: Output = processOutput): number {
  if (argv.length === 0 || asksForHelp(argv)) {
    io.out(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const options = parseArguments(argv);
    const { inputs, problems } = scanInputs(options.paths, () => (io.readStandardInput ? io.readStandardInput() : readFileSync(0)));
    const { assessments, unreadContainers } = assessInputs(inputs, options.policy, options.today);
    const report = buildPostureReport(assessments, options.today, problems, unreadContainers);
    const text = FORMATS[options.format](report);
    if (options.output !== undefined) {
      writeReport(options.output, text);
      io.out(`${options.output}: ${summaryLine(report)}\n`);
    } else {
      io.out(text);
    }
    // The report covers what could be read and lists what could not: an incomplete report is bad input.
    for (const problem of problems) io.err(`secure-service: ${describeUnreadInput(problem)}\n`);
    if (report.unreadInputs.length > 0) return 2;
    return reportFails(report) ? 1 : 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`secure-service: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

// `--help` anywhere after `check` wins over the other arguments, as in most command-line tools.
function asksForHelp(argv: readonly string[]): boolean {
  const isHelp = (arg: string) => arg === '--help' || arg === '-h';
  return isHelp(argv[0]) || (argv[0] === 'check' && argv.some(isHelp));
}

function writeReport(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new InputError(`--output ${file}: cannot write the report (${(e as Error).message}); name a file in an existing, writable directory`);
  }
}

/**
 * What to do instead of giving an option that takes a value twice: keeping the last one would drop
 * the first without a word (an org policy replaced by a team policy, one report file not written).
 */
const GIVEN_TWICE_FIXES: { readonly [option: string]: string } = {
  '--format': 'give one format, or run the check once per format',
  '--output': 'give one file, or run the check once per file',
  '--policy': 'merge the two policies into one file',
  '--today': 'give one day',
};

function parseArguments(argv: readonly string[]): Options {
  const [command, ...rest] = argv;
  if (command !== 'check') throw new InputError(`unknown command ${JSON.stringify(command)}; use 'check' (see --help)`);
  const paths: string[] = [];
  let format = 'table';
  let output: string | undefined;
  let policy = resolvePolicy({});
  let today = new Date();
  const given = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => onceGiven(given, arg, rest[++i]);
    if (arg === '--format') {
      format = value();
      if (!FORMATS[format]) throw new InputError(`--format must be one of ${Object.keys(FORMATS).join(', ')}, found: ${JSON.stringify(format)}`);
    } else if (arg === '--output') {
      output = value();
      if (output.trim() === '') throw new InputError(`--output needs a file name, found: ${JSON.stringify(output)}; name the file to write the report to, or leave --output out to print it`);
    } else if (arg === '--policy') {
      policy = readPolicy(value());
    } else if (arg === '--today') {
      const text = value();
      const date = parseIsoDate(text);
      if (!date) throw new InputError(`--today must be a date YYYY-MM-DD, found: ${JSON.stringify(text)}`);
      today = date;
    } else if (arg.startsWith('-') && arg !== STANDARD_INPUT_PATH) {
      throw new InputError(`unknown option ${arg} (see --help)`);
    } else if (arg === STANDARD_INPUT_PATH && paths.includes(arg)) {
      throw new InputError('- (standard input) given twice: it can be read once; give - once');
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new InputError('check needs at least one file or directory (see --help)');
  return { paths, format, output, policy, today };
}

/** The value of `option`, remembered in `given` so that a second one is an error. */
function onceGiven(given: Map<string, string>, option: string, value: string | undefined): string {
  if (value === undefined) throw new InputError(`${option} needs a value (see --help)`);
  const first = given.get(option);
  if (first !== undefined) {
    throw new InputError(`${option} given twice, found: ${JSON.stringify(first)} and ${JSON.stringify(value)}; ${GIVEN_TWICE_FIXES[option]}`);
  }
  given.set(option, value);
  return value;
}

function readPolicy(file: string): ResolvedSecurityPolicy {
  try {
    return resolvePolicy(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new InputError(`${file}: not a valid security policy (${(e as Error).message})`);
  }
}
