/**
 * Turns the engine's final state into the JSON-safe BenchResult: ab's table numbers from the records,
 * HDR histograms encoded as compressed base64, per-server aggregates.
 */
import type { Histogram } from 'hdr-histogram-js';
import { computeAbStats } from './ab-stats.js';
import { encodeHistogram, summarize } from './histograms.js';
import type { RecordStore } from './records.js';
import type { ServerStats } from './server-stats.js';
import type { BenchAbort, BenchCounts, BenchResult, BenchSetup } from './types.js';

export interface RunHistograms {
  connect: Histogram;
  firstByte: Histogram;
  waiting: Histogram;
  total: Histogram;
}

/** What one engine (or several merged, see merge.ts) ends with, before it is turned into JSON. */
export interface FinalState extends BenchSetup {
  /** Epoch µs of the first connect; comparable across worker threads, unlike monotonic readings. */
  startEpochUs: number;
  timeTakenUs: number;
  documentLength: number;
  counts: BenchCounts;
  bytes: { totalRead: number; htmlRead: number; totalPosted: number };
  statusCodes: Record<string, number>;
  records: RecordStore;
  histograms: RunHistograms;
  servers: ServerStats;
  aborted: BenchAbort | null;
}

export function assembleResult(s: FinalState): BenchResult {
  return {
    schema: 'lvs-harness/bench-result@1',
    url: s.url,
    hostname: s.hostname,
    port: s.port,
    path: s.path,
    method: s.method,
    serverSoftware: s.serverSoftware,
    concurrency: s.concurrency,
    requests: s.requests,
    keepAlive: s.keepAlive,
    variableLength: s.variableLength,
    sendBody: s.sendBody,
    rate: s.rate,
    sources: s.sources,
    startedAt: new Date(s.startEpochUs / 1000).toISOString(),
    timeTakenSec: s.timeTakenUs / 1e6,
    documentLength: s.documentLength,
    counts: { ...s.counts },
    bytes: { ...s.bytes },
    statusCodes: { ...s.statusCodes },
    ab: computeAbStats(s.records),
    histograms: {
      connect: encodeHistogram(s.histograms.connect),
      firstByte: encodeHistogram(s.histograms.firstByte),
      waiting: encodeHistogram(s.histograms.waiting),
      total: encodeHistogram(s.histograms.total),
    },
    latency: {
      connect: summarize(s.histograms.connect),
      firstByte: summarize(s.histograms.firstByte),
      total: summarize(s.histograms.total),
    },
    servers: s.servers.toJSON(),
    recordsStored: s.records.length,
    recordsTruncated: s.records.dropped > 0,
    aborted: s.aborted,
  };
}
