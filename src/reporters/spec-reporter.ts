/**
 * The default human reporter: one block per suite with each verdict, what was expected and seen,
 * a few offending clients, then any bench report. Writes to an injected stream (stdout by default).
 */
import type { RunEvent } from '../model/events.js';
import type { SuiteSummary } from '../model/summary.js';
import type { Verdict } from '../model/verdict.js';
import type { Reporter } from './reporter.js';
import { formatTimeline } from './format-timeline.js';
import { paint, type Paint } from './terminal-colour.js';

const MARK: Record<Verdict['status'], string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' };

export class SpecReporter implements Reporter {
  readonly name = 'spec';
  private connections = 0;
  private checks = { passed: 0, total: 0 };
  private readonly paint: Paint;

  constructor(private readonly out: NodeJS.WritableStream, private readonly verbose = false, colour = false) {
    this.paint = paint(colour);
  }

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run:begin':
        this.write(`lvs-harness run ${e.runId}: ${e.suites.length} suite(s)\n`);
        break;
      case 'suite:begin':
        this.connections = 0;
        this.checks = { passed: 0, total: 0 };
        this.write(`\n${this.paint.bold(`Suite ${e.suite}`)} (${e.file}) on the ${e.lab} lab\n`);
        break;
      case 'lab:ready':
        if (this.verbose) this.write(indent(e.description, '  | '));
        break;
      case 'observation':
        this.connections++;
        break;
      case 'check':
        this.checks.total++;
        if (e.verdict.status === 'pass') this.checks.passed++;
        this.write(formatVerdict(e.verdict, this.paint));
        break;
      case 'bench':
        this.write(`\n${this.paint.bold(`ab report: probe ${e.probe ?? '?'} -> ${e.target ?? '?'}`)}\n${e.report}\n`);
        break;
      case 'warning':
        this.write(`  ${this.paint.warn('warning')}: ${e.message}\n`);
        break;
      case 'change':
        this.write(
          `  change ${e.change.index + 1} at ${((e.change.effectiveMs ?? e.change.plannedMs) / 1000).toFixed(2)} s: ${e.change.label}` +
            (e.change.error === null ? ` (${e.change.commands.join('; ')})\n` : ` FAILED: ${e.change.error}\n`),
        );
        break;
      case 'suite:end': {
        if (e.window) this.write(formatTimeline(e.window.timeline));
        const outcome = e.outcome === 'passed' ? this.paint.pass(e.outcome) : this.paint.fail(e.outcome);
        this.write(
          `  => ${e.suite}: ${outcome}, ${this.checks.passed}/${this.checks.total} checks passed, ${this.connections} connections (${e.summary.failed} failed), ` +
            `${(e.durationMs / 1000).toFixed(1)} s; ${formatRates(e.summary.byProbe)}\n`,
        );
        break;
      }
      case 'run:end':
        this.write(`\n${(e.outcome === 'passed' ? this.paint.pass : this.paint.fail)(e.outcome.toUpperCase())} in ${(e.durationMs / 1000).toFixed(1)} s, exit code ${e.exitCode}; results in ${e.resultsDir}\n`);
        break;
      default:
        break;
    }
  }

  private write(s: string): void {
    this.out.write(s);
  }
}

export function formatVerdict(v: Verdict, p: Paint = paint(false)): string {
  const mark = v.status === 'pass' ? p.pass(MARK[v.status]) : p.fail(MARK[v.status]);
  const lines = [`  ${mark} ${v.check}: ${v.seen}\n`];
  if (v.status !== 'pass') {
    lines.push(`       expected: ${v.expected}\n`);
    for (const ex of v.examples) lines.push(`       e.g. ${ex.client}: ${ex.detail}\n`);
  }
  return lines.join('');
}

function formatRates(byProbe: SuiteSummary['byProbe']): string {
  return Object.entries(byProbe)
    .map(([probe, r]) => `${probe} (${r.protocol}) ${r.connections}${r.perSecond === null ? '' : ` at ${r.perSecond}/s`}`)
    .join(', ');
}

function indent(text: string, prefix: string): string {
  return text.replace(/^/gm, prefix).replace(/\| ?$/, '') + (text.endsWith('\n') ? '' : '\n');
}
