import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

export const dropAllCapabilities: Rule = {
  control: Control.DROP_ALL_CAPABILITIES,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => [
    // Pod Security Standards compare the exact string "ALL".
    ...(c.capabilitiesDropped.value.includes('ALL') ? [] : [{
      setting: c.capabilitiesDropped.at,
      problem: `capabilities are not all dropped (drop: ${JSON.stringify(c.capabilitiesDropped.value)})`,
      fix: 'drop ["ALL"] capabilities',
    }]),
    ...c.capabilitiesAdded.map((added) => ({
      setting: added.at,
      problem: `capability ${added.value} is added`,
      fix: `remove ${added.value}; to bind a port below 1024, listen on a high port and map it in the Service or load balancer`,
    })),
  ]),
};
