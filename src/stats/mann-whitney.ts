/**
 * Two-sided Mann-Whitney U test on two samples given as (value, count) buckets, as HDR histograms keep
 * them: every value of a bucket is one tie group, handled with midranks and the tie-corrected variance,
 * so the test is exact about the quantisation instead of pretending the data are continuous. Normal
 * approximation with continuity correction (fine for the hundreds of samples a run has; below 8 per
 * side it is not reported). Effect size: Cliff's delta, P(new > base) - P(new < base), from -1 to 1.
 */
import { normalUpperTail } from './normal.js';

export interface RankTest {
  u: number;
  z: number;
  pValue: number;
  cliffsDelta: number;
}

/** Buckets sorted by value: [value, count]. */
export type Buckets = ReadonlyArray<readonly [number, number]>;

export function mannWhitney(base: Buckets, next: Buckets): RankTest | null {
  const n1 = base.reduce((s, [, c]) => s + c, 0);
  const n2 = next.reduce((s, [, c]) => s + c, 0);
  if (n1 < 8 || n2 < 8) return null;
  const counts = new Map<number, [number, number]>();
  for (const [v, c] of base) (counts.get(v) ?? counts.set(v, [0, 0]).get(v)!)[0] += c;
  for (const [v, c] of next) (counts.get(v) ?? counts.set(v, [0, 0]).get(v)!)[1] += c;
  const n = n1 + n2;
  let below = 0;
  let rankSumNext = 0;
  let ties = 0;
  for (const v of [...counts.keys()].sort((a, b) => a - b)) {
    const [a, b] = counts.get(v)!;
    const t = a + b;
    rankSumNext += b * (below + (t + 1) / 2);
    ties += t ** 3 - t;
    below += t;
  }
  const u = rankSumNext - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const diff = Math.abs(u - mean);
  const z = variance > 0 ? (Math.sign(u - mean) * Math.max(0, diff - 0.5)) / Math.sqrt(variance) : 0;
  return { u, z, pValue: variance > 0 ? Math.min(1, 2 * normalUpperTail(Math.abs(z))) : 1, cliffsDelta: (2 * u) / (n1 * n2) - 1 };
}
