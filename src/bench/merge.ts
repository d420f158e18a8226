/**
 * `--workers`: each worker thread runs its own engine on its share of the connections and
 * sends its final state back in a structured-clone form; the main thread adds them up into one state
 * so ab's report stays exact: counts and bytes are sums, the time taken spans the earliest start to
 * the latest end (epoch µs: monotonic clocks differ between threads), ab's table is computed from all
 * the per-request records, HDR histograms (global and per real server) are merged, not averaged.
 */
import { encodeHistogram, mergeEncoded } from './histograms.js';
import { concatRecords, type RecordStore } from './records.js';
import type { FinalState } from './result.js';
import { ServerStats, type EncodedServer } from './server-stats.js';
import type { BenchAbort, BenchCounts, BenchResult, BenchSetup } from './types.js';


export interface EncodedState extends Omit<FinalState, 'records' | 'histograms' | 'servers'> {
  records: { length: number; dropped: number; start: Float64Array; ctime: Float64Array; time: Float64Array; wait: Float64Array };
  histograms: BenchResult['histograms'];
  servers: Record<string, EncodedServer>;
}

/** The state as a worker posts it, and the buffers to transfer rather than copy. */
export function encodeState(s: FinalState): { state: EncodedState; transfer: ArrayBuffer[] } {
  const r = s.records;
  const records = {
    length: r.length,
    dropped: r.dropped,
    start: r.start.slice(0, r.length),
    ctime: r.ctime.slice(0, r.length),
    time: r.time.slice(0, r.length),
    wait: r.wait.slice(0, r.length),
  };
  const h = s.histograms;
  const histograms = {
    connect: encodeHistogram(h.connect),
    firstByte: encodeHistogram(h.firstByte),
    waiting: encodeHistogram(h.waiting),
    total: encodeHistogram(h.total),
  };
  return {
    state: { ...s, records, histograms, servers: s.servers.encode() },
    transfer: [records.start.buffer, records.ctime.buffer, records.time.buffer, records.wait.buffer],
  };
}

function sumCounts(parts: readonly EncodedState[]): BenchCounts {
  const out = { ...(parts[0]?.counts as BenchCounts) };
  for (const key of Object.keys(out) as Array<keyof BenchCounts>) out[key] = parts.reduce((n, p) => n + p.counts[key], 0);
  return out;
}

/** A failure that ended a worker early wins over a Ctrl-C; the first one is reported. */
function firstAbort(parts: readonly EncodedState[]): BenchAbort | null {
  return parts.find((p) => p.aborted && p.aborted.kind !== 'signal')?.aborted ?? parts.find((p) => p.aborted)?.aborted ?? null;
}

/**
 * One state from the workers'. `setup` is the run as the user asked for it (total concurrency,
 * requests, rate and sources); at most `maxRecords` per-request records are kept. The workers shared
 * the Document Length (run-tally.ts), so any worker that saw a good response has the run's.
 */
export function mergeStates(
  parts: readonly EncodedState[],
  setup: Pick<BenchSetup, 'concurrency' | 'requests' | 'rate' | 'sources'>,
  maxRecords?: number,
): FinalState {
  const first = parts[0];
  if (!first) throw new Error('mergeStates: no worker state');
  const start = Math.min(...parts.map((p) => p.startEpochUs));
  const end = Math.max(...parts.map((p) => p.startEpochUs + p.timeTakenUs));
  const records: RecordStore = concatRecords(parts.map((p) => p.records), maxRecords);
  records.dropped += parts.reduce((n, p) => n + p.records.dropped, 0);
  const servers = new ServerStats();
  for (const p of parts) servers.addEncoded(p.servers);
  const statusCodes: Record<string, number> = {};
  for (const p of parts) for (const [code, n] of Object.entries(p.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const good = parts.find((p) => p.counts.good > 0) ?? first;
  return {
    ...first,
    ...setup,
    serverSoftware: good.serverSoftware,
    startEpochUs: start,
    timeTakenUs: Math.max(0, end - start),
    documentLength: good.documentLength,
    counts: sumCounts(parts),
    bytes: {
      totalRead: parts.reduce((n, p) => n + p.bytes.totalRead, 0),
      htmlRead: parts.reduce((n, p) => n + p.bytes.htmlRead, 0),
      totalPosted: parts.reduce((n, p) => n + p.bytes.totalPosted, 0),
    },
    statusCodes,
    records,
    histograms: {
      connect: mergeEncoded(parts.map((p) => p.histograms.connect)),
      firstByte: mergeEncoded(parts.map((p) => p.histograms.firstByte)),
      waiting: mergeEncoded(parts.map((p) => p.histograms.waiting)),
      total: mergeEncoded(parts.map((p) => p.histograms.total)),
    },
    servers,
    aborted: firstAbort(parts),
  };
}
