import { Control } from '../controls';
import { Rule, eachContainer } from './rule';

// Drivers that send logs off the instance. The others keep them on it (json-file, local, journald,
// syslog to the instance's daemon unless a remote syslog-address is set) or drop them (none): they
// are lost with the instance, and nobody sees them centrally.
const SHIPPING_DRIVERS = ['awslogs', 'awsfirelens', 'splunk', 'fluentd', 'gelf', 'logentries'];

const FIX = 'keep the default awslogs logging, or route logs through FireLens';

// syslog ships logs off the host only to a syslog server over the network, not to a local socket or address.
const REMOTE_SYSLOG = /^(tcp|udp|tcp\+tls):\/\/(?!localhost\b|127\.|\[::1\])[^/]+/i;

function shipsLogs(driver: string, syslogAddress: string | undefined): boolean {
  return SHIPPING_DRIVERS.includes(driver) || (driver === 'syslog' && syslogAddress !== undefined && REMOTE_SYSLOG.test(syslogAddress));
}

export const logging: Rule = {
  control: Control.LOGGING,
  appliesTo: (workload) => workload.platform !== 'kubernetes',
  check: (workload) => eachContainer(workload, (c) => {
    const driver = c.logging?.driver;
    if (!driver) {
      return [{ setting: 'LogConfiguration', problem: 'the container has no log configuration: its logs are lost', fix: FIX }];
    }
    if (!shipsLogs(driver.value, c.logging?.syslogAddress?.value)) {
      return [{
        setting: driver.at,
        problem: `the log driver ${driver.value} does not ship logs off the host (drivers that do: ${SHIPPING_DRIVERS.join(', ')}, and syslog with a remote tcp, udp or tcp+tls syslog-address): they stay on the instance or are dropped`,
        fix: FIX,
      }];
    }
    const output = c.logging?.firelensOutput;
    if (driver.value === 'awsfirelens' && output !== undefined && output.value.toLowerCase() === 'null') {
      return [{ setting: output.at, problem: 'FireLens sends the logs to the null output: they are discarded', fix: 'route them to an output that keeps them (cloudwatch_logs, firehose, s3, ...)' }];
    }
    const retention = c.logging?.retentionDays;
    if (driver.value === 'awslogs' && retention === undefined) {
      return [{ setting: `${driver.at} (log group)`, problem: 'the awslogs log group has no retention period', fix: 'give the log group a retention period (logRetention)' }];
    }
    if (driver.value === 'awslogs' && retention?.value === 'unknown') {
      return [{
        setting: retention.at,
        problem: 'the retention period of the awslogs log group cannot be proven: the group may never expire',
        fix: 'send logs to a log group defined in the app with a literal retention period (the default logging does)',
      }];
    }
    return [];
  }),
};
