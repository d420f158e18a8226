/**
 * Reads what `ipvsadm -S -n` prints (the lines `ipvsadm -R` takes) into a DirectorConfig, so an
 * operator's own director can be tried in either lab. Pure: the text in, the config out. A dump does
 * not name real servers: each is named by its address here, and by the suite when a lab starts.
 * Lines keep their order: `-S` lists real servers sorted by address, and that is the order they are
 * added in here (it decides the kernel's list order and so the wrr sequence).
 */
import { createDirectorConfigError } from '../core/errors.js';
import { SCHEDULERS, type DirectorConfig, type ForwardMethod, type IpvsService, type SchedulerName } from '../model/ipvs.js';

const VALUE_OPTIONS: Record<string, string> = {
  '-t': 'tcp', '--tcp-service': 'tcp',
  '-u': 'udp', '--udp-service': 'udp',
  '-f': 'fwmark', '--fwmark-service': 'fwmark',
  '-s': 'scheduler', '--scheduler': 'scheduler',
  '-M': 'netmask', '--netmask': 'netmask',
  '-r': 'server', '--real-server': 'server',
  '-w': 'weight', '--weight': 'weight',
};
const FORWARD_OPTIONS: Record<string, ForwardMethod> = {
  '-g': 'route', '--gatewaying': 'route',
  '-m': 'masq', '--masquerading': 'masq',
  '-i': 'tunnel', '--ipip': 'tunnel',
};
const COMMANDS: Record<string, 'add-service' | 'add-server'> = {
  '-A': 'add-service', '--add-service': 'add-service',
  '-a': 'add-server', '--add-server': 'add-server',
};
/** ipvsadm's default when `-p` has no value. */
const DEFAULT_PERSISTENCE = 300;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

interface ParsedLine {
  command: 'add-service' | 'add-server';
  values: Map<string, string>;
  persistence: number | null;
  forward: ForwardMethod | null;
}

export function parseIpvsadmSave(text: string, file: string): DirectorConfig {
  const services = new Map<string, IpvsService>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (expected: string): never => {
      throw createDirectorConfigError(file, index + 1, line, expected);
    };
    const parsed = parseLine(line.split(/\s+/), fail);
    const [key, base] = serviceOf(parsed.values, fail);
    if (parsed.command === 'add-service') {
      if (services.has(key)) fail(`a service not added before (it is on an earlier line)`);
      services.set(key, { ...base, ...serviceOptions(parsed, fail), forward: 'route', realServers: [] });
      return;
    }
    const service = services.get(key) ?? fail('a real server of a service added on an earlier -A line');
    const [address, port] = endpoint(parsed.values.get('server') ?? fail('-r ADDRESS[:PORT]'), fail);
    if (port !== 0 && port !== (service.port ?? 0)) fail(`the real server port to be 0 or the service port (port mapping is not supported)`);
    const weight = parsed.values.has('weight') ? integer(parsed.values.get('weight')!, 0, 65535, fail) : 1;
    const forward = parsed.forward ?? 'route';
    if (service.realServers.length > 0 && forward !== service.forward) fail(`one forwarding method per service (${service.forward} above)`);
    service.forward = forward;
    service.realServers.push({ name: address, address, weight });
  });
  return { services: [...services.values()], fwmarkRules: [] };
}

function parseLine(tokens: string[], fail: (expected: string) => never): ParsedLine {
  const command = COMMANDS[tokens[0] ?? ''] ?? fail('a line starting with -A or -a');
  const result: ParsedLine = { command, values: new Map(), persistence: null, forward: null };
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const name = VALUE_OPTIONS[token];
    if (name !== undefined) {
      result.values.set(name, tokens[++i] ?? fail(`a value after ${token}`));
    } else if (token === '-p' || token === '--persistent') {
      const next = tokens[i + 1];
      result.persistence = next !== undefined && /^\d+$/.test(next) ? integer(tokens[++i]!, 1, 2_678_400, fail) : DEFAULT_PERSISTENCE;
    } else if (FORWARD_OPTIONS[token] !== undefined) {
      result.forward = FORWARD_OPTIONS[token]!;
    } else {
      fail(`only -t/-u/-f, -s, -p, -M, -r, -g/-m/-i and -w (not ${token})`);
    }
  }
  return result;
}

function serviceOf(values: Map<string, string>, fail: (expected: string) => never): [string, Pick<IpvsService, 'protocol' | 'vip' | 'port' | 'fwmark'>] {
  const kinds = ['tcp', 'udp', 'fwmark'].filter((k) => values.has(k));
  if (kinds.length !== 1) fail('exactly one of -t, -u or -f');
  const kind = kinds[0]!;
  const value = values.get(kind)!;
  if (kind === 'fwmark') {
    const mark = integer(value, 1, 0xffffffff, fail);
    return [`fwm ${mark}`, { protocol: 'tcp', fwmark: mark }];
  }
  const [vip, port] = endpoint(value, fail);
  return [`${kind} ${vip}:${port}`, { protocol: kind as 'tcp' | 'udp', vip, port }];
}

function serviceOptions(parsed: ParsedLine, fail: (expected: string) => never): Pick<IpvsService, 'scheduler' | 'persistence'> {
  const scheduler = parsed.values.get('scheduler') ?? 'wlc';
  if (!(SCHEDULERS as readonly string[]).includes(scheduler)) fail(`a scheduler the labs support: ${SCHEDULERS.join(', ')}`);
  const netmask = parsed.values.get('netmask');
  if (netmask !== undefined && parsed.persistence === null) fail('-M only with -p (the netmask is the persistence granularity)');
  if (netmask !== undefined && !IPV4.test(netmask)) fail('-M as a dotted IPv4 mask');
  return {
    scheduler: scheduler as SchedulerName,
    persistence: parsed.persistence === null ? null : { timeout: parsed.persistence, netmask: netmask ?? '255.255.255.255' },
  };
}

function endpoint(text: string, fail: (expected: string) => never): [string, number] {
  const at = text.lastIndexOf(':');
  const address = at < 0 ? text : text.slice(0, at);
  if (!IPV4.test(address)) fail(`an IPv4 address (run ipvsadm -S with -n), not ${address}`);
  return [address, at < 0 ? 0 : integer(text.slice(at + 1), 0, 65535, fail)];
}

function integer(text: string, min: number, max: number, fail: (expected: string) => never): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : fail(`an integer from ${min} to ${max}, not ${text}`);
}

