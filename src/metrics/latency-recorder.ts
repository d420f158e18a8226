import type { Histogram } from 'hdr-histogram-js';
import { createHistogram, encodeHistogram } from '../bench/histograms.js';
import type { EncodedLatency, LatencyKind, ScopeFigures } from './metric-set.js';

/** Accumulates one scope's counts and latency histograms; milliseconds in, whole microseconds recorded. */
export class ScopeRecorder {
  requests = 0;
  failed = 0;
  private readonly hist: Record<LatencyKind, Histogram> = { connect: createHistogram(), firstByte: createHistogram(), total: createHistogram() };

  add(failed: boolean, ms: Record<LatencyKind, number | null>): void {
    this.requests++;
    if (failed) this.failed++;
    for (const kind of ['connect', 'firstByte', 'total'] as const) {
      const v = ms[kind];
      if (v !== null && Number.isFinite(v)) this.hist[kind].recordValue(Math.max(0, Math.round(v * 1000)));
    }
  }

  toJSON(): ScopeFigures {
    const latency: EncodedLatency = {
      connect: encodeHistogram(this.hist.connect),
      firstByte: encodeHistogram(this.hist.firstByte),
      total: encodeHistogram(this.hist.total),
    };
    return { requests: this.requests, failed: this.failed, latency };
  }
}
