/**
 * Two runs side by side, suite by suite and source by source (a suite's traffic, its bench step):
 * spread over real servers (chi-square homogeneity), latency distributions (Mann-Whitney U on the HDR
 * buckets), throughput and failure rate, each check's figures; then the budgets. Pure: JSON in, JSON out.
 */
import type { Histogram } from 'hdr-histogram-js';
import { decodeHistogram, histogramBuckets } from '../bench/histograms.js';
import { LATENCY_KINDS, type LatencyKind, type MetricSet, type ScopeFigures } from '../metrics/metric-set.js';
import type { Verdict } from '../model/verdict.js';
import { chiSquareHomogeneity } from '../stats/chi-square-homogeneity.js';
import { mannWhitney } from '../stats/mann-whitney.js';
import type { Budget, LatencyStat } from './budgets.js';
import type { LoadedRun, SuiteFigures } from './load-run.js';

export interface TestResult {
  test: string;
  statistic: number;
  pValue: number;
  effect: { name: string; value: number };
  /** p-value below alpha. */
  beyondNoise: boolean;
  note?: string;
}

export type LatencyStats = Record<LatencyStat, number> & { count: number };

export interface LatencyRow {
  kind: LatencyKind;
  /** `all` or a real server's name. */
  scope: string;
  base: LatencyStats | null;
  new: LatencyStats | null;
  test: TestResult | null;
}

export interface ShareRow {
  server: string;
  base: { requests: number; share: number };
  new: { requests: number; share: number };
  /** Percentage points. */
  change: number;
}

export interface SectionComparison {
  source: 'traffic' | 'bench';
  shares: { rows: ShareRow[]; test: TestResult | null };
  latency: LatencyRow[];
  throughput: { base: number | null; new: number | null; changePct: number | null; test: null; note: string };
  failed: { base: number; new: number; changePp: number };
}

export interface CheckRow {
  check: string;
  base: string | null;
  new: string | null;
  figures: Array<{ name: string; base: number | null; new: number | null }>;
}

export interface BudgetResult {
  budget: string;
  suite: string;
  source: 'traffic' | 'bench';
  base: number;
  new: number;
  change: number;
  unit: string;
  breached: boolean;
}

export interface Comparison {
  base: string;
  new: string;
  alpha: number;
  suites: Array<{ name: string; only?: 'base' | 'new'; sections: SectionComparison[]; checks: CheckRow[] }>;
  budgets: BudgetResult[];
  breached: boolean;
}

export function compareRuns(base: LoadedRun, next: LoadedRun, budgets: readonly Budget[], alpha: number): Comparison {
  const suites: Comparison['suites'] = [];
  const results: BudgetResult[] = [];
  const names = [...new Set([...base.suites.map((s) => s.name), ...next.suites.map((s) => s.name)])];
  for (const name of names) {
    const b = base.suites.find((s) => s.name === name);
    const n = next.suites.find((s) => s.name === name);
    if (!b || !n) {
      suites.push({ name, only: b ? 'base' : 'new', sections: [], checks: [] });
      continue;
    }
    const sections: SectionComparison[] = [];
    for (const source of ['traffic', 'bench'] as const) {
      const bm = b[source];
      const nm = n[source];
      if (!bm || !nm) continue;
      const section = compareSection(source, bm, nm, alpha);
      sections.push(section);
      for (const budget of budgets) results.push(judgeBudget(budget, name, section));
    }
    suites.push({ name, sections, checks: compareChecks(b, n) });
  }
  return { base: base.file, new: next.file, alpha, suites, budgets: results, breached: results.some((r) => r.breached) };
}

function compareSection(source: 'traffic' | 'bench', b: MetricSet, n: MetricSet, alpha: number): SectionComparison {
  const servers = [...new Set([...Object.keys(b.byServer), ...Object.keys(n.byServer)])].sort();
  const bTotal = b.all.requests;
  const nTotal = n.all.requests;
  const rows = servers.map((server) => {
    const br = b.byServer[server]?.requests ?? 0;
    const nr = n.byServer[server]?.requests ?? 0;
    const bs = bTotal ? (100 * br) / bTotal : 0;
    const ns = nTotal ? (100 * nr) / nTotal : 0;
    return { server, base: { requests: br, share: bs }, new: { requests: nr, share: ns }, change: ns - bs };
  });
  const chi = chiSquareHomogeneity(rows.map((r) => r.base.requests), rows.map((r) => r.new.requests));
  const shareTest: TestResult | null = chi && {
    test: `chi-square homogeneity (df ${chi.degreesOfFreedom})`,
    statistic: chi.statistic,
    pValue: chi.pValue,
    effect: { name: "Cramer's V", value: chi.cramersV },
    beyondNoise: chi.pValue < alpha,
    ...(chi.valid ? {} : { note: 'an expected count is under 5: the p-value is approximate' }),
  };
  const latency: LatencyRow[] = [];
  for (const kind of LATENCY_KINDS) {
    latency.push(latencyRow(kind, 'all', b.all, n.all, alpha));
    if (kind === 'total') for (const s of servers) latency.push(latencyRow(kind, s, b.byServer[s], n.byServer[s], alpha));
  }
  const rate = (m: MetricSet): number | null => (m.seconds > 0 ? m.all.requests / m.seconds : null);
  const br = rate(b);
  const nr = rate(n);
  const failRate = (f: ScopeFigures): number => (f.requests ? (100 * f.failed) / f.requests : 0);
  return {
    source,
    shares: { rows, test: shareTest },
    latency,
    throughput: {
      base: br,
      new: nr,
      changePct: br && nr !== null ? (100 * (nr - br)) / br : null,
      test: null,
      note: 'no test: a run gives one throughput figure; judge it by a budget (rps=N%) over repeated runs',
    },
    failed: { base: failRate(b.all), new: failRate(n.all), changePp: failRate(n.all) - failRate(b.all) },
  };
}

