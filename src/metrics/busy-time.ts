import type { Observation } from '../model/observation.js';

/**
 * Busy seconds per probe and overall: the span of each (probe, round) wave, so pauses between rounds
 * do not dilute a rate. Probes of one round run one after the other, so the suite's is their sum.
 */
export function busySeconds(observations: readonly Observation[]): { seconds: number; byProbe: Map<string, number> } {
  const spans = new Map<string, { probe: string; first: number; last: number }>();
  for (const o of observations) {
    const key = `${o.probe}\0${o.round}`;
    const span = spans.get(key) ?? { probe: o.probe, first: o.startMs, last: o.endMs };
    span.first = Math.min(span.first, o.startMs);
    span.last = Math.max(span.last, o.endMs);
    spans.set(key, span);
  }
  const byProbe = new Map<string, number>();
  for (const s of spans.values()) byProbe.set(s.probe, (byProbe.get(s.probe) ?? 0) + (s.last - s.first) / 1000);
  return { seconds: [...byProbe.values()].reduce((a, b) => a + b, 0), byProbe };
}
