import type { Observation } from '../model/observation.js';
import { busySeconds } from './busy-time.js';
import { ScopeRecorder } from './latency-recorder.js';
import type { MetricSet } from './metric-set.js';

/** Name for connections that reached no identified real server (as the suite summary names them). */
export const UNKNOWN_SERVER = '(unknown)';

/**
 * A suite's traffic as a MetricSet: every connection's timings in HDR histograms overall, per probe and
 * per real server. Busy time is the span of each (probe, round) wave, so pauses between rounds do not
 * dilute the rate.
 */
export function trafficMetrics(observations: readonly Observation[]): MetricSet {
  const all = new ScopeRecorder();
  const byServer = new Map<string, ScopeRecorder>();
  const byProbe = new Map<string, ScopeRecorder>();
  for (const o of observations) {
    const ms = { connect: o.timings.connectMs, firstByte: o.timings.firstByteMs, total: o.timings.totalMs };
    const failed = o.error !== null;
    all.add(failed, ms);
    recorder(byServer, o.realServer ?? UNKNOWN_SERVER).add(failed, ms);
    recorder(byProbe, o.probe).add(failed, ms);
  }
  const { seconds, byProbe: probeSeconds } = busySeconds(observations);
  return {
    schema: 'lvs-harness/metrics@1',
    source: 'traffic',
    seconds,
    all: all.toJSON(),
    byServer: Object.fromEntries([...byServer].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) => [k, r.toJSON()])),
    byProbe: Object.fromEntries([...byProbe].map(([k, r]) => [k, { ...r.toJSON(), seconds: probeSeconds.get(k) ?? 0 }])),
  };
}

function recorder(map: Map<string, ScopeRecorder>, key: string): ScopeRecorder {
  let r = map.get(key);
  if (!r) map.set(key, (r = new ScopeRecorder()));
  return r;
}
