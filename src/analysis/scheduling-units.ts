import type { Observation } from '../model/observation.js';
import type { ServiceSpec } from '../suite/schema.js';
import { maskAddress } from '../net/ipv4.js';

/**
 * What the scheduler was asked to place: one unit per persistence template (the client group, per
 * port for PPC) or, without persistence, one per connection. Maps each unit to the first real
 * server it was seen on.
 */
export function schedulingUnits(
  observations: readonly Observation[],
  service: ServiceSpec,
): { unit: 'client' | 'connection'; firstServer: Map<string, string> } {
  const p = service.persistence;
  const keyOf = !p
    ? (o: Observation) => String(o.seq)
    : service.kind === 'ppc'
      ? (o: Observation) => `${maskAddress(o.client.address, p.netmask)}:${o.target.port}`
      : (o: Observation) => maskAddress(o.client.address, p.netmask);
  const firstServer = new Map<string, string>();
  for (const o of observations) {
    if (o.realServer === null) continue;
    const k = keyOf(o);
    if (!firstServer.has(k)) firstServer.set(k, o.realServer);
  }
  return { unit: p ? 'client' : 'connection', firstServer };
}
