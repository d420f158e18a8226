/**
 * `--shard i/N`: this process does part i (0-based, as Kubernetes' JOB_COMPLETION_INDEX counts) of a
 * run split N ways. Parts are contiguous blocks, so each shard's source addresses form one range and
 * every client's whole traffic stays in one shard.
 */
import { createBadArgumentError } from '../core/errors.js';

export interface ShardSpec {
  index: number;
  count: number;
}

/** At most this many shards: a source pool is rarely larger, and a typo like 0/40000 should not pass. */
export const MAX_SHARDS = 1024;

export function parseShard(text: string | undefined): ShardSpec | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 0 && index < count)) {
    throw createBadArgumentError('--shard', `i/N with N from 1 to ${MAX_SHARDS} and i from 0 to N-1 (not ${text})`);
  }
  return { index, count };
}

/** The half-open block [start, end) of `length` items that shard `spec` takes; sizes differ by at most 1. */
export function shardRange(length: number, spec: ShardSpec): { start: number; end: number } {
  return {
    start: Math.floor((spec.index * length) / spec.count),
    end: Math.floor(((spec.index + 1) * length) / spec.count),
  };
}

/** This shard's part of a total `n` (requests, connections). */
export function shardPart(n: number, spec: ShardSpec): number {
  const { start, end } = shardRange(n, spec);
  return end - start;
}

/** `--shards N` (the kernel lab runs the shards itself): from 2, so there is something to merge. */
export function parseShardCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 2 && count <= MAX_SHARDS)) throw createBadArgumentError('--shards', `a shard count from 2 to ${MAX_SHARDS} (not ${text})`);
  return count;
}
