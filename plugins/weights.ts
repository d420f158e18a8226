/**
 * weights: the spread of new scheduling decisions over real servers matches the configured weights.
 * With persistence the unit is the template (a client group, per port for PPC): later connections
 * follow the template, not the scheduler. Without persistence the unit is the connection.
 * Pearson's chi-square goodness of fit at the given significance; weight-0 servers must get nothing new.
 */
import { z } from 'zod';
import { schedulingUnits } from '../src/analysis/scheduling-units.js';
import { defineCheck } from '../src/model/plugin.js';
import { chiSquareGoodnessOfFit } from '../src/stats/chi-square.js';
import { expectedShares } from '../src/stats/expected-shares.js';
import { wrrOrderOutcome } from '../src/analysis/wrr-order.js';

export default defineCheck({
  name: 'weights',
  description: 'share of clients (persistent) or connections (not persistent) per real server fits the weights (chi-square)',
  options: z.strictObject({
    significance: z.number().gt(0).lt(1).default(0.01),
    /** Also compare the director's scheduling order with the kernel's wrr sequence when the lab records it. */
    exactOrder: z.boolean().default(true),
  }),
  create(options, suite) {
    return {
      verdict({ observations, lab, director }) {
        const shares = expectedShares(suite.service.realServers);
        const { unit, firstServer } = schedulingUnits(observations, suite.service);
        const counts = new Map<string, number>(Object.keys(shares).map((n) => [n, 0]));
        for (const rs of firstServer.values()) counts.set(rs, (counts.get(rs) ?? 0) + 1);
        const n = firstServer.size;
        const table = Object.fromEntries(counts);
        const seenText = [...counts].map(([rs, c]) => `${rs} ${c}`).join(', ');
        const expectedText = `${unit}s spread as ${suite.service.realServers.map((rs) => `${rs.name}:${rs.weight}`).join(' ')} (chi-square, significance ${options.significance})`;

        const strangers = [...counts.keys()].filter((rs) => !(rs in shares));
        const quiescent = [...counts].filter(([rs, c]) => shares[rs] === 0 && c > 0);
        if (strangers.length > 0 || quiescent.length > 0) {
          return {
            pass: false,
            expected: expectedText,
            seen: `${seenText}: ${[...strangers.map((s) => `${s} is not a configured real server`), ...quiescent.map(([rs]) => `${rs} has weight 0 yet got new ${unit}s`)].join('; ')}`,
            data: { unit, counts: table },
          };
        }
        const cells = Object.entries(shares).filter(([, s]) => s > 0);
        const fit = chiSquareGoodnessOfFit(
          cells.map(([rs]) => counts.get(rs) ?? 0),
          cells.map(([, s]) => s),
        );
        const data = {
          unit,
          counts: table,
          samples: n,
          chiSquare: fit.statistic,
          degreesOfFreedom: fit.degreesOfFreedom,
          pValue: fit.pValue,
          minimumSample: fit.minimumSample,
          significance: options.significance,
        };
        if (n < fit.minimumSample) {
          return { pass: false, expected: expectedText, seen: `${n} ${unit}s (${seenText}); at least ${fit.minimumSample} needed for the test to be valid`, data };
        }
        const fits = fit.pValue >= options.significance;
        const order = options.exactOrder ? wrrOrderOutcome(suite.service, lab, observations, director.before) : null;
        return {
          pass: fits && (order?.pass ?? true),
          expected: expectedText + (order ? `; ${order.expected}` : ''),
          seen: `${seenText} of ${n} ${unit}s, chi-square ${fit.statistic.toFixed(2)} (df ${fit.degreesOfFreedom}), p = ${formatP(fit.pValue)}${order ? `; ${order.seen}` : ''}`,
          examples: order?.examples ?? [],
          data: { ...data, ...(order ? { exactOrder: order.data } : {}) },
        };
      },
    };
  },
});

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}
