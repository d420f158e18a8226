/**
 * HDR histograms in microseconds (autocannon's approach, lib/histUtil.js): constant memory whatever the
 * run length, mergeable across runs/workers/machines, and portable as compressed base64 strings.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './types.js';

/** 1 µs .. 1 hour at 3 significant digits; autoResize covers anything longer. */
export function createHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): Histogram {
  return decodeFromCompressedBase64(base64);
}

/** Adds several encoded histograms into one (e.g. runs from several load generators). */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const into = createHistogram();
  for (const e of encoded) into.add(decodeHistogram(e));
  return into;
}

const ms = (us: number): number => Math.round(us) / 1000;

/** Millisecond summary (mean, p50, p90, p99, max) of a µs histogram. */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    count: h.totalCount,
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}
