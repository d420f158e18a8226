import type { MetricSet } from '../metrics/metric-set.js';

/** Observations of one suite summarised for results.json (the full list goes to observations.ndjson). */
export interface SuiteSummary {
  connections: number;
  failed: number;
  /** Failed connections by reason code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...). */
  errors: Record<string, number>;
  /** Connections per real server name ("(unknown)" when it could not be identified). */
  byRealServer: Record<string, number>;
  clients: number;
  /** Per client address: connections per real server, e.g. { "127.0.0.2": { "web2": 4 } }. */
  byClient: Record<string, Record<string, number>>;
  /** Per probe: connections (sessions for Telnet/FTP) and their rate over the probe's busy time. */
  byProbe: Record<string, ProbeRate>;
  timings: { connectMsMean: number | null; totalMsMean: number | null; totalMsMax: number | null };
  /** Latency histograms (lossless), counts and busy time overall, per probe and per server: thresholds, compare, report. */
  metrics?: MetricSet;
  /** Share of new work each real server should get from the suite's weights. */
  expectedShares?: Record<string, number>;
}

export interface ProbeRate {
  protocol: string;
  connections: number;
  failed: number;
  /** Connections per second of busy time (first start to last end in each round, pauses excluded). */
  perSecond: number | null;
}
