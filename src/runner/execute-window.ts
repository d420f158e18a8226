/**
 * The traffic phase of a suite with a change window: one clock (t0) shared by the traffic (rounds,
 * continuous or gaps), the held sessions and the changes, so every observation, session probe and
 * change is stamped on the same time line. Without changes, sessions or another traffic mode it is
 * plain executeWaves.
 */
import { setMaxListeners } from 'node:events';
import type { ChangeTarget } from '../changes/change-target.js';
import type { ChangeEvent, SessionRecord } from '../model/change-window.js';
import type { Observation } from '../model/observation.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { runChanges } from './change-schedule.js';
import { runContinuous } from './continuous-traffic.js';
import { executeWaves, type TrafficResult } from './execute-waves.js';
import { runGaps } from './gap-traffic.js';
import { holdSessions } from './held-sessions.js';
import { planWaves } from './traffic-plan.js';

export interface WindowOptions {
  signal: AbortSignal;
  target: ChangeTarget | undefined;
  onObservation(o: Observation): void;
  onWarning(message: string): void;
  onChange(e: ChangeEvent): void;
}

export interface WindowTraffic extends TrafficResult {
  /** Null when the suite has no change window (no changes, no sessions, rounds traffic). */
  changes: ChangeEvent[] | null;
  sessions: SessionRecord[];
}

function hasWindow(suite: LoadedSuite): boolean {
  const { spec } = suite;
  return spec.changes.length > 0 || spec.sessions.length > 0 || spec.traffic.mode !== 'rounds';
}

export async function executeTraffic(suite: LoadedSuite, opts: WindowOptions): Promise<WindowTraffic> {
  const { spec, sources } = suite;
  const host = spec.vip;
  const rounds = {
    host,
    signal: opts.signal,
    pauseSeconds: spec.traffic.pauseSeconds,
    concurrency: spec.traffic.concurrency,
    deadlineMs: spec.traffic.maxSeconds * 1000,
    onObservation: opts.onObservation,
    onWarning: opts.onWarning,
  };
  if (!hasWindow(suite)) return { ...(await executeWaves(planWaves(spec, sources), rounds)), changes: null, sessions: [] };

  const t0 = performance.now();
  const trafficDone = new AbortController();
  const sessionCount = spec.sessions.reduce((n, s) => n + s.count, 0);
  // Every connection in flight, session and waiting retry listens for an abort.
  setMaxListeners(spec.traffic.concurrency * 2 + sessionCount + 20, opts.signal, trafficDone.signal);
  const stop = (): void => trafficDone.abort();
  opts.signal.addEventListener('abort', stop, { once: true });
  // Session clients come from the end of the pool; the traffic's new clients from its start.
  const trafficSources = sessionCount > 0 && sources.length > sessionCount ? sources.slice(0, sources.length - sessionCount) : sources;
  const sessions = holdSessions(spec, sources, { host, t0, signal: opts.signal, trafficDone: trafficDone.signal });
  const changes =
    opts.target === undefined
      ? Promise.resolve([])
      : runChanges(spec.changes, opts.target, { t0, signal: trafficDone.signal, applyConfigs: suite.applyConfigs ?? {}, onChange: opts.onChange });
  const each = { host, t0, signal: opts.signal, onObservation: opts.onObservation, onWarning: opts.onWarning };
  let traffic: TrafficResult;
  try {
    traffic =
      spec.traffic.mode === 'continuous'
        ? await runContinuous(spec, trafficSources, each)
        : spec.traffic.mode === 'gaps'
          ? await runGaps(spec, trafficSources, each)
          : await executeWaves(planWaves(spec, trafficSources), { ...rounds, t0 });
  } finally {
    stop();
    opts.signal.removeEventListener('abort', stop);
  }
  const made = await changes;
  const missed = spec.changes.length - made.length;
  if (missed > 0 && !opts.signal.aborted) opts.onWarning(`${missed} change(s) not made: the traffic ended before their time`);
  return { ...traffic, changes: made, sessions: await sessions };
}
