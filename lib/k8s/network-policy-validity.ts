/**
 * Whether the API server would accept a NetworkPolicy, judged on the fields that decide what it
 * selects and admits. A policy it rejects is never created, while `kubectl apply` goes on to create the
 * pods it was meant to isolate: so a rejected policy isolates nothing, and opens nothing.
 */
import { labelProblems } from './names';
import { metadataRejection } from './object-validity';
import { Json, asArray, asRecord, isSet } from './objects';
import { firstFound } from '../core/first-found';

// A named port (IANA_SVC_NAME): at most 15 lowercase letters, digits and single inner hyphens, with a letter.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** Why the API server rejects `policy`, or undefined when nothing here says it would. */
export function networkPolicyRejection(policy: Json): string | undefined {
  const spec = asRecord(policy.spec);
  const metadata = metadataRejection(policy);
  if (metadata) return metadata;
  for (const type of asArray(spec.policyTypes)) {
    if (!POLICY_TYPES.includes(type as string)) return `policyTypes holds ${JSON.stringify(type)}, which is neither Ingress nor Egress`;
  }
  // An invalid egress rule rejects the whole policy too, ingress isolation with it.
  return selectorRejection(spec.podSelector, 'spec.podSelector')
    ?? firstFound(asArray(spec.ingress), (rule, i) => ruleRejection(asRecord(rule), 'from', `spec.ingress[${i}]`))
    ?? firstFound(asArray(spec.egress), (rule, i) => ruleRejection(asRecord(rule), 'to', `spec.egress[${i}]`));
}

function ruleRejection(rule: Json, peers: 'from' | 'to', path: string): string | undefined {
  return firstFound(asArray(rule.ports), (port, j) => portRejection(asRecord(port), `${path}.ports[${j}]`))
    ?? firstFound(asArray(rule[peers]), (peer, j) => peerRejection(asRecord(peer), `${path}.${peers}[${j}]`));
}

function portRejection(port: Json, path: string): string | undefined {
  if (isSet(port.protocol) && !PROTOCOLS.includes(port.protocol as string)) return `${path}.protocol ${JSON.stringify(port.protocol)} is not TCP, UDP or SCTP`;
  const value = port.port;
  if (typeof value === 'number' && !(Number.isInteger(value) && value >= 1 && value <= 65535)) return `${path}.port ${value} is not a port number`;
  if (typeof value === 'string' && !(value.length <= 15 && PORT_NAME.test(value))) return `${path}.port ${JSON.stringify(value)} is not a port name`;
  if (!isSet(port.endPort)) return undefined;
  const end = port.endPort;
  if (typeof value !== 'number' || typeof end !== 'number' || end < value || end > 65535) {
    return `${path}.endPort ${JSON.stringify(end)} needs a numeric port no larger than it, and at most 65535`;
  }
  return undefined;
}

function peerRejection(peer: Json, path: string): string | undefined {
  const selectors = isSet(peer.podSelector) || isSet(peer.namespaceSelector);
  if (isSet(peer.ipBlock)) {
    if (selectors) return `${path} sets ipBlock beside a selector`;
    const block = asRecord(peer.ipBlock);
    return cidrRejection(block.cidr, `${path}.ipBlock.cidr`)
      ?? firstFound(asArray(block.except), (cidr, k) => cidrRejection(cidr, `${path}.ipBlock.except[${k}]`)
        ?? exceptRejection(String(block.cidr), String(cidr), `${path}.ipBlock.except[${k}]`));
  }
  if (!selectors) return `${path} names no peer`;
  return selectorRejection(peer.podSelector, `${path}.podSelector`) ?? selectorRejection(peer.namespaceSelector, `${path}.namespaceSelector`);
}

// Label keys and values as labels take them; In and NotIn need values, Exists and DoesNotExist take none.
function selectorRejection(selector: unknown, path: string): string | undefined {
  const matchLabels = asRecord(asRecord(selector).matchLabels);
  const labelProblem = labelProblems(`${path}.matchLabels`, stringPairs(matchLabels))[0];
  if (labelProblem) return labelProblem;
  return firstFound(asArray(asRecord(selector).matchExpressions), (e, i) => {
    const expression = asRecord(e);
    const values = asArray(expression.values);
    const operator = expression.operator;
    const valid = operator === 'In' || operator === 'NotIn' ? values.length > 0 : (operator === 'Exists' || operator === 'DoesNotExist') && values.length === 0;
    if (!valid) return `${path}.matchExpressions[${i}] has operator ${JSON.stringify(operator)} with ${values.length} value(s)`;
    const at = `${path}.matchExpressions[${i}]`;
    return labelProblems(at, { [String(expression.key)]: 'x' })[0]
      ?? firstFound(values, (value) => (typeof value === 'string' ? labelProblems(at, { value })[0] : undefined));
  });
}

// The pairs whose value is text: a number as YAML reads `version: 1` is matched as written elsewhere.
function stringPairs(labels: Json): { [key: string]: string } {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => typeof value === 'string'));
}

// An IPv4 except entry must lie inside its cidr; IPv6 ones are left to the CIDR check.
function exceptRejection(cidr: string, except: string, path: string): string | undefined {
  const outer = ipv4Range(cidr);
  const inner = ipv4Range(except);
  if (!outer || !inner) return undefined;
  return inner.first >= outer.first && inner.last <= outer.last && inner.bits > outer.bits ? undefined : `${path} ${JSON.stringify(except)} is not inside ${cidr}`;
}

function ipv4Range(cidr: string): { readonly first: number; readonly last: number; readonly bits: number } | undefined {
  const [address, bitsText] = cidr.split('/');
  const octets = address.split('.');
  if (octets.length !== 4) return undefined;
  const bits = Number(bitsText);
  const value = octets.reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(value / size) * size;
  return { first, last: first + size - 1, bits };
}

function cidrRejection(cidr: unknown, path: string): string | undefined {
  return typeof cidr === 'string' && isCidr(cidr) ? undefined : `${path} ${JSON.stringify(cidr)} is not a CIDR`;
}

function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (address.includes(':')) return Number(bits) <= 128 && /^[0-9a-fA-F:.]+$/.test(address) && address.split('::').length <= 2;
  const octets = address.split('.');
  return Number(bits) <= 32 && octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
