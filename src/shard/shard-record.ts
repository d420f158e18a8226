/**
 * What a shard writes into results.json (`shard`), and the copies of its suite files beside it, so
 * that `merge` can rebuild the suites and their checks on another host (a pod's suite came from a
 * ConfigMap that is not where the merge runs). `run` is the same for every shard of one run: merge
 * refuses shards whose suites, shard count, start time or address options differ.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ShardSpec } from './shard-spec.js';

export interface ShardSuiteFile {
  /** As given on the command line. */
  file: string;
  /** Absolute, where the shard read it. */
  path: string;
  /** The copy in the shard's results folder, relative to it. */
  copy: string;
  sha256: string;
}

export interface ShardRecord {
  schema: 'lvs-harness/shard@1';
  index: number;
  count: number;
  /** Equal for the shards of one run. */
  run: string;
  startAt: string | null;
  lab: string;
  addressOffset: number;
  maxClients: number | null;
  suites: ShardSuiteFile[];
}

export interface ShardRunOptions {
  startAtMs: number | undefined;
  lab: string;
  addressOffset: number;
  maxClients: number | undefined;
}

function sha256(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    // Loading the suite reports a missing or unreadable file with its own message.
    return '';
  }
}

export function shardRecord(spec: ShardSpec, files: readonly string[], opts: ShardRunOptions): ShardRecord {
  const suites = files.map((file, i) => ({ file, path: path.resolve(file), copy: path.join('suites', `${i}-${path.basename(file)}`), sha256: sha256(file) }));
  const shared = {
    count: spec.count,
    startAt: opts.startAtMs === undefined ? null : new Date(opts.startAtMs).toISOString(),
    lab: opts.lab,
    addressOffset: opts.addressOffset,
    maxClients: opts.maxClients ?? null,
  };
  const run = createHash('sha256').update(JSON.stringify({ ...shared, suites: suites.map((s) => s.sha256) })).digest('hex').slice(0, 16);
  return { schema: 'lvs-harness/shard@1', index: spec.index, run, ...shared, suites };
}

/** Copies the suite files into the results folder, where `copy` says. */
export function writeSuiteCopies(dir: string, record: ShardRecord): void {
  mkdirSync(path.join(dir, 'suites'), { recursive: true });
  for (const s of record.suites) {
    if (s.sha256) copyFileSync(s.path, path.join(dir, s.copy));
  }
}
