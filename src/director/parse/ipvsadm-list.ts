/**
 * `ipvsadm -L` in all its layouts, told apart by their title lines (ipvsadm 1.31 print_title):
 * the plain listing (-Ln, -L with names, --nosort, --tun-info) gives the config and the active and
 * inactive counts; --stats and --rate (with or without --exact) give counters or rates;
 * --persistent-conn gives persistent connections and counts; --thresholds the counts and each real
 * server's -x/-y (which `ipvsadm -S` does not save), as a reading combineReadings applies to the
 * config. A listing of one service
 * (`-L -t VIP:PORT`) has no version line. Service lines follow print_service_entry.
 */
import type { ForwardMethod, IpvsService, KernelSchedulerName, Persistence, RealServer, SchedulerFlag, TunnelOptions } from '../../model/ipvs.js';
import { KERNEL_SCHEDULERS, SCHEDULER_FLAGS } from '../../model/ipvs.js';
import type { Counters, RealServerState, ServiceState } from '../model.js';
import type { DirectorReading, ThresholdReading } from './reading.js';
import { eachLine, integer, ipv4, largeNumber, tableSizeOf, type Fail, fields } from './lines.js';
import { listedEndpoint } from './named-endpoint.js';
import { serviceKey } from './service-key.js';

export const LIST_SOURCE = 'an `ipvsadm -Ln` listing';

const VERSION = /^IP Virtual Server version \d+\.\d+\.\d+ \(size=\d+\)$/;
const FIRST_TITLE = 'Prot LocalAddress:Port Scheduler Flags';
const PLAIN_DESTS = '-> RemoteAddress:Port Forward Weight ActiveConn InActConn';
const TUN_DESTS = '-> RemoteAddress:Port Forward TunnelInfo Weight ActiveConn InActConn';
const COLUMN_TITLES: Readonly<Record<string, Variant>> = {
  'Conns InPkts OutPkts InBytes OutBytes': 'stats',
  'CPS InPPS OutPPS InBPS OutBPS': 'rate',
  'Uthreshold Lthreshold ActiveConn InActConn': 'thresholds',
  'Weight PersistConn ActiveConn InActConn': 'persistent-conn',
};
const FORWARDS: Readonly<Record<string, ForwardMethod>> = { Route: 'route', Masq: 'masq', Tunnel: 'tunnel', Local: 'route' };
const TUN_CHECKSUMS: Readonly<Record<string, NonNullable<TunnelOptions['checksum']>>> = { '-c': 'nocsum', '+c': 'csum', 'r+c': 'remcsum' };

type Variant = 'plain' | 'tun-info' | 'stats' | 'rate' | 'thresholds' | 'persistent-conn';

/** The variant a listing's title lines name, or null when they are no ipvsadm -L title. */
export function listVariant(lines: readonly string[]): Variant | null {
  const [first, second] = VERSION.test(lines[0] ?? '') ? lines.slice(1) : lines;
  const title = (first ?? '').trim().split(/\s+/).join(' ');
  const dests = (second ?? '').trim().split(/\s+/).join(' ');
  if (title === FIRST_TITLE) return dests === PLAIN_DESTS ? 'plain' : dests === TUN_DESTS ? 'tun-info' : null;
  if (!title.startsWith('Prot LocalAddress:Port ') || dests !== '-> RemoteAddress:Port') return null;
  return COLUMN_TITLES[title.slice('Prot LocalAddress:Port '.length)] ?? null;
}

interface ServiceHead {
  base: Pick<IpvsService, 'protocol' | 'family' | 'vip' | 'port' | 'fwmark'>;
  rest: string[];
}

export function parseIpvsadmList(text: string, file: string): DirectorReading {
  const all = text.split('\n');
  const variant = listVariant(all.filter((l) => l.trim() !== '').slice(0, 3));
  const services: ServiceState[] = [];
  const config: IpvsService[] = [];
  const thresholds: ThresholdReading[] = [];
  const protocols: string[] = [];
  const families: Array<'inet' | 'inet6'> = [];
  let titleLines = 0;
  eachLine(text, file, LIST_SOURCE, (line, fail) => {
    if (titleLines < 3 && titleLine(line, titleLines)) {
      titleLines++;
      return;
    }
    titleLines = 3;
    if (variant === null) fail('the title lines of an ipvsadm -L listing (Prot LocalAddress:Port ...)');
    const f = fields(line);
    if (f[0] === '->') {
      const state = services.at(-1) ?? fail('a service line before the first "->" line');
      const [rs, server, limits] = destLine(variant!, f.slice(1), protocols.at(-1)!, families.at(-1)!, fail);
      state.realServers.push(rs);
      if (limits) thresholds.push({ service: state.service, address: rs.address, port: rs.port, ...limits });
      if (server) config.at(-1)!.realServers.push(server);
      return;
    }
    const head = serviceHead(f, fail);
    protocols.push(head.base.fwmark === undefined ? head.base.protocol : 'tcp');
    families.push(head.base.family ?? 'inet');
    const state: ServiceState = { service: serviceKey(head.base), realServers: [] };
    if (variant === 'stats' || variant === 'rate') {
      const values = numbers(head.rest, 5, fail);
      if (variant === 'stats') state.counters = values;
      else state.rates = values;
    } else {
      const options = serviceOptions(head.rest, head.base.family === 'inet6', fail);
      if (variant === 'plain' || variant === 'tun-info') config.push({ ...head.base, ...options, forward: 'route', realServers: [] });
    }
    services.push(state);
  });
  for (const s of config) s.forward = s.realServers[0]?.forward ?? 'route';
  const withConfig = variant === 'plain' || variant === 'tun-info';
  const size = tableSizeOf(text);
  if (variant === 'thresholds') return { services, realServerThresholds: thresholds, ...size };
  return withConfig ? { config: { services: config, fwmarkRules: [] }, services, ...size } : { services, ...size };
}

