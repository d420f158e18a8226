/**
 * Gaps traffic, for measuring template lifetimes: every client makes one connection, stays idle for
 * its gap (counted from that connection's start, as the template's timer is), and connects again.
 * Clients are dealt to the gaps in turn, so each gap gets an equal share of them; the gaps are the
 * suite's `gapsSeconds` or chosen around the template's configured lifetime (defaultGaps).
 */
import { defaultGaps, effectiveLifetimeSeconds } from '../analysis/effective-lifetime.js';
import type { Observation } from '../model/observation.js';
import { createProbeRunner } from '../probes/probe.js';
import type { SuiteSpec } from '../suite/schema.js';
import { trafficProbe, type ContinuousOptions } from './continuous-traffic.js';
import { isConnectFailure, type TrafficResult } from './execute-waves.js';
import { sleep } from './sleep.js';
import { toObservation } from './to-observation.js';

function gapsOf(spec: SuiteSpec): number[] {
  return spec.traffic.gapsSeconds ?? defaultGaps(effectiveLifetimeSeconds(spec.service));
}

export async function runGaps(spec: SuiteSpec, sources: readonly string[], opts: ContinuousOptions): Promise<TrafficResult> {
  const gaps = gapsOf(spec);
  const probeSpec = trafficProbe(spec);
  const probe = createProbeRunner(probeSpec, opts.host);
  const deadline = opts.t0 + spec.traffic.maxSeconds * 1000;
  let seq = 0;
  let succeeded = false;
  let connectFailure = false;
  const connect = async (client: string, round: number): Promise<Observation> => {
    const mySeq = seq++;
    const o = toObservation(await probe(client, opts.signal), { seq: mySeq, round, probe: probeSpec, client, host: opts.host, t0: opts.t0 });
    if (o.error === null || o.realServer !== null) succeeded = true;
    else if (isConnectFailure(o)) connectFailure = true;
    opts.onObservation(o);
    return o;
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    const pending: Promise<void>[] = [];
    while (next < sources.length && !opts.signal.aborted) {
      const i = next++;
      const client = sources[i]!;
      const first = await connect(client, 0);
      const returnAt = opts.t0 + first.startMs + gaps[i % gaps.length]! * 1000;
      if (returnAt > deadline) {
        opts.onWarning(`gap ${gaps[i % gaps.length]} s runs past the suite's maxSeconds; ${client} does not come back`);
        continue;
      }
      pending.push(sleep(returnAt - performance.now(), opts.signal).then(async () => {
        if (!opts.signal.aborted) await connect(client, 1);
      }));
    }
    await Promise.all(pending);
  };
  await Promise.all(Array.from({ length: Math.min(spec.traffic.concurrency, sources.length) }, worker));
  return { unreachable: !succeeded && connectFailure };
}
