import type { Observation } from '../model/observation.js';
import type { ProbeRate, SuiteSummary } from '../model/summary.js';

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
    byProbe: probeRates(observations),
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

/** Rates over busy time: each round's span counts, the idle pauses between rounds do not. */
function probeRates(observations: readonly Observation[]): Record<string, ProbeRate> {
  const rates = new Map<string, ProbeRate>();
  const spans = new Map<string, { probe: string; first: number; last: number }>();
  for (const o of observations) {
    const rate = rates.get(o.probe) ?? { protocol: o.protocol, connections: 0, failed: 0, perSecond: null };
    rate.connections++;
    if (o.error) rate.failed++;
    rates.set(o.probe, rate);
    const key = `${o.probe}\0${o.round}`;
    const span = spans.get(key) ?? { probe: o.probe, first: o.startMs, last: o.endMs };
    span.first = Math.min(span.first, o.startMs);
    span.last = Math.max(span.last, o.endMs);
    spans.set(key, span);
  }
  const busy = new Map<string, number>();
  for (const { probe, first, last } of spans.values()) busy.set(probe, (busy.get(probe) ?? 0) + (last - first));
  for (const [probe, rate] of rates) {
    const ms = busy.get(probe) ?? 0;
    rate.perSecond = ms > 0 ? Math.round((rate.connections / ms) * 10_000) / 10 : null;
  }
  return Object.fromEntries(rates);
}
