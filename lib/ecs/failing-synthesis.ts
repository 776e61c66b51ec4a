/**
 * CDK fails synthesis on a validation plugin's errors unless the app sets the context
 * `@aws-cdk/core:failSynthOnValidationErrors` to false: then it only writes them to its report, and any
 * control could be weakened without an exemption. A SecureService refuses that setting in its own
 * validation, which fails synthesis whatever the setting; the plugin reports it too (fatal), for apps
 * whose task definitions other code writes.
 */
import { IConstruct } from 'constructs';

/** `cx_api.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT`, written out: reading it from aws-cdk-lib loads its cx-api module. */
export const FAIL_SYNTH_CONTEXT_KEY = '@aws-cdk/core:failSynthOnValidationErrors';

/** Why CDK would not fail synthesis on the checks' errors in the app of `scope`; undefined when it would. */
export function synthesisNotFailedProblem(scope: IConstruct): string | undefined {
  // Read where CDK reads it, on the app, and as CDK reads it: anything but false and 'false' fails synthesis.
  const value = scope.node.root.node.tryGetContext(FAIL_SYNTH_CONTEXT_KEY);
  if (value !== false && value !== 'false') return undefined;
  return `the app sets the context ${FAIL_SYNTH_CONTEXT_KEY} to ${JSON.stringify(value)}, so CDK would write what SecureServiceChecks find to its `
    + 'report without failing synthesis, and any control could be weakened without an exemption; remove that setting';
}
