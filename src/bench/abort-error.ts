import { createBenchBrokeOffError, createUnreachableError, type HarnessError } from '../core/errors.js';
import type { BenchResult } from './types.js';

/** The error a run that ended early maps to, or null when the run counts as completed. */
export function abortError(result: BenchResult): HarnessError | null {
  const a = result.aborted;
  if (!a || a.kind === 'signal') return null;
  if (a.kind === 'timeout') return createBenchBrokeOffError(result.url, `no socket activity within -s seconds (${a.message})`);
  if (a.kind === 'receive-error') return createBenchBrokeOffError(result.url, a.message);
  if (result.counts.done === 0) return createUnreachableError(result.url, a.message);
  return createBenchBrokeOffError(result.url, `Test aborted after 10 failures: ${a.message}`);
}
