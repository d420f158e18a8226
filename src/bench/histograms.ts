/**
 * HDR histograms in microseconds (autocannon's approach, lib/histUtil.js): constant memory whatever the
 * run length, mergeable across runs/workers/machines, and portable as compressed base64 strings.
 *
 * Only the two hdr-histogram-js files used are loaded (the 32-bit histogram and its V2 codec), not its
 * index: the index also loads the WebAssembly build, log readers and writers, which took half of a
 * bench's start-up CPU (35 ms of ~130 ms, about 2 µs a request in a 20000-request run).
 */
import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js/dist/JsHistogram.js';
import type * as Codec from 'hdr-histogram-js/dist/JsHistogram.encoding.js';
import type { LatencySummary } from './types.js';

const load = createRequire(import.meta.url);
type HistogramClass = new (lowest: number, highest: number, significantDigits: number) => JsHistogram;
const Int32Histogram = (load('hdr-histogram-js/dist/Int32Histogram.js') as { default: HistogramClass }).default;
// Adds encodeIntoCompressedBase64 to every histogram's prototype, as the package index does.
const codec = load('hdr-histogram-js/dist/JsHistogram.encoding.js') as typeof Codec;

/** 1 µs .. 1 hour at 3 significant digits; autoResize covers anything longer (what `build()` gives). */
export function createHistogram(): Histogram {
  const h = new Int32Histogram(1, 3_600_000_000, 3);
  h.autoResize = true;
  return h;
}

/** Values below this many µs (16 ms: nearly every loopback latency) are counted in a flat array. */
export const FLAT_RANGE_US = 1 << 14;

/**
 * Records whole-µs values into an HDR histogram in two steps: a value under FLAT_RANGE_US is one
 * array increment, handed to the histogram (recordValueWithCount per distinct value) when it is read;
 * larger ones go straight in. The result is the histogram recording each value would give (HDR keeps
 * counts, so order does not matter), at a tenth of the cost per value: recordValue computes its bucket
 * with Math.pow and Math.log2, ~85 ns, seven times a request.
 */
export class FlatRecorder {
  private readonly flat = new Uint32Array(FLAT_RANGE_US);
  /** The flat slots in use are within [low, high]; empty when low > high. */
  private low = FLAT_RANGE_US;
  private high = -1;
  private readonly into: Histogram = createHistogram();

  /** Negative values count as 0, like ab's `ap_max(0, …)`; fractions are dropped, as HDR drops them. */
  record(us: number): void {
    if (us < FLAT_RANGE_US) {
      const i = us > 0 ? us | 0 : 0;
      this.flat[i] = (this.flat[i] ?? 0) + 1;
      if (i < this.low) this.low = i;
      if (i > this.high) this.high = i;
    } else this.into.recordValue(us);
  }

  /**
   * The histogram with every value recorded so far. The hand-over runs once, at the end of a run,
   * before the JIT has seen it: it visits only the slots between the smallest and largest value.
   */
  get histogram(): Histogram {
    const flat = this.flat;
    for (let us = this.low; us <= this.high; us++) {
      const n = flat[us] ?? 0;
      if (n > 0) this.into.recordValueWithCount(us, n);
    }
    if (this.low <= this.high) flat.fill(0, this.low, this.high + 1);
    this.low = FLAT_RANGE_US;
    this.high = -1;
    return this.into;
  }
}

/** Every histogram here is a JsHistogram: made by createHistogram or decodeHistogram. */
export function encodeHistogram(h: Histogram): string {
  return (h as JsHistogram).encodeIntoCompressedBase64();
}

export function decodeHistogram(base64: string): Histogram {
  // A copy, not a Buffer view: the codec reverses byte slices in place while reading integers.
  return codec.doDecode(codec.decompress(new Uint8Array(Buffer.from(base64.trim(), 'base64'))));
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

/** The recorded values as [µs, count] in ascending order, each bucket once (what rank tests and charts read). */
export function histogramBuckets(h: Histogram): Array<[number, number]> {
  const it = (h as JsHistogram).recordedValuesIterator;
  it.reset();
  const out: Array<[number, number]> = [];
  while (it.hasNext()) {
    const v = it.next();
    out.push([(h as JsHistogram).medianEquivalentValue(v.valueIteratedTo), v.countAtValueIteratedTo]);
  }
  return out;
}
