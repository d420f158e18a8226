/**
 * Per-request records in ab's `struct data` layout (start, ctime, time, waittime; µs), kept in
 * preallocated typed arrays: ab's median and percentile rules need every value, and 32 bytes a request
 * keeps -n in the millions affordable without per-request objects for the GC to chase.
 */

/** Default cap: 2,000,000 records = 64 MB. ab itself allocates one record per planned request. */
export const DEFAULT_MAX_RECORDS = 2_000_000;

export interface RequestRecords {
  /** Number of stored records (<= capacity). */
  readonly length: number;
  /** Epoch µs at which each request's connection started (ab's starttime). */
  readonly start: Float64Array;
  /** connect - start (ab's ctime). */
  readonly ctime: Float64Array;
  /** done - start (ab's time, "Total"). */
  readonly time: Float64Array;
  /** beginread - endwrite (ab's waittime, "Waiting"). */
  readonly wait: Float64Array;
}

export class RecordStore implements RequestRecords {
  length = 0;
  /** Requests that arrived after the store was full. */
  dropped = 0;
  readonly start: Float64Array;
  readonly ctime: Float64Array;
  readonly time: Float64Array;
  readonly wait: Float64Array;

  constructor(capacity: number) {
    const size = Math.max(0, Math.floor(capacity));
    this.start = new Float64Array(size);
    this.ctime = new Float64Array(size);
    this.time = new Float64Array(size);
    this.wait = new Float64Array(size);
  }

  /** Stores one request; values are clamped at 0 like ab's `ap_max(0, …)`. */
  add(startEpochUs: number, ctime: number, time: number, wait: number): void {
    const i = this.length;
    if (i >= this.start.length) {
      this.dropped++;
      return;
    }
    this.start[i] = startEpochUs;
    this.ctime[i] = ctime > 0 ? ctime : 0;
    this.time[i] = time > 0 ? time : 0;
    this.wait[i] = wait > 0 ? wait : 0;
    this.length = i + 1;
  }
}

/** One store holding the records of `parts` in order (worker threads' records, merged), at most `cap`. */
export function concatRecords(parts: readonly RequestRecords[], cap = DEFAULT_MAX_RECORDS): RecordStore {
  const store = new RecordStore(Math.min(cap, parts.reduce((n, p) => n + p.length, 0)));
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) store.add(p.start[i] ?? 0, p.ctime[i] ?? 0, p.time[i] ?? 0, p.wait[i] ?? 0);
  }
  return store;
}

/** Builds a store from plain arrays (tests and fixtures). */
export function recordsFrom(rows: ReadonlyArray<{ ctime: number; time: number; wait: number; start?: number }>): RecordStore {
  const store = new RecordStore(rows.length);
  for (const r of rows) store.add(r.start ?? 0, r.ctime, r.time, r.wait);
  return store;
}
