/**
 * `lvs-harness merge DIR... [--results OUT]`: the shards of one run (`run --shard` results folders) as
 * one run, judged and reported as a single run would be; or `bench --shard` JSON files as one bench
 * report. Exit codes as `run` (bench: as `bench`).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { abortError } from '../bench/abort-error.js';
import { formatAbReport } from '../bench/ab-report.js';
import { formatServerTable } from '../bench/server-table.js';
import { createBadArgumentError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { mergeBenchShards } from '../merge/merge-bench.js';
import { mergeRun } from '../merge/merge-run.js';
import { mergedRecord } from '../merge/merged-record.js';
import { readShards } from '../merge/read-shards.js';
import { createReporters } from '../reporters/create-reporters.js';
import { HtmlReportWriter } from '../reporters/html-report-writer.js';
import { ResultsWriter } from '../reporters/results-writer.js';
import type { ShardedBenchResult } from '../shard/bench-shard.js';
import { ensureReporterFiles, ensureWritableFile, ensureWritableFolder } from './output-paths.js';
import { parseOrExplain } from './parse-or-explain.js';
import { printError } from './print-error.js';
import { parseThresholdArguments } from './threshold-arguments.js';
import { USAGE } from './usage.js';

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export async function mergeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrExplain(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        results: { type: 'string', default: 'results' },
        reporter: { type: 'string', multiple: true, default: [] },
        threshold: { type: 'string', multiple: true, default: [] },
        json: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.Passed;
  }
  if (positionals.length === 0) throw createBadArgumentError('merge', 'the results folders (or bench --json files) of every shard of one run');
  const given = readShards(positionals);
  if (given.kind === 'bench') return mergeBench(given.shards, values.json, io);
  if (values.json !== undefined) throw createBadArgumentError('--json', 'bench shards (a merged run writes results.json under --results)');
  ensureWritableFolder('--results', values.results);
  ensureReporterFiles(values.reporter);
  const shards = given.shards;
  const first = shards[0]!.shard;
  const writer = new ResultsWriter(['merge', ...args], first.lab, { merged: mergedRecord(shards) });
  const result = await mergeRun(shards, {
    resultsRoot: values.results,
    reporters: [writer, new HtmlReportWriter(), ...createReporters(values.reporter, io.stdout, values.verbose, io.stderr)],
    thresholds: parseThresholdArguments(values.threshold),
  });
  if (result.error) printError(result.error, io.stderr);
  return result.exitCode;
}

async function mergeBench(shards: readonly ShardedBenchResult[], jsonFile: string | undefined, io: Io): Promise<number> {
  if (jsonFile !== undefined) ensureWritableFile('--json', jsonFile);
  const { result } = mergeBenchShards(shards);
  io.stdout.write(formatAbReport(result));
  const table = formatServerTable(result.servers);
  if (table) io.stdout.write(`\n${table}`);
  if (jsonFile !== undefined) await writeFile(jsonFile, `${JSON.stringify({ ...result, mergedFrom: shards.length }, null, 2)}\n`);
  if (result.aborted?.kind === 'signal') return ExitCode.Aborted;
  const failure = abortError(result);
  if (failure) {
    printError(failure, io.stderr);
    return failure.exitCode;
  }
  return ExitCode.Passed;
}
