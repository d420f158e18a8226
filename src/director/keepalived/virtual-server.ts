/**
 * A `virtual_server` block, with keepalived's defaults and warnings (check_parser.c, check_data.c):
 * no protocol is UDP, no scheduler wlc, no lvs_method NAT, `persistence_timeout` without a value
 * 360 s, a port-0 service is made persistent (360 s), `ops` only for UDP, sh-/mh- flags only after
 * their scheduler, a fwmark service ignores its protocol, ha_suspend and its real and sorry servers'
 * ports, `weight` is the weight of its real servers that set none, a duplicate real server is
 * dropped, and a virtual server left without real servers is ignored.
 */
import type { Statement } from './blocks.js';
import { readTiming, type CheckerDefaults } from './checker.js';
import {
  KEEPALIVED_SCHEDULERS,
  type KeepalivedEndpoint,
  type KeepalivedFlag,
  type KeepalivedMethod,
  type KeepalivedProtocol,
  type KeepalivedScheduler,
  type KeepalivedVirtualServer,
} from './model.js';
import { keepalivedError, type KeepalivedWarning } from './problems.js';
import { readMethod, readRealServer, WEIGHT_MAX } from './real-server.js';
import { argsOf, named, readBool, readInt, readIpv4, readPort } from './values.js';

/** IPVS_SVC_PERSISTENT_TIMEOUT in keepalived's libipvs.h. */
export const DEFAULT_PERSISTENCE = 360;
/** LVS_MAX_TIMEOUT: 31 days. */
const MAX_TIMEOUT = 2678400;
const FLAGS: readonly KeepalivedFlag[] = ['ops', 'hashed', 'flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback'];
const OTHER = ['persistence_engine', 'smtp_alert', 'snmp_name', 'quorum_up', 'quorum_down', 'ip_family', 'sorry_server_inhibit', 'sorry_server_lvs_method', 'warmup'];

/** The header's endpoints: `IP [PORT]`, `fwmark N`, or a group's (looked up in `groups`). */
function endpointsOf(s: Statement, groups: ReadonlyMap<string, KeepalivedEndpoint[]>): { name: string; endpoints: KeepalivedEndpoint[] } {
  const [first, second] = argsOf(s, 1, 2, 'IP [PORT], fwmark N or group NAME after virtual_server');
  if (first!.text === 'fwmark') {
    if (!second) throw keepalivedError(first!, 'virtual_server fwmark', 'a mark number');
    return { name: `fwmark ${second.text}`, endpoints: [{ fwmark: readInt(second, 'fwmark', 1, 0xffffffff) }] };
  }
  if (first!.text === 'group') {
    if (!second) throw keepalivedError(first!, 'virtual_server group', 'a virtual_server_group name');
    const endpoints = groups.get(second.text);
    if (!endpoints) throw keepalivedError(second, 'virtual_server group', `the name of a virtual_server_group in the config (no group '${second.text}')`);
    return { name: `group ${second.text}`, endpoints };
  }
  const address = readIpv4(first!, 'virtual_server');
  const port = readPort(second, 'virtual_server port');
  return { name: `${address} ${port}`, endpoints: [{ address, port }] };
}

