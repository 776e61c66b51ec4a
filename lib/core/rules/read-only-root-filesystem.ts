import { Control } from '../controls';
import { Rule, always, eachContainer } from './rule';

export const readOnlyRootFilesystem: Rule = {
  control: Control.READ_ONLY_ROOT_FILESYSTEM,
  appliesTo: always,
  check: (workload) => eachContainer(workload, (c) => c.readOnlyRootFilesystem.value === true ? [] : [{
    setting: c.readOnlyRootFilesystem.at,
    problem: `the root filesystem is writable (${JSON.stringify(c.readOnlyRootFilesystem.value ?? null)})`,
    fix: 'keep the root filesystem read-only and mount a volume at each path the process writes to (a SecureService: writablePaths)',
  }]),
};
