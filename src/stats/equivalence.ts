/**
 * Equivalence of observed shares to expected ones: two one-sided tests (TOST) per server, each at
 * `alpha`, with exact Clopper-Pearson bounds. The claim "every server is within `tolerance` of its
 * share" holds when each server's 1 - 2*alpha interval lies inside share +/- tolerance; as an
 * intersection-union test the whole claim then has size alpha without a multiplicity correction.
 * Failing to show equivalence is not evidence of a difference: the outcome keeps "different" (some
 * share's interval excludes its expected share: the weights are not what the director follows, at
 * alpha) apart from "inconclusive" (the sample is too small to tell).
 */
import { binomialUpperTail, clopperPearson, normalQuantile } from './binomial.js';

export interface ShareBounds {
  name: string;
  count: number;
  expected: number;
  observed: number;
  lower: number;
  upper: number;
}

export interface EquivalenceResult {
  verdict: 'equivalent' | 'different' | 'inconclusive';
  servers: ShareBounds[];
  /** The largest deviation from an expected share that the sample does not rule out, as a fraction. */
  resolution: number;
  /** Units a sample would need for its intervals to fit the tolerance, if the shares were exact. */
  neededSample: number;
}

export function equivalenceTest(
  cells: ReadonlyArray<{ name: string; count: number; share: number }>,
  tolerance: number,
  alpha: number,
  withNeededSample = true,
): EquivalenceResult {
  const n = cells.reduce((s, c) => s + c.count, 0);
  const servers = cells.map((c): ShareBounds => {
    const { lower, upper } = n > 0 ? clopperPearson(c.count, n, alpha) : { lower: 0, upper: 1 };
    return { name: c.name, count: c.count, expected: c.share, observed: n > 0 ? c.count / n : 0, lower, upper };
  });
  const resolution = Math.max(...servers.map((s) => Math.max(s.expected - s.lower, s.upper - s.expected)));
  const different = servers.some((s) => s.lower > s.expected || s.upper < s.expected);
  return {
    verdict: resolution < tolerance ? 'equivalent' : different ? 'different' : 'inconclusive',
    servers,
    resolution,
    neededSample: withNeededSample ? neededSample(cells.map((c) => c.share), tolerance, alpha) : 0,
  };
}

/** The chance of confirming that a planned sample is sized for, when the director is exactly right. */
export const PLANNED_POWER = 0.9;

/**
 * The smallest sample that confirms with probability PLANNED_POWER when every unit lands on a server
 * with exactly its expected share, independently (wlc and other schedulers that correct themselves
 * spread more evenly than that, so this is an upper bound for them). Sized only to fit the shares'
 * intervals when they come out exact, a sample would confirm a right director about half the time.
 * The normal approximation with power gives the start, the exact chance (confirmChance) the answer.
 */
export function neededSample(shares: readonly number[], tolerance: number, alpha: number): number {
  const z = normalQuantile(1 - alpha) + normalQuantile(1 - (1 - PLANNED_POWER) / 2);
  const variance = Math.max(...shares.map((p) => p * (1 - p)));
  let n = Math.max(1, Math.floor((0.9 * z * z * variance) / (tolerance * tolerance)));
  while (confirmChance(shares, n, tolerance, alpha) < PLANNED_POWER && n < 10_000_000) n = Math.ceil(n * 1.02) + 1;
  return n;
}

/**
 * The chance that n units, each on a server with probability its share, pass the equivalence test.
 * Per server the passing counts are one range (both interval bounds grow with the count), whose
 * binomial probability is exact. Two servers' events are one; with more the union bound over servers
 * makes this a lower bound.
 */
export function confirmChance(shares: readonly number[], n: number, tolerance: number, alpha: number): number {
  const misses = shares.map((p) => {
    const low = firstCount(n, (k) => clopperPearson(k, n, alpha).lower > p - tolerance);
    const high = firstCount(n, (k) => clopperPearson(k, n, alpha).upper >= p + tolerance) - 1;
    return low > high ? 1 : 1 - (binomialUpperTail(low, n, p) - binomialUpperTail(high + 1, n, p));
  });
  const miss = shares.length === 2 ? misses[0]! : misses.reduce((a, b) => a + b, 0);
  return Math.max(0, 1 - miss);
}

/** The smallest count in 0..n for which a predicate that only turns true as the count grows holds (n + 1 if none). */
function firstCount(n: number, holds: (k: number) => boolean): number {
  let lo = 0;
  let hi = n + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The smallest sample at which shares like `observed`, if they held exactly, would confirm: with the
 * expected shares themselves, the least sample that can confirm at all (below it no director
 * could); with a sample's shares, what a larger run of that director would need. Null when some share
 * is a tolerance or more off, which no sample confirms.
 */
export function smallestFitting(observed: readonly number[], expected: readonly number[], tolerance: number, alpha: number): number | null {
  if (observed.some((p, i) => Math.abs(p - expected[i]!) >= tolerance)) return null;
  const fits = (size: number): boolean => {
    const cells = expected.map((share, i) => ({ name: String(i), share, count: Math.round(size * observed[i]!) }));
    return equivalenceTest(cells, tolerance, alpha, false).resolution < tolerance;
  };
  const z = normalQuantile(1 - alpha);
  let n = Math.max(1, Math.floor((z * z * Math.max(...observed.map((p) => p * (1 - p)))) / (tolerance * tolerance)));
  // Steps of at most 0.5%: which sizes fit is not monotone (rounding the counts), so the grid decides "about".
  while (!fits(n) && n < 10_000_000) n += Math.max(1, Math.floor(n / 200));
  return n;
}
