/**
 * One suite's observations from every shard's observations.ndjson, on one time line and in start
 * order, as a single run would have handed them over. Each shard counts its times from its own traffic
 * start (results.json's trafficStartedAt, epoch ms); merged, they count from the earliest shard's, and
 * `seq` numbers the union in start order.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createShardsMismatchError } from '../core/errors.js';
import type { Observation } from '../model/observation.js';
import type { RunShard } from './read-shards.js';

interface Keyed {
  o: Observation;
  shard: number;
}

async function readShard(file: string, suite: string, shift: number, shard: number, out: Keyed[]): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let row: Observation & { suite?: string };
    try {
      row = JSON.parse(line) as Observation & { suite?: string };
    } catch {
      throw createShardsMismatchError(`${file}:${n}: expected one observation as JSON per line`);
    }
    if (row.suite !== suite) continue;
    const { suite: _suite, ...o } = row;
    const data = o.data?.map((d) => ({ ...d, startMs: d.startMs + shift, endMs: d.endMs + shift }));
    out.push({ o: { ...o, startMs: o.startMs + shift, endMs: o.endMs + shift, ...(data ? { data } : {}) }, shard });
  }
}

export async function shardObservations(shards: readonly RunShard[], suiteIndex: number): Promise<Observation[]> {
  const origins = shards.map((s) => {
    const at = s.suites[suiteIndex]?.trafficStartedAt;
    if (typeof at !== 'number') throw createShardsMismatchError(`${s.dir}: suite ${suiteIndex + 1} has no trafficStartedAt (written by an older lvs-harness?)`);
    return at;
  });
  const origin = Math.min(...origins);
  const all: Keyed[] = [];
  for (const [i, s] of shards.entries()) {
    await readShard(path.join(s.dir, 'observations.ndjson'), s.suites[suiteIndex]!.name, origins[i]! - origin, i, all);
  }
  all.sort((a, b) => a.o.startMs - b.o.startMs || a.shard - b.shard || a.o.seq - b.o.seq);
  return all.map((k, seq) => ({ ...k.o, seq }));
}
