/**
 * Whether the API server would accept a NetworkPolicy, judged on the fields that decide what it
 * selects and admits. A policy it rejects is never created, while `kubectl apply` goes on to create the
 * pods it was meant to isolate: so a rejected policy isolates nothing, and opens nothing.
 */
import { asGoSeesIt, ipRange } from './cidrs';
import { labelProblems } from './names';
import { NETWORK_POLICY } from './object-shapes';
import { metadataRejection, typeRejection } from './object-validity';
import { Json, asArray, asRecord, isSet } from './objects';
import { firstFound } from '../core/first-found';

// A named port (IANA_SVC_NAME): at most 15 lowercase letters, digits and single inner hyphens, with a letter.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
// networking.k8s.io serves NetworkPolicies as v1 only: kubectl finds no other ("no matches for kind").
const SERVED_VERSION = 'networking.k8s.io/v1';

/**
 * Why the API server rejects `policy`, however kubectl applies it, or undefined when nothing here says
 * it would. (A field the schema does not know is rejected under kubectl's default strict validation
 * only: `unknownFieldRejection`.)
 */
export function networkPolicyRejection(policy: Json): string | undefined {
  if (policy.apiVersion !== SERVED_VERSION) return `its apiVersion ${JSON.stringify(policy.apiVersion)} does not serve NetworkPolicies (${SERVED_VERSION} does)`;
  const spec = asRecord(policy.spec);
  const malformed = typeRejection(policy, NETWORK_POLICY) ?? metadataRejection(policy);
  if (malformed) return malformed;
  const types = asArray(spec.policyTypes);
  for (const type of types) {
    if (!POLICY_TYPES.includes(type as string)) return `policyTypes holds ${JSON.stringify(type)}, which is neither Ingress nor Egress`;
  }
  if (types.length > 2) return `policyTypes holds ${types.length} types, and the API server takes at most two`;
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

// An except entry's address must lie inside its cidr, with a longer prefix, as Go's IPNet.Contains reads
// them: an IPv4-mapped IPv6 address as IPv4, and addresses of two families never inside each other.
function exceptRejection(cidr: string, except: string, path: string): string | undefined {
  const outer = ipRange(cidr);
  const inner = ipRange(except);
  if (!outer || !inner) return undefined;
  const outerSeen = asGoSeesIt(outer);
  const innerSeen = asGoSeesIt(inner);
  const inside = outerSeen.family === innerSeen.family && innerSeen.first >= outerSeen.first && innerSeen.first <= outerSeen.last
    && inner.bits > outer.bits;
  return inside ? undefined : `${path} ${JSON.stringify(except)} is not inside ${cidr}`;
}

function cidrRejection(cidr: unknown, path: string): string | undefined {
  return typeof cidr === 'string' && ipRange(cidr) !== undefined ? undefined : `${path} ${JSON.stringify(cidr)} is not a CIDR`;
}
