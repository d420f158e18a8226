/**
 * weights: the spread of new scheduling decisions over real servers matches the configured weights,
 * shown by positive evidence. With persistence the unit is the template (a client group, per port for
 * PPC): later connections follow the template, not the scheduler. Without persistence the unit is the
 * connection. A PASS means the sample rules out any deviation of a server's share larger than
 * `tolerance` percentage points (see src/analysis/spread.ts for the two ways it does); a sample that
 * fits the weights but could not have shown such a deviation fails as "cannot confirm".
 */
import { z } from 'zod';
import { SchedulingTally } from '../src/analysis/scheduling-units.js';
import { soleTraffic, type SoleTraffic } from '../src/analysis/sole-traffic.js';
import { predictableResolution, predictableSpread, statisticalSpread, type SpreadJudgement } from '../src/analysis/spread.js';
import { trafficShape } from '../src/analysis/traffic-shape.js';
import { wrrOrderOutcome } from '../src/analysis/wrr-order.js';
import { defineCheck, type SuiteView } from '../src/model/plugin.js';
import { neededSample, PLANNED_POWER, smallestFitting } from '../src/stats/equivalence.js';
import { chiSquareGoodnessOfFit } from '../src/stats/chi-square.js';
import { expectedShares } from '../src/stats/expected-shares.js';

export default defineCheck({
  name: 'weights',
  description: 'share of clients (persistent) or connections (not persistent) per real server fits the weights, within a tolerance',
  options: z.strictObject({
    /** Chance of calling a wrong spread confirmed (equivalence test), and of the chi-square's false alarm. */
    significance: z.number().gt(0).lt(1).default(0.01),
    /** Largest deviation of a server's share from its weight's share that still counts as right, in percentage points. */
    tolerance: z.number().gt(0).lt(100).default(10),
    /** Also compare the director's scheduling order with the kernel's wrr sequence when the lab records it. */
    exactOrder: z.boolean().default(true),
  }),
  sizing(options, suite) {
    const tolerance = options.tolerance / 100;
    const { scheduler, realServers } = suite.service;
    const shares = expectedShares(realServers, scheduler);
    const shape = trafficShape(suite);
    const units = shape.unitsPerService.reduce((a, b) => a + b, 0);
    const withClients = (clients: number): number[] => shape.unitsPerService.map((n) => Math.ceil((n * clients) / suite.clients.count));
    let resolution: number;
    let clients = suite.clients.count;
    let odds = '';
    if (mayBePredictable(suite)) {
      const at = (c: number): number => predictableResolution(scheduler as 'rr' | 'wrr', realServers, shares, withClients(c));
      resolution = at(clients);
      while (at(clients) > tolerance && clients < 1_000_000) clients = Math.ceil(clients * 1.1) + 1;
    } else {
      // Refused only below the least sample that can confirm at all: schedulers spread far more evenly
      // than the independent draws the plan assumes, so a smaller sample than planned may well confirm.
      const live = Object.values(shares).filter((x) => x > 0);
      resolution = units >= smallestFitting(live, live, tolerance, options.significance)! ? 0 : Infinity;
      clients = Math.ceil((neededSample(live, tolerance, options.significance) * suite.clients.count) / Math.max(units, 1));
      odds = `, for a director exactly at the weights to confirm ${PLANNED_POWER * 100}% of the time`;
    }
    if (resolution <= tolerance) return null;
    return `${suite.clients.count} clients give ${units} new scheduling units, too few to rule out a deviation of ${options.tolerance} points${odds ? ' even if every share came out exact' : ''}; about ${clients} clients are needed${odds}`;
  },
  create(options, suite) {
    const tolerance = options.tolerance / 100;
    const { scheduler, realServers } = suite.service;
    const units = new SchedulingTally(suite.service);
    return {
      observation: (o) => units.add(o),
      verdict({ legs, lab, director }) {
        const shares = expectedShares(realServers, scheduler);
        const sole = cyclic(scheduler) ? soleTraffic(suite, () => legs.legs(), director) : null;
        // Units a template from before the traffic placed were not scheduled in it: they are no one's evidence.
        const skipped = sole?.sole ? units.exclude(sole.kept) : 0;
        const { unit, perService, total } = units;
        const n = units.units;
        const seenText = [...total].map(([rs, c]) => `${rs} ${c}`).join(', ');
        const keptText = skipped === 0 ? '' : ` (${skipped} more kept a template from before the traffic: not judged)`;
        const weightsText = realServers.map((rs) => `${rs.name}:${rs.weight}`).join(' ');
        const expected = `new ${unit}s spread as ${scheduler} ${weightsText} gives them, each server within ${options.tolerance} points of its share`;
        const data: Record<string, unknown> = { unit, counts: Object.fromEntries(total), expectedShares: shares, samples: n, keptFromBefore: skipped, tolerance: options.tolerance, significance: options.significance };

        const strangers = [...total.keys()].filter((rs) => !(rs in shares));
        const quiescent = [...total].filter(([rs, c]) => shares[rs] === 0 && c > 0);
        if (strangers.length > 0 || quiescent.length > 0) {
          const why = [...strangers.map((s) => `${s} is not a configured real server`), ...quiescent.map(([rs]) => `${rs} has weight 0 yet got new ${unit}s`)];
          return { pass: false, expected, seen: `${seenText}: ${why.join('; ')}`, data };
        }
        if (n === 0 && skipped > 0) {
          const seen = `no ${unit} was scheduled during the traffic: all ${skipped} went back to the server a template from before it named, so there is no spread to judge (wait for the templates to expire, or use other source addresses)`;
          return { pass: false, expected, seen, data };
        }
        if (n === 0) {
          return { pass: false, expected, seen: `no identified ${unit}: there is no spread to judge`, data };
        }
        const judged = sole?.sole
          ? predictableSpread(scheduler as 'rr' | 'wrr', realServers, shares, [...perService.values()], tolerance)
          : statisticalSpread(shares, total, tolerance, options.significance);
        const live = Object.entries(shares).filter(([, s]) => s > 0);
        const fit = chiSquareGoodnessOfFit(live.map(([rs]) => total.get(rs) ?? 0), live.map(([, s]) => s));
        Object.assign(data, {
          method: judged.method,
          judgement: judged.verdict,
          resolutionPoints: round(judged.resolution * 100),
          neededUnits: judged.neededUnits,
          perServer: judged.servers,
          chiSquare: fit.statistic,
          degreesOfFreedom: fit.degreesOfFreedom,
          pValue: fit.pValue,
          ...(judged.everyOrder === undefined ? {} : { everyListOrder: judged.everyOrder }),
          ...(sole === null ? {} : { onlyHarnessClients: sole.sole ? sole.how : { no: sole.why } }),
        });
        const seen = `${seenText} of ${n} ${unit}s${keptText}; ${describe(judged, unit, units.clients, options.tolerance)}${unpredictable(sole, suite)} (chi-square ${fit.statistic.toFixed(2)}, p = ${formatP(fit.pValue)})`;
        const order = options.exactOrder ? wrrOrderOutcome(suite.service, lab, legs.legs(), director.before) : null;
        return {
          pass: judged.verdict === 'confirmed' && (order?.pass ?? true),
          expected: expected + (order ? `; ${order.expected}` : ''),
          seen: seen + (order ? `; ${order.seen}` : ''),
          examples: order?.examples ?? [],
          data: { ...data, ...(order ? { exactOrder: order.data } : {}) },
        };
      },
    };
  },
});