export function readVirtualServer(
  s: Statement,
  groups: ReadonlyMap<string, KeepalivedEndpoint[]>,
  warnings: KeepalivedWarning[],
): KeepalivedVirtualServer | null {
  const { name, endpoints } = endpointsOf(s, groups);
  if (!s.block) throw keepalivedError(s.keyword, 'virtual_server', `a block: virtual_server ${name} { ... }`);
  const warn = (message: string, at = s.keyword): void => {
    warnings.push({ at, message: `virtual_server ${name}: ${message}` });
  };
  let protocol: KeepalivedProtocol | undefined;
  let scheduler: KeepalivedScheduler | undefined;
  let method: KeepalivedMethod | undefined;
  const vs: Omit<KeepalivedVirtualServer, 'protocol' | 'scheduler' | 'method'> = {
    at: s.keyword,
    name,
    endpoints,
    persistenceTimeout: 0,
    flags: [],
    quorum: 1,
    hysteresis: 0,
    delayLoop: 60,
    alpha: false,
    omega: false,
    haSuspend: false,
    inhibitOnFailure: false,
    realServers: [],
  };
  const timing: CheckerDefaults = {};
  // keepalived >= 1.3.7: the weight of this virtual server's real servers that set none (check_data.c).
  let weight = 1;
  // Pass one: the virtual server's own options, which are its real servers' defaults wherever written.
  for (const o of s.block) {
    const key = named(o);
    if (key === 'real_server') continue;
    if (readTiming(o, timing)) continue;
    const one = (shape = 'one value') => argsOf(o, 1, 1, shape)[0]!;
    switch (key) {
      case 'lvs_sched':
      case 'lb_algo': {
        const t = one('a scheduler name');
        if (!(KEEPALIVED_SCHEDULERS as readonly string[]).includes(t.text)) {
          throw keepalivedError(t, key, `one of ${KEEPALIVED_SCHEDULERS.join(' ')}, not '${t.text}' (keepalived: Invalid lvs_scheduler - ignoring)`);
        }
        scheduler = t.text as KeepalivedScheduler;
        break;
      }
      case 'lvs_method':
      case 'lb_kind':
        method = readMethod(o);
        break;
      case 'persistence_timeout':
        vs.persistenceTimeout = o.args.length === 0 ? DEFAULT_PERSISTENCE : readInt(one(), key, 1, MAX_TIMEOUT);
        break;
      case 'persistence_granularity': {
        const t = one('a netmask such as 255.255.255.0');
        if (!t.text.includes('.')) throw keepalivedError(t, key, `a dotted IPv4 netmask (keepalived reads '${t.text}' as an IPv6 prefix length)`);
        vs.persistenceGranularity = readIpv4(t, key);
        if (vs.persistenceTimeout === 0) vs.persistenceTimeout = DEFAULT_PERSISTENCE;
        break;
      }
      case 'protocol': {
        const t = one('TCP, UDP or SCTP');
        const p = t.text.toUpperCase();
        if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') throw keepalivedError(t, key, `TCP, UDP or SCTP, not '${t.text}' (keepalived: Unknown protocol - ignoring)`);
        protocol = p;
        break;
      }
      case 'weight':
        weight = readInt(one('one weight'), 'weight', 1, WEIGHT_MAX);
        break;
      case 'quorum':
        vs.quorum = readInt(one(), key, 1, 0xffffffff);
        break;
      case 'hysteresis':
        vs.hysteresis = readInt(one(), key, 0, 0xffffffff);
        break;
      case 'sorry_server': {
        const [ip, port] = argsOf(o, 1, 2, 'an address and an optional port');
        vs.sorryServer = { address: readIpv4(ip!, key), port: readPort(port, 'sorry_server port') };
        break;
      }
      case 'alpha':
        vs.alpha = true;
        break;
      case 'omega':
        vs.omega = true;
        break;
      case 'ha_suspend':
        vs.haSuspend = true;
        break;
      case 'virtualhost':
        vs.virtualhost = one('a host name').text;
        break;
      case 'inhibit_on_failure':
        vs.inhibitOnFailure = readBool(o);
        break;
      default:
        if ((FLAGS as readonly string[]).includes(key)) {
          argsOf(o, 0, 0, `nothing after ${key}`);
          const needs = key.startsWith('sh-') ? 'sh' : key.startsWith('mh-') ? 'mh' : null;
          // keepalived judges the flag against the scheduler set so far, as it reads.
          if (needs !== null && scheduler !== needs) warn(`${key} only applies to ${needs} scheduler - ignoring`, o.keyword);
          else if (!vs.flags.includes(key as KeepalivedFlag)) vs.flags.push(key as KeepalivedFlag);
        } else if (!OTHER.includes(key)) {
          throw keepalivedError(o.keyword, key, 'a virtual_server option (keepalived: Unknown keyword)');
        }
    }
  }
  vs.delayLoop = timing.delayLoop ?? vs.delayLoop;
  const fwmark = endpoints.every((e) => 'fwmark' in e);

  if (fwmark && protocol !== undefined) warn('protocol specified for fwmark - protocol will be ignored');
  if (!fwmark && protocol === undefined) warn('no protocol set - defaulting to UDP');
  if (scheduler === undefined) warn("no scheduler set, setting default 'wlc'");
  if (method === undefined) warn('no forwarding method set, setting default NAT');
  if (endpoints.some((e) => 'port' in e && e.port === 0) && vs.persistenceTimeout === 0) {
    warn('zero port only valid for persistent services - setting');
    vs.persistenceTimeout = DEFAULT_PERSISTENCE;
  }
  const full: KeepalivedVirtualServer = { ...vs, protocol: protocol ?? (fwmark ? 'TCP' : 'UDP'), scheduler: scheduler ?? 'wlc', method: method ?? 'NAT' };
  if (full.flags.includes('ops') && full.protocol !== 'UDP') {
    warn('one packet scheduling requires UDP - resetting');
    full.flags = full.flags.filter((f) => f !== 'ops');
  }

  // keepalived programs a group holding a mark with port-less real servers throughout.
  const anyMark = endpoints.some((e) => 'fwmark' in e);
  const portWarning = name.startsWith('group ') ? 'port will be ignored' : 'clearing';
  if (anyMark && full.haSuspend) {
    warn('cannot use ha_suspend with fwmarks - clearing ha_suspend');
    full.haSuspend = false;
  }
  if (anyMark && full.sorryServer && full.sorryServer.port !== 0) {
    warn('sorry server has port specified - port will be ignored');
    full.sorryServer = { ...full.sorryServer, port: 0 };
  }

  // Pass two: the real servers, with the virtual server's defaults.
  const ctx = { inherited: { connectTimeout: 5, ...timing, delayLoop: full.delayLoop }, inhibitOnFailure: full.inhibitOnFailure, weight, warnings };
  for (const o of s.block.filter((b) => named(b) === 'real_server')) {
    const rs = { ...readRealServer(o, ctx) };
    const key = `${rs.address}:${rs.port}`;
    if (anyMark && rs.port !== 0) {
      warn(`real server ${key} has port specified - ${portWarning}`, o.keyword);
      rs.port = 0;
    }
    if (full.realServers.some((r) => r.address === rs.address && r.port === rs.port)) {
      warn(`real server ${key} is duplicated - removing second rs`, o.keyword);
      continue;
    }
    full.realServers.push({ ...rs, method: rs.method ?? full.method });
  }
  if (full.realServers.length === 0 && !full.sorryServer) {
    warn('has no real servers - ignoring');
    return null;
  }
  return full;
}
