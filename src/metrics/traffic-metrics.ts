import type { Observation } from '../model/observation.js';
import { BusyTime } from './busy-time.js';
import { ScopeRecorder } from './latency-recorder.js';
import type { MetricSet } from './metric-set.js';

/** Name for connections that reached no identified real server (as the suite summary names them). */
export const UNKNOWN_SERVER = '(unknown)';

/**
 * A suite's traffic as a MetricSet, kept as the connections finish: every connection's timings in HDR histograms overall, per probe and
 * per real server. Busy time is the span of each (probe, round) wave, so pauses between rounds do not
 * dilute the rate.
 */
export class TrafficMetricsTally {
  private readonly all = new ScopeRecorder();
  private readonly byServer = new Map<string, ScopeRecorder>();
  private readonly byProbe = new Map<string, ScopeRecorder>();
  private readonly busy = new BusyTime();

  add(o: Observation): void {
    const ms = { connect: o.timings.connectMs, firstByte: o.timings.firstByteMs, total: o.timings.totalMs };
    const failed = o.error !== null;
    this.all.add(failed, ms);
    recorder(this.byServer, o.realServer ?? UNKNOWN_SERVER).add(failed, ms);
    recorder(this.byProbe, o.probe).add(failed, ms);
    this.busy.add(o);
  }

  metrics(): MetricSet {
    const { seconds, byProbe: probeSeconds } = this.busy.seconds();
    return {
      schema: 'lvs-harness/metrics@1',
      source: 'traffic',
      seconds,
      all: this.all.toJSON(),
      byServer: Object.fromEntries([...this.byServer].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) => [k, r.toJSON()])),
      byProbe: Object.fromEntries([...this.byProbe].map(([k, r]) => [k, { ...r.toJSON(), seconds: probeSeconds.get(k) ?? 0 }])),
    };
  }
}

function recorder(map: Map<string, ScopeRecorder>, key: string): ScopeRecorder {
  let r = map.get(key);
  if (!r) map.set(key, (r = new ScopeRecorder()));
  return r;
}
