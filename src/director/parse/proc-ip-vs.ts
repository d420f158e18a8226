/**
 * /proc/net/ip_vs (ip_vs_info_seq_show, kernel ip_vs_ctl.c). Services: `"%s  %08X:%04X %s %s "` (IPv4),
 * `"%s  [%pI6]:%04X %s %s "` (IPv6, full form), `"FWM  %08X %s %s"`, the scheduler then `ops ` or
 * nothing, then `"persistent %d %08X\n"` or a newline. Dests: `"  -> %08X:%04X      %-7s %-6d %-10d %-10d"`.
 * Two things differ from ipvsadm: the persistence timeout is in jiffies, and the netmask of an IPv6
 * service is its prefix length as a host-order u32 printed after ntohl (64 shows as 40000000 on x86).
 * The kernel does not print -b flags or the persistence engine here, nor a fwmark service's family:
 * it is its real servers' (a non-tunnelling one's, when tunnelling ones of the other family are mixed in).
 */
import type { DirectorConfig, ForwardMethod, IpvsService, KernelSchedulerName, RealServer } from '../../model/ipvs.js';
import { KERNEL_SCHEDULERS } from '../../model/ipvs.js';
import type { DirectorSnapshot, ServiceState } from '../model.js';
import { eachLine, fields, hex, integer, procAddress, tableSizeOf, type Fail } from './lines.js';
import { serviceKey } from './service-key.js';

export const PROC_SOURCE = '/proc/net/ip_vs';
/** The kernel's tick rate, which /proc's persistence timeout is counted in: Debian's and Ubuntu's CONFIG_HZ (the 6.1 fixture shows -p 300 as 75000). */
export const PROC_HZ = 250;
const TITLES = [
  /^IP Virtual Server version \d+\.\d+\.\d+ \(size=\d+\)$/,
  /^Prot LocalAddress:Port Scheduler Flags$/,
  /^ {2}-> RemoteAddress:Port Forward Weight ActiveConn InActConn$/,
];
const FORWARDS: Readonly<Record<string, ForwardMethod>> = { Route: 'route', Masq: 'masq', Tunnel: 'tunnel', Local: 'route' };

export function parseProcIpVs(text: string, file: string): Partial<DirectorSnapshot> {
  const config: IpvsService[] = [];
  const services: ServiceState[] = [];
  let titles = 0;
  eachLine(text, file, PROC_SOURCE, (line, fail) => {
    if (titles < TITLES.length) {
      if (!TITLES[titles]!.test(line.trimEnd())) fail(`the title line "${TITLES[titles]!.source.replace(/[\\^$]/g, '')}"`);
      titles++;
      return;
    }
    const f = fields(line);
    if (f[0] === '->') {
      const service = config.at(-1) ?? fail('a service line before the first "->" line');
      if (f.length !== 6) fail(`-> ADDR:PORT Forward Weight ActiveConn InActConn, not ${f.length} fields`);
      const m = /^(?:\[([0-9a-f:]+)\]|([0-9A-F]{8})):([0-9A-F]{4})$/i.exec(f[1]!) ?? fail(`HEXADDR:HEXPORT or [IPv6]:HEXPORT, not ${f[1]}`);
      const address = procAddress(m[1] ?? m[2], fail);
      const port = hex(m[3], 0xffff, fail, 'a port');
      const forward = FORWARDS[f[2]!] ?? fail(`a forwarding method (Route, Masq, Tunnel, Local), not ${f[2]}`);
      // Only a tunnelling server may be of the other family (ip_vs_ctl.c); a fwmark service's family is not printed.
      if (service.fwmark === undefined && address.includes(':') !== (service.family === 'inet6') && forward !== 'tunnel') {
        fail(`a real server of the service's family (${service.family === 'inet6' ? 'IPv6' : 'IPv4'}), or Tunnel: another family only for tunnelling servers`);
      }
      const rs: RealServer = { name: address, address, weight: integer(f[3], 0, 65535, fail, 'a weight'), port, forward, ...(f[2] === 'Local' ? { local: true } : {}) };
      service.realServers.push(rs);
      services.at(-1)!.realServers.push({
        address, port, activeConnections: integer(f[4], 0, 0x7fffffff, fail, 'a count'), inactiveConnections: integer(f[5], 0, 0x7fffffff, fail, 'a count'),
      });
      return;
    }
    const service = serviceLine(f, fail);
    config.push(service);
    services.push({ service: '', realServers: [] });
  });
  config.forEach((s, i) => {
    s.forward = s.realServers[0]?.forward ?? 'route';
    // A fwmark service's family shows only in its real servers' addresses: a tunnelling one may be of the other family.
    const witness = s.realServers.find((rs) => rs.forward !== 'tunnel') ?? s.realServers[0];
    if (s.fwmark !== undefined && witness?.address.includes(':')) {
      s.family = 'inet6';
      if (s.persistence) s.persistence.netmask = String(v6PrefixLength(s.persistence.netmask.split('.').reduce((n, o) => n * 256 + Number(o), 0)));
    }
    services[i]!.service = serviceKey(s);
  });
  return { config: { services: config, fwmarkRules: [] }, services, ...tableSizeOf(text) };
}

