/**
 * A sharded run merged into one: every suite loaded first (nothing written if one cannot be), then
 * judged suite by suite, with the run's events going to the same reporters a run has, so the merged
 * run has its results.json, observations.ndjson, report.html and verdicts like a single run's.
 */
import path from 'node:path';
import type { HarnessError } from '../core/errors.js';
import { EVENT_RUN_BEGIN, EVENT_RUN_END, type RunEvent, type RunOutcome } from '../model/events.js';
import type { Reporter } from '../reporters/reporter.js';
import { errorRecord, EXIT_CODES, newRunId, PRECEDENCE } from '../runner/run.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { Threshold } from '../thresholds/parse.js';
import { mergeSuite, type UnionDirector } from './merge-suite.js';
import type { RunShard } from './read-shards.js';
import { loadShardSuite } from './shard-suite-file.js';

export interface MergeRunResult {
  outcome: RunOutcome;
  exitCode: number;
  resultsDir: string;
  error: HarnessError | null;
}

export async function mergeRun(
  shards: readonly RunShard[],
  opts: {
    resultsRoot: string;
    reporters: readonly Reporter[];
    thresholds: readonly Threshold[];
    /** Per suite, the director all shards shared (shards in one kernel lab); absent for shards on several hosts. */
    unions?: readonly UnionDirector[];
  },
): Promise<MergeRunResult> {
  const started = performance.now();
  const record = shards[0]!.shard;
  const suites: LoadedSuite[] = [];
  for (const i of record.suites.keys()) suites.push(await loadShardSuite(shards[0]!, i));
  const runId = newRunId();
  const resultsDir = path.join(opts.resultsRoot, runId);
  const emit = (e: RunEvent): void => {
    for (const r of opts.reporters) r.onEvent(e);
  };
  const startedAt = shards.map((s) => s.startedAt).sort()[0]!;
  emit({ type: EVENT_RUN_BEGIN, runId, suites: record.suites.map((s) => s.file), resultsDir, startedAt });
  const outcomes: RunOutcome[] = [];
  let error: HarnessError | null = null;
  for (const [i, suite] of suites.entries()) {
    const r = await mergeSuite(suite, shards, i, emit, opts.thresholds, record.lab, opts.unions?.[i]);
    outcomes.push(r.outcome);
    error ??= r.failures[0] ?? null;
  }
  const outcome = PRECEDENCE.find((o) => outcomes.includes(o)) ?? 'passed';
  const exitCode = EXIT_CODES[outcome];
  emit({
    type: EVENT_RUN_END,
    outcome,
    exitCode,
    resultsDir,
    durationMs: performance.now() - started,
    error: errorRecord(error),
  });
  for (const r of opts.reporters) await r.close?.();
  return { outcome, exitCode, resultsDir, error };
}
