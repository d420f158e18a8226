import type { Observation } from '../model/observation.js';
import type { ServiceSpec } from '../suite/schema.js';
import { maskAddress } from '../net/ipv4.js';
import type { ServiceCounts } from './spread.js';

/**
 * What the scheduler was asked to place: one unit per persistence template (the client group, per
 * port for PPC) or, without persistence, one per connection. Each IPVS service schedules on its own
 * (a PPC suite has one per port), so every unit is counted under its service. Kept as the
 * connections arrive in seq order: each unit counts on the first server it was seen on, and only the
 * units already counted are remembered (per template: it grows with clients; none without persistence).
 */
export class SchedulingTally {
  readonly unit: 'client' | 'client-port pair' | 'connection';
  /** Per service (`port 8080` for PPC, else `service`), in the order first seen: new units per server. */
  readonly perService = new Map<string, ServiceCounts>();
  readonly total: ServiceCounts;
  units = 0;
  /** Per template key: where its unit was counted. */
  private readonly counted = new Map<string, { svc: string; server: string }>();
  private readonly clientSet = new Set<string>();

  constructor(private readonly service: ServiceSpec) {
    const p = service.persistence;
    this.unit = !p ? 'connection' : service.kind === 'ppc' ? 'client-port pair' : 'client';
    this.total = new Map(service.realServers.map((rs) => [rs.name, 0]));
  }

  /** Distinct client addresses behind the units. */
  get clients(): number {
    return this.clientSet.size;
  }

  add(o: Observation): void {
    if (o.realServer === null) return;
    const p = this.service.persistence;
    const perPort = this.service.kind === 'ppc';
    if (p) {
      const group = maskAddress(o.client.address, p.netmask);
      const key = perPort ? `${group}:${o.target.port}` : group;
      if (this.counted.has(key)) return;
      this.counted.set(key, { svc: perPort ? `port ${o.target.port}` : 'service', server: o.realServer });
    }
    const svc = perPort ? `port ${o.target.port}` : 'service';
    let counts = this.perService.get(svc);
    if (!counts) this.perService.set(svc, (counts = new Map(this.service.realServers.map((r) => [r.name, 0]))));
    counts.set(o.realServer, (counts.get(o.realServer) ?? 0) + 1);
    this.total.set(o.realServer, (this.total.get(o.realServer) ?? 0) + 1);
    this.units++;
    this.clientSet.add(o.client.address);
  }

  /** Takes the units of these template keys out of the counts (they were not scheduled); returns how many were counted. */
  exclude(keys: ReadonlySet<string>): number {
    let n = 0;
    for (const key of keys) {
      const at = this.counted.get(key);
      if (at === undefined) continue;
      this.counted.delete(key);
      const counts = this.perService.get(at.svc)!;
      counts.set(at.server, counts.get(at.server)! - 1);
      this.total.set(at.server, this.total.get(at.server)! - 1);
      this.units--;
      n++;
    }
    return n;
  }
}
