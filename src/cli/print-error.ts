import { formatProblem, isHarnessError } from '../core/errors.js';

/** The one place errors reach the terminal: code, message, each suite problem, then the hint. */
export function printError(e: unknown, stderr: NodeJS.WritableStream): void {
  if (!isHarnessError(e)) {
    stderr.write(`lvs-harness: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return;
  }
  if (e.problems.length > 1) {
    stderr.write(`ERROR ${e.code}: ${e.problems.length} problems\n`);
    for (const p of e.problems) stderr.write(`  ${formatProblem(p)}\n`);
  } else {
    stderr.write(`ERROR ${e.code}: ${e.message}\n`);
  }
  if (e.hint) stderr.write(`hint: ${e.hint}\n`);
}