/** rr and wrr walk a fixed cycle: their choices are predictable when nobody else's choices interleave. */
function cyclic(scheduler: string): scheduler is 'rr' | 'wrr' {
  return scheduler === 'rr' || scheduler === 'wrr';
}

/**
 * Before the traffic: whether the verdict may judge counts against the cycle (src/analysis/sole-traffic.ts
 * decides after it). A lab has no other clients; a live director read through `--director` may show
 * by its counters that it had none, and if it did not the verdict says so and what it would take.
 */
function mayBePredictable(suite: SuiteView): boolean {
  return cyclic(suite.service.scheduler) && suite.directorRead;
}

/** Why a live (or shared) director's rr/wrr was judged by the equivalence test instead of the cycle's bound. */
function unpredictable(sole: SoleTraffic | null, suite: SuiteView): string {
  if (sole === null || sole.sole || !suite.directorRead) return '';
  return `; judged without the weights' cycle: ${suite.sharedDirector === undefined ? '' : `${suite.sharedDirector}, and `}${sole.why}`;
}

/** The operator's sentence: what the sample showed and what it could have detected. */
function describe(j: SpreadJudgement, unit: string, clients: number, tolerancePoints: number): string {
  const range = (s: SpreadJudgement['servers'][number]): string => (s.low === s.high ? `${s.low}` : `${s.low}-${s.high}`);
  const points = (j.resolution * 100).toFixed(1);
  switch (j.verdict) {
    case 'mismatch': {
      const off = j.servers.filter((s) => (j.method === 'predictable' ? s.count < s.low || s.count > s.high : true));
      return j.method === 'predictable'
        ? `wrong: ${off.map((s) => `${s.name} got ${s.count}, the weights allow ${range(s)}`).join('; ')}`
        : `wrong: the shares differ from the weights' (${j.servers.map((s) => `${s.name} ${((s.count / j.units) * 100).toFixed(1)}% for ${(s.share * 100).toFixed(1)}%`).join(', ')})`;
    }
    case 'cannot-confirm': {
      const units = (n: number): string => (unit === 'client' ? `${n} clients` : `${n} ${unit}s (${Math.ceil((n * clients) / j.units)} clients)`);
      const head = `cannot confirm: ${j.units} ${unit}s fit the weights but only rule out deviations over ${points} points`;
      if (j.neededAtObserved === undefined) {
        return `${head}; about ${units(j.neededUnits)} are needed for ${tolerancePoints} (a director exactly at the weights then confirms ${PLANNED_POWER * 100}% of the time)`;
      }
      // Large enough for a right director, yet the shares strayed: say how far, and what those shares would need.
      const worst = j.servers.reduce((a, b) => (Math.abs(b.count / j.units - b.share) > Math.abs(a.count / j.units - a.share) ? b : a));
      const off = `${worst.name} came out ${(Math.abs(worst.count / j.units - worst.share) * 100).toFixed(1)} points from its share (${((worst.count / j.units) * 100).toFixed(1)}% for ${(worst.share * 100).toFixed(1)}%)`;
      const then = j.neededAtObserved === null ? `no sample confirms shares that far off` : `at these shares about ${units(j.neededAtObserved)} would confirm ${tolerancePoints}`;
      return `${head}: ${off}; ${then}`;
    }
    case 'confirmed':
      return j.method === 'predictable'
        ? `as ${j.servers.map((s) => `${s.name} ${range(s)}`).join(', ')} predicted from the weights${j.everyOrder ? '' : ' (over a sample of list orders)'}; rules out deviations over ${points} points`
        : `every share within tolerance by two one-sided tests; rules out deviations over ${points} points`;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}
