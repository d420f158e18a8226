import type { Observation } from '../model/observation.js';
import type { ServiceSpec } from '../suite/schema.js';
import { maskAddress } from '../net/ipv4.js';

export interface SchedulingUnits {
  unit: 'client' | 'client-port pair' | 'connection';
  /** Unit key -> the first real server it was seen on. */
  firstServer: Map<string, string>;
  /** Unit key -> the IPVS service that scheduled it (`port 8080` for PPC, else the one service). */
  serviceOf: Map<string, string>;
  /** Distinct client addresses behind the units. */
  clients: number;
}

/**
 * What the scheduler was asked to place: one unit per persistence template (the client group, per
 * port for PPC) or, without persistence, one per connection. Each IPVS service schedules on its own
 * (a PPC suite has one per port), so every unit is tagged with its service.
 */
export function schedulingUnits(observations: readonly Observation[], service: ServiceSpec): SchedulingUnits {
  const p = service.persistence;
  const perPort = service.kind === 'ppc';
  const group = (o: Observation): string => (p ? maskAddress(o.client.address, p.netmask) : o.client.address);
  const keyOf = (o: Observation): string => (!p ? String(o.seq) : perPort ? `${group(o)}:${o.target.port}` : group(o));
  const firstServer = new Map<string, string>();
  const serviceOf = new Map<string, string>();
  const clients = new Set<string>();
  for (const o of observations) {
    if (o.realServer === null) continue;
    const k = keyOf(o);
    if (firstServer.has(k)) continue;
    firstServer.set(k, o.realServer);
    serviceOf.set(k, perPort ? `port ${o.target.port}` : 'service');
    clients.add(o.client.address);
  }
  return { unit: !p ? 'connection' : perPort ? 'client-port pair' : 'client', firstServer, serviceOf, clients: clients.size };
}
