/**
 * ab 2.4's statistics over per-request records, rule for rule (support/ab.c `output_results()`):
 * integer-division means, sample standard deviation around that integer mean, the inverted median
 * (odd counts average the two elements *above* the middle, even counts take the upper-middle one),
 * percentile rows at index `done * p / 100` truncated, and the -e / -g file formats.
 * Pure functions: records in, numbers or text out.
 */
import type { AbRow, AbStats } from './types.js';
import type { RequestRecords } from './records.js';
import { cFixed } from './c-format.js';

/** The percentile rows ab prints (`percs[]`). */
export const AB_PERCENTS = [50, 66, 75, 80, 90, 95, 98, 99, 100] as const;

/** ab's `ap_round_ms`: µs to whole ms, half up (values are never negative). */
export function roundMs(us: number): number {
  return Math.floor((us + 500) / 1000);
}

/** ab's median on an ascending array (the inverted rule is intentional, see file comment). */
export function abMedian(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = Math.floor(n / 2);
  if (n > 1 && n % 2 === 1) {
    // stats[done/2 + 1] exists because n is odd and > 1.
    return Math.floor(((sorted[mid] ?? 0) + (sorted[mid + 1] ?? 0)) / 2);
  }
  return sorted[mid] ?? 0;
}

/** One table row from a column of µs values; `sorted` is an ascending copy (made when not given). */
export function abRow(values: Float64Array, sorted: Float64Array = Float64Array.from(values).sort()): AbRow {
  const n = values.length;
  if (n === 0) return { min: 0, mean: 0, sd: 0, median: 0, max: 0 };
  let min = Infinity;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = Math.trunc(sum / n); // apr_time_t integer division
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] ?? 0) - mean;
    squares += d * d;
  }
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  return { min, mean, sd, median: abMedian(sorted), max };
}

/** Computes every number of ab's Connection Times and Percentage tables; null when nothing completed. */
export function computeAbStats(records: RequestRecords): AbStats | null {
  const n = records.length;
  if (n === 0) return null;
  const ctime = records.ctime.subarray(0, n);
  const time = records.time.subarray(0, n);
  const wait = records.wait.subarray(0, n);
  const processing = new Float64Array(n);
  for (let i = 0; i < n; i++) processing[i] = (time[i] ?? 0) - (ctime[i] ?? 0);

  const sortedTotal = Float64Array.from(time).sort();
  const percentiles: AbStats['percentiles'] = [];
  if (n > 1) {
    for (const p of AB_PERCENTS) {
      const index = p >= 100 ? n - 1 : Math.floor((n * p) / 100);
      percentiles.push({ percent: p, us: sortedTotal[index] ?? 0 });
    }
  }
  return {
    connect: abRow(ctime),
    processing: abRow(processing),
    waiting: abRow(wait),
    total: abRow(time, sortedTotal),
    percentiles,
  };
}

/** The `-e` CSV file: 101 rows, ms with 3 decimals, ab's index rule (index == done reads 0). */
export function formatPercentileCsv(records: RequestRecords): string {
  const n = records.length;
  const sorted = Float64Array.from(records.time.subarray(0, n)).sort();
  const lines = ['Percentage served,Time in ms'];
  for (let i = 0; i <= 100; i++) {
    let us: number;
    if (i === 0) us = sorted[0] ?? 0;
    else if (i === 100) us = sorted[n - 1] ?? 0;
    else us = sorted[Math.floor(0.5 + (n * i) / 100)] ?? 0; // ab reads a zeroed slot past the end
    lines.push(`${i},${cFixed(us / 1000, 3)}`);
  }
  return `${lines.join('\n')}\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** APR's `apr_ctime`: local time as `Wed Nov 25 08:07:10 2026` (day of month zero-padded). */
export function aprCtime(epochUs: number): string {
  const d = new Date(Math.floor(epochUs / 1000));
  const two = (v: number): string => String(v).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

/** The `-g` gnuplot TSV: one row per request, sorted by Total like ab's last qsort. */
export function formatGnuplot(records: RequestRecords): string {
  const n = records.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (records.time[a] ?? 0) - (records.time[b] ?? 0));
  const lines = ['starttime\tseconds\tctime\tdtime\tttime\twait'];
  for (const i of order) {
    const start = records.start[i] ?? 0;
    const ctime = records.ctime[i] ?? 0;
    const time = records.time[i] ?? 0;
    lines.push(
      `${aprCtime(start)}\t${Math.floor(start / 1e6)}\t${roundMs(ctime)}\t${roundMs(time - ctime)}\t${roundMs(time)}\t${roundMs(records.wait[i] ?? 0)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
