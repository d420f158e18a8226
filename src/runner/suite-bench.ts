/**
 * A suite's `bench` step: ab-style load through the VIP with the suite's probe, its real-server
 * identification, its source addresses and the configured weights as expected shares.
 */
import { runBenchStep } from '../bench/bench-step.js';
import { EVENT_BENCH, type RunEvent } from '../model/events.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { HttpProbeSpec } from '../suite/schema.js';
import { expectedShares } from '../stats/expected-shares.js';
import { plainRecords } from '../shard/bench-shard.js';

/** `keepRecords` (a shard): the result carries every request's record, for merge's exact ab tables. */
export async function runSuiteBench(suite: LoadedSuite, signal: AbortSignal, emit: (e: RunEvent) => void, keepRecords = false): Promise<void> {
  const bench = suite.spec.bench!;
  // The schema only lets a bench name an HTTP probe.
  const probe = suite.spec.probes.find((p): p is HttpProbeSpec => p.type === 'http' && p.name === bench.probe)!;
  const url = `http://${suite.spec.vip}:${probe.port}${probe.path}`;
  const { result, report, records } = await runBenchStep({
    url,
    requests: bench.requests,
    concurrency: bench.concurrency,
    keepAlive: bench.keepAlive,
    sources: suite.sources,
    ...(probe.identify.header !== undefined ? { identifyHeader: probe.identify.header } : {}),
    ...(probe.identify.body !== undefined ? { identifyBodyRegex: probe.identify.body } : {}),
    expectedShares: expectedShares(suite.spec.service.realServers, suite.spec.service.scheduler),
    signal,
  });
  const kept = keepRecords ? { ...result, records: plainRecords(records) } : result;
  emit({ type: EVENT_BENCH, suite: suite.name, probe: probe.name, target: url, report, result: kept });
}
