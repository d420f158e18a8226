/** `lvs-harness compare BASE NEW [--max-regression K=V ...] [--alpha A] [--json]`. */
import { parseArgs } from 'node:util';
import { parseBudget } from '../compare/budgets.js';
import { compareRuns } from '../compare/compare-runs.js';
import { formatComparison } from '../compare/format-comparison.js';
import { loadRun } from '../compare/load-run.js';
import { createBadArgumentError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { parseOrExplain } from './parse-or-explain.js';

export async function compareCommand(args: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { values, positionals } = parseOrExplain(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        'max-regression': { type: 'string', multiple: true, default: [] },
        alpha: { type: 'string', default: '0.01' },
        json: { type: 'boolean', default: false },
      },
    }),
  );
  if (positionals.length !== 2) throw createBadArgumentError('compare', `BASE and NEW (results folders or files), got ${positionals.length} argument(s)`);
  const alpha = Number(values.alpha);
  if (!/^0?\.\d+$/.test(values.alpha) || !(alpha > 0 && alpha < 1)) throw createBadArgumentError('--alpha', `a significance level between 0 and 1, got "${values.alpha}"`);
  const budgets = values['max-regression'].map(parseBudget);
  const [base, next] = await Promise.all([loadRun(positionals[0]!, 'BASE'), loadRun(positionals[1]!, 'NEW')]);
  const comparison = compareRuns(base, next, budgets, alpha);
  io.stdout.write(values.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison));
  return comparison.breached ? ExitCode.ChecksFailed : ExitCode.Passed;
}
