/**
 * A shard's suite, loaded again for `merge` as the shards loaded it (address offset, --max-clients,
 * the kernel lab's move to guest addresses),
 * with the whole source pool: from where the shard read it when that file is still there unchanged
 * (files it names, such as a keepalived.conf or a check plugin, resolve beside it), else from the
 * copy in the shard's results folder.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { guestSuite } from '../lab/kernel/guest-addresses.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { offsetAddresses } from '../suite/address-offset.js';
import { loadSuite, type LoadedSuite } from '../suite/load-suite.js';
import { limitClients } from '../suite/max-clients.js';
import type { RunShard } from './read-shards.js';

function unchanged(file: string, sha256: string): boolean {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex') === sha256;
  } catch {
    return false;
  }
}

export async function loadShardSuite(shard: RunShard, index: number): Promise<LoadedSuite> {
  const { shard: record } = shard;
  const s = record.suites[index]!;
  const file = unchanged(s.path, s.sha256) ? s.path : path.join(shard.dir, s.copy);
  const loaded = await loadSuite(file, resolveCheck);
  const limited = limitClients(record.maxClients ?? undefined)(offsetAddresses(loaded, record.addressOffset));
  return record.lab === 'kernel' ? guestSuite(limited) : limited;
}
