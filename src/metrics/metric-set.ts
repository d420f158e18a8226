/**
 * The figures thresholds, `compare` and the HTML report judge, whatever produced them: a suite's
 * traffic (one observation per connection) or a bench run. Plain JSON: results.json carries it, and
 * latency is kept as compressed-base64 HDR histograms in microseconds (src/bench/histograms.ts), so
 * percentiles computed later, from the file, are the ones a live run would compute.
 */

export const LATENCY_KINDS = ['connect', 'firstByte', 'total'] as const;
export type LatencyKind = (typeof LATENCY_KINDS)[number];

/** One HDR histogram (µs, compressed base64) per latency kind. */
export type EncodedLatency = Record<LatencyKind, string>;

export interface ScopeFigures {
  /** Connections (traffic) or requests (bench) in this scope. */
  requests: number;
  failed: number;
  latency: EncodedLatency;
}

export interface MetricSet {
  schema: 'lvs-harness/metrics@1';
  source: 'traffic' | 'bench';
  /** Busy seconds: requests per second are requests over this (idle pauses between rounds left out). */
  seconds: number;
  all: ScopeFigures;
  /** Per real server name, as identified from the responses. */
  byServer: Record<string, ScopeFigures>;
  /** Per probe; each with its own busy seconds. Empty for a bench run from the command line. */
  byProbe: Record<string, ScopeFigures & { seconds: number }>;
}
