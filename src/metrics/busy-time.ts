import type { Observation } from '../model/observation.js';

/**
 * Busy time per probe and overall, kept as the connections finish: the span of each (probe, round)
 * wave, so pauses between rounds do not dilute a rate. Probes of one round run one after the other,
 * so the suite's is their sum. It grows with probes and rounds, not connections.
 */
export class BusyTime {
  private readonly spans = new Map<string, { probe: string; first: number; last: number }>();

  add(o: Observation): void {
    const key = `${o.probe}\0${o.round}`;
    const span = this.spans.get(key);
    if (span === undefined) this.spans.set(key, { probe: o.probe, first: o.startMs, last: o.endMs });
    else {
      span.first = Math.min(span.first, o.startMs);
      span.last = Math.max(span.last, o.endMs);
    }
  }

  seconds(): { seconds: number; byProbe: Map<string, number> } {
    const byProbe = new Map<string, number>();
    for (const s of this.spans.values()) byProbe.set(s.probe, (byProbe.get(s.probe) ?? 0) + (s.last - s.first) / 1000);
    return { seconds: [...byProbe.values()].reduce((a, b) => a + b, 0), byProbe };
  }
}
