/**
 * Independent checkers agree: the default output passes every Control Tower ECS guard rule and the
 * cdk-nag AwsSolutions ECS rules, and a weakened-and-exempted service fails exactly the rules its
 * exemptions name.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { exemption, service } from './fixtures';
import { Control } from '../../lib/core';
import { cdkNagEcsFindings, controlTowerEcsFindingsBatch } from '../support/third-party-ecs';

describe('third-party ECS checkers', () => {
  // GIVEN the default service (no environment: cdk-nag ECS2 flags any plain variable), and one with
  // three controls weakened and exempted
  const secure = service();
  const weakened = service({
    user: { uid: 0 },
    readOnlyRootFilesystem: false,
    environment: { AWS_SECRET_ACCESS_KEY: 'AKIAEXAMPLE' },
    exemptions: [
      exemption(Control.RUN_AS_NON_ROOT), exemption(Control.READ_ONLY_ROOT_FILESYSTEM), exemption(Control.SECRETS_NOT_IN_ENVIRONMENT),
    ],
  });
  // WHEN both are synthesized (our checks pass both) and run through cfn-guard in one process
  const guard = controlTowerEcsFindingsBatch({
    secure: Template.fromStack(secure.stack).toJSON(),
    weakened: Template.fromStack(weakened.stack).toJSON(),
  });

  test('the default output passes CT.ECS.PR.1 to PR.12', () => {
    // THEN
    expect(guard.secure).toEqual([]);
  });

  test('the default output passes cdk-nag AwsSolutions ECS2, ECS4 and ECS7', () => {
    expect(cdkNagEcsFindings(secure.stack)).toEqual([]);
  });

  test('the weakened-and-exempted service fails exactly the rules its exemptions name', () => {
    const taskDefinition = weakened.stack.getLogicalId(weakened.svc.taskDefinition.node.defaultChild as any);
    expect(guard.weakened.map((f) => [f.rule, f.resource]).sort()).toEqual([
      ['CT.ECS.PR.12', taskDefinition], ['CT.ECS.PR.3', taskDefinition], ['CT.ECS.PR.6', taskDefinition],
    ]);
    expect(cdkNagEcsFindings(weakened.stack).map((f) => [f.rule, f.path])).toEqual([['AwsSolutions-ECS2', 'Stack/Api/TaskDefinition/Resource']]);
  });
});
