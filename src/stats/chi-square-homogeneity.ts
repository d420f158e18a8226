/**
 * Pearson's chi-square test of homogeneity for two runs' counts over the same categories (requests per
 * real server): did the spread change? Effect size: Cramér's V (for two rows, sqrt(chi2 / N)), 0 for
 * identical spreads, 1 for disjoint ones.
 */
import { upperGammaRegularized } from './chi-square.js';

export interface HomogeneityTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  cramersV: number;
  /** Cochran's rule: every expected cell at least 5; below it the p-value is not trustworthy. */
  valid: boolean;
}

export function chiSquareHomogeneity(base: readonly number[], next: readonly number[]): HomogeneityTest | null {
  const n1 = base.reduce((a, b) => a + b, 0);
  const n2 = next.reduce((a, b) => a + b, 0);
  const cols = base.map((b, i) => b + (next[i] ?? 0)).map((c, i) => ({ c, i })).filter(({ c }) => c > 0);
  if (n1 === 0 || n2 === 0 || cols.length < 2) return null;
  const n = n1 + n2;
  let statistic = 0;
  let valid = true;
  for (const { c, i } of cols) {
    for (const [row, total] of [[base[i] ?? 0, n1], [next[i] ?? 0, n2]] as const) {
      const expected = (total * c) / n;
      if (expected < 5) valid = false;
      statistic += (row - expected) ** 2 / expected;
    }
  }
  const degreesOfFreedom = cols.length - 1;
  return { statistic, degreesOfFreedom, pValue: upperGammaRegularized(degreesOfFreedom / 2, statistic / 2), cramersV: Math.sqrt(statistic / n), valid };
}
