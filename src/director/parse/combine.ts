/**
 * One DirectorSnapshot from several readings of one director (a -S dump, -Ln --stats, -Lcn,
 * --timeout, sysctl, /proc files). The config comes from the most complete source that gave one
 * (-S, then -L, then /proc/net/ip_vs); counters, rates, persistent connections and active/inactive
 * counts of the listings are merged per service and real server; the rest is taken from whichever
 * reading gave it. What no reading gave stays null.
 */
import type { DirectorConfig } from '../../model/ipvs.js';
import type { DirectorSnapshot, RealServerState, ServiceState } from '../model.js';
import { readInJiffies } from './proc-ip-vs.js';
import type { DirectorReading, ThresholdReading } from './reading.js';
import { serviceKey } from './service-key.js';

export function combineReadings(parts: DirectorReading[], source: DirectorSnapshot['source']): DirectorSnapshot {
  const first = <K extends keyof DirectorSnapshot>(key: K): DirectorSnapshot[K] | null => {
    const found = parts.find((p) => p[key] !== undefined && p[key] !== null);
    return found ? (found[key] as DirectorSnapshot[K]) : null;
  };
  const configs = parts.filter((p) => p.config).sort((a, b) => configRank(a) - configRank(b));
  const config = withThresholds(configs[0]?.config ?? { services: [], fwmarkRules: [] }, parts.flatMap((p) => p.realServerThresholds ?? []));
  const timeouts = first('timeouts');
  const tableSize = first('tableSize');
  const sysctls = parts.some((p) => p.sysctls) ? Object.assign({}, ...parts.map((p) => p.sysctls ?? {})) : null;
  return {
    source,
    readAtMs: Math.min(...parts.map((p) => p.readAtMs ?? Infinity), Date.now()),
    config: timeouts && !config.timeouts ? { ...config, timeouts } : config,
    services: mergeServices(parts.flatMap((p) => (p.services ? [p.services] : []))),
    connections: first('connections'),
    totals: first('totals'),
    timeouts,
    sysctls,
    ...(tableSize === null ? {} : { tableSize }),
    texts: Object.assign({}, ...parts.map((p) => p.texts ?? {})),
  };
}

function withThresholds(config: DirectorConfig, thresholds: ThresholdReading[]): DirectorConfig {
  if (thresholds.length === 0) return config;
  const services = config.services.map((s) => {
    const key = serviceKey(s);
    const realServers = s.realServers.map((rs) => {
      const t = thresholds.find((t) => t.service === key && t.address === rs.address && t.port === (rs.port ?? s.port ?? 0));
      return t ? { ...rs, upperThreshold: t.upperThreshold, lowerThreshold: t.lowerThreshold } : rs;
    });
    return { ...s, realServers };
  });
  return { ...config, services };
}

/** A -S dump gives a config alone; a listing gives one with live counts; /proc's is in jiffies and lacks -b and --pe. */
function configRank(part: Partial<DirectorSnapshot>): number {
  if (readInJiffies(part.config!)) return 2;
  return part.services ? 1 : 0;
}

function mergeServices(readings: ServiceState[][]): ServiceState[] | null {
  if (readings.length === 0) return null;
  const byKey = new Map<string, ServiceState>();
  for (const reading of readings) {
    for (const s of reading) {
      const known = byKey.get(s.service) ?? { service: s.service, realServers: [] };
      byKey.set(s.service, { ...known, ...defined({ counters: s.counters, rates: s.rates }), realServers: mergeServers(known.realServers, s.realServers) });
    }
  }
  return [...byKey.values()];
}

function mergeServers(known: RealServerState[], more: RealServerState[]): RealServerState[] {
  const out = known.map((rs) => ({ ...rs }));
  for (const rs of more) {
    const same = out.find((o) => o.address === rs.address && o.port === rs.port);
    if (!same) {
      out.push({ ...rs });
      continue;
    }
    // --stats and --rate print no connection counts (0 here): counts come from a listing that has them.
    const counts = rs.counters || rs.rates ? {} : { activeConnections: rs.activeConnections, inactiveConnections: rs.inactiveConnections };
    Object.assign(same, counts, defined({ persistentConnections: rs.persistentConnections, counters: rs.counters, rates: rs.rates }));
  }
  return out;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
