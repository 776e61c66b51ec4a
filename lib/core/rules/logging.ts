import { Control } from '../controls';
import { Rule, eachContainer } from './rule';

// Drivers that send logs off the instance. The others keep them on it (json-file, local, journald,
// syslog to the instance's daemon unless a remote syslog-address is set) or drop them (none): they
// are lost with the instance, and nobody sees them centrally.
const SHIPPING_DRIVERS = ['awslogs', 'awsfirelens', 'splunk', 'fluentd', 'gelf', 'logentries'];

const FIX = 'send logs with awslogs to a log group with a retention period (what a SecureService does by default), or route them through FireLens';

// Fluent Bit and fluentd outputs that keep nothing, and what they do instead.
const DISCARDING_OUTPUTS: Record<string, string> = {
  null: 'they are discarded',
  counter: 'it only counts them',
  flowcounter: 'it only counts them',
  plot: 'it writes numbers from them into the router\'s own filesystem, lost with the task',
  exit: 'it stops the router',
  file: 'it writes them into the router\'s own filesystem, lost with the task',
};

/** Whether a FireLens output keeps no logs. */
export function isDiscardingOutput(output: string): boolean {
  return Object.prototype.hasOwnProperty.call(DISCARDING_OUTPUTS, outputName(output));
}

// Plugin names are matched without case, as Fluent Bit and fluentd read them.
const outputName = (output: string) => output.trim().toLowerCase();

// The loopback names of the hosts files of Amazon Linux and the usual distributions.
const LOOPBACK_NAMES = [
  'localhost', 'localhost4', 'localhost6', 'localhost.localdomain', 'localhost4.localdomain4', 'localhost6.localdomain6', 'ip6-localhost', 'ip6-loopback',
];

function shipsLogs(driver: string, syslogAddress: string | undefined): boolean {
  return SHIPPING_DRIVERS.includes(driver) || (driver === 'syslog' && syslogAddress !== undefined && isRemoteSyslog(syslogAddress));
}

/**
 * Whether syslog ships logs off the host: to a syslog server over the network, not to a local socket or
 * to an address of the instance itself (loopback, unspecified, or their IPv4-mapped IPv6 forms).
 */
function isRemoteSyslog(address: string): boolean {
  const network = /^(tcp|udp|tcp\+tls):\/\/([^/]+)/i.exec(address);
  if (!network) return false;
  let host: string;
  try {
    // The URL parser writes an address one way (0 as 0.0.0.0, [0:0:0:0:0:0:0:1] as [::1], [::ffff:127.0.0.1] as [::ffff:7f00:1]).
    host = new URL(`http://${network[2]}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  // A name is resolved on the instance: a trailing dot changes nothing, and its hosts file names loopback more than one way.
  const name = host.replace(/\.$/, '');
  const local = LOOPBACK_NAMES.includes(name) || name.endsWith('.localhost') || /^127\./.test(host) || host === '0.0.0.0'
    || host === '[::1]' || host === '[::]' || /^\[::ffff:(7f[0-9a-f]{2}:[0-9a-f]+|0:0)\]$/.test(host);
  return !local;
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
    if (driver.value === 'awsfirelens' && output !== undefined && isDiscardingOutput(output.value)) {
      return [{
        setting: output.at,
        problem: `FireLens sends the logs to the ${outputName(output.value)} output: ${DISCARDING_OUTPUTS[outputName(output.value)]}`,
        fix: 'route them to an output that keeps them (cloudwatch_logs, firehose, s3, ...)',
      }];
    }
    const loss = c.logging?.firelensLoss;
    if (driver.value === 'awsfirelens' && loss !== undefined) {
      return [{
        setting: loss.at,
        // Not every case loses records: a group created without a retention period keeps them, beyond any period.
        problem: `FireLens does not keep the logs as LOGGING requires: ${loss.value}`,
        fix: 'route them to an output that keeps them, every record, in a group with a retention period '
          + '(a CloudWatch output that creates its group: log_retention_days)',
      }];
    }
    // awslogs always keeps the logs in a group, whether or not the posture names it.
    const group = c.logging?.logGroup ?? (driver.value === 'awslogs' ? 'the awslogs log group' : undefined);
    const retention = c.logging?.retentionDays;
    if (group !== undefined && retention === undefined) {
      return [{
        setting: `${driver.at} (log group)`,
        problem: `${group} has no retention period`,
        // logRetention: RetentionDays.INFINITE reads as "keep for ever": say what it does here.
        fix: 'give the log group a retention period (RetentionInDays; a SecureService: logRetention, which RetentionDays.INFINITE removes: '
          + 'use TEN_YEARS or more to keep logs long)',
      }];
    }
    if (group !== undefined && retention?.value === 'unknown') {
      return [{
        setting: retention.at,
        problem: `the retention period of ${group} cannot be proven: the group may never expire`,
        fix: 'send logs to a log group defined in the app with a literal retention period (a SecureService\'s logging does; '
          + 'elsewhere ecs.LogDrivers.awsLogs({ streamPrefix, logGroup }) with a logs.LogGroup given a retention)',
      }];
    }
    return [];
  }),
};
