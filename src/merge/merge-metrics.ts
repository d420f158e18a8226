/**
 * Shards' MetricSets as one: counts summed and HDR histograms added bucket by bucket (no loss: the
 * merged histogram is the one all the samples recorded in one place would give), per server and per
 * probe as well. Busy time is not additive across shards that ran at once: the caller gives the
 * union's.
 */
import { encodeHistogram, mergeEncoded } from '../bench/histograms.js';
import { LATENCY_KINDS, type EncodedLatency, type MetricSet, type ScopeFigures } from '../metrics/metric-set.js';

function mergeScopes(scopes: readonly ScopeFigures[]): ScopeFigures {
  const latency = Object.fromEntries(LATENCY_KINDS.map((k) => [k, encodeHistogram(mergeEncoded(scopes.map((s) => s.latency[k])))])) as EncodedLatency;
  return {
    requests: scopes.reduce((n, s) => n + s.requests, 0),
    failed: scopes.reduce((n, s) => n + s.failed, 0),
    latency,
  };
}

function mergeKeyed<T extends ScopeFigures>(maps: ReadonlyArray<Record<string, T>>): Record<string, ScopeFigures> {
  const names = [...new Set(maps.flatMap((m) => Object.keys(m)))].sort((a, b) => a.localeCompare(b));
  return Object.fromEntries(names.map((n) => [n, mergeScopes(maps.flatMap((m) => (m[n] ? [m[n]] : [])))]));
}

export function mergeMetricSets(sets: readonly MetricSet[], busy: { seconds: number; byProbe: ReadonlyMap<string, number> }): MetricSet {
  const byProbe = mergeKeyed(sets.map((s) => s.byProbe));
  return {
    schema: 'lvs-harness/metrics@1',
    source: sets[0]?.source ?? 'traffic',
    seconds: busy.seconds,
    all: mergeScopes(sets.map((s) => s.all)),
    byServer: mergeKeyed(sets.map((s) => s.byServer)),
    byProbe: Object.fromEntries(Object.entries(byProbe).map(([k, v]) => [k, { ...v, seconds: busy.byProbe.get(k) ?? 0 }])),
  };
}
