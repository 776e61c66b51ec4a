import { Control } from '../controls';
import { ContainerPosture } from '../posture';
import { Rule, always, eachContainer } from './rule';

// Fargate offers no no-new-privileges option: with every capability dropped and no privileged mode,
// a setuid binary gains nothing, so that is what counts there.
function fargateEscalation(c: ContainerPosture) {
  if (c.capabilitiesDropped.value.includes('ALL') && c.privileged.value !== true) return [];
  return [{
    setting: c.capabilitiesDropped.at,
    problem: 'Fargate cannot set no-new-privileges, and the container keeps capabilities a setuid binary could use',
    fix: 'drop ["ALL"] capabilities and never run privileged',
  }];
}

// On EC2, no-new-privileges does not stop a privileged container: it holds every capability from the
// start. Kubernetes refuses privileged without allowPrivilegeEscalation, so there the setting below says it.
function ec2PrivilegedEscalation(c: ContainerPosture) {
  if (c.privileged.value !== true) return undefined;
  return [{
    setting: c.privileged.at,
    problem: 'the container is privileged: it holds every capability, so no-new-privileges stops no escalation',
    fix: 'never run privileged',
  }];
}

export const noPrivilegeEscalation: Rule = {
  control: Control.NO_PRIVILEGE_ESCALATION,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => {
    if (workload.platform === 'ecs-fargate') return fargateEscalation(c);
    const privileged = workload.platform === 'ecs-ec2' ? ec2PrivilegedEscalation(c) : undefined;
    if (privileged) return privileged;
    if (c.allowPrivilegeEscalation.value === false) return [];
    const value = c.allowPrivilegeEscalation.value;
    return [{
      setting: c.allowPrivilegeEscalation.at,
      problem: value === undefined ? 'privilege escalation is not switched off (the default allows it)' : 'privilege escalation is allowed',
      fix: workload.platform === 'kubernetes' ? 'set allowPrivilegeEscalation: false' : 'add the no-new-privileges docker security option',
    }];
  }),
};
