/**
 * A sharded run merged into one: every suite loaded first (nothing written if one cannot be), then
 * judged suite by suite, with the run's events going to the same reporters a run has, so the merged
 * run has its results.json, observations.ndjson, report.html and verdicts like a single run's.
 */
import type { HarnessError } from '../core/errors.js';
import type { RunOutcome } from '../model/events.js';
import type { Reporter } from '../reporters/reporter.js';
import { beginRun, stopped } from '../runner/run-lifecycle.js';
import type { RunResult } from '../runner/run.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { Threshold } from '../thresholds/parse.js';
import { mergeSuite, type UnionDirector } from './merge-suite.js';
import type { RunShard } from './read-shards.js';
import { loadShardSuite } from './shard-suite-file.js';

export async function mergeRun(
  shards: readonly RunShard[],
  opts: {
    resultsRoot: string;
    reporters: readonly Reporter[];
    thresholds: readonly Threshold[];
    /** Per suite, the director all shards shared (shards in one kernel lab); absent for shards on several hosts. */
    unions?: readonly UnionDirector[];
  },
): Promise<RunResult> {
  const record = shards[0]!.shard;
  const suites: LoadedSuite[] = [];
  for (const i of record.suites.keys()) suites.push(await loadShardSuite(shards[0]!, i));
  const startedAt = shards.map((s) => s.startedAt).sort()[0]!;
  const lifecycle = beginRun(opts.reporters, opts.resultsRoot, record.suites.map((s) => s.file), startedAt);
  const outcomes: RunOutcome[] = [];
  let error: HarnessError | null = null;
  // A shard file that turns out bad mid-merge still leaves a complete results.json.
  let crash: unknown = null;
  try {
    for (const [i, suite] of suites.entries()) {
      const r = await mergeSuite(suite, shards, i, lifecycle.emit, opts.thresholds, record.lab, opts.unions?.[i]);
      outcomes.push(r.outcome);
      error ??= r.failures[0] ?? null;
    }
  } catch (e) {
    ({ error, crash } = stopped(e, outcomes));
  }
  const { outcome, exitCode } = await lifecycle.end(outcomes, 'passed', error, crash);
  if (crash) throw crash;
  return { outcome, exitCode, resultsDir: lifecycle.resultsDir, error };
}
