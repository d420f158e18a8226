/**
 * A director reading printed as ipvsadm prints it (`-Ln`, `-Ln --stats --exact`, `-Lcn`, `-S -n`,
 * `-L --timeout`) and as `sysctl net.ipv4.vs` does: the texts results keep, and what a recorded
 * director serves. Formats from ipvsadm 1.31's print functions (see lvs-semantics.md §3).
 */
import type { ForwardMethod, IpvsService, Protocol, RealServer } from '../model/ipvs.js';
import { parseIpv4 } from '../net/ipv4.js';
import type { ConnectionEntry, Counters, DirectorSnapshot, RealServerState } from './model.js';
import { endpointText, serviceKey } from './parse/service-key.js';

/** IP_VS_VERSION_CODE 1.2.1, and the size the reading gave, else the default connection table size (1 << 12). */
function header(snapshot: DirectorSnapshot): string {
  return `IP Virtual Server version 1.2.1 (size=${snapshot.tableSize ?? 4096})`;
}
const TITLE = ['Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
const STATS_TITLE = [`${'Prot LocalAddress:Port'.padEnd(33)}${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((c) => ` ${c.padStart(8)}`).join('')}`, '  -> RemoteAddress:Port'];
const FORWARD_NAMES: Readonly<Record<ForwardMethod, string>> = { route: 'Route', masq: 'Masq', tunnel: 'Tunnel' };
const FORWARD_FLAGS: Readonly<Record<ForwardMethod, string>> = { route: '-g', masq: '-m', tunnel: '-i' };
const SAVE_PROTOCOLS: Readonly<Record<Protocol, string>> = { tcp: '-t', udp: '-u', sctp: '--sctp-service' };
const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132 } as const;
const ALL_ONES_MASK = '255.255.255.255';

/** One service as listed: its configuration beside its live state (absent when not read). */
interface Listed {
  config: IpvsService;
  dests: Array<{ server: RealServer; address: string; port: number; state: RealServerState | undefined }>;
  counters: Counters | undefined;
}

/** ipvsadm compares u32 fields by an `int` difference, so addresses 2^31 apart sort "backwards". */
function intDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** An address as the 32-bit words of libipvs's union nf_inet_addr: IPv4 in the first, the rest 0. */
function addressWords(address: string): number[] {
  const v4 = parseIpv4(address);
  if (v4 !== null) return [v4, 0, 0, 0];
  // The model's IPv6 is inet_ntop's compressed form, hex groups only.
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const given = [...groups(head), ...groups(tail)].length;
  const all = [...groups(head), ...(tail === undefined ? [] : Array<string>(8 - given).fill('0')), ...groups(tail)].map((g) => parseInt(g, 16) || 0);
  return [0, 2, 4, 6].map((i) => ((all[i]! << 16) | all[i + 1]!) >>> 0);
}

/**
 * ipvs_cmp_dests / ipvs_cmp_services: an `int` difference of the words in host order, all four when
 * the first is IPv6, else the first only (a tunnelling server of the other family is compared so).
 */
function compareAddresses(a: string, b: string): number {
  const x = addressWords(a);
  const y = addressWords(b);
  const words = a.includes(':') ? 4 : 1;
  for (let i = 0; i < words; i++) {
    const r = intDiff(x[i]!, y[i]!);
    if (r !== 0) return r;
  }
  return 0;
}

/** AF_INET and AF_INET6, which ipvs_cmp_services compares after the mark. */
const FAMILY_NUMBERS = { inet: 2, inet6: 10 } as const;

/** ipvs_cmp_services: fwmark, then address family, protocol, address, port. */
function compareServices(a: Listed, b: Listed): number {
  const x = a.config;
  const y = b.config;
  return (
    intDiff(x.fwmark ?? 0, y.fwmark ?? 0) ||
    intDiff(FAMILY_NUMBERS[x.family ?? 'inet'], FAMILY_NUMBERS[y.family ?? 'inet']) ||
    intDiff(PROTOCOL_NUMBERS[x.protocol], PROTOCOL_NUMBERS[y.protocol]) ||
    compareAddresses(x.vip ?? '0.0.0.0', y.vip ?? '0.0.0.0') ||
    intDiff(x.port ?? 0, y.port ?? 0)
  );
}

