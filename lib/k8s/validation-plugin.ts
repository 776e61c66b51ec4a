/**
 * A cdk8s CLI validation plugin (cdk8s.yaml `validations:`) that checks the synthesized manifests
 * offline with the core rules. It implements the CLI's `Validation` interface structurally, so this
 * library does not depend on cdk8s-cli.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ResolvedSecurityPolicy, SecurityPolicyProps, UnreadInput, WorkloadAssessment, blockingFindings, describeUnreadInput, isPlainObject, shown } from '../core';
import { checkWorkloads, dayOf, policyOf } from './check-objects';
import { ObjectsOfFile, readWorkloadsOfFiles } from './posture';
import { InputError } from '../cli/input-error';
import { keyList, unknownKeyProblems } from '../core/known-keys';

/**
 * The CLI's YAML reader, loaded when the plugin first reads a manifest: loaded with this module, the
 * `yaml` package and the reader sat in the heap of every cdk8s app's synthesis, which never uses them,
 * and made it 7-8% slower at 10 services (bench/PROFILING.md, session 24).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yamlDocuments = () => require('../cli/yaml-documents') as typeof import('../cli/yaml-documents');

/** Properties of the plugin, as given under `properties:` in cdk8s.yaml. */
export interface SecureServiceValidationProps {
  /**
   * The security policy (the same fields as `SecurityPolicy`).
   * @default - the default policy
   */
  readonly policy?: SecurityPolicyProps;
  /**
   * The day exemptions are judged on, `YYYY-MM-DD`.
   * @default - today
   */
  readonly today?: string;
}

const PROPERTY_KEYS = keyList<SecureServiceValidationProps>({ policy: true, today: true });
/** Where users write the properties: the messages point there. */
const PROPERTIES_IN = 'cdk8s.yaml validations[].properties';

/** The part of the cdk8s CLI's ValidationContext the plugin uses. */
export interface ValidationPluginContext {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: { [key: string]: string }): void;
  };
  readonly logger?: { log(message: string): void };
}

/**
 * cdk8s.yaml:
 * ```yaml
 * validations:
 *   - package: ./node_modules/secure-service
 *     version: 1.0.0            # the installed version, exactly
 *     class: SecureServiceValidation
 *     properties:
 *       policy: { requireTicket: true }
 * ```
 */
export class SecureServiceValidation {
  private readonly policy: ResolvedSecurityPolicy;
  private readonly today?: Date;

  /**
   * Throws, naming each problem with the properties: cdk8s-cli constructs the plugin when it loads it,
   * and prints what a constructor or `validate` throws and exits non-zero, before any plugin reports.
   * A report violation would need a resource to blame, and the checks must not run with a policy
   * other than the one asked for.
   */
  public constructor(props: SecureServiceValidationProps = {}) {
    const given: Record<string, unknown> = isPlainObject(props) ? props : {};
    const policy = policyOf(given.policy, 'properties.policy');
    const today = given.today === undefined ? undefined : dayOf(given.today, 'properties.today');
    const problems = [...propertiesShapeProblems(props), policy.problem, today?.problem].filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new Error(`invalid SecureServiceValidation properties (${PROPERTIES_IN}):\n  - ${problems.join('\n  - ')}`);
    this.policy = policy.policy;
    this.today = today?.day;
  }

  /**
   * Checks the manifests together, as one app: a NetworkPolicy, Service or ServiceAccount in one file
   * applies to the pods of a workload in another (the CLI passes every file it finds: one per chart,
   * or one per resource). One violation per control and object, and warnings through the logger.
   */
  public async validate(context: ValidationPluginContext): Promise<void> {
    const { files, unread } = readManifests(context.manifests);
    const read = readWorkloadsOfFiles(files);
    let failed = unread.length > 0;
    for (const input of unread) {
      context.report.addViolation({
        ruleName: 'secure-service/UNREADABLE_MANIFEST',
        recommendation: `${describeUnreadInput(input)}: the objects in it were not checked`,
        fix: 'write the file so that kubectl reads what it says (YAML 1.1, each key once), or leave it out of the output',
        violatingResources: [{ resourceName: path.basename(input.file), locations: [input.line !== undefined ? `line ${input.line}` : 'the whole file'], manifestPath: input.file }],
      });
    }
    const checks = checkWorkloads(read.map((r) => r.workload), { policy: this.policy, today: this.today });
    for (const [i, check] of checks.entries()) {
      const manifest = read[i].file.file;
      failed = this.reportAssessment(context, check.assessment, manifest) || failed;
      for (const problem of check.annotationProblems) {
        failed = true;
        context.report.addViolation({
          ruleName: 'secure-service/EXEMPTION',
          recommendation: problem,
          fix: 'write the annotation as a JSON list of exemptions',
          violatingResources: [{ resourceName: check.assessment.workload.name.split('/').pop()!, locations: ['metadata.annotations'], manifestPath: manifest }],
        });
      }
      for (const warning of check.warnings) context.logger?.log(`[secure-service] warning: ${warning}`);
    }
    context.report.submit(failed ? 'failure' : 'success', { workloads: String(checks.length) });
  }

