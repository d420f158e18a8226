import { createHistogram, encodeHistogram } from '../bench/histograms.js';
import type { BenchResult } from '../bench/types.js';
import type { EncodedLatency, MetricSet, ScopeFigures } from './metric-set.js';

/**
 * A bench result as a MetricSet. Failed requests are ab's "Failed requests" plus its "Non-2xx
 * responses" (capped at the requests done): either is a request a user did not get served.
 * `probe` names the suite's bench probe, when the bench step of a suite ran it.
 */
export function benchMetrics(result: BenchResult, probe?: string): MetricSet {
  const done = result.counts.done;
  const all: ScopeFigures = {
    requests: done,
    failed: Math.min(done, result.counts.bad + result.counts.errResponse),
    latency: { connect: result.histograms.connect, firstByte: result.histograms.firstByte, total: result.histograms.total },
  };
  const byServer: Record<string, ScopeFigures> = {};
  for (const s of result.servers) {
    byServer[s.name] = { requests: s.requests, failed: s.errors, latency: s.histograms ?? emptyLatency() };
  }
  return {
    schema: 'lvs-harness/metrics@1',
    source: 'bench',
    seconds: result.timeTakenSec,
    all,
    byServer,
    byProbe: probe === undefined ? {} : { [probe]: { ...all, seconds: result.timeTakenSec } },
  };
}

/** A bench result written before per-server histograms were kept: no latency to judge per server. */
function emptyLatency(): EncodedLatency {
  const empty = encodeHistogram(createHistogram());
  return { connect: empty, firstByte: empty, total: empty };
}
