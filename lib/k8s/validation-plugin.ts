/**
 * A cdk8s CLI validation plugin (cdk8s.yaml `validations:`) that checks the synthesized manifests
 * offline with the core rules. It implements the CLI's `Validation` interface structurally, so this
 * library does not depend on cdk8s-cli.
 */
import { Yaml } from 'cdk8s';
import { SecurityPolicyProps, WorkloadAssessment, blockingFindings, resolvePolicy } from '../core';
import { checkWorkloads } from './check-objects';
import { readWorkloadsOfFiles } from './posture';

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
  private readonly props: SecureServiceValidationProps;

  public constructor(props: SecureServiceValidationProps = {}) {
    this.props = props;
  }

  /**
   * Checks the manifests together, as one app: a NetworkPolicy, Service or ServiceAccount in one file
   * applies to the pods of a workload in another (the CLI passes every file it finds: one per chart,
   * or one per resource). One violation per control and object, and warnings through the logger.
   */
  public async validate(context: ValidationPluginContext): Promise<void> {
    const policy = resolvePolicy(this.props.policy ?? {});
    const read = readWorkloadsOfFiles(context.manifests.map((manifest) => ({ file: manifest, objects: Yaml.load(manifest) })));
    let failed = false;
    const checks = checkWorkloads(read.map((r) => r.workload), { policy, today: this.props.today });
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
        fix: `${[...new Set(findings.map((f) => f.fix))].join('; ')} (or record an exemption in the secure-service.dev/exemptions annotation)`,
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
