import { Control } from '../controls';
import { Rule, eachContainer } from './rule';

export const logging: Rule = {
  control: Control.LOGGING,
  appliesTo: (workload) => workload.platform !== 'kubernetes',
  check: (workload) => eachContainer(workload, (c) => {
    const driver = c.logging?.driver;
    if (!driver) {
      return [{ setting: 'LogConfiguration', problem: 'the container has no log configuration: its logs are lost', fix: 'keep the default awslogs logging, or route logs through FireLens' }];
    }
    const retention = c.logging?.retentionDays;
    if (driver.value === 'awslogs' && retention === undefined) {
      return [{ setting: `${driver.at} (log group)`, problem: 'the awslogs log group has no retention period', fix: 'give the log group a retention period (logRetention)' }];
    }
    return [];
  }),
};
