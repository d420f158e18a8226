/**
 * Executes traffic waves: within a wave, `concurrency` workers take clients in the planned order and
 * make each client's connections one after another (a user's connections are sequential). Waves run
 * one after the other, with the suite's pause between rounds. Bounded by the plan's size, a deadline
 * and the abort signal; a target that refuses every early connection stops the run instead of being
 * hammered for minutes.
 */
import { setMaxListeners } from 'node:events';
import type { Observation } from '../model/observation.js';
import { createProbeRunner, type ProbeRunner } from '../probes/probe.js';
import type { Wave } from './traffic-plan.js';
import { toObservation } from './to-observation.js';
import { sleep } from './sleep.js';

const UNREACHABLE_AFTER = 20;
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export interface ExecuteOptions {
  host: string;
  concurrency: number;
  pauseSeconds: number;
  deadlineMs: number;
  signal: AbortSignal;
  onObservation(o: Observation): void;
  onWarning(message: string): void;
  /** The traffic clock's origin (performance.now()), when other work shares it; now by default. */
  t0?: number;
}

/** The connections themselves went to `onObservation` as they finished; nothing keeps them here. */
export interface TrafficResult {
  unreachable: boolean;
}

/** Connection failures that mean the target is not there at all, when nothing ever succeeded. */
export function isConnectFailure(o: Observation): boolean {
  return o.error !== null && o.realServer === null && CONNECT_FAILURES.has(o.error.code) && o.timings.connectMs === null;
}

export async function executeWaves(waves: readonly Wave[], opts: ExecuteOptions): Promise<TrafficResult> {
  // Every in-flight connection listens for the abort; more than Node's default 10 is expected.
  setMaxListeners(opts.concurrency + 10, opts.signal);
  const t0 = opts.t0 ?? performance.now();
  const deadline = t0 + opts.deadlineMs;
  const probes = new Map<string, ProbeRunner>();
  let seq = 0;
  let succeeded = 0;
  let failedConnects = 0;
  const stop = (): boolean =>
    opts.signal.aborted || performance.now() > deadline || (succeeded === 0 && failedConnects >= UNREACHABLE_AFTER);

  let previousRound = 0;
  for (const wave of waves) {
    if (stop()) break;
    if (wave.round !== previousRound && opts.pauseSeconds > 0) await sleep(opts.pauseSeconds * 1000, opts.signal);
    previousRound = wave.round;
    const probe = probes.get(wave.probe.name) ?? createProbeRunner(wave.probe, opts.host);
    probes.set(wave.probe.name, probe);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < wave.tasks.length && !stop()) {
        const task = wave.tasks[next++]!;
        for (let k = 0; k < task.connections && !stop(); k++) {
          const mySeq = seq++;
          const r = await probe(task.client, opts.signal);
          const o = toObservation(r, { seq: mySeq, round: wave.round, probe: wave.probe, client: task.client, host: opts.host, t0 });
          if (o.error === null || o.realServer !== null) succeeded++;
          else if (isConnectFailure(o)) failedConnects++;
          opts.onObservation(o);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, wave.tasks.length) }, worker));
  }
  if (!opts.signal.aborted && performance.now() > deadline) {
    opts.onWarning(`traffic stopped at the suite's maxSeconds (${Math.round(opts.deadlineMs / 1000)} s)`);
  }
  return { unreachable: succeeded === 0 && failedConnects > 0 };
}
