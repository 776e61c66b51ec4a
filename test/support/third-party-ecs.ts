/**
 * Independent third-party checks of synthesized ECS templates, for tests only.
 *
 * - AWS Control Tower proactive controls CT.ECS.PR.1 … CT.ECS.PR.12, run with the
 *   `cfn-guard` 3.1.1 binary bundled in `@cdklabs/cdk-validator-cfnguard`. They read the
 *   FINAL template JSON, so property overrides / escape hatches are seen.
 * - cdk-nag 3 rule packs (AwsSolutions by default), run on the construct tree. They read
 *   L1 construct props, so raw property overrides are NOT seen.
 *
 * Why the binary is spawned directly instead of `Validations.of(app).addPlugins(new CfnGuardValidator())`:
 * - the plugin only runs inside a full app synth, and a violation makes synth throw a text
 *   report; we want structured findings for arbitrary template objects;
 * - one spawn can check hundreds of templates (batch API below), a plugin runs once per app;
 * - the plugin treats cfn-guard exit code 5 as "violations", but 5 is what cfn-guard returns
 *   when a rule file fails to parse: every rule is then skipped and the run silently "passes".
 *   Here anything but 0 (pass) / 19 (non-compliant) throws, and every rule must be reported.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';

export interface GuardFinding {
  /** Control Tower control id, e.g. 'CT.ECS.PR.3'. */
  readonly rule: string;
  /** cfn-guard rule name, e.g. 'ecs_task_definition_nonroot_user_check'. */
  readonly guardRule: string;
  /** Logical id of the offending resource. */
  readonly resource: string;
  /** Control title from the rule file. */
  readonly message: string;
  /** JSON pointers cfn-guard reported, e.g. '/Resources/X/Properties/ContainerDefinitions/0/User'. */
  readonly paths: string[];
}

export interface ControlTowerRule {
  readonly id: string;
  readonly guardRule: string;
  readonly file: string;
  readonly title: string;
}

