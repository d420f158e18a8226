import type { RealServer } from '../model/ipvs.js';

/** Share of new work each real server should get from its weight; weight 0 (quiescent) gets none. */
export function expectedShares(servers: readonly Pick<RealServer, 'name' | 'weight'>[]): Record<string, number> {
  const total = servers.reduce((s, rs) => s + rs.weight, 0);
  return Object.fromEntries(servers.map((rs) => [rs.name, total > 0 ? rs.weight / total : 0]));
}

/** Weights or fractions per name as shares summing to 1 (`{a: 3, b: 1}` -> `{a: 0.75, b: 0.25}`). */
export function normalizeShares(weights: Record<string, number>): Record<string, number> {
  return expectedShares(Object.entries(weights).map(([name, weight]) => ({ name, weight: Math.max(0, weight) })));
}
