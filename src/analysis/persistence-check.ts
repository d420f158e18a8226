/**
 * The shape shared by the persistence checks (pcc, ppc, later fwmark): they differ only in what a
 * persistence template is keyed on, i.e. how connections are grouped.
 */
import { z } from 'zod';
import { defineCheck, type CheckPlugin, type SuiteView } from '../model/plugin.js';
import type { Observation } from '../model/observation.js';
import { maskAddress } from '../net/ipv4.js';
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
}

export function persistenceCheck(k: PersistenceKeying): CheckPlugin<Record<string, never>> {
  return defineCheck({
    name: k.name,
    description: k.description,
    options: z.strictObject({}),
    create(_options, suite) {
      return {
        verdict({ observations }) {
          const p = suite.service.persistence;
          if (!p) return { pass: false, expected: 'a persistent service', seen: 'the suite declares no persistence for its service' };
          const report = analyseStickiness(observations, (o) => `${maskAddress(o.client.address, p.netmask)}${k.keyPart(o)}`, p.timeout * 1000);
          const ports = [...new Set(observations.map((o) => o.target.port))];
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
