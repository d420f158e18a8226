/** Medians and the plain-text table bench:compare prints. Pure. */

/** The median of the finite values (a round without a figure is left out), NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export interface Row {
  job: string;
  tool: string;
  rps: number;
  /** ours / this tool; the "ours" row of a job has 1. */
  ratio: number;
  /** Microseconds of CPU per request, tool and server side (NaN when not measured). */
  toolUs: number;
  /** The tool's CPU per request during the measured run only (lvs-harness reports it; else NaN). */
  toolRunUs: number;
  serverUs: number;
}

const cell = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

export function formatTable(rows: readonly Row[], rounds: number): string {
  const header = ['job', 'tool', 'req/s', 'ours/tool', 'tool CPU us/req', 'in run', 'server CPU us/req'];
  const body = rows.map((r) => [r.job, r.tool, cell(r.rps, 0), cell(r.ratio, 2), cell(r.toolUs, 1), cell(r.toolRunUs, 1), cell(r.serverUs, 1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    `median of ${rounds} alternating rounds; server CPU = nginx worker (and the proxy, for proxy jobs);`,
    'tool CPU = the whole process, start-up and (lvs-harness) JIT warm-up included; in run = lvs-harness\'s own',
    'count for the measured run alone (its --json clientCpu: every thread, first connect to last response)',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n') + '\n';
}
