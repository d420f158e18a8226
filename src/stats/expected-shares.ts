import type { RealServer, SchedulerName } from '../model/ipvs.js';

type Weighted = Pick<RealServer, 'name' | 'weight'>;

/**
 * Share of new work each real server should get under `scheduler`; weight 0 (quiescent) gets none.
 * rr and lc ignore weights beyond 0 / not 0 (lc evens out connection counts); wrr and wlc follow the
 * weights; sh follows its 256 buckets, which each server fills `weight` at a time in list order (the
 * reverse of the order of addition), so 100:200 gives 56:200 buckets, not 1:2.
 */
export function expectedShares(servers: readonly Weighted[], scheduler: SchedulerName): Record<string, number> {
  const weightOf = scheduler === 'rr' || scheduler === 'lc' ? (rs: Weighted) => (rs.weight > 0 ? 1 : 0) : (rs: Weighted) => rs.weight;
  if (scheduler === 'sh') return shBucketShares(servers);
  const total = servers.reduce((s, rs) => s + weightOf(rs), 0);
  return Object.fromEntries(servers.map((rs) => [rs.name, total > 0 ? weightOf(rs) / total : 0]));
}

const SH_BUCKETS = 256;

/** ip_vs_sh_reassign: buckets dealt `weight` (at least 1) at a time, head first; weight-0 buckets answer nothing. */
function shBucketShares(servers: readonly Weighted[]): Record<string, number> {
  const list = [...servers].reverse();
  const buckets = new Map<string, number>(servers.map((rs) => [rs.name, 0]));
  if (list.length > 0) {
    let index = 0;
    let taken = 0;
    for (let b = 0; b < SH_BUCKETS; b++) {
      const rs = list[index]!;
      buckets.set(rs.name, buckets.get(rs.name)! + 1);
      if (++taken >= rs.weight) {
        index = (index + 1) % list.length;
        taken = 0;
      }
    }
  }
  const live = servers.filter((rs) => rs.weight > 0).reduce((s, rs) => s + buckets.get(rs.name)!, 0);
  return Object.fromEntries(servers.map((rs) => [rs.name, rs.weight > 0 && live > 0 ? buckets.get(rs.name)! / live : 0]));
}

/** Weights or fractions per name as shares summing to 1 (`{a: 3, b: 1}` -> `{a: 0.75, b: 0.25}`). */
export function normalizeShares(weights: Record<string, number>): Record<string, number> {
  return expectedShares(Object.entries(weights).map(([name, weight]) => ({ name, weight: Math.max(0, weight) })), 'wrr');
}