const PKG_DIR = path.dirname(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard')));
const ECS_RULE_DIR = path.join(PKG_DIR, 'rules', 'control-tower', 'cfn-guard', 'ecs');

/** The 12 bundled ECS controls, read from the rule files so names can never drift. */
export const CONTROL_TOWER_ECS_RULES: readonly ControlTowerRule[] = loadRules();

function loadRules(): ControlTowerRule[] {
  const rules = fs.readdirSync(ECS_RULE_DIR)
    .map(f => /^ct-ecs-pr-(\d+)\.guard$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map(m => {
      const file = path.join(ECS_RULE_DIR, m[0]);
      const text = fs.readFileSync(file, 'utf8');
      const id = `CT.ECS.PR.${m[1]}`;
      const guardRule = /^rule (\w+) when is_cfn_template/m.exec(text)?.[1];
      const title = new RegExp(`\\[${id.replace(/\./g, '\\.')}\\]:\\s*(.+)`).exec(text)?.[1].trim();
      if (!guardRule || !title) throw new Error(`cannot parse rule name/title from ${file}`);
      return { id, guardRule, file, title };
    });
  const ids = rules.map(r => r.id).join();
  const expected = Array.from({ length: 12 }, (_, i) => `CT.ECS.PR.${i + 1}`).join();
  if (ids !== expected) throw new Error(`expected ${expected} in ${ECS_RULE_DIR}, found ${ids}`);
  return rules;
}

function guardBinary(): string {
  const platform = ({ linux: 'ubuntu', darwin: 'macos' } as Record<string, string>)[os.platform()];
  const arch = ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[os.arch()];
  if (!platform || !arch) throw new Error(`no bundled cfn-guard for ${os.platform()}/${os.arch()}`);
  return path.join(PKG_DIR, 'bin', platform, arch, 'cfn-guard');
}

/** Checks one template against all Control Tower ECS controls. Throws if cfn-guard fails. */
export function controlTowerEcsFindings(template: object): GuardFinding[] {
  return controlTowerEcsFindingsBatch({ template }).template;
}

/**
 * Checks many templates in ONE cfn-guard run: ~40 ms for one template, ~5 ms per extra one
 * (500 templates ≈ 2.7 s), versus ~40 ms per template when spawning once each.
 * Returns findings keyed like the input; templates without findings map to [].
 */
export function controlTowerEcsFindingsBatch(templates: Record<string, object>): Record<string, GuardFinding[]> {
  const keys = Object.keys(templates);
  if (keys.length === 0) return {};
  // Files are named by index so arbitrary keys need no escaping.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-ecs-'));
  let stdout: string;
  try {
    keys.forEach((k, i) => fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(ecsOnly(templates[k]))));
    const proc = spawnSync(guardBinary(), [
      'validate',
      ...CONTROL_TOWER_ECS_RULES.flatMap(r => ['--rules', r.file]),
      '--data', dir,
      '--output-format', 'json', '--show-summary', 'none', '--structured',
    ], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 }); // failing templates produce ~15 KB of JSON each
    if (proc.error) throw new Error(`cfn-guard could not run: ${proc.error.message}`);
    // 0 = all compliant, 19 = some non-compliant; anything else (5 = rule parse error,
    // 255 = bad data file) is a tool failure.
    if (proc.status !== 0 && proc.status !== 19) {
      throw new Error(`cfn-guard exited with ${proc.status ?? proc.signal}: ${proc.stderr}`);
    }
    stdout = proc.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const out = new Map<string, GuardFinding[]>(); // a Map, so keys like 'constructor' are safe
  for (const result of parseJson(stdout)) {
    const key = keys[Number(/^(\d+)\.json$/.exec(path.basename(String(result.name)))?.[1] ?? NaN)];
    if (key === undefined || out.has(key)) throw new Error(`unexpected cfn-guard result for ${result.name}`);
    out.set(key, parseResult(result));
  }
  const missing = keys.filter(k => !out.has(k));
  if (missing.length) throw new Error(`cfn-guard returned no result for: ${missing.join(', ')}`);
  return Object.fromEntries(out);
}

/**
 * cfn-guard's cost grows with document size (~25 ms for a VPC + service stack), and every
 * ECS control selects resources by `Type == AWS::ECS::*` and never follows references,
 * so dropping all other resources changes no result but halves the run time.
 */
function ecsOnly(template: any): object {
  const resources = Object.entries(template?.Resources ?? {})
    .filter(([, r]: [string, any]) => typeof r?.Type === 'string' && r.Type.startsWith('AWS::ECS::'));
  return { ...template, Resources: Object.fromEntries(resources) };
}

function parseJson(stdout: string): any[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (e) {
    throw new Error(`cfn-guard output is not JSON: ${String(e)}\n${stdout.slice(0, 500)}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`cfn-guard output is not a list: ${stdout.slice(0, 500)}`);
  return parsed;
}

function parseResult(result: any): GuardFinding[] {
  const notCompliant: any[] = Object.values(result.not_compliant ?? {});
  // Every rule must show up in one of the lists, otherwise it did not run (e.g. parse error).
  const seen = new Set<string>([
    ...(result.compliant ?? []), ...(result.not_applicable ?? []),
    ...notCompliant.map(nc => nc?.Rule?.name),
  ]);
  const notRun = CONTROL_TOWER_ECS_RULES.filter(r => !seen.has(r.guardRule));
  if (notRun.length) throw new Error(`cfn-guard did not evaluate ${notRun.map(r => r.id).join(', ')} for ${result.name}`);

  const findings: GuardFinding[] = [];
  for (const nc of notCompliant) {
    const rule = CONTROL_TOWER_ECS_RULES.find(r => r.guardRule === nc?.Rule?.name);
    if (!rule) throw new Error(`unknown cfn-guard rule in output: ${JSON.stringify(nc).slice(0, 300)}`);
    // The nesting of cfn-guard's check tree depends on how the rule is written, so instead of
    // walking a fixed schema collect every '/Resources/<id>/...' path anywhere below the rule.
    const byResource = new Map<string, Set<string>>();
    for (const p of resourcePaths(nc)) {
      const id = p.split('/')[2];
      byResource.set(id, (byResource.get(id) ?? new Set()).add(p));
    }
    if (byResource.size === 0) throw new Error(`cannot attribute ${rule.id} failure to a resource in ${result.name}`);
    for (const [resource, paths] of byResource) {
      findings.push({ rule: rule.id, guardRule: rule.guardRule, resource, message: rule.title, paths: [...paths].sort() });
    }
  }
  return findings;
}

function resourcePaths(node: unknown, acc: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach(n => resourcePaths(n, acc));
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'path' && typeof v === 'string' && /^\/Resources\/[^/]+/.test(v)) acc.push(v);
      else resourcePaths(v, acc);
    }
  }
  return acc;
}

export interface NagFinding {
  /** e.g. 'AwsSolutions-ECS2' or 'NIST.800.53.R5-ECSTaskDefinitionUserForHostMode'. */
  readonly rule: string;
  /** Construct path of the offending L1, e.g. 'Stack/TaskDef/Resource'. */
  readonly path: string;
  readonly level: string;
  readonly message: string;
}

/** ECS rule ids look like '<Pack>-ECS2' or '<Pack>-ECSTaskDefinition…'; ECR rules do not match. */
const NAG_ECS_RULE = /^[\w.]+-ECS/;

/**
 * Runs cdk-nag packs (default: AwsSolutions, whose ECS rules are ECS2, ECS4, ECS7) on a stack
 * and returns only the ECS findings. cdk-nag 3 is a policy-validation plugin, not an Aspect:
 * it adds no Annotations, so `Annotations.fromStack(...).findError` would always be empty.
 * `validateScope` is its documented direct entry point.
 */
export function cdkNagEcsFindings(stack: Stack, packs: NagPack[] = [new AwsSolutionsChecks()]): NagFinding[] {
  // Synthesize first so Aspects have run and nag sees the tree that synth would emit
  // (synth is cached, so this is free if the caller already synthesized).
  Stage.of(stack)?.synth();
  return packs.flatMap(pack => pack.validateScope(stack).violations
    .filter(v => NAG_ECS_RULE.test(v.ruleName))
    .flatMap(v => v.violatingResources.map(r => ({
      rule: v.ruleName,
      // cdk-nag 3 fills a non-standard `constructPath` and leaves resourceLogicalId empty.
      path: (r as { constructPath?: string }).constructPath ?? String(r.resourceLogicalId),
      level: v.severity ?? 'error',
      message: v.description,
    }))));
}
