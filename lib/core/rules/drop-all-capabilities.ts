import { Control } from '../controls';
import { ContainerPosture } from '../posture';
import { Rule, Violation, always, eachContainer } from './rule';

function checkContainer(c: ContainerPosture): Omit<Violation, 'container'>[] {
  const problems: Omit<Violation, 'container'>[] = [];
  // Pod Security Standards compare the exact string "ALL".
  if (!c.capabilitiesDropped.value.includes('ALL')) {
    problems.push({
      setting: c.capabilitiesDropped.at,
      problem: `capabilities are not all dropped (drop: ${JSON.stringify(c.capabilitiesDropped.value)})`,
      fix: 'drop ["ALL"] capabilities',
    });
  }
  for (const added of c.capabilitiesAdded) {
    problems.push({
      setting: added.at,
      problem: `capability ${added.value} is added`,
      fix: `remove ${added.value}; to bind a port below 1024, listen on a high port and map it in the Service or load balancer`,
    });
  }
  return problems;
}

export const dropAllCapabilities: Rule = {
  control: Control.DROP_ALL_CAPABILITIES,
  appliesTo: always,
  check: (workload) => eachContainer(workload, checkContainer),
};
