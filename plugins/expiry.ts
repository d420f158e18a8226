/**
 * expiry: a client idle for longer than its template can live is scheduled afresh. The template lives
 * for the persistence timeout after the last new connection, and at least until the director forgets
 * that client's closed connections (tcpfin timeout in DR; the template is only freed once it controls
 * none). A client idle for less than the timeout must stay where it was.
 *
 * Fresh scheduling may pick the same server again, so the evidence is statistical: if every client
 * kept its server, the probability of that under fresh scheduling is (sum of squared shares)^n; the
 * check needs enough clients for that to fall below the significance.
 */
import { z } from 'zod';
import { analyseStickiness, switchExamples } from '../src/analysis/stickiness.js';
import { defineCheck, type SuiteView } from '../src/model/plugin.js';
import { trafficShape } from '../src/analysis/traffic-shape.js';
import { expectedShares } from '../src/stats/expected-shares.js';
import { maskAddress } from '../src/net/ipv4.js';
import { templateLifetimeSeconds } from '../src/analysis/template-lifetime.js';
import { ObservationList } from '../src/analysis/observation-list.js';

export default defineCheck({
  name: 'expiry',
  description: 'clients idle past the persistence timeout may be rescheduled; clients within it are not',
  needsPersistence: true,
  options: z.strictObject({ significance: z.number().gt(0).lt(1).default(0.01) }),
  sizing(options, suite) {
    if (!suite.service.persistence) return null;
    const lifetime = templateLifetimeSeconds(suite.service);
    if (suite.traffic.rounds < 2 || suite.traffic.pauseSeconds <= lifetime) {
      return `the traffic never idles past the template's ${lifetime} s lifetime (rounds ${suite.traffic.rounds}, pauseSeconds ${suite.traffic.pauseSeconds})`;
    }
    const needed = clientsNeeded(suite, options.significance);
    if (needed === null) return 'only one real server can take new clients, so a rescheduled client cannot be told from a sticky one';
    const groups = trafficShape(suite).groups;
    return groups < needed ? `${groups} client groups cannot tell expiry from stickiness at ${options.significance}; ${needed} are needed` : null;
  },
  create(options, suite) {
    const kept = new ObservationList();
    return {
      observation: kept.add,
      verdict(_input) {
        const observations = kept.all;
        const p = suite.service.persistence;
        if (!p) return { pass: false, expected: 'a persistent service', seen: 'the suite declares no persistence' };
        const lifetime = templateLifetimeSeconds(suite.service);
        const pause = suite.traffic.pauseSeconds;
        const expected = `clients idle over ${lifetime} s (timeout ${p.timeout} s + connection entry lifetime) rescheduled afresh`;
        if (suite.traffic.rounds < 2 || pause <= lifetime) {
          return {
            pass: false,
            expected,
            seen: `the traffic never idles that long (rounds ${suite.traffic.rounds}, pauseSeconds ${pause}); set rounds >= 2 and pauseSeconds > ${lifetime}`,
          };
        }
        const report = analyseStickiness(observations, (o) => maskAddress(o.client.address, p.netmask), p.timeout * 1000);
        const sameProb = sameServerChance(suite);
        const clients = report.judged;
        const needed = clientsNeeded(suite, options.significance);
        const changed = new Set(report.expiredSwitches.map((s) => s.key)).size;
        const pNoChange = sameProb ** clients;
        const data = { clients, changed, neededClients: needed, pNoChangeIfExpired: pNoChange, lifetimeSeconds: lifetime };
        if (report.violations.length > 0) {
          return {
            pass: false,
            expected,
            seen: `${report.violations.length} switch(es) before the template could expire`,
            examples: switchExamples(report.violations),
            data,
          };
        }
        if (needed === null) {
          return { pass: false, expected, seen: 'only one real server can take new clients, so a rescheduled client cannot be told from a sticky one', data };
        }
        if (clients < needed) {
          return { pass: false, expected, seen: `only ${clients} clients; ${needed} needed to tell expiry from stickiness at ${options.significance}`, data };
        }
        return {
          pass: changed > 0,
          expected,
          seen:
            changed > 0
              ? `${changed} of ${clients} clients moved to another real server after the idle pause`
              : `all ${clients} clients kept their real server after ${pause} s idle (p = ${pNoChange.toExponential(2)} if templates had expired)`,
          examples: switchExamples(report.expiredSwitches),
          data,
        };
      },
    };
  },
});

/** The chance that a client scheduled afresh lands where it was: the sum of squared shares. */
function sameServerChance(suite: SuiteView): number {
  return Object.values(expectedShares(suite.service.realServers, suite.service.scheduler)).reduce((s, x) => s + x * x, 0);
}

/** Clients for "nobody moved" to be significant; null with one schedulable server (expiry cannot show). */
function clientsNeeded(suite: SuiteView, alpha: number): number | null {
  const same = sameServerChance(suite);
  return same >= 1 ? null : Math.ceil(Math.log(alpha) / Math.log(same));
}