/** The version line, the title and the dest title, in that order (the version line may be absent). */
function titleLine(line: string, seen: number): boolean {
  if (seen === 0 && VERSION.test(line)) return true;
  const text = line.trim().split(/\s+/).join(' ');
  return text.startsWith('Prot LocalAddress:Port') || text.startsWith('-> RemoteAddress:Port');
}

function serviceHead(f: string[], fail: Fail): ServiceHead {
  const [protocol, target] = f;
  if (protocol === 'FWM') {
    const fwmark = integer(target, 1, 0xffffffff, fail, 'a fwmark');
    const v6 = f[2] === 'IPv6';
    return { base: { protocol: 'tcp', fwmark, ...(v6 ? { family: 'inet6' as const } : {}) }, rest: f.slice(v6 ? 3 : 2) };
  }
  const p = protocol === 'TCP' ? 'tcp' : protocol === 'UDP' ? 'udp' : protocol === 'SCTP' ? 'sctp' : fail(`a service line: TCP, UDP, SCTP or FWM first, not ${protocol}`);
  const at = listedEndpoint(target, p, fail);
  return { base: { protocol: p, ...(at.family === 'inet6' ? { family: 'inet6' as const } : {}), vip: at.address, port: at.port }, rest: f.slice(2) };
}

type ServiceOptions = Pick<IpvsService, 'scheduler' | 'schedulerFlags' | 'persistence' | 'persistenceEngine' | 'onePacket'>;

/** `SCHED [(flags)] [persistent T [mask M] [pe NAME]] [ops]`, in print_service_entry's order. */
function serviceOptions(rest: string[], v6: boolean, fail: Fail): ServiceOptions {
  const [scheduler, ...tail] = rest;
  if (!(KERNEL_SCHEDULERS as readonly string[]).includes(scheduler ?? '')) fail(`a scheduler (${KERNEL_SCHEDULERS.join(', ')}), not ${scheduler ?? 'nothing'}`);
  const out: ServiceOptions = { scheduler: scheduler as KernelSchedulerName, persistence: null };
  let i = 0;
  if (tail[i]?.startsWith('(')) {
    const m = /^\(([a-z0-9,-]+)\)$/.exec(tail[i++]!) ?? fail('scheduler flags as (flag,flag)');
    const flags = m[1]!.split(',');
    for (const flag of flags) if (!(SCHEDULER_FLAGS as readonly string[]).includes(flag)) fail(`scheduler flags from ${SCHEDULER_FLAGS.join(', ')}, not ${flag}`);
    out.schedulerFlags = flags as SchedulerFlag[];
  }
  if (tail[i] === 'persistent') {
    const persistence: Persistence = { timeout: integer(tail[i + 1], 1, 0xffffffff, fail, 'a persistence timeout'), netmask: v6 ? '128' : '255.255.255.255' };
    i += 2;
    if (tail[i] === 'mask') {
      persistence.netmask = v6 ? String(integer(tail[i + 1], 1, 128, fail, 'an IPv6 prefix length')) : ipv4(tail[i + 1] ?? '', fail);
      i += 2;
    }
    if (tail[i] === 'pe') {
      out.persistenceEngine = /^[a-z][a-z0-9_]*$/.test(tail[i + 1] ?? '') ? tail[i + 1]! : fail('a persistence engine name after pe');
      i += 2;
    }
    out.persistence = persistence;
  }
  if (tail[i] === 'ops') {
    out.onePacket = true;
    i++;
  }
  if (i < tail.length) fail(`the end of the service line after the scheduler, its (flags), persistent T, mask M, pe NAME and ops, not ${tail[i]}`);
  return out;
}

