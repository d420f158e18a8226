/** The comparison as text tables for a terminal or a CI log. Pure. */
import type { Comparison, LatencyStats, TestResult } from './compare-runs.js';

const f = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
const signed = (x: number | null, digits = 1): string => (x === null || !Number.isFinite(x) ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);

export function formatComparison(c: Comparison): string {
  const out = [`compare: base ${c.base}`, `         new  ${c.new}`, `A difference is beyond noise when its test's p-value is below ${c.alpha}.`];
  for (const suite of c.suites) {
    out.push('', `Suite ${suite.name}${suite.only ? ` (only in ${suite.only})` : ''}`);
    for (const s of suite.sections) {
      out.push(`  ${s.source === 'traffic' ? 'Traffic (connections of the checks)' : 'Bench step'}`);
      out.push(
        table(
          ['real server', 'base', 'share', 'new', 'share', 'change'],
          s.shares.rows.map((r) => [r.server, String(r.base.requests), `${f(r.base.share, 1)}%`, String(r.new.requests), `${f(r.new.share, 1)}%`, `${signed(r.change)} pp`]),
        ),
      );
      out.push(`    spread: ${verdictLine(s.shares.test)}`);
      out.push(
        table(
          ['latency (ms)', 'base p50', 'p90', 'p99', 'max', 'new p50', 'p90', 'p99', 'max', 'p', 'effect'],
          s.latency.map((r) => [
            `${r.kind} ${r.scope}`,
            ...stats(r.base),
            ...stats(r.new),
            r.test ? r.test.pValue.toExponential(2) : '-',
            r.test ? `${f(r.test.effect.value, 3)}${r.test.beyondNoise ? ' *' : ''}` : '-',
          ]),
        ),
      );
      out.push(`    latency test: Mann-Whitney U on the HDR buckets (two-sided, tie-corrected); effect: Cliff's delta (+: new slower); * beyond noise`);
      out.push(`    throughput: ${f(s.throughput.base, 1)}/s -> ${f(s.throughput.new, 1)}/s (${signed(s.throughput.changePct)}%; ${s.throughput.note})`);
      out.push(`    failed: ${f(s.failed.base, 2)}% -> ${f(s.failed.new, 2)}% (${signed(s.failed.changePp, 2)} pp)`);
    }
    if (suite.checks.length > 0) {
      out.push('  Checks');
      const rows: string[][] = [];
      for (const ch of suite.checks) {
        rows.push([ch.check, ch.base ?? '-', ch.new ?? '-', '']);
        for (const fig of ch.figures) rows.push([`  ${fig.name}`, fig.base === null ? '-' : String(round(fig.base)), fig.new === null ? '-' : String(round(fig.new)), fig.base !== null && fig.new !== null ? signed(fig.new - fig.base, 3) : '']);
      }
      out.push(table(['check / figure', 'base', 'new', 'change'], rows));
    }
  }
  if (c.budgets.length > 0) {
    out.push('', 'Budgets');
    out.push(
      table(
        ['budget', 'suite', 'source', 'base', 'new', 'change', ''],
        c.budgets.map((b) => [b.budget, b.suite, b.source, f(b.base), f(b.new), `${signed(b.change, 2)} ${b.unit}`, b.breached ? 'BREACHED' : 'ok']),
      ),
    );
  }
  out.push('', c.breached ? 'FAILED: a budget was breached' : c.budgets.length > 0 ? 'PASSED: every budget held' : 'no budgets given (--max-regression)');
  return `${out.join('\n')}\n`;
}

function stats(s: LatencyStats | null): string[] {
  return s ? [f(s.p50), f(s.p90), f(s.p99), f(s.max)] : ['-', '-', '-', '-'];
}

function verdictLine(t: TestResult | null): string {
  if (!t) return 'no test (fewer than two servers with counts)';
  return `${t.test}, chi2 ${f(t.statistic, 2)}, p = ${t.pValue.toExponential(2)}, ${t.effect.name} ${f(t.effect.value, 3)}: ${t.beyondNoise ? 'beyond noise' : 'within noise'}${t.note ? ` (${t.note})` : ''}`;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `    ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
