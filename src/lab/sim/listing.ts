import type { ForwardMethod } from '../../model/ipvs.js';
import { ipv4ToInt } from '../../net/ipv4.js';
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

/** ipvs_cmp_services: fwmark, then protocol, address, port (one address family here). */
function compareServices(a: ServiceState, b: ServiceState): number {
  return (
    intDiff(a.fwmark ?? 0, b.fwmark ?? 0) ||
    intDiff(PROTOCOL_NUMBERS[a.protocol], PROTOCOL_NUMBERS[b.protocol]) ||
    intDiff(a.vip === undefined ? 0 : ipv4ToInt(a.vip), b.vip === undefined ? 0 : ipv4ToInt(b.vip)) ||
    intDiff(a.port ?? 0, b.port ?? 0)
  );
}

/** ipvs_cmp_dests: address, then port. */
function compareDests(a: DestState, b: DestState): number {
  return intDiff(ipv4ToInt(a.address), ipv4ToInt(b.address)) || intDiff(a.port, b.port);
}

function serviceLine(service: ServiceState): string {
  const name =
    service.fwmark !== undefined
      ? `FWM  ${service.fwmark}`
      : `${service.protocol.toUpperCase().padEnd(4)} ${service.vip ?? '?'}:${service.port ?? 0}`;
  let line = `${name} ${service.scheduler}`;
  if (service.persistence !== null) {
    line += ` persistent ${service.persistence.timeout}`;
    if (service.persistence.netmask !== ALL_ONES_MASK) line += ` mask ${service.persistence.netmask}`;
  }
  return line;
}

/** "  -> %-28s %-7s %-6d %-10u %-10u": the last column's padding leaves trailing spaces. */
function destLine(dest: DestState): string {
  return (
    `  -> ${`${dest.address}:${dest.port}`.padEnd(28)} ${FORWARD_NAMES[dest.forward].padEnd(7)} ` +
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