/**
 * print_largenum's `%8lluT` has 8 digits from 1e19 on and fills its width: it follows the counter
 * before it without a blank (`12345T18446744T`, `018446744T`), a T count no counter has alone.
 */
function unglue(text: string): string[] {
  return text.split(/(?<=[KMGT])(?=\d)/).flatMap((part) => {
    const glued = /^(\d+)(\d{8}T)$/.exec(part);
    return glued ? [glued[1]!, glued[2]!] : [part];
  });
}

function numbers(tokens: string[], count: number, fail: Fail): Counters {
  const texts = tokens.flatMap(unglue);
  if (texts.length !== count) fail(`${count} counters, not ${texts.length}`);
  const [connections, inPackets, outPackets, inBytes, outBytes] = texts.map((t) => largeNumber(t, fail)) as [number, number, number, number, number];
  return { connections, inPackets, outPackets, inBytes, outBytes };
}

function counts(texts: string[], fail: Fail): number[] {
  return texts.map((t) => integer(t, 0, 0xffffffff, fail, 'a count'));
}

/** One `  -> ADDR:PORT ...` line: the live state, and the config entry when the layout has one. */
type Limits = Pick<ThresholdReading, 'upperThreshold' | 'lowerThreshold'>;

function destLine(variant: Variant, f: string[], protocol: string, family: 'inet' | 'inet6', fail: Fail): [RealServerState, RealServer | null, Limits?] {
  const [target, ...rest] = f;
  const at = listedEndpoint(target, protocol, fail);
  const state = (active: number, inactive: number): RealServerState => ({ address: at.address, port: at.port, activeConnections: active, inactiveConnections: inactive });
  const expect = (n: number, what: string): void => {
    if (rest.length !== n) fail(`${what} after the address (${n} fields), not ${rest.length} fields`);
  };
  switch (variant) {
    case 'stats':
    case 'rate': {
      const values = numbers(rest, 5, fail);
      return [{ ...state(0, 0), ...(variant === 'stats' ? { counters: values } : { rates: values }) }, null];
    }
    case 'thresholds': {
      expect(4, 'Uthreshold Lthreshold ActiveConn InActConn');
      const [upperThreshold, lowerThreshold, active, inactive] = counts(rest, fail) as [number, number, number, number];
      return [state(active, inactive), null, { upperThreshold, lowerThreshold }];
    }
    case 'persistent-conn': {
      expect(4, 'Weight PersistConn ActiveConn InActConn');
      const [, persistent, active, inactive] = counts(rest, fail) as [number, number, number, number];
      return [{ ...state(active, inactive), persistentConnections: persistent }, null];
    }
    default: {
      const tunnel = variant === 'tun-info' ? rest.splice(1, 1)[0] : undefined;
      expect(4, 'Forward Weight ActiveConn InActConn');
      const forward = FORWARDS[rest[0]!] ?? fail(`a forwarding method (Route, Masq, Tunnel, Local), not ${rest[0]}`);
      // The kernel takes a real server of the other family only for tunnelling (ip_vs_ctl.c; ipvsadm checks alike).
      if (at.family !== family && forward !== 'tunnel') fail(`a real server of the service's family (${family === 'inet6' ? 'IPv6' : 'IPv4'}), or Tunnel: another family only for tunnelling servers`);
      const [weight, active, inactive] = counts(rest.slice(1), fail) as [number, number, number];
      if (weight > 65535) fail(`a weight from 0 to 65535, not ${weight}`);
      const server: RealServer = { name: at.address, address: at.address, weight, port: at.port, forward, ...(rest[0] === 'Local' ? { local: true } : {}) };
      if (tunnel !== undefined) Object.assign(server, tunnelInfo(tunnel, forward, fail));
      return [state(active, inactive), server];
    }
  }
}

/** --tun-info's column (fwd_tun_info): n/a, ipip, gue:PORT:FLAGS, gre:FLAGS, FLAGS being -c, +c or r+c. */
function tunnelInfo(text: string, forward: ForwardMethod, fail: Fail): { tunnel?: TunnelOptions } {
  if (text === 'n/a') return {};
  if (forward !== 'tunnel') fail(`n/a as the tunnel of a ${forward} server, not ${text}`);
  if (text === 'ipip') return { tunnel: { type: 'ipip' } };
  const m = /^(?:gue:(\d+)|gre):(-c|\+c|r\+c)$/.exec(text) ?? fail(`tunnel info ipip, gue:PORT:-c|+c|r+c or gre:-c|+c|r+c, not ${text}`);
  const checksum = TUN_CHECKSUMS[m[2]!]!;
  return { tunnel: m[1] === undefined ? { type: 'gre', checksum } : { type: 'gue', port: integer(m[1], 1, 65535, fail, 'a tunnel port'), checksum } };
}
