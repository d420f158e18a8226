/**
 * One suite's observations from every shard's observations.ndjson, on one time line and in start
 * order, as a single run would have handed them over. Each shard counts its times from its own traffic
 * start (results.json's trafficStartedAt, epoch ms); merged, they count from the earliest shard's, and
 * `seq` numbers the union in start order.
 *
 * Streamed: each shard's file (written as connections finished) is put back in its own start order by
 * a SeqOrder, and the shards are merged by start time, so what is held grows with the connections in
 * flight at a time, not with the run.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createShardsMismatchError } from '../core/errors.js';
import type { Observation } from '../model/observation.js';
import { SeqOrder } from '../runner/seq-order.js';
import type { RunShard } from './read-shards.js';

/** One shard's observations of `suite`, moved by `shift` ms, in the shard's own start (seq) order. */
async function* readShard(file: string, suite: string, shift: number): AsyncGenerator<Observation> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const ready: Observation[] = [];
  const inOrder = new SeqOrder((o) => ready.push(o));
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
    inOrder.push({ ...o, startMs: o.startMs + shift, endMs: o.endMs + shift, ...(data ? { data } : {}) });
    yield* ready.splice(0);
  }
  inOrder.flush();
  yield* ready.splice(0);
}

export async function* shardObservations(shards: readonly RunShard[], suiteIndex: number): AsyncGenerator<Observation> {
  const origins = shards.map((s) => {
    const at = s.suites[suiteIndex]?.trafficStartedAt;
    if (typeof at !== 'number') throw createShardsMismatchError(`${s.dir}: suite ${suiteIndex + 1} has no trafficStartedAt (written by an older lvs-harness?)`);
    return at;
  });
  const origin = Math.min(...origins);
  const streams = shards.map((s, i) => readShard(path.join(s.dir, 'observations.ndjson'), s.suites[suiteIndex]!.name, origins[i]! - origin));
  const heads = await Promise.all(streams.map((s) => s.next()));
  for (let seq = 0; ; seq++) {
    // The earliest start among the shards' next observations; a tie goes to the lower shard.
    let pick = -1;
    for (const [i, h] of heads.entries()) {
      if (!h.done && (pick < 0 || h.value.startMs < (heads[pick]!.value as Observation).startMs)) pick = i;
    }
    if (pick < 0) return;
    const o = heads[pick]!.value as Observation;
    heads[pick] = await streams[pick]!.next();
    yield { ...o, seq };
  }
}
