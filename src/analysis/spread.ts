/**
 * Judging the spread of new scheduling units over real servers on positive evidence: the verdict is
 * "confirmed" only when the sample rules out every deviation larger than the tolerance. Two ways:
 * - predictable: rr and wrr on a director whose only new work is the harness's (a lab) place n units
 *   within bounds computed from the weights alone (src/analysis/cycle-bounds.ts);
 * - statistical: any other scheduler or director, an equivalence test on the shares
 *   (src/stats/equivalence.ts).
 * Either way a sample that fits but cannot exclude a deviation of `tolerance` is "cannot-confirm",
 * with the sample that would.
 */
import { equivalenceTest, smallestFitting } from '../stats/equivalence.js';
import { cycleCountBounds } from './cycle-bounds.js';

export interface ServerSpread {
  name: string;
  count: number;
  share: number;
  /** The range of counts the expectation allows (predictable), or the share's interval as counts. */
  low: number;
  high: number;
}

export interface SpreadJudgement {
  method: 'predictable' | 'equivalence';
  verdict: 'confirmed' | 'mismatch' | 'cannot-confirm';
  servers: ServerSpread[];
  units: number;
  /** The largest deviation of a share (fraction) that the sample does not rule out. */
  resolution: number;
  /** Units needed to confirm at the tolerance (when the verdict is cannot-confirm). */
  neededUnits: number;
  /**
   * Equivalence only, when a sample of neededUnits or more could not confirm: the units at which the
   * observed shares, if they held, would (null: some share is a tolerance or more off).
   */
  neededAtObserved?: number | null;
  /** Predictable only: whether the bounds hold for every list order (else a sample of orders). */
  everyOrder?: boolean;
}

/** One IPVS service's units: its counts per server (every configured server present). */
export type ServiceCounts = Map<string, number>;

export function predictableSpread(
  scheduler: 'rr' | 'wrr',
  servers: ReadonlyArray<{ name: string; weight: number }>,
  shares: Record<string, number>,
  perService: readonly ServiceCounts[],
  tolerance: number,
): SpreadJudgement {
  const { rows, units, slack, everyOrder } = predictableBounds(scheduler, servers, shares, perService);
  const fits = rows.every((r) => r.count >= r.low && r.count <= r.high);
  const resolution = resolutionOf(slack, units);
  return {
    method: 'predictable',
    verdict: !fits ? 'mismatch' : resolution <= tolerance ? 'confirmed' : 'cannot-confirm',
    servers: rows,
    units,
    resolution,
    neededUnits: Math.ceil((slack + 1) / tolerance),
    everyOrder,
  };
}

/** The resolution `units` split over services as given would reach, before any traffic. */
export function predictableResolution(
  scheduler: 'rr' | 'wrr',
  servers: ReadonlyArray<{ name: string; weight: number }>,
  shares: Record<string, number>,
  unitsPerService: readonly number[],
): number {
  // Counts play no part in the bounds: each service gets its units all on its first server.
  const perService = unitsPerService.map((n): ServiceCounts => new Map([[servers[0]!.name, n]]));
  const { slack, units } = predictableBounds(scheduler, servers, shares, perService);
  return resolutionOf(slack, units);
}

// How far a count may stray from n*share by the cycle alone; one more unit tells a different spread.
function resolutionOf(slack: number, units: number): number {
  return units > 0 ? (slack + 1) / units : 1;
}

function predictableBounds(
  scheduler: 'rr' | 'wrr',
  servers: ReadonlyArray<{ name: string; weight: number }>,
  shares: Record<string, number>,
  perService: readonly ServiceCounts[],
): { rows: ServerSpread[]; units: number; slack: number; everyOrder: boolean } {
  const total = new Map<string, { count: number; low: number; high: number }>(servers.map((s) => [s.name, { count: 0, low: 0, high: 0 }]));
  let everyOrder = true;
  let units = 0;
  for (const counts of perService) {
    const n = [...counts.values()].reduce((a, b) => a + b, 0);
    units += n;
    const b = cycleCountBounds(scheduler, servers, n);
    everyOrder &&= b.everyOrder;
    for (const s of servers) {
      const t = total.get(s.name)!;
      t.count += counts.get(s.name) ?? 0;
      t.low += b.bounds[s.name]!.min;
      t.high += b.bounds[s.name]!.max;
    }
  }
  const rows = servers.map((s): ServerSpread => ({ name: s.name, share: shares[s.name]!, ...total.get(s.name)! }));
  const slack = Math.max(...rows.map((r) => Math.max(r.high - units * r.share, units * r.share - r.low)));
  return { rows, units, slack, everyOrder };
}

export function statisticalSpread(
  shares: Record<string, number>,
  counts: ServiceCounts,
  tolerance: number,
  alpha: number,
): SpreadJudgement {
  const cells = Object.entries(shares)
    .filter(([, share]) => share > 0)
    .map(([name, share]) => ({ name, share, count: counts.get(name) ?? 0 }));
  const units = cells.reduce((s, c) => s + c.count, 0);
  const eq = equivalenceTest(cells, tolerance, alpha);
  const verdict = eq.verdict === 'equivalent' ? 'confirmed' : eq.verdict === 'different' ? 'mismatch' : 'cannot-confirm';
  return {
    method: 'equivalence',
    verdict,
    servers: eq.servers.map((s) => ({ name: s.name, count: s.count, share: s.expected, low: s.lower * units, high: s.upper * units })),
    units,
    resolution: eq.resolution,
    neededUnits: eq.neededSample,
    ...(verdict === 'cannot-confirm' && units >= eq.neededSample
      ? { neededAtObserved: smallestFitting(eq.servers.map((s) => s.observed), eq.servers.map((s) => s.expected), tolerance, alpha) }
      : {}),
  };
}
