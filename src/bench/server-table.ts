/**
 * The per-real-server table printed after ab's report: how many requests each real server answered,
 * its observed share next to the share its weight predicts, its connect, first-byte and total latency
 * (median and 99th percentile, ms) and errors. Pure.
 */
import type { LatencySummary, ServerAggregate } from './types.js';
import { cFixed } from './c-format.js';

/**
 * `expected` maps server name to a weight or share; it is normalised, so `{a: 3, b: 1}` and
 * `{a: 0.75, b: 0.25}` mean the same. Servers expected but never seen get a row with 0 requests.
 */
export function formatServerTable(servers: readonly ServerAggregate[], expected?: Record<string, number>): string {
  const rows = [...servers];
  const weightSum = expected ? Object.values(expected).reduce((s, w) => s + (w > 0 ? w : 0), 0) : 0;
  if (expected) {
    for (const name of Object.keys(expected)) {
      if (!rows.some((r) => r.name === name)) rows.push(emptyAggregate(name));
    }
  }
  if (rows.length === 0) return '';
  const total = rows.reduce((s, r) => s + r.requests, 0);
  const header = ['Real server', 'Requests', 'Share'];
  if (expected) header.push('Expected');
  header.push('Connect', 'First byte', 'Total', 'Total mean', 'Errors');
  const body = rows.map((r) => {
    const cells = [r.name, String(r.requests), total ? `${cFixed((100 * r.requests) / total, 1)}%` : '-'];
    if (expected) {
      const w = expected[r.name];
      cells.push(w !== undefined && weightSum > 0 ? `${cFixed((100 * Math.max(0, w)) / weightSum, 1)}%` : '-');
    }
    cells.push(p50p99(r.connect), p50p99(r.firstByte), p50p99(r.total), r.total.count ? cFixed(r.total.mean, 3) : '-', String(r.errors));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const render = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [
    'Per real server (ms, p50/p99 and mean; connect and first byte from the start of the connection, total to its last byte)',
    render(header),
    ...body.map(render),
  ].join('\n') + '\n';
}

/** "p50/p99" of a latency summary, or "-" when nothing was measured (no connection, no response). */
function p50p99(l: LatencySummary): string {
  return l.count ? `${cFixed(l.p50, 3)}/${cFixed(l.p99, 3)}` : '-';
}

function emptyAggregate(name: string): ServerAggregate {
  const zero = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return { name, requests: 0, errors: 0, connect: zero, firstByte: zero, total: zero };
}
