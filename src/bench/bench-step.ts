/** A suite's `bench` step: the engine with the suite's probe, sources and expected shares; no CLI. */
import { abortError } from './abort-error.js';
import { formatAbReport } from './ab-report.js';
import { runBenchDetailed } from './engine.js';
import { formatServerTable } from './server-table.js';
import { parseBodyRegex, parseUrl } from './target.js';
import type { RequestRecords } from './records.js';
import type { BenchResult } from './types.js';

export interface BenchStepInput {
  url: string;
  requests: number;
  concurrency: number;
  keepAlive: boolean;
  sources?: string[];
  identifyHeader?: string;
  /** Regex source (from a suite file) or RegExp; group 1 (or the whole match) names the real server. */
  identifyBodyRegex?: string | RegExp;
  expectedShares?: Record<string, number>;
  signal: AbortSignal;
}

/**
 * A suite's bench step. Receive errors count as failures (ab -r) so one bad real server does not end
 * the step; throws the unreachable HarnessError only when no request completed at all.
 */
export async function runBenchStep(input: BenchStepInput): Promise<{ result: BenchResult; report: string; records: RequestRecords }> {
  // The suite schema validated both; more connections than requests would only sit idle (ab refuses them).
  const concurrency = Math.min(input.concurrency, input.requests);
  const url = parseUrl(input.url);
  const regex = typeof input.identifyBodyRegex === 'string'
    ? parseBodyRegex('bench.identify.body', input.identifyBodyRegex)
    : input.identifyBodyRegex;
  const { result, records } = await runBenchDetailed({
      url,
      requests: input.requests,
      concurrency,
      keepAlive: input.keepAlive,
      continueOnReceiveError: true,
      heartbeatEvery: 0,
      signal: input.signal,
      ...(input.sources && input.sources.length > 0 ? { sources: input.sources } : {}),
      ...(input.identifyHeader !== undefined ? { identifyHeader: input.identifyHeader } : {}),
      ...(regex !== undefined ? { identifyBodyRegex: regex } : {}),
  });
  if (result.counts.done === 0) {
    const failure = abortError(result);
    if (failure) throw failure;
  }
  const table = formatServerTable(result.servers, input.expectedShares);
  const report = formatAbReport(result) + (table ? `\n${table}` : '');
  return { result, report, records };
}
