import { Control } from '../controls';
import { ConfinementSetting, ContainerPosture } from '../posture';
import { Rule, Violation, always, eachContainer } from './rule';

// Pod Security Standards baseline: the SELinux types a container may ask for, and AppArmor profiles
// that keep it confined.
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const CONFINED_APPARMOR = /^(runtime\/default|RuntimeDefault|localhost\/.+|Localhost)$/;
// Docker's options that switch AppArmor or SELinux labelling off or choose a label: dockerd reads a bare
// `disable` as `label=disable`.
const UNCONFINING_DOCKER_OPTION = /^(apparmor[=:]unconfined|label[=:]|disable$)/;
// Docker's option that unmasks /proc and /sys paths (as procMount: Unmasked does for a pod).
const UNMASKING_DOCKER_OPTION = /^systempaths[=:]unconfined$/;
// Docker's option that mounts the cgroup filesystem writable (the values Go's ParseBool reads as true).
const WRITABLE_CGROUPS_OPTION = /^writable-cgroups[=:](1|t|T|true|TRUE|True)$/;

/** Why a docker security option lifts confinement, or undefined when it does not. */
function dockerOptionProblem(value: string): string | undefined {
  // The ECS reader writes parts only known at deploy time (a parameter, a dynamic reference) as `${...}`: such an
  // option may be any of those below.
  if (value.includes('${')) return `the docker security option ${value} is only known at deploy time: it may lift AppArmor or SELinux confinement or unmask system paths`;
  if (UNCONFINING_DOCKER_OPTION.test(value)) return `the docker security option ${value} lifts AppArmor or SELinux confinement`;
  if (WRITABLE_CGROUPS_OPTION.test(value)) return `the docker security option ${value} mounts the cgroup filesystem writable`;
  return UNMASKING_DOCKER_OPTION.test(value) ? `the docker security option ${value} unmasks /proc and /sys paths` : undefined;
}

/** Why a confinement setting lifts confinement, or undefined when the baseline allows it. */
function confinementProblem({ kind, value }: ConfinementSetting): string | undefined {
  switch (kind) {
    case 'procMount':
      return value === 'Default' ? undefined : `procMount is ${value}: /proc is not masked`;
    case 'seLinuxType':
      return SELINUX_TYPES.includes(value) ? undefined : `the SELinux type is ${value}`;
    case 'seLinuxUser':
    case 'seLinuxRole':
      return value === '' ? undefined : `a custom SELinux ${kind === 'seLinuxUser' ? 'user' : 'role'} (${value}) is set`;
    case 'appArmor':
      return CONFINED_APPARMOR.test(value) ? undefined : `the AppArmor profile is ${value}`;
    case 'dockerSecurityOption':
      return dockerOptionProblem(value);
  }
}

function checkContainer(c: ContainerPosture): Omit<Violation, 'container'>[] {
  const problems: Omit<Violation, 'container'>[] = [];
  if (c.privileged.value === true) {
    problems.push({
      setting: c.privileged.at,
      problem: 'the container is privileged: it has every device and capability of the host',
      fix: 'remove privileged; grant the one thing the process needs instead',
    });
  }
  for (const setting of c.confinement ?? []) {
    const problem = confinementProblem(setting.value);
    if (problem) problems.push({ setting: setting.at, problem, fix: 'keep the runtime default confinement (no procMount, SELinux or AppArmor overrides)' });
  }
  return problems;
}

export const notPrivileged: Rule = {
  control: Control.NOT_PRIVILEGED,
  appliesTo: always,
  check: (workload) => eachContainer(workload, checkContainer),
};
