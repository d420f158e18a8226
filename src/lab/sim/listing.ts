import { isIPv6 } from 'node:net';
import { serviceKey } from '../../director/parse/service-key.js';
import type { ForwardMethod } from '../../model/ipvs.js';
import { parseIpv4 } from '../../net/ipv4.js';
import type { DestState, EntryState, ServiceState, TableState } from './table-state.js';

/** IP_VS_VERSION_CODE 1.2.1 and the default connection table size (1 << 12). */
const HEADER = 'IP Virtual Server version 1.2.1 (size=4096)';
const TITLE = ['Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
const FORWARD_NAMES: Readonly<Record<ForwardMethod, string>> = { route: 'Route', masq: 'Masq', tunnel: 'Tunnel' };
const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132 } as const;
const ALL_ONES_MASK = '255.255.255.255';

/** ipvsadm compares u32 fields by an `int` difference, so addresses 2^31 apart sort "backwards". */
function intDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** AF_INET and AF_INET6 as ipvs_cmp_services compares them: every IPv4 service before every IPv6 one. */
const FAMILY_NUMBERS = { inet: 2, inet6: 10 } as const;

/**
 * ntohl(a) - ntohl(b) for IPv4, memcmp for IPv6. A name (a director read without -n) cannot be
 * ordered as the kernel's address was: names keep their order.
 */
function compareAddresses(a: string | undefined, b: string | undefined): number {
  const [x, y] = [parseIpv4(a ?? '0.0.0.0'), parseIpv4(b ?? '0.0.0.0')];
  if (x !== null && y !== null) return intDiff(x, y);
  if (a !== undefined && b !== undefined && isIPv6(a) && isIPv6(b)) return Buffer.compare(ipv6Bytes(a), ipv6Bytes(b));
  return 0;
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const missing = tail === undefined ? [] : Array<string>(8 - groups(head).length - groups(tail).length).fill('0');
  return Buffer.from([...groups(head), ...missing, ...groups(tail ?? '')].map((g) => g.padStart(4, '0')).join(''), 'hex');
}

/** ipvs_cmp_services: fwmark, then family, protocol, address, port. */
function compareServices(a: ServiceState, b: ServiceState): number {
  return (
    intDiff(a.fwmark ?? 0, b.fwmark ?? 0) ||
    intDiff(FAMILY_NUMBERS[a.family ?? 'inet'], FAMILY_NUMBERS[b.family ?? 'inet']) ||
    intDiff(PROTOCOL_NUMBERS[a.protocol], PROTOCOL_NUMBERS[b.protocol]) ||
    compareAddresses(a.vip, b.vip) ||
    intDiff(a.port ?? 0, b.port ?? 0)
  );
}

/** ipvs_cmp_dests: address, then port. */
function compareDests(a: DestState, b: DestState): number {
  return compareAddresses(a.address, b.address) || intDiff(a.port, b.port);
}

/** print_service_entry: name, scheduler, (flags), persistent T, mask, pe, ops. */
function serviceLine(service: ServiceState): string {
  let line = `${serviceKey({ ...service, vip: service.vip ?? '?', port: service.port ?? 0 })} ${service.scheduler}`;
  if (service.schedulerFlags !== undefined && service.schedulerFlags.length > 0) line += ` (${service.schedulerFlags.join(',')})`;
  if (service.persistence !== null) {
    line += ` persistent ${service.persistence.timeout}`;
    const full = service.family === 'inet6' ? '128' : ALL_ONES_MASK;
    if (service.persistence.netmask !== full) line += ` mask ${service.persistence.netmask}`;
    if (service.persistenceEngine !== undefined) line += ` pe ${service.persistenceEngine}`;
  }
  if (service.onePacket === true) line += ' ops';
  return line;
}

/** "  -> %-28s %-7s %-6d %-10u %-10u": the last column's padding leaves trailing spaces. */
function destLine(dest: DestState): string {
  const at = dest.address.includes(':') ? `[${dest.address}]:${dest.port}` : `${dest.address}:${dest.port}`;
  return (
    `  -> ${at.padEnd(28)} ${(dest.local === true ? 'Local' : FORWARD_NAMES[dest.forward]).padEnd(7)} ` +
    `${String(dest.weight).padEnd(6)} ${String(dest.activeConns).padEnd(10)} ${String(dest.inactConns).padEnd(10)}`
  );
}

/** `ipvsadm -Ln` (or `-Ln --nosort`, which shows the kernel's dest order). */
export function formatListing(state: TableState, options: { nosort?: boolean } = {}): string {
  const sorted = <T>(items: readonly T[], compare: (a: T, b: T) => number): T[] =>
    options.nosort === true ? [...items] : [...items].sort(compare);
  const lines = [HEADER, ...TITLE];
  for (const service of sorted(state.services, compareServices)) {
    lines.push(serviceLine(service), ...sorted(service.dests, compareDests).map(destLine));
  }
  return `${lines.join('\n')}\n`;
}

function formatExpire(seconds: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

/** "%-3s %-6s %-11s %-18s %-18s %s" */
function entryLine(entry: EntryState): string {
  return [
    entry.protocol.padEnd(3),
    formatExpire(entry.expireSeconds).padEnd(6),
    entry.state.padEnd(11),
    entry.source.padEnd(18),
    entry.virtual.padEnd(18),
    entry.destination,
  ].join(' ');
}

/** `ipvsadm -Lcn`. The kernel lists in hash order; here entries come in creation order. */
export function formatConnections(state: TableState): string {
  const lines = [
    'IPVS connection entries',
    'pro expire state       source             virtual            destination',
    ...state.entries.map(entryLine),
  ];
  return `${lines.join('\n')}\n`;
}
