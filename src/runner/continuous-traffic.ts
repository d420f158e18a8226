/**
 * Continuous traffic, an open model: new connections arrive at the suite's rate whatever the director
 * answers (a broken server does not slow the arrivals, as real users do not wait for each other).
 * Each arrival is a returning client (one already seen, at random) with probability `returning`, or
 * the next new client of the pool. Bounded by the duration, by maxConnections and by `concurrency`
 * connections in flight: an arrival that finds them all busy is skipped and counted.
 */
import type { Observation } from '../model/observation.js';
import { createProbeRunner } from '../probes/probe.js';
import type { ProbeSpec, SuiteSpec } from '../suite/schema.js';
import { isConnectFailure, type TrafficResult } from './execute-waves.js';
import { sleep } from './sleep.js';
import { toObservation } from './to-observation.js';
import { seededRandom } from './traffic-plan.js';

const UNREACHABLE_AFTER = 20;

export interface ContinuousOptions {
  host: string;
  t0: number;
  signal: AbortSignal;
  onObservation(o: Observation): void;
  onWarning(message: string): void;
}

export function trafficProbe(spec: SuiteSpec): ProbeSpec {
  return spec.probes.find((p) => p.name === spec.traffic.probe) ?? spec.probes[0]!;
}

export async function runContinuous(spec: SuiteSpec, sources: readonly string[], opts: ContinuousOptions): Promise<TrafficResult> {
  const t = spec.traffic;
  const durationMs = Math.min(t.durationSeconds ?? t.maxSeconds, t.maxSeconds) * 1000;
  const arrivals = Math.ceil(t.rate * (durationMs / 1000));
  // Retries come on top of the arrivals: by default as many again at most.
  const limit = t.maxConnections ?? arrivals * 2;
  const probeSpec = trafficProbe(spec);
  const probe = createProbeRunner(probeSpec, opts.host);
  const random = seededRandom(t.seed);
  const inFlight = new Set<Promise<void>>();
  const seen: string[] = [];
  let fresh = 0;
  let skipped = 0;
  let started = 0;
  let succeeded = 0;
  let failedConnects = 0;

  const pick = (): string => {
    if (seen.length > 0 && (random() < t.returning || fresh >= sources.length)) return seen[Math.floor(random() * seen.length)]!;
    const client = sources[fresh++]!;
    seen.push(client);
    return client;
  };
  const stopped = (): boolean => opts.signal.aborted || (succeeded === 0 && failedConnects >= UNREACHABLE_AFTER);
  const retries = new Set<Promise<void>>();
  const launch = (client: string): void => {
    if (started >= limit) return;
    if (inFlight.size >= t.concurrency) {
      skipped++;
      return;
    }
    const seq = started++;
    const done: Promise<void> = probe(client, opts.signal).then((r) => {
      const o = toObservation(r, { seq, round: 0, probe: probeSpec, client, host: opts.host, t0: opts.t0 });
      if (o.error === null || o.realServer !== null) succeeded++;
      else if (isConnectFailure(o)) failedConnects++;
      opts.onObservation(o);
      inFlight.delete(done);
      if (o.error !== null && t.retrySeconds > 0) retry(client);
    });
    inFlight.add(done);
  };
  const retry = (client: string): void => {
    const due = performance.now() + t.retrySeconds * 1000;
    if (due - opts.t0 >= durationMs) return;
    const waiting: Promise<void> = sleep(due - performance.now(), opts.signal).then(() => {
      retries.delete(waiting);
      if (!stopped()) launch(client);
    });
    retries.add(waiting);
  };
  for (let k = 0; k < arrivals && started < limit; k++) {
    const due = opts.t0 + (k * 1000) / t.rate;
    if (due - opts.t0 >= durationMs) break;
    await sleep(due - performance.now(), opts.signal);
    if (stopped()) break;
    launch(pick());
  }
  // Retries and connections in flight may start more of each other; both sets drain within the duration.
  while (retries.size > 0 || inFlight.size > 0) await Promise.race([...retries, ...inFlight]);
  if (skipped > 0) {
    opts.onWarning(`${skipped} arrival(s) skipped: ${t.concurrency} connections were already in flight (raise traffic.concurrency or lower traffic.rate)`);
  }
  return { unreachable: succeeded === 0 && failedConnects > 0 };
}
