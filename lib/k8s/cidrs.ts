/**
 * CIDRs as the API server parses them (netutils.ParseCIDRSloppy, the Go parser Kubernetes keeps for
 * compatibility), and compares them (Go's IPNet.Contains): what makes a NetworkPolicy's ipBlock valid.
 */

const IPV4_MAPPED = 0xffffn * 2n ** 32n;

/** A range as Go compares it: one within ::ffff:0:0/96 as the IPv4 range it maps. */
export function asGoSeesIt(range: IpRange): { family: 4 | 6; first: bigint; last: bigint } {
  if (range.family === 6 && range.bits >= 96 && range.first - (range.first % 2n ** 32n) === IPV4_MAPPED) {
    return { family: 4, first: range.first - IPV4_MAPPED, last: range.last - IPV4_MAPPED };
  }
  return range;
}

/** The addresses a CIDR covers, as numbers of its family's width, and its prefix length. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly bits: number;
}

/** The addresses a CIDR covers, as the API server parses it; undefined for what it would refuse. */
export function ipRange(cidr: string): IpRange | undefined {
  const [address, bitsText, ...rest] = cidr.split('/');
  if (rest.length > 0 || bitsText === undefined || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const v6 = isSloppyIPv4(address) ? undefined : ipv6Groups(address);
  const family = isSloppyIPv4(address) ? 4 : v6 !== undefined ? 6 : undefined;
  const width = family === 4 ? 32 : 128;
  if (family === undefined || bits > width) return undefined;
  const value = v6 === undefined ? ipv4Value(address) : v6.reduce((n, group) => n * 65536n + BigInt(group), 0n);
  const size = 2n ** BigInt(width - bits);
  const first = (value / size) * size;
  return { family, first, last: first + size - 1n, bits };
}

// The API server parses IPv4 sloppily (netutils.ParseCIDRSloppy): leading zeros are decimal digits.
function isSloppyIPv4(address: string): boolean {
  const octets = address.split('.');
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((n, octet) => n * 256n + BigInt(octet), 0n);
}

/**
 * The eight 16-bit groups of an IPv6 address as the API server parses it (the Go parser Kubernetes keeps
 * for compatibility): hex groups of any length up to 0xffff, at most one `::`, and an IPv4 address
 * (leading zeros allowed) as the last two; undefined for what it would refuse.
 */
function ipv6Groups(address: string): number[] | undefined {
  const parts = address.split('::');
  if (parts.length > 2) return undefined;
  const groupsOf = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const pieces = part.split(':');
    const groups: number[] = [];
    for (const [i, piece] of pieces.entries()) {
      // An IPv4 address can only be the address's last 32 bits.
      if (last && i === pieces.length - 1 && isSloppyIPv4(piece)) {
        const value = Number(ipv4Value(piece));
        groups.push(Math.floor(value / 65536), value % 65536);
      } else if (/^[0-9a-fA-F]+$/.test(piece) && parseInt(piece, 16) <= 0xffff) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const front = groupsOf(parts[0], parts.length === 1);
  const back = parts.length === 2 ? groupsOf(parts[1], true) : [];
  if (front === undefined || back === undefined) return undefined;
  if (parts.length === 1) return front.length === 8 ? front : undefined;
  // `::` stands for one zero group at least.
  const missing = 8 - front.length - back.length;
  return missing >= 1 ? [...front, ...Array<number>(missing).fill(0), ...back] : undefined;
}
