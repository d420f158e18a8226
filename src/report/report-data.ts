/**
 * What the HTML report shows, computed from a run's results.json and observations.ndjson (so the page
 * is the files' figures, and can be rebuilt from them). Everything the browser draws is precomputed
 * here: it gets numbers, not histograms to decode.
 */
import { decodeHistogram } from '../bench/histograms.js';
import type { BenchResult } from '../bench/types.js';
import type { MetricSet } from '../metrics/metric-set.js';
import type { Verdict } from '../model/verdict.js';
import { wilsonInterval } from '../stats/wilson.js';

/** Numeric-aware order for addresses and column names (one collator, not one per comparison). */
const NUMERIC = new Intl.Collator('en', { numeric: true });

/** Percentiles the latency curves are drawn at (x axis). */
export const CURVE_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

export interface ObservationRow {
  suite: string;
  probe: string;
  round: number;
  client: { address: string };
  target: { port: number };
  realServer: string | null;
  startMs: number;
  error: unknown;
}

export interface ReportSuite {
  name: string;
  outcome: string;
  verdicts: Verdict[];
  /** What the spread counted: the weights check's scheduling units, else connections. */
  spread: { unit: string; total: number; rows: Array<{ server: string; count: number; share: number; expected: number | null; low: number; high: number }> };
  /** Total latency in ms at CURVE_PERCENTILES, per real server. */
  curves: Record<string, number[]>;
  timeline: { seconds: number; rows: Record<string, number[]>; changes: Array<{ second: number; label: string }> };
  /** Clients (rows) by probe:port and round (columns): the server(s) that answered. */
  matrix: { columns: string[]; clients: string[]; cells: Array<Array<string[]>> };
  bench: { report: string; figures: Record<string, number> } | null;
}

export interface ReportData {
  runId: string;
  outcome: string;
  exitCode: number | null;
  startedAt: string;
  suites: ReportSuite[];
}

interface ResultsSuite {
  name: string;
  outcome: string;
  verdicts: Verdict[];
  summary: { byRealServer: Record<string, number>; metrics?: MetricSet; expectedShares?: Record<string, number> };
  bench: { report: string; result: BenchResult } | null;
  window?: { timeline?: { seconds: number; servers: string[]; rows: Record<string, { newConnections: number[] }>; changes: Array<{ second: number; label: string }> } } | null;
}

export interface ResultsDocument {
  runId: string;
  outcome: string | null;
  exitCode: number | null;
  startedAt: string;
  suites: ResultsSuite[];
}

/** `observations` is read once, in file order: the report keeps per-second counts and the client matrix, not the rows. */
export function reportData(results: ResultsDocument, observations: Iterable<ObservationRow>): ReportData {
  const traffic = new Map<string, SuiteTraffic>();
  for (const o of observations) {
    let t = traffic.get(o.suite);
    if (!t) traffic.set(o.suite, (t = new SuiteTraffic()));
    t.add(o);
  }
  return {
    runId: results.runId,
    outcome: results.outcome ?? 'unfinished',
    exitCode: results.exitCode,
    startedAt: results.startedAt,
    suites: results.suites.map((s) => suiteData(s, traffic.get(s.name) ?? new SuiteTraffic())),
  };
}

function suiteData(s: ResultsSuite, traffic: SuiteTraffic): ReportSuite {
  return {
    name: s.name,
    outcome: s.outcome,
    verdicts: s.verdicts,
    spread: spread(s),
    curves: curves(s.summary.metrics),
    timeline: timeline(s, traffic),
    matrix: traffic.matrix(),
    bench: s.bench ? { report: s.bench.report, figures: benchFigures(s.bench.result) } : null,
  };
}

/** One suite's observations as the report needs them: new connections per second and server, and who served whom. */
class SuiteTraffic {
  seconds = 0;
  readonly rows: Record<string, number[]> = {};
  /** client -> column -> the servers that answered it there, in order of first answer. */
  private readonly served = new Map<string, Map<string, string[]>>();
  private readonly columns = new Set<string>();

