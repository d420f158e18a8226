/**
 * The run:begin and run:end events, one way for whoever ends a run (a run of suites, a merge of
 * shards): the outcome comes from one precedence table over the suites' outcomes, run:end is emitted
 * whatever happened and the reporters are closed after it, so results.json is always complete.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isHarnessError, type HarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { EVENT_RUN_BEGIN, EVENT_RUN_END, type RunEvent, type RunOutcome } from '../model/events.js';
import type { Reporter } from '../reporters/reporter.js';

/** Worst first: the first outcome in this list that any suite had is the run's. */
const PRECEDENCE: readonly RunOutcome[] = ['aborted', 'invalid', 'environment', 'unreachable', 'plugin-error', 'failed', 'passed'];

const EXIT_CODES: Record<RunOutcome, number> = {
  passed: ExitCode.Passed,
  failed: ExitCode.ChecksFailed,
  invalid: ExitCode.InvalidInput,
  unreachable: ExitCode.TargetUnreachable,
  aborted: ExitCode.Aborted,
  'plugin-error': ExitCode.PluginError,
  environment: ExitCode.InvalidEnvironment,
};

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The run's outcome: the worst its suites had, or `fallback` when none ended. */
export function runOutcome(outcomes: readonly RunOutcome[], fallback: RunOutcome): { outcome: RunOutcome; exitCode: number } {
  const outcome = PRECEDENCE.find((o) => outcomes.includes(o)) ?? fallback;
  return { outcome, exitCode: EXIT_CODES[outcome] };
}

export interface RunLifecycle {
  resultsDir: string;
  emit: (e: RunEvent) => void;
  /** Emits run:end and closes the reporters. `crash` is a bug of ours, recorded as INTERNAL. */
  end(outcomes: readonly RunOutcome[], fallback: RunOutcome, error: HarnessError | null, crash?: unknown): Promise<{ outcome: RunOutcome; exitCode: number }>;
}

export function beginRun(reporters: readonly Reporter[], resultsRoot: string, suites: readonly string[], startedAt: string): RunLifecycle {
  const started = performance.now();
  const runId = newRunId();
  const resultsDir = path.join(resultsRoot, runId);
  const emit = (e: RunEvent): void => {
    for (const r of reporters) r.onEvent(e);
  };
  emit({ type: EVENT_RUN_BEGIN, runId, suites: [...suites], resultsDir, startedAt });
  return {
    resultsDir,
    emit,
    async end(outcomes, fallback, error, crash) {
      const { outcome, exitCode } = runOutcome(outcomes, fallback);
      emit({
        type: EVENT_RUN_END,
        outcome,
        exitCode,
        resultsDir,
        durationMs: performance.now() - started,
        error: crash ? { code: 'INTERNAL', message: crash instanceof Error ? crash.message : String(crash) } : errorRecord(error),
      });
      for (const r of reporters) await r.close?.();
      return { outcome, exitCode };
    },
  };
}

/** The error as run:end and results.json carry it. */
function errorRecord(error: HarnessError | null): { code: string; message: string; hint?: string } | null {
  return error ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } : null;
}

/**
 * What stopped a run before its end, its outcome added to `outcomes`: a HarnessError is the run's
 * error; anything else is a bug of ours (`crash`), recorded as INTERNAL and rethrown after run:end.
 */
export function stopped(e: unknown, outcomes: RunOutcome[]): { error: HarnessError | null; crash: unknown } {
  if (!isHarnessError(e)) {
    outcomes.push('failed');
    return { error: null, crash: e };
  }
  outcomes.push(outcomeOfError(e));
  return { error: e, crash: null };
}

function outcomeOfError(e: HarnessError): RunOutcome {
  switch (e.exitCode) {
    case ExitCode.InvalidInput:
      return 'invalid';
    case ExitCode.InvalidEnvironment:
      return 'environment';
    case ExitCode.TargetUnreachable:
      return 'unreachable';
    case ExitCode.Aborted:
      return 'aborted';
    case ExitCode.PluginError:
      return 'plugin-error';
    default:
      return 'failed';
  }
}
