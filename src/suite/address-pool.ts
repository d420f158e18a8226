/**
 * Source-address pools: `127.0.0.2-127.0.0.201`, `127.0.1.0/24` or a single address. Each address is
 * one emulated user: IPVS keys persistence on the client address, so users must not share one.
 */

const MAX_POOL = 65536;

export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return (((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0);
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Returns the addresses of one range/CIDR/address, or an error text saying what was expected. */
export function expandSource(text: string): string[] | string {
  const expected = 'an IPv4 address, a range such as 127.0.0.2-127.0.0.201, or a CIDR such as 127.0.1.0/24';
  const cidr = /^([^/]+)\/(\d{1,2})$/.exec(text);
  let first: number | null;
  let last: number | null;
  if (cidr) {
    const base = parseIpv4(cidr[1]!);
    const bits = Number(cidr[2]);
    if (base === null || bits > 32) return expected;
    const size = 2 ** (32 - bits);
    first = base - (base % size);
    last = first + size - 1;
    // Network and broadcast addresses of real subnets are not usable hosts.
    if (bits <= 30) {
      first += 1;
      last -= 1;
    }
  } else if (text.includes('-')) {
    const [a, b] = text.split('-', 2);
    first = parseIpv4(a ?? '');
    last = parseIpv4(b ?? '');
  } else {
    first = last = parseIpv4(text);
  }
  if (first === null || last === null) return expected;
  if (last < first) return `a range whose first address is not after its last (${text})`;
  if (last - first + 1 > MAX_POOL) return `at most ${MAX_POOL} addresses in a pool`;
  const out: string[] = [];
  for (let v = first; v <= last; v++) out.push(formatIpv4(v));
  return out;
}

export function maskAddress(address: string, netmask: string): string {
  const a = parseIpv4(address);
  const m = parseIpv4(netmask);
  if (a === null || m === null) return address;
  return formatIpv4((a & m) >>> 0);
}

export function isLoopback(address: string): boolean {
  const a = parseIpv4(address);
  return a !== null && a >>> 24 === 127;
}
