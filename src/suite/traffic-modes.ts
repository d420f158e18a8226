/**
 * The traffic shapes besides rounds (schema.ts `traffic.mode`):
 * - `continuous`: an open model. New connections arrive at `rate` per second for `durationSeconds`,
 *   each from a returning client (probability `returning`, one already seen, picked at random) or a
 *   new one from the pool, whatever the director's answers; bounded by `maxConnections` and by
 *   `concurrency` connections in flight (an arrival finding them all busy is counted as skipped). A
 *   client whose connection failed comes back `retrySeconds` later, until it is served or time is up.
 * - `gaps`: every client connects, stays idle for its gap, and connects again; the gaps are chosen by
 *   the harness around the template's configured lifetime (or listed in `gapsSeconds`), so the
 *   persistence-timeout check can measure how long templates really live.
 */
import { z } from 'zod';

export const TRAFFIC_MODES = ['rounds', 'continuous', 'gaps'] as const;

export const continuousFields = {
  mode: z.enum(TRAFFIC_MODES).default('rounds'),
  /** continuous: how long new connections arrive. */
  durationSeconds: z.number().positive().max(3600).optional(),
  /** continuous: new connections per second (all probes together). */
  rate: z.number().positive().max(10_000).default(20),
  /** continuous: share of arrivals from clients already seen. */
  returning: z.number().min(0).max(1).default(0.7),
  /** continuous: a client whose connection failed tries again this much later (as users reload), until served; 0: never. */
  retrySeconds: z.number().min(0).max(60).default(0.5),
  /** continuous: hard bound on connections (retries included); default twice rate x duration. */
  maxConnections: z.int().min(1).max(1_000_000).optional(),
  /** continuous and gaps: the probe the traffic uses (default: the first). */
  probe: z.string().optional(),
  /** gaps: the idle gaps to try, in seconds; default chosen from the persistence timeout. */
  gapsSeconds: z.array(z.number().positive().max(3600)).min(1).max(20).optional(),
};

/** How long the traffic may run, in seconds: what every `changes[].at` must fall inside. */
export function trafficBoundSeconds(t: { mode: (typeof TRAFFIC_MODES)[number]; durationSeconds?: number | undefined; maxSeconds: number }): number {
  return t.mode === 'continuous' && t.durationSeconds !== undefined ? Math.min(t.durationSeconds, t.maxSeconds) : t.maxSeconds;
}