  add(o: ObservationRow): void {
    const second = Math.floor(o.startMs / 1000);
    this.seconds = Math.max(this.seconds, second + 1);
    const row = (this.rows[o.realServer ?? '(unknown)'] ??= []);
    row[second] = (row[second] ?? 0) + 1;
    const column = columnOf(o);
    this.columns.add(column);
    let byColumn = this.served.get(o.client.address);
    if (!byColumn) this.served.set(o.client.address, (byColumn = new Map()));
    let cell = byColumn.get(column);
    if (!cell) byColumn.set(column, (cell = []));
    const name = o.realServer ?? (o.error ? '(failed)' : '(unknown)');
    if (!cell.includes(name)) cell.push(name);
  }

  perSecond(): Record<string, number[]> {
    return Object.fromEntries(Object.entries(this.rows).map(([server, row]) => [server, Array.from({ length: this.seconds }, (_, i) => row[i] ?? 0)]));
  }

  matrix(): ReportSuite['matrix'] {
    const columns = [...this.columns].sort((a, b) => NUMERIC.compare(a, b));
    const clients = [...this.served.keys()].sort((a, b) => NUMERIC.compare(a, b));
    const cells = clients.map((c) => columns.map((col) => this.served.get(c)!.get(col) ?? []));
    return { columns, clients, cells };
  }
}

function spread(s: ResultsSuite): ReportSuite['spread'] {
  const weights = s.verdicts.find((v) => v.check === 'weights')?.data;
  const counted = weights?.['counts'];
  const fromWeights = typeof counted === 'object' && counted !== null;
  const counts = (fromWeights ? counted : Object.fromEntries(Object.entries(s.summary.byRealServer).filter(([k]) => k !== '(unknown)'))) as Record<string, number>;
  const expected = s.summary.expectedShares ?? {};
  const servers = [...new Set([...Object.keys(expected), ...Object.keys(counts)])].sort();
  const total = servers.reduce((a, name) => a + (counts[name] ?? 0), 0);
  return {
    unit: fromWeights && typeof weights?.['unit'] === 'string' ? `${weights['unit']}s` : 'connections',
    total,
    rows: servers.map((server) => {
      const count = counts[server] ?? 0;
      const ci = wilsonInterval(count, total);
      return { server, count, share: total ? count / total : 0, expected: expected[server] ?? null, low: ci.low, high: ci.high };
    }),
  };
}

function curves(metrics: MetricSet | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [server, f] of Object.entries(metrics?.byServer ?? {})) {
    const h = decodeHistogram(f.latency.total);
    if (h.totalCount > 0) out[server] = CURVE_PERCENTILES.map((p) => h.getValueAtPercentile(p) / 1000);
  }
  return out;
}

/** The change window's own timeline when the run has one, else new connections per second from the observations. */
function timeline(s: ResultsSuite, traffic: SuiteTraffic): ReportSuite['timeline'] {
  const given = s.window?.timeline;
  if (given) {
    const rows = Object.fromEntries(given.servers.map((name) => [name, given.rows[name]?.newConnections ?? []]));
    return { seconds: given.seconds, rows, changes: given.changes.map((c) => ({ second: c.second, label: c.label })) };
  }
  return { seconds: traffic.seconds, rows: traffic.perSecond(), changes: [] };
}

function columnOf(o: ObservationRow): string {
  return `round ${o.round + 1} ${o.probe}:${o.target.port}`;
}

function benchFigures(r: BenchResult): Record<string, number> {
  const figures: Record<string, number> = {
    'Complete requests': r.counts.done,
    'Failed requests': r.counts.bad,
    'Requests per second': r.timeTakenSec > 0 ? r.counts.done / r.timeTakenSec : 0,
    'Time per request (ms)': r.timeTakenSec > 0 && r.counts.done > 0 ? (r.concurrency * r.timeTakenSec * 1000) / r.counts.done : 0,
  };
  for (const p of r.ab?.percentiles ?? []) figures[`${p.percent}% within (ms)`] = Math.round(p.us / 1000);
  return figures;
}
