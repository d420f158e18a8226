/**
 * One suite of a sharded run, judged over the union of its shards' traffic: the shards' observations
 * go through a fresh plugin driver one at a time in start order, then through the runner's own
 * judging (judge-suite.ts), so stickiness is per client across shards and weights are on the union.
 * Shards on several hosts: no single director reading saw every client (each shard's lab, if any, saw
 * its own), so the suite is judged as against a director the harness did not build (`lab: none`), with
 * no lab snapshot and no director reading after the traffic (each shard cross-checked its own part).
 * Shards in one kernel lab (`run --lab kernel --shards N`) shared one director, read before the first
 * shard's traffic and after the last's (`union`): the union is cross-checked against it as a single
 * run is against its lab.
 */
import type { HarnessError } from '../core/errors.js';
import type { LabSnapshot } from '../lab/lab.js';
import type { DirectorReadings } from '../model/plugin.js';
import { formatAbReport } from '../bench/ab-report.js';
import { formatServerTable } from '../bench/server-table.js';
import { BusyTime } from '../metrics/busy-time.js';
import type { MetricSet } from '../metrics/metric-set.js';
import { EVENT_BENCH, EVENT_CHECK, EVENT_OBSERVATION, EVENT_SUITE_BEGIN, EVENT_SUITE_END, type RunEvent, type RunOutcome } from '../model/events.js';
import { judgeSuite, SuiteFeed, suiteOutcome } from '../runner/judge-suite.js';
import { PluginDriver } from '../runner/plugin-driver.js';
import { suiteView } from '../runner/run-suite.js';
import { expectedShares } from '../stats/expected-shares.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { Threshold } from '../thresholds/parse.js';
import { mergeBenchShards } from './merge-bench.js';
import { mergeMetricSets } from './merge-metrics.js';
import type { RunShard } from './read-shards.js';
import { shardObservations } from './shard-observations.js';

/** The one director every shard of a suite shared, read around all of their traffic, and its lab. */
export interface UnionDirector {
  lab: string;
  director: DirectorReadings;
  snapshot: LabSnapshot | null;
}

export async function mergeSuite(
  suite: LoadedSuite,
  shards: readonly RunShard[],
  index: number,
  emit: (e: RunEvent) => void,
  thresholds: readonly Threshold[],
  labName: string,
  union?: UnionDirector,
): Promise<{ outcome: RunOutcome; failures: HarnessError[] }> {
  const parts = shards.map((s) => s.suites[index]!);
  emit({ type: EVENT_SUITE_BEGIN, suite: suite.name, file: suite.file, lab: labName });
  const observations = shardObservations(shards, index);
  const view = suiteView(suite, union?.lab ?? 'none');
  const feed = new SuiteFeed(new PluginDriver(suite.checks, view));
  const busy = new BusyTime();
  for await (const o of observations) {
    feed.add(o);
    busy.add(o);
    emit({ type: EVENT_OBSERVATION, suite: suite.name, observation: o });
  }
  const metrics = mergeMetricSets(parts.map((p) => p.summary.metrics).filter((m): m is MetricSet => m !== undefined), busy.seconds());
  // Every shard read the director's config before its traffic; only a shared one was read after the union's.
  const director = union?.director ?? { before: parts[0]!.director.before, after: null };
  const lab = union?.snapshot ?? null;
  const { verdicts, failures, summary } = await judgeSuite(suite, feed, { suite: view, lab, director }, metrics, thresholds);
  for (const verdict of verdicts) emit({ type: EVENT_CHECK, suite: suite.name, verdict });
  const benches = parts.map((p) => p.bench?.result).filter((b) => b?.records !== undefined);
  if (benches.length === shards.length && benches.length > 0) {
    const { result } = mergeBenchShards(benches.map((b) => b!));
    const table = formatServerTable(result.servers, expectedShares(suite.spec.service.realServers, suite.spec.service.scheduler));
    const report = formatAbReport(result) + (table ? `\n${table}` : '');
    emit({ type: EVENT_BENCH, suite: suite.name, probe: suite.spec.bench?.probe, target: result.url, report, result });
  }
  const outcome = suiteOutcome({ aborted: false, unreachable: parts.every((p) => p.outcome === 'unreachable') }, { verdicts, failures });
  const origins = parts.map((p) => p.trafficStartedAt ?? Infinity);
  emit({
    type: EVENT_SUITE_END,
    suite: suite.name,
    outcome,
    summary,
    verdicts,
    lab,
    director,
    durationMs: Math.max(...parts.map((p) => p.durationMs)),
    trafficStartedAt: Math.min(...origins),
  });
  return { outcome, failures };
}
