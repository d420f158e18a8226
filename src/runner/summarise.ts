import type { Observation } from '../model/observation.js';
import type { SuiteSummary } from '../model/summary.js';

const UNKNOWN = '(unknown)';

export function summarise(observations: readonly Observation[]): SuiteSummary {
  const errors: Record<string, number> = {};
  const byRealServer: Record<string, number> = {};
  const byClient: Record<string, Record<string, number>> = {};
  let connectSum = 0;
  let connectCount = 0;
  let totalSum = 0;
  let totalMax: number | null = null;
  for (const o of observations) {
    if (o.error) errors[o.error.code] = (errors[o.error.code] ?? 0) + 1;
    const rs = o.realServer ?? UNKNOWN;
    byRealServer[rs] = (byRealServer[rs] ?? 0) + 1;
    const perClient = (byClient[o.client.address] ??= {});
    perClient[rs] = (perClient[rs] ?? 0) + 1;
    if (o.timings.connectMs !== null) {
      connectSum += o.timings.connectMs;
      connectCount++;
    }
    totalSum += o.timings.totalMs;
    totalMax = totalMax === null ? o.timings.totalMs : Math.max(totalMax, o.timings.totalMs);
  }
  const n = observations.length;
  return {
    connections: n,
    failed: observations.filter((o) => o.error !== null).length,
    errors,
    byRealServer,
    clients: Object.keys(byClient).length,
    byClient,
    timings: {
      connectMsMean: connectCount ? round3(connectSum / connectCount) : null,
      totalMsMean: n ? round3(totalSum / n) : null,
      totalMsMax: totalMax === null ? null : round3(totalMax),
    },
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