function latencyRow(kind: LatencyKind, scope: string, b: ScopeFigures | undefined, n: ScopeFigures | undefined, alpha: number): LatencyRow {
  const bh = b ? decodeHistogram(b.latency[kind]) : null;
  const nh = n ? decodeHistogram(n.latency[kind]) : null;
  const mw = bh && nh ? mannWhitney(histogramBuckets(bh), histogramBuckets(nh)) : null;
  return {
    kind,
    scope,
    base: bh && bh.totalCount > 0 ? latencyStats(bh) : null,
    new: nh && nh.totalCount > 0 ? latencyStats(nh) : null,
    test: mw && {
      test: 'Mann-Whitney U (two-sided, tie-corrected)',
      statistic: mw.u,
      pValue: mw.pValue,
      effect: { name: "Cliff's delta", value: mw.cliffsDelta },
      beyondNoise: mw.pValue < alpha,
    },
  };
}

/** Milliseconds, from the µs histogram. */
export function latencyStats(h: Histogram): LatencyStats {
  return {
    count: h.totalCount,
    p50: h.getValueAtPercentile(50) / 1000,
    p90: h.getValueAtPercentile(90) / 1000,
    p99: h.getValueAtPercentile(99) / 1000,
    max: h.maxValue / 1000,
    avg: h.mean / 1000,
  };
}

function judgeBudget(budget: Budget, suite: string, s: SectionComparison): BudgetResult {
  const result = (base: number, next: number, change: number, unit: string): BudgetResult => ({
    budget: budget.text,
    suite,
    source: s.source,
    base,
    new: next,
    change,
    unit,
    breached: change > budget.limit,
  });
  switch (budget.kind) {
    case 'latency': {
      const row = s.latency.find((r) => r.kind === budget.latency && r.scope === 'all');
      const b = row?.base?.[budget.stat] ?? 0;
      const n = row?.new?.[budget.stat] ?? 0;
      return budget.unit === 'ms' ? result(b, n, n - b, 'ms') : result(b, n, b > 0 ? (100 * (n - b)) / b : n > 0 ? Infinity : 0, '%');
    }
    case 'rps': {
      const b = s.throughput.base ?? 0;
      const n = s.throughput.new ?? 0;
      return result(b, n, b > 0 ? (100 * (b - n)) / b : 0, '% drop');
    }
    case 'failed':
      return result(s.failed.base, s.failed.new, s.failed.changePp, 'pp');
    default: {
      const worst = s.shares.rows.reduce((w, r) => (Math.abs(r.change) > Math.abs(w.change) ? r : w), s.shares.rows[0] ?? { change: 0, base: { share: 0 }, new: { share: 0 } });
      return result(worst.base.share, worst.new.share, Math.abs(worst.change), 'pp');
    }
  }
}

/** Each check's status and its numeric figures (verdict data, one level of nesting) side by side. */
function compareChecks(b: SuiteFigures, n: SuiteFigures): CheckRow[] {
  const checks = [...new Set([...b.verdicts.map((v) => v.check), ...n.verdicts.map((v) => v.check)])];
  return checks.map((check) => {
    const bv = b.verdicts.find((v) => v.check === check);
    const nv = n.verdicts.find((v) => v.check === check);
    const bf = figures(bv);
    const nf = figures(nv);
    const names = [...new Set([...bf.keys(), ...nf.keys()])];
    return {
      check,
      base: bv?.status ?? null,
      new: nv?.status ?? null,
      figures: names.map((name) => ({ name, base: bf.get(name) ?? null, new: nf.get(name) ?? null })),
    };
  });
}

function figures(v: Verdict | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, value] of Object.entries(v?.data ?? {})) {
    if (typeof value === 'number') out.set(k, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k2, v2] of Object.entries(value)) if (typeof v2 === 'number') out.set(`${k}.${k2}`, v2);
    }
  }
  return out;
}
