/**
 * What a suite's traffic will give the checks, known before any traffic from the suite alone: how
 * many scheduling units, and how many picks per persistence key. Checks size their evidence from it
 * (the `sizing` hook), so a suite too small to confirm is refused before anything is sent.
 * One round is counted: later rounds may follow an idle pause that lets templates expire.
 */
import type { SuiteView } from '../model/plugin.js';
import { maskAddress } from '../net/ipv4.js';
import { toRange } from '../net/port-range.js';

export interface TrafficShape {
  /** Client groups: the sources under the persistence netmask (each source without persistence). */
  groups: number;
  /** Distinct probe ports the service covers. */
  ports: number[];
  /** Connections one client makes per round to the ports the service covers. */
  perClient: number;
  /** Units the scheduler places per IPVS service, one entry per service. */
  unitsPerService: number[];
}

export function trafficShape(suite: SuiteView): TrafficShape {
  const { service, traffic } = suite;
  const marked = (port: number): boolean => (service.ports ?? []).map(toRange).some((r) => port >= r.from && port <= r.to);
  const covered = suite.probes.filter((p) => service.kind === 'pcc' || marked(p.port));
  const ports = [...new Set(covered.map((p) => p.port))];
  const p = service.persistence;
  const groups = p ? new Set(suite.sources.map((a) => maskAddress(a, p.netmask))).size : suite.sources.length;
  const perClient = traffic.connections * covered.length;
  const perPort = (port: number): number => traffic.connections * covered.filter((x) => x.port === port).length;
  const unitsPerService = !p
    ? service.kind === 'ppc'
      ? ports.map((port) => suite.sources.length * perPort(port))
      : [suite.sources.length * perClient]
    : service.kind === 'ppc'
      ? ports.map(() => groups)
      : [groups];
  return { groups, ports, perClient, unitsPerService };
}
