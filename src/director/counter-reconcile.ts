/**
 * The director's per-real-server connection counters (`--stats`) before and after the traffic,
 * against the connections the harness made through the VIP. The director must have counted at least
 * the harness's connections on each server; what it counted beyond them came from other clients (or
 * from connections of ours that failed before naming a server) and is reported, not failed: a live
 * director serves other users during a test. A connection from a client port whose ended entry the
 * director still held (TIME_WAIT, FIN_WAIT: 120 s) takes that entry over without being counted when
 * conn_reuse_mode says so, and the clients cannot see which did: a server short only by such repeats
 * of a client address:port is not short. Only the services the suite's traffic reaches are counted:
 * a real server may serve other VIPs of a shared director too.
 */
import type { Leg } from './table-agreement.js';
import type { DirectorSnapshot } from './model.js';
import { reachedStates, type Reach } from './suite-reach.js';

export interface ServerCount {
  /** Connections the director counted to the server during the traffic. */
  director: number;
  /** Connections through the VIP the harness saw that server answer. */
  harness: number;
}

export type CounterReconciliation =
  | { judged: false; reason: string }
  | {
      judged: true;
      perServer: Record<string, ServerCount>;
      /** Servers that counted fewer connections than the harness made to them. */
      short: string[];
      /** Servers that left the table during the traffic (removed, or a new config applied): their counters went with them, so they are not compared. */
      removed: string[];
      /** Counted beyond the harness's identified connections, over all servers. */
      others: number;
      /** Connections that repeated an earlier one's client address:port and VIP port on a short server: maybe not counted. */
      reused: number;
    };

/** Per real server address, the connections the services the suite reaches counted (a server may serve other VIPs too). */
function connectionsByAddress(reading: DirectorSnapshot, reaches: Reach): Map<string, number> | null {
  const services = reachedStates(reading, reaches);
  if (services === null) return null;
  const counts = new Map<string, number>();
  for (const rs of services.flatMap((s) => s.realServers)) {
    if (rs.counters === undefined) return null;
    counts.set(rs.address, (counts.get(rs.address) ?? 0) + rs.counters.connections);
  }
  return counts;
}

/** `legs` is read once, and a second time only if a server looks short. */
export function reconcileCounters(
  before: DirectorSnapshot,
  after: DirectorSnapshot,
  legs: () => Iterable<Leg>,
  vip: string,
  nameOf: (address: string) => string,
  reaches: Reach,
): CounterReconciliation {
  const was = connectionsByAddress(before, reaches);
  const now = connectionsByAddress(after, reaches);
  if (was === null || now === null) return { judged: false, reason: 'the director gave no per-server connection counters' };
  // The model holds u64 counters as numbers, rounded above 2^53: a rounded count cannot show a growth of one.
  const rounded = [...was, ...now].find(([, count]) => !Number.isSafeInteger(count));
  if (rounded) return { judged: false, reason: `the connection counter of ${nameOf(rounded[0])} is above 2^53, read rounded, so its growth cannot be counted exactly` };
  const perServer: Record<string, ServerCount> = {};
  const at = (name: string): ServerCount => (perServer[name] ??= { director: 0, harness: 0 });
  for (const [address, count] of now) {
    // A counter that went down was reset (server re-added, counters zeroed): count from 0.
    const base = was.get(address) ?? 0;
    at(nameOf(address)).director += count >= base ? count - base : count;
  }
  // Active FTP data in a lab may bypass the director; only what went to the VIP passed it.
  for (const leg of legs()) {
    if (leg.realServer !== null && leg.server.address === vip) at(leg.realServer).harness += 1;
  }
  const removed = [...was.keys()].filter((address) => !now.has(address)).map(nameOf);
  const servers = Object.entries(perServer).filter(([name]) => !removed.includes(name));
  const looksShort = servers.filter(([, c]) => c.director < c.harness);
  const repeats = looksShort.length > 0 ? repeatsByServer(legs(), vip) : new Map<string, number>();
  const short = looksShort.filter(([name, c]) => c.director < c.harness - (repeats.get(name) ?? 0));
  return {
    judged: true,
    perServer,
    removed,
    short: short.map(([name]) => name),
    others: servers.reduce((n, [, c]) => n + Math.max(0, c.director - c.harness), 0),
    reused: looksShort.reduce((n, [name]) => n + (repeats.get(name) ?? 0), 0),
  };
}

/** Per server, the connections to the VIP from a client address:port and to a VIP port that an earlier one there had. */
function repeatsByServer(legs: Iterable<Leg>, vip: string): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  const repeats = new Map<string, number>();
  for (const leg of legs) {
    if (leg.realServer === null || leg.server.address !== vip || leg.client.port === null) continue;
    const key = `${leg.client.address} ${leg.realServer}`;
    let ports = seen.get(key);
    if (ports === undefined) seen.set(key, (ports = new Set()));
    const tuple = leg.client.port * 65536 + (leg.server.port ?? 0);
    if (ports.has(tuple)) repeats.set(leg.realServer, (repeats.get(leg.realServer) ?? 0) + 1);
    else ports.add(tuple);
  }
  return repeats;
}
