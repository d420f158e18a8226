/**
 * A whole run: every suite is loaded and validated first (nothing is sent if any is wrong), then the
 * suites run one after the other. The outcome and exit code come from one precedence table, and the
 * run:end event is emitted whatever happened, so results.json is always complete.
 */
import { createAbortedError, createUndersizedSuiteError, type HarnessError } from '../core/errors.js';
import type { RunOutcome } from '../model/events.js';
import type { Reporter } from '../reporters/reporter.js';
import { loadSuite, type LoadedSuite } from '../suite/load-suite.js';
import { resolveCheck } from './check-resolver.js';
import type { Director } from '../director/model.js';
import type { LabFactory } from '../lab/lab.js';
import { sizingProblems } from './plugin-driver.js';
import { beginRun, stopped } from './run-lifecycle.js';
import { runSuite, suiteView } from './run-suite.js';
import type { ChangeTarget } from '../changes/change-target.js';
import { checkArgumentScopes } from '../thresholds/argument-scopes.js';
import type { Threshold } from '../thresholds/parse.js';
import { shardSuite } from '../shard/shard-suite.js';
import type { ShardSpec } from '../shard/shard-spec.js';

export interface RunOptions {
  suiteFiles: readonly string[];
  startLab: LabFactory;
  /** Adapts each loaded suite to the lab, e.g. the kernel lab's guest addresses; as loaded if absent. */
  prepareSuite?: (suite: LoadedSuite) => LoadedSuite;
  labName: string;
  /** Read before and after each suite's traffic when no lab is started (`--director CMD`). */
  director?: Director;
  resultsRoot: string;
  reporters: readonly Reporter[];
  signal: AbortSignal;
  /** Who makes each suite's `changes:` instead of the lab (`--manual`: the operator at a terminal). */
  changeTarget?: (suite: LoadedSuite) => ChangeTarget;
  /** `--threshold` thresholds: judged in every suite beside the suite's own. */
  thresholds?: readonly Threshold[];
  /** `--shard i/N`: each suite runs with its block of the source pool; sizing is judged on the whole pool. */
  shard?: ShardSpec;
  /** `--start-at`: epoch ms at which each suite's traffic may begin. */
  startAtMs?: number;
  /** `--keepalived-id`, for the suites' keepalived.conf files. */
  keepalivedId?: string;
  /** Why the lab's director is not this run's alone (a shard beside others in one kernel lab). */
  sharedDirector?: string;
}

export interface RunResult {
  outcome: RunOutcome;
  exitCode: number;
  resultsDir: string;
  /** What stopped the run or made it fail other than by a check, for the CLI to print. */
  error: HarnessError | null;
}

export async function run(opts: RunOptions): Promise<RunResult> {
  const lifecycle = beginRun(opts.reporters, opts.resultsRoot, opts.suiteFiles, new Date().toISOString());
  const { emit, resultsDir } = lifecycle;

  const outcomes: RunOutcome[] = [];
  let error: HarnessError | null = null;
  // A bug of ours must still leave a complete results.json behind; it is rethrown after.
  let crash: unknown = null;
  try {
    const suites: LoadedSuite[] = [];
    const prepare = opts.prepareSuite ?? ((s: LoadedSuite) => s);
    for (const file of opts.suiteFiles) suites.push(prepare(await loadSuite(file, resolveCheck, opts.keepalivedId === undefined ? {} : { keepalivedId: opts.keepalivedId })));
    checkArgumentScopes(opts.thresholds ?? [], suites);
    for (const suite of suites) {
      const problems = sizingProblems(suite.checks, suiteView(suite, opts.labName, opts.director !== undefined));
      if (problems.length > 0) throw createUndersizedSuiteError(suite.file, problems);
    }
    // Cut after sizing: the merge of all shards judges the whole pool; every cut is checked before any traffic.
    const parts = suites.map((suite) => (opts.shard ? shardSuite(suite, opts.shard) : suite));
    for (const suite of parts) {
      if (opts.signal.aborted) break;
      const r = await runSuite(suite, {
        startLab: opts.startLab,
        labName: opts.labName,
        director: opts.director,
        emit,
        signal: opts.signal,
        ...(opts.changeTarget ? { changeTarget: opts.changeTarget } : {}),
        ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
        ...(opts.startAtMs !== undefined ? { startAtMs: opts.startAtMs } : {}),
        keepBenchRecords: opts.shard !== undefined,
        ...(opts.sharedDirector !== undefined ? { sharedDirector: opts.sharedDirector } : {}),
      });
      outcomes.push(r.outcome);
      error ??= r.pluginFailures[0] ?? null;
    }
    if (opts.signal.aborted) error = createAbortedError(typeof opts.signal.reason === 'string' ? opts.signal.reason : 'SIGINT');
  } catch (e) {
    ({ error, crash } = stopped(e, outcomes));
  }
  const { outcome, exitCode } = await lifecycle.end(outcomes, opts.signal.aborted ? 'aborted' : 'invalid', error, crash);
  if (crash) throw crash;
  return { outcome, exitCode, resultsDir, error };
}
