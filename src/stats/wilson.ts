/**
 * Wilson score interval for a proportion k/n: unlike p +- z*sqrt(p(1-p)/n) it stays inside [0, 1] and
 * keeps its coverage for small n and shares near 0 or 1 (a quiescent server, a weight of 1 in 100).
 */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return { low: Math.max(0, (centre - spread) / denom), high: Math.min(1, (centre + spread) / denom) };
}
