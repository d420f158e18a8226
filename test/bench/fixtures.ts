/** A fixed BenchResult for formatter tests; override any field. */
import type { AbRow, BenchResult } from '../../src/bench/types.js';

const zero = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
const row = (min: number, mean: number, sd: number, median: number, max: number): AbRow => ({ min, mean, sd, median, max });

export function fixedResult(over: Partial<BenchResult> = {}): BenchResult {
  return {
    schema: 'lvs-harness/bench-result@1',
    url: 'http://127.0.0.1:30101/',
    hostname: '127.0.0.1',
    port: 30101,
    path: '/',
    method: 'GET',
    serverSoftware: 'nginx/1.22.1',
    concurrency: 10,
    requests: 2000,
    keepAlive: false,
    variableLength: false,
    sendBody: false,
    rate: null,
    sources: [],
    startedAt: '2026-11-25T08:00:00.000Z',
    timeTakenSec: 0.221,
    documentLength: 12,
    counts: {
      done: 2000, started: 2000, good: 2000, bad: 0, errConnect: 0, errReceive: 0, errLength: 0, errExcept: 0,
      errResponse: 0, epipe: 0, doneKeepAlive: 0,
    },
    bytes: { totalRead: 214000, htmlRead: 24000, totalPosted: 164000 },
    statusCodes: { 200: 2000 },
    ab: {
      connect: row(12, 240, 112.4, 210, 2400),
      processing: row(40, 860, 612.3, 790, 6100),
      waiting: row(30, 700, 520.1, 650, 5800),
      total: row(60, 1100, 640.2, 1020, 6300),
      percentiles: [
        { percent: 50, us: 1020 }, { percent: 66, us: 1120 }, { percent: 75, us: 1300 }, { percent: 80, us: 1400 },
        { percent: 90, us: 1600 }, { percent: 95, us: 2100 }, { percent: 98, us: 3400 }, { percent: 99, us: 4400 },
        { percent: 100, us: 6300 },
      ],
    },
    histograms: { connect: '', firstByte: '', waiting: '', total: '' },
    latency: { connect: zero, firstByte: zero, total: zero },
    servers: [],
    recordsStored: 2000,
    recordsTruncated: false,
    aborted: null,
    ...over,
  };
}
