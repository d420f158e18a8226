/**
 * Reads what `merge` was given and makes sure it is one run's shards, each once and all of them:
 * results folders of `run --shard` (or their results.json), or `bench --shard` JSON files.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createShardsMismatchError } from '../core/errors.js';
import type { DirectorReadings } from '../model/plugin.js';
import type { SuiteSummary } from '../model/summary.js';
import type { ShardedBenchResult } from '../shard/bench-shard.js';
import type { ShardRecord } from '../shard/shard-record.js';

/** One suite of a shard's results.json, as merge uses it. */
export interface ShardSuiteResult {
  name: string;
  outcome: string;
  summary: SuiteSummary;
  bench: { report: string; result: ShardedBenchResult } | null;
  director: DirectorReadings;
  durationMs: number;
  trafficStartedAt: number | null;
}

export interface RunShard {
  dir: string;
  runId: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  environment: Record<string, unknown>;
  suites: ShardSuiteResult[];
  shard: ShardRecord;
}

export type Shards = { kind: 'run'; shards: RunShard[] } | { kind: 'bench'; shards: Array<ShardedBenchResult & { file: string }> };

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw createShardsMismatchError(`${file}: expected a results folder or JSON file of a shard (${(e as Error).message})`);
  }
}

function readOne(given: string): { kind: 'run'; shard: RunShard } | { kind: 'bench'; shard: ShardedBenchResult & { file: string } } {
  let isDir: boolean;
  try {
    isDir = statSync(given).isDirectory();
  } catch {
    throw createShardsMismatchError(`${given}: expected a results folder or JSON file of a shard (it does not exist)`);
  }
  const file = isDir ? path.join(given, 'results.json') : given;
  const json = readJson(file);
  if (json.schema === 'lvs-harness/bench-result@1') {
    if (!json.shard || !json.records) throw createShardsMismatchError(`${given}: a bench result without shard records (run it with bench --shard i/N --json FILE)`);
    return { kind: 'bench', shard: { ...(json as unknown as ShardedBenchResult), file: given } };
  }
  if (typeof json.runId !== 'string') throw createShardsMismatchError(`${given}: expected a run's results.json or a bench --json file`);
  if (!json.shard) throw createShardsMismatchError(`${given}: run ${json.runId} is not a shard (run it with --shard i/N)`);
  const outcome = (json.outcome as string | null) ?? null;
  if (outcome === null || outcome === 'aborted' || outcome === 'invalid' || outcome === 'environment') {
    throw createShardsMismatchError(`${given}: shard did not complete its traffic (outcome ${outcome ?? 'none: still running or killed'})`);
  }
  return { kind: 'run', shard: { ...(json as unknown as RunShard), dir: path.dirname(file) } };
}

interface Indexed {
  index: number;
  count: number;
  key: string;
  where: string;
}

/** Same run, each index once, none missing; returns the shards in index order. */
function checkSet<T>(items: readonly T[], info: (t: T) => Indexed): T[] {
  const first = info(items[0]!);
  const byIndex = new Map<number, T>();
  for (const item of items) {
    const i = info(item);
    if (i.key !== first.key || i.count !== first.count) {
      throw createShardsMismatchError(`${i.where} is shard ${i.index}/${i.count} of another run than ${first.where} (${i.key} vs ${first.key})`);
    }
    const twin = byIndex.get(i.index);
    if (twin !== undefined) throw createShardsMismatchError(`shard ${i.index}/${i.count} given twice: ${info(twin).where} and ${i.where}`);
    byIndex.set(i.index, item);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw createShardsMismatchError(`missing shard(s) ${missing.join(', ')} of ${first.count} (given: ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')})`);
  return [...byIndex].sort(([a], [b]) => a - b).map(([, t]) => t);
}

export function readShards(given: readonly string[]): Shards {
  const read = given.map(readOne);
  const kinds = new Set(read.map((r) => r.kind));
  if (kinds.size > 1) throw createShardsMismatchError('run shards and bench shards given together: merge one run at a time');
  if (read[0]!.kind === 'bench') {
    const shards = read.map((r) => r.shard as ShardedBenchResult & { file: string });
    return {
      kind: 'bench',
      shards: checkSet(shards, (s) => ({ index: s.shard!.index, count: s.shard!.count, key: JSON.stringify({ ...s.shard!.whole, startAt: s.shard!.startAt }), where: s.file })),
    };
  }
  const shards = read.map((r) => r.shard as RunShard);
  return { kind: 'run', shards: checkSet(shards, (s) => ({ index: s.shard.index, count: s.shard.count, key: s.shard.run, where: s.dir })) };
}
