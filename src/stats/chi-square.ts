/**
 * Pearson's chi-square goodness-of-fit test. The p-value is the regularised upper incomplete gamma
 * function Q(k/2, x/2), computed by series or continued fraction (Numerical Recipes, gammq).
 */

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Smallest total count for which every expected cell count is at least 5 (Cochran's rule). */
  minimumSample: number;
}

/** `observed[i]` counts against `shares[i]` (summing to 1); cells with share 0 must be left out by the caller. */
export function chiSquareGoodnessOfFit(observed: readonly number[], shares: readonly number[]): ChiSquareResult {
  const n = observed.reduce((a, b) => a + b, 0);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = n * shares[i]!;
    statistic += (observed[i]! - expected) ** 2 / expected;
  }
  const degreesOfFreedom = observed.length - 1;
  const minShare = Math.min(...shares);
  return {
    statistic,
    degreesOfFreedom,
    pValue: degreesOfFreedom > 0 ? upperGammaRegularized(degreesOfFreedom / 2, statistic / 2) : 1,
    minimumSample: Math.ceil(5 / minShare),
  };
}

export function upperGammaRegularized(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return upperContinuedFraction(a, x);
}

const EPS = 1e-15;
const MAX_ITER = 10_000;

function lowerSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n < MAX_ITER; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function upperContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Lanczos approximation (g=7, n=9), accurate to ~15 digits for a > 0. */
export function logGamma(z: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
