/**
 * Source-address pools: `127.0.0.2-127.0.0.201`, `127.0.1.0/24` or a single address. Each address is
 * one emulated user: IPVS keys persistence on the client address, so users must not share one.
 */
import { formatIpv4, parseIpv4 } from './ipv4.js';

export const MAX_POOL = 65536;

export const POOL_SYNTAX = 'an IPv4 address, a range such as 127.0.0.2-127.0.0.201, or a CIDR such as 127.0.1.0/24';

/** Returns the addresses of one range/CIDR/address, or an error text saying what was expected. */
export function expandSource(text: string): string[] | string {
  const bounds = poolBounds(text.trim());
  if (typeof bounds === 'string') return bounds;
  const [first, last] = bounds;
  if (last < first) return `a range whose first address is not after its last (${text})`;
  if (last - first + 1 > MAX_POOL) return `at most ${MAX_POOL} addresses in a pool`;
  const out: string[] = [];
  for (let v = first; v <= last; v++) out.push(formatIpv4(v));
  return out;
}

/** Several pools in one list; the first bad item's error text, or every address. */
export function expandSources(items: readonly string[]): string[] | string {
  const out: string[] = [];
  for (const item of items) {
    const r = expandSource(item);
    if (typeof r === 'string') return r;
    out.push(...r);
    if (out.length > MAX_POOL) return `at most ${MAX_POOL} addresses in a pool`;
  }
  return out;
}

function poolBounds(text: string): [number, number] | string {
  const cidr = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (cidr) {
    const base = parseIpv4(cidr[1]!);
    const bits = Number(cidr[2]);
    if (base === null || bits > 32) return POOL_SYNTAX;
    const size = 2 ** (32 - bits);
    const network = base - (base % size);
    // Network and broadcast addresses of real subnets are not usable hosts.
    return bits <= 30 ? [network + 1, network + size - 2] : [network, network + size - 1];
  }
  const [a, b] = text.includes('-') ? text.split('-', 2) : [text, text];
  const first = parseIpv4(a ?? '');
  const last = parseIpv4(b ?? '');
  return first === null || last === null ? POOL_SYNTAX : [first, last];
}
