/**
 * The shape shared by the persistence checks (pcc, ppc, fwmark): they differ only in what a
 * persistence template is keyed on, i.e. how connections are grouped, and which connections it
 * covers. FTP data connections are judged with their session's control connection.
 */
import { z } from 'zod';
import { defineCheck, type CheckPlugin, type SuiteView } from '../model/plugin.js';
import type { Observation } from '../model/observation.js';
import { maskAddress } from '../net/ipv4.js';
import { withDataConnections } from './data-connections.js';
import { analyseStickiness, switchExamples } from './stickiness.js';
import { stickinessOutcome } from './stickiness-outcome.js';

export interface PersistenceKeying {
  name: string;
  description: string;
  /** The unit the verdict counts, e.g. "client" or "client and port". */
  unit: string;
  /** Extra key material beside the masked client address (e.g. the port for per-port services). */
  keyPart(o: Observation): string;
  /** How the expectation reads, given the suite and the ports seen. */
  scope(suite: SuiteView, ports: number[]): string;
  /** Why the check cannot apply to the suite, or null; e.g. fwmark on a suite without a mark. */
  unfit?(suite: SuiteView): string | null;
  /** The connections the template covers (default: all). */
  covers?(o: Observation, suite: SuiteView): boolean;
}

export function persistenceCheck(k: PersistenceKeying): CheckPlugin<Record<string, never>> {
  return defineCheck({
    name: k.name,
    description: k.description,
    needsPersistence: true,
    options: z.strictObject({}),
    create(_options, suite) {
      return {
        verdict({ observations }) {
          const p = suite.service.persistence;
          if (!p) return { pass: false, expected: 'a persistent service', seen: 'the suite declares no persistence for its service' };
          const unfit = k.unfit?.(suite) ?? null;
          if (unfit !== null) return { pass: false, expected: k.description, seen: unfit };
          const covered = withDataConnections(observations).filter((o) => k.covers?.(o, suite) ?? true);
          const report = analyseStickiness(covered, (o) => `${maskAddress(o.client.address, p.netmask)}${k.keyPart(o)}`, p.timeout * 1000);
          const ports = [...new Set(covered.map((o) => o.target.port))];
          return stickinessOutcome(report, {
            expected: `each client (netmask ${p.netmask}) on one real server ${k.scope(suite, ports)} within ${p.timeout} s`,
            unit: k.unit,
            examples: switchExamples(report.violations),
          });
        },
      };
    },
  });
}
