import { Control } from '../controls';
import { ContainerPosture, Observed, UserSetting, WorkloadPosture } from '../posture';
import { Rule, Violation, always, eachContainer } from './rule';

// Each names the output's settings, for hand-written workloads, and the prop that sets them.
const KUBERNETES_FIX = 'run as a numeric non-root user and group, e.g. runAsUser: 65532 and runAsGroup: 65532 '
  + '(a SecureService: user: { uid: 65532, gid: 65532 }), and make the image work as that user';
const ECS_FIX = 'run as a numeric non-root user and group, e.g. User "65532:65532" (a SecureService: user: { uid: 65532, gid: 65532 }), and make the image work as that user';

function userProblems(user: Observed<UserSetting>, fix: string): Omit<Violation, 'container'>[] {
  const problems: Omit<Violation, 'container'>[] = [];
  const { uid, gid } = user.value;
  if (typeof uid === 'string') {
    problems.push({ setting: user.at, problem: `the user is a name (${JSON.stringify(uid)}): nothing can prove it is not root`, fix });
  } else if (uid === 0) {
    problems.push({ setting: user.at, problem: 'the user is 0 (root)', fix });
  }
  if (typeof gid === 'string') {
    problems.push({ setting: user.at, problem: `the group is a name (${JSON.stringify(gid)}): nothing can prove it is not root`, fix });
  } else if (gid === 0) {
    problems.push({ setting: user.at, problem: 'the group is 0 (root)', fix });
  }
  return problems;
}

function checkContainer(container: ContainerPosture, workload: WorkloadPosture): Omit<Violation, 'container'>[] {
  const fix = workload.platform === 'kubernetes' ? KUBERNETES_FIX : ECS_FIX;
  const problems = container.users.flatMap((user) => userProblems(user, fix));
  const hasUid = container.users.some((u) => u.value.uid !== undefined);

  if (workload.platform === 'kubernetes') {
    // Pod Security Standards: runAsNonRoot must be true; an explicit false at any level is a violation.
    for (const setting of container.runAsNonRoot.filter((s) => !s.value)) {
      problems.push({ setting: setting.at, problem: 'runAsNonRoot is false', fix: 'set runAsNonRoot: true at pod and container level' });
    }
    const effective = container.runAsNonRoot[container.runAsNonRoot.length - 1];
    if (!effective) {
      problems.push({ setting: 'securityContext.runAsNonRoot', problem: 'runAsNonRoot is not set: the kubelet will start the container as root if the image says so', fix: 'set runAsNonRoot: true at pod and container level' });
    }
    if (container.users.length === 0) {
      problems.push({ setting: 'securityContext.runAsUser', problem: "no user and group are set: the image's USER and its group apply, group 0 (root) unless the image sets one", fix });
    }
    for (const group of container.supplementaryGroups ?? []) {
      if (group.value === 0 || group.value === '0') {
        problems.push({ setting: group.at, problem: 'the pod gives the process group 0 (root)', fix: `${fix}; no fsGroup or supplementalGroups of 0` });
      } else if (typeof group.value === 'string') {
        // kubectl's YAML reads `0o0` as 0; a group the manifest gives as text cannot be proven not root.
        problems.push({ setting: group.at, problem: `the pod gives the process group ${JSON.stringify(group.value)}, which is not a number: it may be 0 (root)`, fix: `${fix}; write fsGroup and supplementalGroups as numbers` });
      }
    }
  } else if (!hasUid) {
    problems.push({ setting: 'User', problem: "no user is set: the image's USER applies, root unless the image says otherwise", fix });
  }
  const named = container.users.some((u) => typeof u.value.uid === 'string');
  if (hasUid && !named && !container.users.some((u) => u.value.gid !== undefined)) {
    // A uid the image's /etc/passwd does not list runs with group 0 (Docker and the kubelet alike).
    const user = container.users[container.users.length - 1];
    problems.push({ setting: user.at, problem: "no group is set: the process runs with the image's group for that uid, 0 (root) unless the image lists the user", fix });
  }
  return problems;
}

export const runAsNonRoot: Rule = {
  control: Control.RUN_AS_NON_ROOT,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => checkContainer(c, workload)),
};
