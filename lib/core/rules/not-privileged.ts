import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

export const notPrivileged: Rule = {
  control: Control.NOT_PRIVILEGED,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => c.privileged.value !== true ? [] : [{
    setting: c.privileged.at,
    problem: 'the container is privileged: it has every device and capability of the host',
    fix: 'remove privileged; grant the one thing the process needs instead',
  }]),
};
