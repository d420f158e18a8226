/**
 * A suite cut down to one shard: its block of the source pool and its part of the bench step. Suites
 * whose changes or held sessions act on the director at set times stay whole: N shards would make
 * each change N times, and their timelines could not be put back together; so do open-model suites,
 * whose arrival rate is the run's.
 */
import { createBadArgumentError } from '../core/errors.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { shardPart, shardRange, type ShardSpec } from './shard-spec.js';

export function shardSuite(suite: LoadedSuite, spec: ShardSpec): LoadedSuite {
  if (spec.count === 1) return suite;
  const { changes, sessions, bench } = suite.spec;
  if (changes.length > 0 || sessions.length > 0) {
    throw createBadArgumentError('--shard', `a suite without changes: or sessions: (${suite.file} has them; run it whole)`);
  }
  // An open model's rate is the whole run's: each shard would send all of it.
  if (suite.spec.traffic.mode === 'continuous') {
    throw createBadArgumentError('--shard', `a suite whose traffic is not mode: continuous (${suite.file} sends at a rate of its own; run it whole)`);
  }
  if (suite.sources.length < spec.count) {
    throw createBadArgumentError('--shard', `at most as many shards as ${suite.file} has source addresses (${suite.sources.length}), not ${spec.count}`);
  }
  if (bench && (bench.requests < spec.count || bench.concurrency < spec.count)) {
    throw createBadArgumentError('--shard', `a bench step of ${suite.file} with at least ${spec.count} requests and concurrency ${spec.count} to split`);
  }
  const { start, end } = shardRange(suite.sources.length, spec);
  const sources = suite.sources.slice(start, end);
  return {
    ...suite,
    sources,
    spec: {
      ...suite.spec,
      clients: { ...suite.spec.clients, sources },
      ...(bench ? { bench: { ...bench, requests: shardPart(bench.requests, spec), concurrency: shardPart(bench.concurrency, spec) } } : {}),
    },
  };
}
