/**
 * The shape shared by the persistence checks (pcc, ppc, fwmark): they differ only in what a
 * persistence template is keyed on, i.e. how connections are grouped, which connections it covers,
 * and which wrong director the traffic must tell it from. FTP data connections are judged with their
 * session's control connection.
 */
import { z } from 'zod';
import { defineCheck, type CheckPlugin, type SuiteView } from '../model/plugin.js';
import type { Observation } from '../model/observation.js';
import { maskAddress } from '../net/ipv4.js';
import { expectedShares } from '../stats/expected-shares.js';
import { withDataConnections } from './data-connections.js';
import { chanceAllStayed, clientsNeeded } from './persistence-evidence.js';
import { StickinessTracker, switchExamples } from './stickiness.js';
import { stickinessOutcome, type Evidence } from './stickiness-outcome.js';
import { trafficShape } from './traffic-shape.js';

export interface PersistenceKeying {
  name: string;
  description: string;
  /** The unit the verdict counts, e.g. "client" or "client and port". */
  unit: string;
  /** Extra key material beside the masked client address (e.g. the port for per-port services). */
  keyPart(o: Observation): string;
  /** How the expectation reads, given the suite and the ports seen. */
  scope(suite: SuiteView, ports: number[]): string;
  /**
   * The wrong director that differs on ports: `per-port` (each port its own service, which an
   * all-ports expectation must rule out) or `all-ports` (one template over every port, which a
   * per-port expectation must rule out).
   */
  rival: 'per-port' | 'all-ports';
  /** Why the check cannot apply to the suite, or null; e.g. fwmark on a suite without a mark. */
  unfit?(suite: SuiteView): string | null;
  /** The connections the template covers (default: all). */
  covers?(o: Observation, suite: SuiteView): boolean;
}

export function persistenceCheck(k: PersistenceKeying): CheckPlugin<{ significance: number }> {
  return defineCheck({
    name: k.name,
    description: k.description,
    needsPersistence: true,
    options: z.strictObject({
      /** The chance, at most, that a wrong director would have produced the same traffic by luck. */
      significance: z.number().gt(0).lt(1).default(0.01),
    }),
    sizing(options, suite) {
      if (!suite.service.persistence || k.unfit?.(suite)) return null;
      const shares = Object.values(expectedShares(suite.service.realServers, suite.service.scheduler)).filter((x) => x > 0);
      const shape = trafficShape(suite);
      if (suite.service.scheduler === 'sh') return 'sh keeps each client on one server without persistence, so stickiness proves nothing; judge persistence under another scheduler';
      if (shape.ports.length < 2) return `the probes reach ${shape.ports.length} port(s) of the service: per-port and all-ports persistence look alike; add a probe on a second port`;
      if (suite.traffic.order === 'sequential') return 'traffic.order sequential feeds every port the clients in one order, so per-port services would place each client alike; use shuffled';
      const picks = k.rival === 'all-ports' ? suite.traffic.connections : shape.perClient;
      const keys = shape.groups * (k.rival === 'all-ports' ? shape.ports.length : 1);
      const forNoPersistence = clientsNeeded(picks, shares, options.significance);
      const forPorts = clientsNeeded(shape.ports.length, shares, options.significance);
      if (forNoPersistence === null) return `each ${k.unit} makes ${picks} connection(s): at least 2 are needed to show it stays`;
      const short = [
        keys < forNoPersistence ? `${keys} ${k.unit}s with ${picks} connections each cannot tell persistence from none (${forNoPersistence} needed)` : null,
        forPorts !== null && shape.groups < forPorts ? `${shape.groups} client groups on ${shape.ports.length} ports cannot tell per-port from all-ports persistence (${forPorts} needed)` : null,
      ].filter((x) => x !== null);
      return short.length > 0 ? short.join('; ') : null;
    },
    create(options, suite) {
      const p = suite.service.persistence;
      const group = (o: Observation): string => maskAddress(o.client.address, p!.netmask);
      const tracker = new StickinessTracker((p?.timeout ?? 0) * 1000);
      // Per client group: the first server seen on each port (its ports, and whether it split over servers).
      const byClient = new Map<string, Map<number, string>>();
      const ports = new Set<number>();
      return {
        observation(o) {
          if (!p) return;
          tracker.advance(o.startMs);
          for (const c of o.data ? withDataConnections([o]) : [o]) {
            if (!(k.covers?.(c, suite) ?? true)) continue;
            ports.add(c.target.port);
            if (c.realServer === null) continue;
            const g = group(c);
            tracker.add(c, `${g}${k.keyPart(c)}`);
            let first = byClient.get(g);
            if (!first) byClient.set(g, (first = new Map()));
            if (!first.has(c.target.port)) first.set(c.target.port, c.realServer);
          }
        },
        verdict() {
          if (!p) return { pass: false, expected: 'a persistent service', seen: 'the suite declares no persistence for its service' };
          const unfit = k.unfit?.(suite) ?? null;
          if (unfit !== null) return { pass: false, expected: k.description, seen: unfit };
          const report = tracker.report();
          return stickinessOutcome(report, {
            expected: `each client (netmask ${p.netmask}) on one real server ${k.scope(suite, [...ports])} within ${p.timeout} s`,
            unit: k.unit,
            examples: switchExamples(report.violations),
            evidence: evidence(k, suite, tracker, byClient, options.significance),
          });
        },
      };
    },
  });
}

/** What the traffic could tell apart, as reasons it could not (empty: it could). */
function evidence(k: PersistenceKeying, suite: SuiteView, tracker: StickinessTracker, byClient: ReadonlyMap<string, ReadonlyMap<number, string>>, alpha: number): Evidence {
  const shares = Object.values(expectedShares(suite.service.realServers, suite.service.scheduler)).filter((s) => s > 0);
  const noPersistence = chanceAllStayed(tracker.picks(), shares);
  const multiPort = [...byClient.values()].filter((first) => first.size >= 2);
  const portRival = chanceAllStayed(multiPort.map((first) => first.size), shares);
  const gaps: string[] = [];
  if (suite.service.scheduler === 'sh') {
    gaps.push('sh hashes the client address, so it keeps each client on one server without any persistence');
  } else if (noPersistence.probability >= alpha) {
    gaps.push(
      `a director without persistence would have kept all ${noPersistence.keys} ${k.unit}s with 2+ connections where they were with p = ${formatP(noPersistence.probability)}; ` +
        `about ${clientsNeeded(2, shares, alpha) ?? '(no number of)'} ${k.unit}s with 2 connections each are needed`,
    );
  }
  // Per-port persistence shows itself by a client on different servers for different ports.
  const split = k.rival === 'all-ports' ? [...byClient.values()].filter((first) => new Set(first.values()).size > 1).length : null;
  if (multiPort.length > 0 && suite.traffic.order === 'sequential' && suite.probes.length > 1) {
    gaps.push('every probe visits the clients in the same order (traffic.order: sequential), so per-port services would place each client alike on every port');
  } else if (portRival.probability >= alpha && (split === null || split === 0)) {
    gaps.push(
      `only ${multiPort.length} clients used two or more ports: per-port services would have kept them all on one server with p = ${formatP(portRival.probability)}, ` +
        `so per-port and all-ports persistence look alike; about ${clientsNeeded(2, shares, alpha) ?? '(no number of)'} clients on two ports are needed`,
    );
  }
  return { gaps, noPersistence: noPersistence.probability, portRival: portRival.probability, multiPortClients: multiPort.length, splitClients: split, alpha };
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}
