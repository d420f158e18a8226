/**
 * The runner's event stream. Reporters subscribe to these and nothing else; every payload is plain
 * JSON so a run can be written to disk, replayed, or sent between processes unchanged.
 */
import type { LabSnapshot } from '../lab/lab.js';
import type { Observation } from './observation.js';
import type { DirectorReadings } from './plugin.js';
import type { SuiteSummary } from './summary.js';
import type { Verdict } from './verdict.js';
import type { ChangeEvent, ChangeWindow } from './change-window.js';

export const EVENT_RUN_BEGIN = 'run:begin';
export const EVENT_SUITE_BEGIN = 'suite:begin';
export const EVENT_LAB_READY = 'lab:ready';
export const EVENT_OBSERVATION = 'observation';
export const EVENT_CHECK = 'check';
export const EVENT_BENCH = 'bench';
export const EVENT_SUITE_END = 'suite:end';
export const EVENT_RUN_END = 'run:end';
export const EVENT_WARNING = 'warning';
/** A change of the suite's change window has been made (or failed), with the moment it took effect. */
export const EVENT_CHANGE = 'change';

export type RunOutcome = 'passed' | 'failed' | 'invalid' | 'unreachable' | 'aborted' | 'plugin-error' | 'environment';

export type RunEvent =
  | { type: typeof EVENT_RUN_BEGIN; runId: string; suites: string[]; resultsDir: string; startedAt: string }
  | { type: typeof EVENT_SUITE_BEGIN; suite: string; file: string; lab: string }
  | { type: typeof EVENT_LAB_READY; suite: string; description: string }
  | { type: typeof EVENT_OBSERVATION; suite: string; observation: Observation }
  | { type: typeof EVENT_CHECK; suite: string; verdict: Verdict }
  | { type: typeof EVENT_BENCH; suite: string; report: string; result: unknown; probe?: string; target?: string }
  | { type: typeof EVENT_SUITE_END; suite: string; outcome: RunOutcome; summary: SuiteSummary; verdicts: Verdict[]; lab: LabSnapshot | null; director: DirectorReadings; durationMs: number; window?: ChangeWindow; trafficStartedAt?: number }
  | { type: typeof EVENT_RUN_END; outcome: RunOutcome; exitCode: number; resultsDir: string; durationMs: number; error: { code: string; message: string; hint?: string } | null }
  | { type: typeof EVENT_WARNING; suite: string | null; message: string }
  | { type: typeof EVENT_CHANGE; suite: string; change: ChangeEvent };

export type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