/** ipvs_cmp_dests: address, then port. */
function compareDests(a: Listed['dests'][number], b: Listed['dests'][number]): number {
  return compareAddresses(a.address, b.address) || intDiff(a.port, b.port);
}

function listed(snapshot: DirectorSnapshot, nosort: boolean): Listed[] {
  const readings = new Map((snapshot.services ?? []).map((s) => [s.service, s]));
  const services = snapshot.config.services.map((config): Listed => {
    const reading = readings.get(serviceKey(config));
    const states = new Map((reading?.realServers ?? []).map((rs) => [rs.address, rs]));
    const dests = config.realServers.map((rs) => {
      const state = states.get(rs.address);
      return { server: rs, address: rs.address, port: state?.port ?? rs.port ?? config.port ?? 0, state };
    });
    return { config, dests: nosort ? dests : dests.sort(compareDests), counters: reading?.counters };
  });
  return nosort ? services : services.sort(compareServices);
}

/** print_service_entry: scheduler flags, persistence and its mask (IPv6: a prefix below 128), pe, ops. */
function serviceLine(service: IpvsService): string {
  let line = `${serviceKey(service)} ${service.scheduler}`;
  if ((service.schedulerFlags ?? []).length > 0) line += ` (${service.schedulerFlags!.join(',')})`;
  if (service.persistence !== null) {
    line += ` persistent ${service.persistence.timeout}`;
    const mask = service.persistence.netmask;
    if (mask !== ALL_ONES_MASK && mask !== '128') line += ` mask ${mask}`;
  }
  if (service.persistenceEngine !== undefined) line += ` pe ${service.persistenceEngine}`;
  if (service.onePacket === true) line += ' ops';
  return line;
}

/** "  -> %-28s %-7s %-6d %-10u %-10u": the last column's padding leaves trailing spaces. */
function destLine(service: IpvsService, dest: Listed['dests'][number]): string {
  const forward = dest.server.local === true ? 'Local' : FORWARD_NAMES[dest.server.forward ?? service.forward];
  return (
    `  -> ${endpointText(dest.address, dest.port).padEnd(28)} ${forward.padEnd(7)} ` +
    `${String(dest.server.weight).padEnd(6)} ${String(dest.state?.activeConnections ?? 0).padEnd(10)} ${String(dest.state?.inactiveConnections ?? 0).padEnd(10)}`
  );
}

/** `ipvsadm -Ln` (or `-Ln --nosort`, which shows the director's own dest order). */
export function formatListing(snapshot: DirectorSnapshot, options: { nosort?: boolean } = {}): string {
  const lines = [header(snapshot), ...TITLE];
  for (const service of listed(snapshot, options.nosort === true)) {
    lines.push(serviceLine(service.config), ...service.dests.map((d) => destLine(service.config, d)));
  }
  return `${lines.join('\n')}\n`;
}

/** `--exact`: `%*llu`, width 9 up to 8 digits, else digits + 1: always one leading space. */
function exact(n: number): string {
  const digits = String(n);
  return digits.padStart(Math.max(9, digits.length + 1));
}

function countersText(c: Counters | undefined): string {
  const v = c ?? { connections: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0 };
  return [v.connections, v.inPackets, v.outPackets, v.inBytes, v.outBytes].map(exact).join('');
}

