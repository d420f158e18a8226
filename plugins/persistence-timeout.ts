/**
 * persistence-timeout: how long templates really live, measured. With `traffic.mode: gaps` every
 * client connects, idles for a gap chosen by the harness around the expected lifetime, and connects
 * again; a client that moved proves its template had died before its gap ended, and a gap after which
 * enough clients all stayed proves templates outlive it (enough: were they all rescheduled afresh,
 * keeping the server by chance would have probability below `significance`). The expected lifetime is
 * the kernel's: `-p` after the last new connection, or, while a closed connection of the client still
 * sits in FIN_WAIT/TIME_WAIT when -p runs out, on in 60 s steps until it is gone.
 */
import { z } from 'zod';
import { closedEntrySeconds, effectiveLifetimeSeconds } from '../src/analysis/effective-lifetime.js';
import { defineCheck } from '../src/model/plugin.js';
import type { Observation } from '../src/model/observation.js';
import { expectedShares } from '../src/stats/expected-shares.js';
import { ObservationList } from '../src/analysis/observation-list.js';

/** Clock slack between the harness's idle gap and the director's timer, in seconds. */
const SLACK = 0.25;

interface GapResult {
  gap: number;
  clients: number;
  moved: number;
}

export default defineCheck({
  name: 'persistence-timeout',
  description: "templates live as long as the configured -p (with FIN_WAIT/TIME_WAIT entries) says, measured with idle gaps",
  options: z.strictObject({
    significance: z.number().gt(0).lt(1).default(0.01),
    /** How close to the expected lifetime the gaps must bracket it, as a fraction of it. */
    resolution: z.number().gt(0).lt(1).default(0.3),
  }),
  create(options, suite) {
    const kept = new ObservationList();
    return {
      observation: kept.add,
      verdict(_input) {
        const observations = kept.all;
        const p = suite.service.persistence;
        if (!p) return { pass: false, expected: 'a persistent service', seen: 'nothing to judge: the suite declares no persistence' };
        const entry = closedEntrySeconds(suite.service);
        const pairs = returns(observations);
        const connection = pairs.length === 0 ? 0 : pairs.reduce((s, [a]) => s + (a.endMs - a.startMs), 0) / pairs.length / 1000;
        const lifetime = effectiveLifetimeSeconds(suite.service, connection);
        const why =
          lifetime === p.timeout
            ? `-p ${p.timeout} s (closed connections stay listed ${entry} s, less than that)`
            : `-p ${p.timeout} s, but closed connections stay listed ${entry} s in ${suite.service.forward === 'masq' ? 'TIME_WAIT' : 'FIN_WAIT'}, so the template is kept on in 60 s steps`;
        const expected = `templates live ${lifetime} s: ${why}`;
        if (suite.traffic.mode !== 'gaps') {
          return { pass: false, expected, seen: 'nothing to judge: the traffic does not idle on purpose; use traffic.mode: gaps' };
        }
        if (pairs.length === 0) return { pass: false, expected, seen: 'nothing to judge: no client was identified on both its connections' };

        const shares = Object.values(expectedShares(suite.service.realServers, suite.service.scheduler));
        const sameProb = shares.reduce((s, x) => s + x * x, 0);
        const needed = sameProb >= 1 ? null : Math.ceil(Math.log(options.significance) / Math.log(sameProb));
        const gaps = byGap(pairs);
        const data = { configuredSeconds: p.timeout, closedEntrySeconds: entry, expectedSeconds: lifetime, neededClientsPerGap: needed, gaps };
        if (needed === null) return { pass: false, expected, seen: 'nothing to judge: only one real server can take new clients, so a rescheduled client looks sticky', data };

        const movedAt = gaps.filter((g) => g.moved > 0).map((g) => g.gap);
        const upper = movedAt.length > 0 ? Math.min(...movedAt) : null;
        const staysAt = gaps.filter((g) => g.moved === 0 && g.clients >= needed && (upper === null || g.gap < upper)).map((g) => g.gap);
        const lower = staysAt.length > 0 ? Math.max(...staysAt) : null;
        const measured = `templates lived ${lower === null ? 'less than' : `over ${lower} s`}${lower !== null && upper !== null ? ' and' : ''}${upper === null ? ', without a bound above' : ` under ${upper} s`} (${gaps.map((g) => `${g.gap} s: ${g.moved}/${g.clients} moved`).join(', ')})`;
        Object.assign(data, { lowerSeconds: lower, upperSeconds: upper });

        if (upper !== null && upper < lifetime - SLACK) {
          return { pass: false, expected, seen: `templates died early: clients moved after ${upper} s idle; ${measured}`, data };
        }
        const outlived = gaps.filter((g) => g.gap > lifetime + SLACK && g.moved === 0 && g.clients >= needed);
        if (outlived.length > 0) {
          return { pass: false, expected, seen: `templates outlived ${lifetime} s: nobody of ${outlived[0]!.clients} clients moved after ${outlived[0]!.gap} s idle; ${measured}`, data };
        }
        const low = lifetime * (1 - options.resolution);
        const high = lifetime * (1 + options.resolution);
        if (lower === null || lower < low) {
          return {
            pass: false,
            expected,
            seen: `the gaps cannot tell ${lifetime} s from a shorter lifetime: no gap between ${low.toFixed(2)} and ${lifetime} s where ${needed}+ clients all stayed; ${measured}`,
            data,
          };
        }
        if (upper === null || upper > high) {
          return {
            pass: false,
            expected,
            seen: `the gaps cannot tell ${lifetime} s from a longer lifetime: no gap between ${lifetime} and ${high.toFixed(2)} s where a client moved; ${measured}`,
            data,
          };
        }
        return { pass: true, expected, seen: `${measured}: the configured ${lifetime} s holds`, data };
      },
    };
  },
});

/** Each client's first two identified connections: the one before its gap and the one after. */
function returns(observations: readonly Observation[]): [Observation, Observation][] {
  const first = new Map<string, Observation>();
  const pairs: [Observation, Observation][] = [];
  for (const o of observations) {
    if (o.realServer === null) continue;
    if (o.round === 0) first.set(o.client.address, o);
    else if (o.round === 1 && first.has(o.client.address)) pairs.push([first.get(o.client.address)!, o]);
  }
  return pairs;
}

/** Pairs grouped by their idle gap (from the first connection's start, as the template timer runs), to 0.05 s. */
function byGap(pairs: readonly [Observation, Observation][]): GapResult[] {
  const groups = new Map<number, GapResult>();
  for (const [a, b] of pairs) {
    const gap = Math.round((b.startMs - a.startMs) / 50) / 20;
    // Gaps the harness set apart land within a few ms of their value; join those within 0.1 s.
    const key = [...groups.keys()].find((k) => Math.abs(k - gap) <= 0.1) ?? gap;
    const g = groups.get(key) ?? { gap: key, clients: 0, moved: 0 };
    g.clients++;
    if (a.realServer !== b.realServer) g.moved++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((x, y) => x.gap - y.gap);
}
