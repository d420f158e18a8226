/**
 * Bench shards (a `bench --shard` JSON each, or a suite's bench step run by `run --shard`) merged into
 * the whole run's result, through the same merge as --workers' threads (src/bench/merge.ts): counts
 * and bytes summed, histograms (overall and per real server) added, ab's tables from every request's
 * record, the time taken from the earliest start to the latest end.
 */
import { mergeStates, type EncodedState } from '../bench/merge.js';
import { assembleResult } from '../bench/result.js';
import type { EncodedServer } from '../bench/server-stats.js';
import type { BenchResult } from '../bench/types.js';
import { plainRecords, type PlainRecords, type ShardedBenchResult } from '../shard/bench-shard.js';

function encodedState(r: ShardedBenchResult): EncodedState {
  const rec = r.records;
  const startedUs = Date.parse(r.startedAt) * 1000;
  // startedAt is ISO (ms); the first request's record has the start to the µs and is preferred when it is that moment.
  const firstRecord = rec.start.reduce((a, b) => Math.min(a, b), Infinity);
  const startEpochUs = Math.abs(firstRecord - startedUs) < 1000 ? firstRecord : startedUs;
  const servers: Record<string, EncodedServer> = {};
  for (const s of r.servers) {
    if (!s.histograms) continue;
    servers[s.name] = { requests: s.requests, errors: s.errors, ...s.histograms };
  }
  return {
    url: r.url,
    hostname: r.hostname,
    port: r.port,
    path: r.path,
    method: r.method,
    serverSoftware: r.serverSoftware,
    concurrency: r.concurrency,
    requests: r.requests,
    keepAlive: r.keepAlive,
    variableLength: r.variableLength,
    sendBody: r.sendBody,
    rate: r.rate,
    sources: r.sources,
    startEpochUs,
    timeTakenUs: Math.round(r.timeTakenSec * 1e6),
    documentLength: r.documentLength,
    counts: r.counts,
    bytes: r.bytes,
    statusCodes: r.statusCodes,
    aborted: r.aborted,
    histograms: r.histograms,
    servers,
    records: {
      length: rec.start.length,
      dropped: rec.dropped,
      start: Float64Array.from(rec.start),
      ctime: Float64Array.from(rec.ctime),
      time: Float64Array.from(rec.time),
      wait: Float64Array.from(rec.wait),
    },
  };
}

/** The whole run's result and records from its shards' (in any order). */
export function mergeBenchShards(parts: readonly ShardedBenchResult[]): { result: BenchResult; records: PlainRecords } {
  const states = parts.map(encodedState);
  const rates = parts.map((p) => p.rate);
  const merged = mergeStates(states, {
    concurrency: parts.reduce((n, p) => n + p.concurrency, 0),
    requests: parts.reduce((n, p) => n + p.requests, 0),
    rate: rates.every((r) => r !== null) ? rates.reduce((a, b) => a! + b!, 0) : null,
    sources: parts.flatMap((p) => p.sources),
  });
  return { result: assembleResult(merged), records: plainRecords(merged.records) };
}
