/**
 * Equivalence of observed shares to expected ones: two one-sided tests (TOST) per server, each at
 * `alpha`, with exact Clopper-Pearson bounds. The claim "every server is within `tolerance` of its
 * share" holds when each server's 1 - 2*alpha interval lies inside share +/- tolerance; as an
 * intersection-union test the whole claim then has size alpha without a multiplicity correction.
 * Failing to show equivalence is not evidence of a difference: the outcome keeps "different" (some
 * share's interval excludes its expected share: the weights are not what the director follows, at
 * alpha) apart from "inconclusive" (the sample is too small to tell).
 */
import { clopperPearson, normalQuantile } from './binomial.js';

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

/**
 * The smallest sample whose exact intervals fit the tolerance if every share came out exactly as
 * expected: the normal approximation z * sqrt(p(1-p)/n) <= tolerance gives the start, exact intervals
 * (wider for small n) the answer. A real sample strays from the shares, so it needs somewhat more.
 */
export function neededSample(shares: readonly number[], tolerance: number, alpha: number): number {
  const z = normalQuantile(1 - alpha);
  const variance = Math.max(...shares.map((p) => p * (1 - p)));
  let n = Math.max(1, Math.ceil((z * z * variance) / (tolerance * tolerance)));
  const fits = (size: number): boolean => {
    const cells = shares.map((share, i) => ({ name: String(i), share, count: Math.round(size * share) }));
    return equivalenceTest(cells, tolerance, alpha, false).resolution < tolerance;
  };
  while (!fits(n) && n < 10_000_000) n = Math.ceil(n * 1.02) + 1;
  return n;
}
