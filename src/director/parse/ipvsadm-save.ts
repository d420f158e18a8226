/**
 * `ipvsadm -S -n` (and anything `ipvsadm -R` takes as -A/-a lines) into a DirectorConfig. Built from
 * ipvsadm 1.31's print_service_entry / print_tunnel_rule (FMT_RULE) and its option parser, and
 * checked against the kernel lab's real dumps. Real servers keep the dump's order (-S sorts them by
 * address unless --nosort) and are named by their address.
 */
import {
  KERNEL_SCHEDULERS,
  SCHEDULER_FLAGS,
  type DirectorConfig,
  type ForwardMethod,
  type IpvsService,
  type KernelSchedulerName,
  type Protocol,
  type RealServer,
  type SchedulerFlag,
  type TunnelOptions,
} from '../../model/ipvs.js';
import { eachLine, endpoint, integer, ipv4, type Fail } from './lines.js';

export const SAVE_SOURCE = 'an `ipvsadm -S -n` dump';

/** ipvsadm's MAX_TIMEOUT (86400*31) and IPVS_SVC_PERSISTENT_TIMEOUT (6*60, libipvs.h) for a bare -p. */
const MAX_TIMEOUT = 2_678_400;
const DEFAULT_PERSISTENCE = 360;
const INT_MAX = 2_147_483_647;

const SERVICE_OPTIONS: Readonly<Record<string, Protocol | 'fwmark'>> = {
  '-t': 'tcp', '--tcp-service': 'tcp',
  '-u': 'udp', '--udp-service': 'udp',
  '--sctp-service': 'sctp',
  '-f': 'fwmark', '--fwmark-service': 'fwmark',
};
const VALUE_OPTIONS: Readonly<Record<string, string>> = {
  '-s': 'scheduler', '--scheduler': 'scheduler',
  '-M': 'netmask', '--netmask': 'netmask',
  '--pe': 'pe',
  '-b': 'flags', '--sched-flags': 'flags',
  '-r': 'server', '--real-server': 'server',
  '-w': 'weight', '--weight': 'weight',
  '-x': 'upper', '--u-threshold': 'upper',
  '-y': 'lower', '--l-threshold': 'lower',
  '--tun-type': 'tunType',
  '--tun-port': 'tunPort',
};
const FORWARD_OPTIONS: Readonly<Record<string, ForwardMethod>> = {
  '-g': 'route', '--gatewaying': 'route',
  '-m': 'masq', '--masquerading': 'masq',
  '-i': 'tunnel', '--ipip': 'tunnel',
};
const CHECKSUM_OPTIONS: Readonly<Record<string, NonNullable<TunnelOptions['checksum']>>> = {
  '--tun-nocsum': 'nocsum', '--tun-csum': 'csum', '--tun-remcsum': 'remcsum',
};
const COMMANDS: Readonly<Record<string, 'add-service' | 'add-server'>> = {
  '-A': 'add-service', '--add-service': 'add-service',
  '-a': 'add-server', '--add-server': 'add-server',
};

interface ParsedLine {
  command: 'add-service' | 'add-server';
  kind: Protocol | 'fwmark' | null;
  target: string;
  ipv6: boolean;
  values: Map<string, string>;
  persistence: number | null;
  onePacket: boolean;
  forward: ForwardMethod | null;
  checksum: TunnelOptions['checksum'] | null;
}

/** Where each service and real server came from, so a lab that cannot take one can name its line. */
export type SaveOrigins = WeakMap<IpvsService | RealServer, number>;

export function parseIpvsadmSaveText(text: string, file: string): { config: DirectorConfig; origins: SaveOrigins } {
  const services = new Map<string, IpvsService>();
  const origins: SaveOrigins = new WeakMap();
  eachLine(text, file, SAVE_SOURCE, (raw, fail, index) => {
    const line = raw.trim();
    if (line.startsWith('#')) return;
    const parsed = parseLine(line.split(/\s+/), fail);
    const [key, base] = serviceOf(parsed, fail);
    if (parsed.command === 'add-service') {
      if (services.has(key)) fail('a service not added before (it is on an earlier line)');
      const service: IpvsService = { ...base, ...serviceOptions(parsed, base, fail), forward: 'route', realServers: [] };
      services.set(key, service);
      origins.set(service, index + 1);
      return;
    }
    const service = services.get(key) ?? fail('a real server of a service added on an earlier -A line');
    const server = realServer(parsed, base.family ?? 'inet', fail);
    if (service.realServers.some((rs) => rs.address === server.address && rs.port === server.port)) fail('a real server not added to this service before');
    if (service.realServers.length === 0) service.forward = server.forward!;
    service.realServers.push(server);
    origins.set(server, index + 1);
  });
  return { config: { services: [...services.values()], fwmarkRules: [] }, origins };
}

