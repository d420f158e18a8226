import type { Observation } from '../model/observation.js';
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
  private readonly spans = new Map<string, { probe: string; first: number; last: number }>();

  add(o: Observation): void {
    const ms = { connect: o.timings.connectMs, firstByte: o.timings.firstByteMs, total: o.timings.totalMs };
    const failed = o.error !== null;
    this.all.add(failed, ms);
    recorder(this.byServer, o.realServer ?? UNKNOWN_SERVER).add(failed, ms);
    recorder(this.byProbe, o.probe).add(failed, ms);
    const key = `${o.probe}\0${o.round}`;
    const span = this.spans.get(key) ?? { probe: o.probe, first: o.startMs, last: o.endMs };
    span.first = Math.min(span.first, o.startMs);
    span.last = Math.max(span.last, o.endMs);
    this.spans.set(key, span);
  }

  metrics(): MetricSet {
    const probeSeconds = new Map<string, number>();
    for (const s of this.spans.values()) probeSeconds.set(s.probe, (probeSeconds.get(s.probe) ?? 0) + (s.last - s.first) / 1000);
    // Probes of one round run one after the other, so the suite's busy time is their sum.
    const seconds = [...probeSeconds.values()].reduce((a, b) => a + b, 0);
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
