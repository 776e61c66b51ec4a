import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

const ALLOWED = ['RuntimeDefault', 'Localhost'];
const FIX = 'use the RuntimeDefault seccomp profile (seccompProfile: { type: RuntimeDefault })';

export const seccompRuntimeDefault: Rule = {
  control: Control.SECCOMP_RUNTIME_DEFAULT,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => {
    // Every level that sets a profile must set an allowed one, as Pod Security Standards check it.
    const bad = c.seccompProfiles.filter((p) => !ALLOWED.includes(p.value));
    if (bad.length > 0) {
      return bad.map((p) => ({ setting: p.at, problem: `the seccomp profile is ${p.value}`, fix: FIX }));
    }
    if (c.seccompProfiles.length === 0 && !ALLOWED.includes(c.seccompWhenUnset)) {
      return [{ setting: 'securityContext.seccompProfile', problem: `no seccomp profile is set, so ${c.seccompWhenUnset} applies`, fix: FIX }];
    }
    return [];
  }),
};