function parseLine(tokens: string[], fail: Fail): ParsedLine {
  const command = COMMANDS[tokens[0] ?? ''] ?? fail('a line starting with -A or -a');
  const p: ParsedLine = { command, kind: null, target: '', ipv6: false, values: new Map(), persistence: null, onePacket: false, forward: null, checksum: null };
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (SERVICE_OPTIONS[token] !== undefined) {
      if (p.kind !== null) fail(`one of -t, -u, --sctp-service or -f (not a second ${token})`);
      p.kind = SERVICE_OPTIONS[token]!;
      p.target = tokens[++i] ?? fail(`a value after ${token}`);
    } else if (VALUE_OPTIONS[token] !== undefined) {
      if (p.values.has(VALUE_OPTIONS[token]!)) fail(`${token} once`);
      p.values.set(VALUE_OPTIONS[token]!, tokens[++i] ?? fail(`a value after ${token}`));
    } else if (token === '-p' || token === '--persistent') {
      // ipvsadm's -p takes an optional value: a following number is the timeout, an option is not.
      p.persistence = next !== undefined && !next.startsWith('-') ? integer(tokens[++i], 1, MAX_TIMEOUT, fail, 'a persistence timeout') : DEFAULT_PERSISTENCE;
    } else if (FORWARD_OPTIONS[token] !== undefined) {
      if (p.forward !== null) fail('one of -g, -m, -i');
      p.forward = FORWARD_OPTIONS[token]!;
    } else if (CHECKSUM_OPTIONS[token] !== undefined) {
      if (p.checksum !== null) fail('one of --tun-nocsum, --tun-csum, --tun-remcsum');
      p.checksum = CHECKSUM_OPTIONS[token]!;
    } else if (token === '-6' || token === '--ipv6') {
      p.ipv6 = true;
    } else if (token === '-o' || token === '--ops') {
      p.onePacket = true;
    } else {
      fail(`an ipvsadm -A/-a option (-t -u --sctp-service -f -6 -s -p -M --pe -o -b -r -g -m -i -w -x -y --tun-*), not ${token}`);
    }
  }
  return p;
}

type ServiceBase = Pick<IpvsService, 'protocol' | 'family' | 'vip' | 'port' | 'fwmark'>;

function serviceOf(p: ParsedLine, fail: Fail): [string, ServiceBase] {
  if (p.kind === null) fail('one of -t, -u, --sctp-service or -f');
  if (p.kind === 'fwmark') {
    const mark = integer(p.target, 1, 0xffffffff, fail, 'a fwmark');
    const family = p.ipv6 ? 'inet6' : 'inet';
    return [`fwm ${mark} ${family}`, { protocol: 'tcp', fwmark: mark, ...(p.ipv6 ? { family } : {}) }];
  }
  if (p.ipv6) fail('-6 only with -f (an address service takes its family from the address)');
  const at = endpoint(p.target, fail);
  const family = at.family === 'inet6' ? { family: at.family } : {};
  return [`${p.kind} ${at.address} ${at.port}`, { protocol: p.kind!, ...family, vip: at.address, port: at.port }];
}

type ServiceOptions = Pick<IpvsService, 'scheduler' | 'persistence' | 'schedulerFlags' | 'persistenceEngine' | 'onePacket'>;