  private reportAssessment(context: ValidationPluginContext, assessment: WorkloadAssessment, manifestPath: string): boolean {
    const resourceName = assessment.workload.name.split('/').pop()!;
    const byControl = new Map<string, ReturnType<typeof blockingFindings>>();
    for (const finding of blockingFindings(assessment.findings)) {
      byControl.set(finding.control, [...(byControl.get(finding.control) ?? []), finding]);
    }
    for (const [control, findings] of byControl) {
      context.report.addViolation({
        ruleName: `secure-service/${control}`,
        recommendation: findings.map((f) => `${assessment.workload.name}${f.container !== undefined ? ` container '${f.container}'` : ''}: ${f.problem}`).join('; '),
        fix: `${[...new Set(findings.map((f) => f.fix))].join('; ')} ${exemptionHint(findings)}`,
        violatingResources: [{ resourceName, locations: findings.map((f) => f.setting), manifestPath }],
      });
    }
    const exemptionErrors = assessment.exemptionProblems.filter((p) => p.severity === 'error');
    if (exemptionErrors.length > 0) {
      context.report.addViolation({
        ruleName: 'secure-service/EXEMPTION',
        recommendation: exemptionErrors.map((p) => p.message).join('; '),
        fix: 'correct or remove the exemption in the secure-service.dev/exemptions annotation',
        violatingResources: [{ resourceName, locations: ['metadata.annotations'], manifestPath }],
      });
    }
    return byControl.size > 0 || exemptionErrors.length > 0;
  }
}

/**
 * The objects of each manifest, read as kubectl reads YAML (as the secure-service CLI reads it), and the
 * manifests that cannot be read so: invalid YAML, a key given twice, a tag kubectl does not know. cdk8s's
 * own reader would skip the errors and check something other than what kubectl applies.
 */
function readManifests(manifests: readonly string[]): { files: ObjectsOfFile[]; unread: UnreadInput[] } {
  const files: ObjectsOfFile[] = [];
  const unread: UnreadInput[] = [];
  for (const file of manifests) {
    try {
      const documents = yamlDocuments().parseYaml(file, fs.readFileSync(file, 'utf-8'));
      files.push({ file, objects: documents.map((d) => d.value).filter((value) => value !== null && value !== undefined) });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unread.push(e.input ?? { file, reason: e.message });
    }
  }
  return { files, unread };
}

/** Properties that are not an object, or keys the plugin does not take (a misspelled `policy` would check with the default one). */
function propertiesShapeProblems(props: unknown): string[] {
  if (!isPlainObject(props)) {
    return [`properties must be an object such as { policy: { requireTicket: true } }, found: ${shown(props)}; write them as a YAML mapping`];
  }
  return unknownKeyProblems(props, PROPERTY_KEYS, `a property of SecureServiceValidation (${PROPERTIES_IN})`, 'properties.');
}

/** What an exemption can do for `findings`: cover them, or nothing, and why (as the ECS checks say it). */
function exemptionHint(findings: ReturnType<typeof blockingFindings>): string {
  const unwaivable = findings.find((f) => !f.waivable);
  if (!unwaivable) return '(or record an exemption in the secure-service.dev/exemptions annotation)';
  return `(an exemption cannot cover this: ${unwaivable.notWaivable ?? 'the security policy makes this control non-waivable'})`;
}
