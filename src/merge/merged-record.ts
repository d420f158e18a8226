/** What a merged run's results.json says (`merged`) of the shards it came from. */
import type { MergedRecord } from '../reporters/results-writer.js';
import type { RunShard } from './read-shards.js';

export function mergedRecord(shards: readonly RunShard[]): MergedRecord {
  return {
    run: shards[0]!.shard.run,
    count: shards.length,
    shards: shards.map((s) => ({ index: s.shard.index, dir: s.dir, runId: s.runId, hostname: s.environment.hostname, outcome: s.outcome })),
  };
}
