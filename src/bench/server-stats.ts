/**
 * Per-real-server aggregation: each completed exchange is attributed to the name its response carried
 * (identify header or body regex) and recorded in that server's HDR histograms.
 */
import type { Histogram } from 'hdr-histogram-js';
import { createHistogram, summarize } from './histograms.js';
import type { ServerAggregate } from './types.js';

/** Name used when a response carried no identity. */
export const UNIDENTIFIED = '(unidentified)';
/** Name used when no response header arrived at all (receive errors, resets). */
export const NO_RESPONSE = '(no response)';

interface ServerAcc {
  requests: number;
  errors: number;
  connect: Histogram;
  firstByte: Histogram;
  total: Histogram;
}

export class ServerStats {
  private readonly byName = new Map<string, ServerAcc>();

  record(name: string, connectUs: number, firstByteUs: number, totalUs: number, error: boolean): void {
    let acc = this.byName.get(name);
    if (!acc) {
      acc = { requests: 0, errors: 0, connect: createHistogram(), firstByte: createHistogram(), total: createHistogram() };
      this.byName.set(name, acc);
    }
    acc.requests++;
    if (error) acc.errors++;
    acc.connect.recordValue(Math.max(0, connectUs));
    if (firstByteUs >= 0) acc.firstByte.recordValue(firstByteUs);
    acc.total.recordValue(Math.max(0, totalUs));
  }

  /** Aggregates sorted by name (stable output for tables and diffs). */
  toJSON(): ServerAggregate[] {
    return [...this.byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, acc]) => ({
        name,
        requests: acc.requests,
        errors: acc.errors,
        connect: summarize(acc.connect),
        firstByte: summarize(acc.firstByte),
        total: summarize(acc.total),
      }));
  }
}
