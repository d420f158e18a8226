/**
 * Per-real-server aggregation: each completed exchange is attributed to the name its response carried
 * (identify header or body regex) and recorded in that server's HDR histograms.
 */
import { decodeHistogram, encodeHistogram, FlatRecorder, summarize } from './histograms.js';
import type { ServerAggregate } from './types.js';

/** Name used when a response carried no identity. */
export const UNIDENTIFIED = '(unidentified)';
/** Name used when no response header arrived at all (receive errors, resets). */
export const NO_RESPONSE = '(no response)';

/** One server's counts and histograms as compressed base64: how worker threads send them. */
export interface EncodedServer {
  requests: number;
  errors: number;
  connect: string;
  firstByte: string;
  total: string;
}

interface ServerAcc {
  requests: number;
  errors: number;
  connect: FlatRecorder;
  firstByte: FlatRecorder;
  total: FlatRecorder;
}

export class ServerStats {
  private readonly byName = new Map<string, ServerAcc>();

  record(name: string, connectUs: number, firstByteUs: number, totalUs: number, error: boolean): void {
    const acc = this.acc(name);
    acc.requests++;
    if (error) acc.errors++;
    acc.connect.record(connectUs);
    if (firstByteUs >= 0) acc.firstByte.record(firstByteUs);
    acc.total.record(totalUs);
  }

  encode(): Record<string, EncodedServer> {
    const out: Record<string, EncodedServer> = {};
    for (const [name, a] of this.byName) {
      out[name] = {
        requests: a.requests,
        errors: a.errors,
        connect: encodeHistogram(a.connect.histogram),
        firstByte: encodeHistogram(a.firstByte.histogram),
        total: encodeHistogram(a.total.histogram),
      };
    }
    return out;
  }

  /** Adds another engine's servers (from `encode()`), histograms merged exactly. */
  addEncoded(servers: Record<string, EncodedServer>): void {
    for (const [name, e] of Object.entries(servers)) {
      const acc = this.acc(name);
      acc.requests += e.requests;
      acc.errors += e.errors;
      acc.connect.histogram.add(decodeHistogram(e.connect));
      acc.firstByte.histogram.add(decodeHistogram(e.firstByte));
      acc.total.histogram.add(decodeHistogram(e.total));
    }
  }

  private acc(name: string): ServerAcc {
    let acc = this.byName.get(name);
    if (!acc) {
      acc = { requests: 0, errors: 0, connect: new FlatRecorder(), firstByte: new FlatRecorder(), total: new FlatRecorder() };
      this.byName.set(name, acc);
    }
    return acc;
  }

  /** Aggregates sorted by name (stable output for tables and diffs). */
  toJSON(): ServerAggregate[] {
    return [...this.byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, acc]) => ({
        name,
        requests: acc.requests,
        errors: acc.errors,
        connect: summarize(acc.connect.histogram),
        firstByte: summarize(acc.firstByte.histogram),
        total: summarize(acc.total.histogram),
        histograms: {
          connect: encodeHistogram(acc.connect.histogram),
          firstByte: encodeHistogram(acc.firstByte.histogram),
          total: encodeHistogram(acc.total.histogram),
        },
      }));
  }
}
