/**
 * `lvs-harness bench [options] http://host[:port]/path`: ab 2.4's options and report, plus LVS extras
 * (--sources, --identify-header/--identify-body, --weights, --rate, --json, --workers, --busy-poll).
 * stdout carries only the report (and the per-real-server table); progress and diagnostics go to stderr.
 */
import { writeFile } from 'node:fs/promises';
import { abortError } from '../bench/abort-error.js';
import { clientBoundWarning } from '../bench/client-cpu.js';
import { formatAbReport } from '../bench/ab-report.js';
import { formatGnuplot, formatPercentileCsv } from '../bench/ab-stats.js';
import { persistenceWarning } from '../bench/persistence-warning.js';
import { planRun, runPlanned } from '../bench/run-plan.js';
import { formatServerTable } from '../bench/server-table.js';
import { NO_RESPONSE, UNIDENTIFIED } from '../bench/server-stats.js';
import type { BenchResult } from '../bench/types.js';
import { createBadArgumentError, createSourcesNotOwnedError, isHarnessError, type HarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { addAddressCommands, missingAddresses } from '../net/host-addresses.js';
import { readDirectorConfigFile } from '../lab/director-config-file.js';
import { BENCH_USAGE, parseBenchArgs, type BenchCommandArgs } from './bench-args.js';
import { ensureWritableFile } from './output-paths.js';
import { printError } from './print-error.js';
import { benchMetrics } from '../metrics/bench-metrics.js';
import { evaluateThreshold } from '../thresholds/evaluate.js';
import { formatVerdict } from '../reporters/spec-reporter.js';
import { colourWanted, paint } from '../reporters/terminal-colour.js';
import { normalizeShares } from '../stats/expected-shares.js';
import { ProgressBar } from './progress-bar.js';
import { benchShardFields } from '../shard/bench-shard.js';
import { waitUntil } from '../shard/start-at.js';

export interface BenchIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

function reportError(io: BenchIo, err: HarnessError): number {
  printError(err, io.stderr);
  return err.exitCode;
}

/** Whether the per-server table says anything: some response named its server, or shares are expected. */
function hasServerData(result: BenchResult, expected: Record<string, number> | undefined): boolean {
  return expected !== undefined || result.servers.some((s) => s.name !== UNIDENTIFIED && s.name !== NO_RESPONSE);
}

/** `lvs-harness bench …`: returns the process exit code. */
export async function benchCommand(argv: string[], io: BenchIo): Promise<number> {
  let args: BenchCommandArgs;
  try {
    args = await parseBenchArgs(argv);
  } catch (e) {
    if (isHarnessError(e)) return reportError(io, e);
    throw e;
  }
  if (args.info === 'help') {
    io.stdout.write(BENCH_USAGE);
    return ExitCode.Passed;
  }
  if (args.info === 'version') {
    io.stdout.write('lvs-harness bench (ApacheBench 2.3 compatible report, apache/httpd 2.4.x)\n');
    return ExitCode.Passed;
  }
  const o = args.options;
  const missing = missingAddresses(o.sources ?? []);
  if (missing.length > 0) return reportError(io, createSourcesNotOwnedError('--sources', missing, addAddressCommands(missing)));
  try {
    for (const [option, file] of [['-e', args.csvFile], ['-g', args.gnuplotFile], ['--json', args.jsonFile]] as const) {
      if (file !== undefined) ensureWritableFile(option, file);
    }
  } catch (e) {
    if (isHarnessError(e)) return reportError(io, e);
    throw e;
  }
  if (args.directorConfig !== undefined) {
    try {
      const config = await readDirectorConfigFile(args.directorConfig, args.fwmarkRules, args.keepalivedId);
      const warning = persistenceWarning(config, o.url, o.sources);
      if (warning) io.stderr.write(`${warning}\n`);
    } catch (e) {
      if (isHarnessError(e)) return reportError(io, e);
      throw e;
    }
  }
  const heartbeat = (o.heartbeatEvery ?? 0) > 0;
  io.stderr.write(`Benchmarking ${new URL(o.url).hostname} (be patient)${heartbeat ? '\n' : '...'}`);
  const stderr = io.stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  // The bar starts with the measured run (threads started, warm-up done), on a terminal only.
  let bar: ProgressBar | null = null;
  const line = (text: string): unknown => (bar ? bar.line(text) : io.stderr.write(`${text}\n`));
  const events = {
    heartbeat: (done: number) => line(`Completed ${done} requests`),
    diagnostic: line,
    started: () => {
      if (stderr.isTTY && heartbeat) bar = new ProgressBar(stderr, { total: o.requests, timeLimitSec: o.timeLimitSec });
    },
    progress: (done: number) => bar?.update(done),
  };
  if (args.startAtMs !== undefined) await waitUntil(args.startAtMs, io.signal);
  const plan = planRun(o, args);
  const { result, records } = await runPlanned({ ...o, signal: io.signal }, plan, events).finally(() => bar?.stop());
  const failure = abortError(result);
  if (failure) {
    if (!heartbeat) io.stderr.write('\n');
    if (result.counts.done > 0) io.stdout.write(`Total of ${result.counts.done} requests completed\n`);
    return reportError(io, failure);
  }
  io.stderr.write(heartbeat ? `Finished ${result.counts.done} requests\n` : '..done\n');
  const clientBound = clientBoundWarning(result, plan.busyPoll);
  if (clientBound) io.stderr.write(`${clientBound}\n`);
  io.stdout.write(formatAbReport(result, { confidence: args.confidence, percentiles: args.percentiles }));
  if (hasServerData(result, args.expectedShares)) io.stdout.write(`\n${formatServerTable(result.servers, args.expectedShares)}`);
  const metrics = benchMetrics(result);
  const expectedShares = args.expectedShares ? normalizeShares(args.expectedShares) : null;
  const thresholds = args.thresholds.map((t) => evaluateThreshold(t, metrics, { expectedShares }));
  if (thresholds.length > 0) io.stdout.write(`\nThresholds\n${thresholds.map((v) => formatVerdict(v, paint(colourWanted(io.stdout)))).join('')}`);
  try {
    if (args.csvFile !== undefined && result.counts.done > 0) await writeFile(args.csvFile, formatPercentileCsv(records));
    if (args.gnuplotFile !== undefined && result.counts.done > 0) await writeFile(args.gnuplotFile, formatGnuplot(records));
    if (args.jsonFile !== undefined) {
      const shard = args.shard && args.whole ? benchShardFields(args.shard, args.whole, args.startAtMs, records) : {};
      await writeFile(args.jsonFile, `${JSON.stringify({ ...result, ...(thresholds.length > 0 ? { thresholds } : {}), ...shard }, null, 2)}\n`);
    }
  } catch (e) {
    return reportError(io, createBadArgumentError('-e/-g/--json', `a writable file (${(e as Error).message})`));
  }
  if (result.aborted?.kind === 'signal') return ExitCode.Aborted;
  return thresholds.some((v) => v.status !== 'pass') ? ExitCode.ChecksFailed : ExitCode.Passed;
}