function serviceOptions(p: ParsedLine, base: ServiceBase, fail: Fail): ServiceOptions {
  for (const name of ['server', 'weight', 'upper', 'lower', 'tunType', 'tunPort']) if (p.values.has(name)) fail(`no real-server option on an -A line (${name})`);
  if (p.forward !== null || p.checksum !== null) fail('no forwarding option on an -A line');
  const scheduler = p.values.get('scheduler') ?? 'wlc';
  if (!(KERNEL_SCHEDULERS as readonly string[]).includes(scheduler)) fail(`a scheduler: ${KERNEL_SCHEDULERS.join(', ')}`);
  const netmask = p.values.get('netmask');
  if (netmask !== undefined && p.persistence === null) fail('-M only with -p (the netmask is the persistence granularity)');
  const v6 = base.family === 'inet6';
  const mask = netmask === undefined ? (v6 ? '128' : '255.255.255.255') : v6 ? String(integer(netmask, 1, 128, fail, 'an IPv6 prefix length')) : ipv4(netmask, fail);
  if (base.port === 0 && p.persistence === null) fail('-p with port 0 (ipvsadm: "Zero port specified for non-persistent service")');
  if (p.onePacket && base.protocol !== 'udp' && base.fwmark === undefined) fail('-o only for udp or fwmark services (one-packet scheduling)');
  const pe = p.values.get('pe');
  if (pe !== undefined && !/^[a-z][a-z0-9_]{0,15}$/.test(pe)) fail(`a persistence engine name (sip), not ${pe}`);
  const flags = p.values.get('flags');
  return {
    scheduler: scheduler as KernelSchedulerName,
    ...(flags === undefined ? {} : { schedulerFlags: schedulerFlags(flags, fail) }),
    persistence: p.persistence === null ? null : { timeout: p.persistence, netmask: mask },
    ...(pe === undefined ? {} : { persistenceEngine: pe }),
    ...(p.onePacket ? { onePacket: true } : {}),
  };
}

function schedulerFlags(text: string, fail: Fail): SchedulerFlag[] {
  const flags = text.split(',');
  for (const f of flags) if (!(SCHEDULER_FLAGS as readonly string[]).includes(f)) fail(`-b flags from ${SCHEDULER_FLAGS.join(', ')}, not ${f}`);
  return flags as SchedulerFlag[];
}

function realServer(p: ParsedLine, family: 'inet' | 'inet6', fail: Fail): RealServer {
  for (const name of ['scheduler', 'netmask', 'pe', 'flags']) if (p.values.has(name)) fail(`no service option on an -a line (${name})`);
  if (p.persistence !== null || p.onePacket) fail('no -p or -o on an -a line');
  const at = endpoint(p.values.get('server') ?? fail('-r ADDRESS[:PORT]'), fail);
  const forward = p.forward ?? 'route';
  if (at.family !== family && forward !== 'tunnel') fail(`a real server of the service's family (${family === 'inet6' ? 'IPv6' : 'IPv4'}), or -i: ipvsadm allows another family only for tunnelling servers`);
  const threshold = (name: string): number | undefined => (p.values.has(name) ? integer(p.values.get(name), 0, INT_MAX, fail, 'a connection threshold') : undefined);
  const upper = threshold('upper');
  const lower = threshold('lower');
  const tunnel = tunnelOptions(p, forward, fail);
  return {
    name: at.address,
    address: at.address,
    weight: p.values.has('weight') ? integer(p.values.get('weight'), 0, 65535, fail, 'a weight') : 1,
    port: at.port,
    forward,
    ...(upper === undefined ? {} : { upperThreshold: upper }),
    ...(lower === undefined ? {} : { lowerThreshold: lower }),
    ...(tunnel === undefined ? {} : { tunnel }),
  };
}

function tunnelOptions(p: ParsedLine, forward: ForwardMethod, fail: Fail): TunnelOptions | undefined {
  const type = p.values.get('tunType');
  if (type === undefined) {
    if (p.values.has('tunPort') || p.checksum !== null) fail('--tun-port and checksum options only after --tun-type');
    return undefined;
  }
  if (forward !== 'tunnel') fail('--tun-type only with -i (tunnelling)');
  if (type !== 'ipip' && type !== 'gue' && type !== 'gre') fail(`--tun-type ipip, gue or gre, not ${type}`);
  if (type === 'gue' && !p.values.has('tunPort')) fail('--tun-port with --tun-type gue');
  if (type !== 'gue' && p.values.has('tunPort')) fail('--tun-port only with --tun-type gue');
  if (type === 'ipip' && p.checksum !== null) fail('no checksum option with --tun-type ipip');
  return {
    type,
    ...(type === 'gue' ? { port: integer(p.values.get('tunPort'), 1, 65535, fail, 'a tunnel port') } : {}),
    ...(type !== 'ipip' ? { checksum: p.checksum ?? 'nocsum' } : {}),
  };
}