/** The prefix length as the kernel stored it (a host-order u32) and printed it after ntohl. */
function v6PrefixLength(printed: number): number {
  return printed <= 128 ? printed : ((printed >>> 24) | ((printed >>> 8) & 0xff00)) >>> 0;
}

function serviceLine(f: string[], fail: Fail): IpvsService {
  const [protocol, target, scheduler, ...rest] = f;
  const base: Pick<IpvsService, 'protocol' | 'family' | 'vip' | 'port' | 'fwmark'> =
    protocol === 'FWM'
      ? { protocol: 'tcp', fwmark: hex(/^[0-9A-F]{8}$/i.test(target ?? '') ? target : undefined, 0xffffffff, fail, 'a fwmark as 8 hex digits') }
      : addressService(protocol, target, fail);
  if (!(KERNEL_SCHEDULERS as readonly string[]).includes(scheduler ?? '')) fail(`a scheduler (${KERNEL_SCHEDULERS.join(', ')}), not ${scheduler ?? 'nothing'}`);
  const onePacket = rest[0] === 'ops';
  const tail = onePacket ? rest.slice(1) : rest;
  let persistence: IpvsService['persistence'] = null;
  if (tail.length > 0) {
    if (tail.length !== 3 || tail[0] !== 'persistent') fail(`"persistent JIFFIES NETMASK" or nothing after the scheduler, not ${tail.join(' ')}`);
    const jiffies = integer(tail[1], 1, 0x7fffffff, fail, 'a persistence timeout in jiffies');
    const mask = hex(/^[0-9A-F]{8}$/i.test(tail[2]!) ? tail[2] : undefined, 0xffffffff, fail, 'a netmask as 8 hex digits');
    const netmask = base.family === 'inet6' ? String(v6PrefixLength(mask)) : [mask >>> 24, (mask >>> 16) & 255, (mask >>> 8) & 255, mask & 255].join('.');
    if (base.family === 'inet6' && Number(netmask) > 128) fail(`an IPv6 prefix length up to 128, not ${tail[2]}`);
    persistence = { timeout: Math.round(jiffies / PROC_HZ), netmask, timeoutJiffies: jiffies };
  }
  return { ...base, scheduler: scheduler as KernelSchedulerName, persistence, ...(onePacket ? { onePacket } : {}), forward: 'route', realServers: [] };
}

function addressService(protocol: string | undefined, target: string | undefined, fail: Fail): Pick<IpvsService, 'protocol' | 'family' | 'vip' | 'port'> {
  const p = protocol === 'TCP' ? 'tcp' : protocol === 'UDP' ? 'udp' : protocol === 'SCTP' ? 'sctp' : fail(`TCP, UDP, SCTP or FWM, not ${protocol ?? 'nothing'}`);
  const m = /^(?:\[([0-9a-f:]+)\]|([0-9A-F]{8})):([0-9A-F]{4})$/i.exec(target ?? '') ?? fail(`HEXADDR:HEXPORT or [IPv6]:HEXPORT, not ${target ?? 'nothing'}`);
  const vip = procAddress(m[1] ?? m[2], fail);
  return { protocol: p, ...(m[1] !== undefined ? { family: 'inet6' as const } : {}), vip, port: hex(m[3], 0xffff, fail, 'a port') };
}

/** The services' persistence timeouts read again at a kernel's own tick rate (`--hz`), where /proc gave them in jiffies. */
export function timeoutsAtHz(config: DirectorConfig, hz: number): DirectorConfig {
  const services = config.services.map((s) =>
    s.persistence?.timeoutJiffies === undefined ? s : { ...s, persistence: { ...s.persistence, timeout: Math.round(s.persistence.timeoutJiffies / hz) } },
  );
  return { ...config, services };
}

/** Whether any timeout of `config` was read from jiffies, so the tick rate it assumed matters. */
export function readInJiffies(config: DirectorConfig): boolean {
  return config.services.some((s) => s.persistence?.timeoutJiffies !== undefined);
}
