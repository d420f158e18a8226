/**
 * What a director has against what was meant, as an operator reads a diff: one line per difference,
 * in the words of ipvsadm's options (`web2 weight 100, expected 200`, `scheduler rr, expected wrr`).
 * Both sides are DirectorConfigs, so a suite's service, an ipvsadm dump, a keepalived.conf and a
 * live reading compare the same way. Services match by their ipvsadm name, real servers by address;
 * list order is not compared (`ipvsadm -S` sorts it). Fwmark rules live in the firewall, not in
 * IPVS, so a director reading has none to compare.
 */
import type { ConnectionTimeouts, DirectorConfig, ForwardMethod, IpvsService } from '../model/ipvs.js';
import { serviceKey } from './parse/service-key.js';

const FORWARD_FLAGS: Readonly<Record<ForwardMethod, string>> = { route: '-g', masq: '-m', tunnel: '-i' };

function forward(f: ForwardMethod): string {
  return `${f} (${FORWARD_FLAGS[f]})`;
}

function persistenceDiffs(actual: IpvsService, expected: IpvsService): string[] {
  const a = actual.persistence;
  const e = expected.persistence;
  if (a === null && e === null) return [];
  if (a === null) return [`not persistent, expected persistence ${e!.timeout} s`];
  if (e === null) return [`persistence ${a.timeout} s, expected none`];
  return [
    ...(a.timeout === e.timeout ? [] : [`persistence ${a.timeout} s, expected ${e.timeout} s`]),
    ...(a.netmask === e.netmask ? [] : [`persistence netmask ${a.netmask}, expected ${e.netmask}`]),
  ];
}

/** Per server: presence, weight, and its forwarding method when the service's as a whole agrees. */
function serverDiffs(actual: IpvsService, expected: IpvsService): string[] {
  const has = new Map(actual.realServers.map((rs) => [rs.address, rs]));
  const wants = new Map(expected.realServers.map((rs) => [rs.address, rs]));
  const diffs: string[] = [];
  for (const rs of expected.realServers) {
    const got = has.get(rs.address);
    if (got === undefined) {
      diffs.push(`real server ${rs.name} (${rs.address}) missing`);
      continue;
    }
    if (got.weight !== rs.weight) diffs.push(`${rs.name} weight ${got.weight}, expected ${rs.weight}`);
    const [gotForward, wantForward] = [got.forward ?? actual.forward, rs.forward ?? expected.forward];
    if (actual.forward === expected.forward && gotForward !== wantForward) diffs.push(`${rs.name} forwarding ${forward(gotForward)}, expected ${forward(wantForward)}`);
  }
  for (const rs of actual.realServers) if (!wants.has(rs.address)) diffs.push(`real server ${rs.address} not expected`);
  return diffs;
}

function serviceDiffs(actual: IpvsService, expected: IpvsService): string[] {
  return [
    ...(actual.scheduler === expected.scheduler ? [] : [`scheduler ${actual.scheduler}, expected ${expected.scheduler}`]),
    ...persistenceDiffs(actual, expected),
    ...(actual.forward === expected.forward ? [] : [`forwarding ${forward(actual.forward)}, expected ${forward(expected.forward)}`]),
    ...serverDiffs(actual, expected),
  ];
}

function timeoutDiffs(actual: ConnectionTimeouts | undefined, expected: ConnectionTimeouts | undefined): string[] {
  if (actual === undefined || expected === undefined) return [];
  return (['tcp', 'tcpfin', 'udp'] as const).filter((k) => actual[k] !== expected[k]).map((k) => `timeout ${k} ${actual[k]} s, expected ${expected[k]} s`);
}

/** Every difference of `actual` from `expected`; empty when they agree. Timeouts only when both give them. */
export function diffConfig(actual: DirectorConfig, expected: DirectorConfig): string[] {
  const has = new Map(actual.services.map((s) => [serviceKey(s), s]));
  const wants = new Set(expected.services.map(serviceKey));
  // One service needs no name in front of its differences; several do.
  const named = expected.services.length > 1 || actual.services.length > 1;
  const diffs: string[] = [];
  for (const service of expected.services) {
    const key = serviceKey(service);
    const got = has.get(key);
    if (got === undefined) diffs.push(`service ${key} missing`);
    else diffs.push(...serviceDiffs(got, service).map((d) => (named ? `${key}: ${d}` : d)));
  }
  for (const service of actual.services) if (!wants.has(serviceKey(service))) diffs.push(`service ${serviceKey(service)} not expected`);
  return [...diffs, ...timeoutDiffs(actual.timeouts, expected.timeouts)];
}
