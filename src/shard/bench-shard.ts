/**
 * `bench --shard i/N`: this host's part of the requests, the concurrency and the source addresses, and
 * what it writes for `merge`: the result plus ab's per-request records (ab's median and percentile
 * rules need every request, so the merged report is computed from all of them, not from summaries).
 */
import type { RequestRecords } from '../bench/records.js';
import type { BenchOptions, BenchResult } from '../bench/types.js';
import { createBadArgumentError } from '../core/errors.js';
import { shardPart, shardRange, type ShardSpec } from './shard-spec.js';

/** ab's records as plain arrays (µs), as in results.json and a bench shard's --json. */
export interface PlainRecords {
  start: number[];
  ctime: number[];
  time: number[];
  wait: number[];
  /** Requests past the store's cap, not recorded. */
  dropped: number;
}

export interface BenchShardInfo {
  schema: 'lvs-harness/bench-shard@1';
  index: number;
  count: number;
  startAt: string | null;
  /** The run as asked for on every shard (before the split): shards of one run agree on it. */
  whole: { url: string; requests: number; concurrency: number; sources: number };
}

/** A bench result that can be merged with its sibling shards' exactly. */
export interface ShardedBenchResult extends BenchResult {
  records: PlainRecords;
  shard?: BenchShardInfo;
}

export function plainRecords(r: RequestRecords & { dropped?: number }): PlainRecords {
  const take = (a: Float64Array): number[] => Array.from(a.subarray(0, r.length));
  return { start: take(r.start), ctime: take(r.ctime), time: take(r.time), wait: take(r.wait), dropped: r.dropped ?? 0 };
}

/** This shard's options: its part of -n and -c, and of --sources when there are enough to split. */
export function shardBenchOptions(o: BenchOptions, spec: ShardSpec): BenchOptions {
  if (o.concurrency < spec.count) {
    throw createBadArgumentError('--shard', `-c of at least the shard count (${spec.count}), so every shard has a connection; got ${o.concurrency}`);
  }
  const requests = shardPart(o.requests, spec);
  const concurrency = Math.min(shardPart(o.concurrency, spec), requests);
  const sources = o.sources && o.sources.length >= spec.count ? o.sources.slice(shardRange(o.sources.length, spec).start, shardRange(o.sources.length, spec).end) : o.sources;
  return { ...o, requests, concurrency, ...(sources ? { sources } : {}) };
}

/** What a shard adds to its --json: which part of which run it is, and its records. */
export function benchShardFields(spec: ShardSpec, whole: BenchOptions, startAtMs: number | undefined, records: RequestRecords): Pick<ShardedBenchResult, 'shard' | 'records'> {
  return {
    shard: {
      schema: 'lvs-harness/bench-shard@1',
      index: spec.index,
      count: spec.count,
      startAt: startAtMs === undefined ? null : new Date(startAtMs).toISOString(),
      whole: { url: whole.url, requests: whole.requests, concurrency: whole.concurrency, sources: whole.sources?.length ?? 0 },
    },
    records: plainRecords(records),
  };
}