/** `ipvsadm -Ln --stats --exact`. */
export function formatStats(snapshot: DirectorSnapshot): string {
  const lines = [header(snapshot), ...STATS_TITLE];
  for (const service of listed(snapshot, false)) {
    lines.push(`${serviceKey(service.config).padEnd(33)}${countersText(service.counters)}`);
    for (const d of service.dests) lines.push(`  -> ${endpointText(d.address, d.port).padEnd(28)}${countersText(d.state?.counters)}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatExpire(seconds: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

/** "%-3s %-6s %-11s %-18s %-18s %s" */
function entryLine(entry: ConnectionEntry): string {
  const at = (e: { address: string; port: number }): string => endpointText(e.address, e.port);
  return [
    entry.protocol.padEnd(3),
    formatExpire(entry.expiresSeconds).padEnd(6),
    entry.state.padEnd(11),
    at(entry.client).padEnd(18),
    at(entry.virtual).padEnd(18),
    at(entry.destination),
  ].join(' ');
}

/** `ipvsadm -Lcn`, entries in the reading's order. */
export function formatConnections(snapshot: DirectorSnapshot): string {
  const lines = ['IPVS connection entries', 'pro expire state       source             virtual            destination', ...(snapshot.connections ?? []).map(entryLine)];
  return `${lines.join('\n')}\n`;
}

function saveService(service: IpvsService): string {
  if (service.fwmark !== undefined) return `-f ${service.fwmark}${service.family === 'inet6' ? ' -6' : ''}`;
  return `${SAVE_PROTOCOLS[service.protocol]} ${endpointText(service.vip!, service.port!)}`;
}

/** print_service_entry (FMT_RULE) after the scheduler: -p, -M, --pe, -o, -b in that order, as ipvsadm's words. */
export function serviceOptionWords(service: IpvsService): string[] {
  const words: string[] = [];
  if (service.persistence !== null) {
    words.push('-p', String(service.persistence.timeout));
    const mask = service.persistence.netmask;
    if (mask !== ALL_ONES_MASK && mask !== '128') words.push('-M', mask);
  }
  if (service.persistenceEngine !== undefined) words.push('--pe', service.persistenceEngine);
  if (service.onePacket === true) words.push('-o');
  if ((service.schedulerFlags ?? []).length > 0) words.push('-b', service.schedulerFlags!.join(','));
  return words;
}

/** A dest's options after its weight: -x/-y when set and print_tunnel_rule's, as ipvsadm's words. */
export function destOptionWords(rs: RealServer): string[] {
  const words: string[] = [];
  if ((rs.upperThreshold ?? 0) > 0) words.push('-x', String(rs.upperThreshold));
  if ((rs.lowerThreshold ?? 0) > 0) words.push('-y', String(rs.lowerThreshold));
  if (rs.tunnel !== undefined) {
    words.push('--tun-type', rs.tunnel.type);
    if (rs.tunnel.port !== undefined) words.push('--tun-port', String(rs.tunnel.port));
    if (rs.tunnel.checksum !== undefined) words.push(`--tun-${rs.tunnel.checksum}`);
  }
  return words;
}

function saveServiceLine(service: IpvsService): string {
  return [`-A ${saveService(service)} -s ${service.scheduler}`, ...serviceOptionWords(service)].join(' ');
}

function saveDestLine(service: IpvsService, dest: Listed['dests'][number]): string {
  const rs = dest.server;
  return [`-a ${saveService(service)} -r ${endpointText(dest.address, dest.port)} ${FORWARD_FLAGS[rs.forward ?? service.forward]} -w ${rs.weight}`, ...destOptionWords(rs)].join(' ');
}

/** `ipvsadm -S -n`: what `ipvsadm -R` reads back. */
export function formatSave(snapshot: DirectorSnapshot): string {
  const lines: string[] = [];
  for (const service of listed(snapshot, false)) {
    lines.push(saveServiceLine(service.config), ...service.dests.map((d) => saveDestLine(service.config, d)));
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** `ipvsadm -L --timeout`; empty when the reading has no timeouts. */
export function formatTimeouts(snapshot: DirectorSnapshot): string {
  const t = snapshot.timeouts;
  return t === null ? '' : `Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`;
}

/** `sysctl net.ipv4.vs`: `net.ipv4.vs.NAME = VALUE` a line. */
export function formatSysctls(snapshot: DirectorSnapshot): string {
  return Object.entries(snapshot.sysctls ?? {})
    .map(([name, value]) => `net.ipv4.vs.${name} = ${value}\n`)
    .join('');
}
