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
}

export interface TrafficResult {
  /** In the order connections were started. */
  observations: Observation[];
  unreachable: boolean;
}

export async function executeWaves(waves: readonly Wave[], opts: ExecuteOptions): Promise<TrafficResult> {
  // Every in-flight connection listens for the abort; more than Node's default 10 is expected.
  setMaxListeners(opts.concurrency + 10, opts.signal);
  const t0 = performance.now();
  const deadline = t0 + opts.deadlineMs;
  const observations: Observation[] = [];
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
          const o: Observation = {
            seq: mySeq,
            round: wave.round,
            probe: wave.probe.name,
            protocol: wave.probe.type,
            client: { address: task.client, port: r.clientPort },
            target: { address: opts.host, port: wave.probe.port },
            realServer: r.realServer,
            startMs: r.startedAt - t0,
            endMs: r.endedAt - t0,
            timings: { connectMs: r.connectMs, firstByteMs: r.firstByteMs, totalMs: r.endedAt - r.startedAt },
            requests: r.requests,
            bytes: { sent: r.bytesSent, received: r.bytesReceived },
            status: r.status,
            error: r.error,
            // Data connection times are relative to their session; observations count from the suite's start.
            ...(r.data ? { data: r.data.map((d) => ({ ...d, startMs: d.startMs + r.startedAt - t0, endMs: d.endMs + r.startedAt - t0 })) } : {}),
          };
          if (o.error === null || o.realServer !== null) succeeded++;
          else if (CONNECT_FAILURES.has(o.error.code) && o.timings.connectMs === null) failedConnects++;
          observations.push(o);
          opts.onObservation(o);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, wave.tasks.length) }, worker));
  }
  if (!opts.signal.aborted && performance.now() > deadline) {
    opts.onWarning(`traffic stopped at the suite's maxSeconds (${Math.round(opts.deadlineMs / 1000)} s)`);
  }
  observations.sort((a, b) => a.seq - b.seq);
  return { observations, unreachable: succeeded === 0 && failedConnects > 0 };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
