/**
 * `--max-regression KEY=LIMIT` budgets:
 *   [connect.|firstByte.|total.]p50|p90|p99|max|avg = N% | Nms   latency may grow by that much (total by default)
 *   rps = N%                                                     throughput may drop by that much
 *   failed = Npp                                                 failure rate may grow by N percentage points
 *   share = Npp                                                  no server's share may move by more
 */
import { createBadArgumentError } from '../core/errors.js';
import type { LatencyKind } from '../metrics/metric-set.js';

export type Budget =
  | { text: string; kind: 'latency'; latency: LatencyKind; stat: LatencyStat; limit: number; unit: '%' | 'ms' }
  | { text: string; kind: 'rps'; limit: number; unit: '%' }
  | { text: string; kind: 'failed' | 'share'; limit: number; unit: 'pp' };

export const LATENCY_STATS = ['p50', 'p90', 'p99', 'max', 'avg'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

export function parseBudget(text: string): Budget {
  const m = /^\s*(?:(connect|firstByte|total)\.)?(p50|p90|p99|max|avg|rps|failed|share)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*(%|ms|pp)\s*$/.exec(text);
  const bad = (): never => {
    throw createBadArgumentError(
      `--max-regression ${text}`,
      '[connect.|firstByte.|total.]p50|p90|p99|max|avg=N% or Nms, rps=N%, failed=Npp or share=Npp',
    );
  };
  if (!m?.[2] || !m[3] || !m[4]) return bad();
  const [, latency, key, number, unit] = m;
  const limit = Number(number);
  if ((LATENCY_STATS as readonly string[]).includes(key)) {
    if (unit === 'pp') return bad();
    return { text: text.trim(), kind: 'latency', latency: (latency ?? 'total') as LatencyKind, stat: key as LatencyStat, limit, unit: unit as '%' | 'ms' };
  }
  if (latency !== undefined) return bad();
  if (key === 'rps') return unit === '%' ? { text: text.trim(), kind: 'rps', limit, unit } : bad();
  return unit === 'pp' ? { text: text.trim(), kind: key as 'failed' | 'share', limit, unit } : bad();
}
