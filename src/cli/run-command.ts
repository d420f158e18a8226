/** `lvs-harness run`: options, the lab to use, reporters; then the runner. */
import { parseArgs } from 'node:util';
import { createBadArgumentError } from '../core/errors.js';
import { CommandDirector } from '../director/command-director.js';
import { splitCommandPrefix } from '../director/command-prefix.js';
import { readDirectorConfig } from '../lab/director-config-file.js';
import { embeddedLabFactory } from '../lab/embedded-lab-factory.js';
import { assertSourcesOwned, liveTargetFactory } from '../lab/live-target.js';
import { createReporters } from '../reporters/create-reporters.js';
import { ResultsWriter } from '../reporters/results-writer.js';
import { HtmlReportWriter } from '../reporters/html-report-writer.js';
import { run } from '../runner/run.js';
import { ExitCode } from '../core/exit-codes.js';
import { offsetAddresses, parseAddressOffset } from '../suite/address-offset.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { limitClients, parseMaxClients } from '../suite/max-clients.js';
import { inGuest, kernelRun } from './kernel-command.js';
import { onQuitAtOnce } from './last-words.js';
import { ensureReporterFiles, ensureWritableFolder } from './output-paths.js';
import { parseOrExplain } from './parse-or-explain.js';
import { printError } from './print-error.js';
import { ManualChangeTarget } from '../changes/manual-target.js';
import { CommandChangeTarget } from '../changes/command-target.js';
import { USAGE } from './usage.js';
import { parseKeepalivedId } from './keepalived-id.js';
import { parseThresholdArguments } from './threshold-arguments.js';
import { parseShard, parseShardCount } from '../shard/shard-spec.js';
import { parseStartAt } from '../shard/start-at.js';
import { shardRecord } from '../shard/shard-record.js';

export async function runCommand(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseOrExplain(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        lab: { type: 'string', default: 'embedded' },
        reporter: { type: 'string', multiple: true, default: [] },
        results: { type: 'string', default: 'results' },
        verbose: { type: 'boolean', default: false },
        'director-config': { type: 'string' },
        director: { type: 'string' },
        'fwmark-rules': { type: 'string' },
        'max-clients': { type: 'string' },
        manual: { type: 'boolean', default: false },
        'address-offset': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        threshold: { type: 'string', multiple: true, default: [] },
        shard: { type: 'string' },
        'start-at': { type: 'string' },
        shards: { type: 'string' },
        'keepalived-id': { type: 'string' },
      },
    }),
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.Passed;
  }
  if (positionals.length === 0) throw createBadArgumentError('run', 'at least one suite file');
  const lab = values.lab;
  if (lab !== 'embedded' && lab !== 'none' && lab !== 'kernel') throw createBadArgumentError('--lab', 'embedded, kernel or none');
  const dump = values['director-config'];
  if (values['fwmark-rules'] !== undefined && dump === undefined) throw createBadArgumentError('--fwmark-rules', 'a --director-config beside it');
  if (dump !== undefined && lab === 'none') throw createBadArgumentError('--director-config', '--lab embedded or kernel (it sets up a lab)');
  if (values.director !== undefined && lab !== 'none') throw createBadArgumentError('--director', '--lab none beside it (a lab is read as its own director)');
  const prefix = values.director === undefined ? undefined : splitCommandPrefix(values.director);
  const director = prefix === undefined ? undefined : new CommandDirector(prefix);
  const keepalivedId = parseKeepalivedId(values['keepalived-id']);
  const override = dump === undefined ? undefined : await readDirectorConfig(dump, values['fwmark-rules'], (m) => io.stderr.write(`warning: ${m}\n`), keepalivedId);
  const manual = values.manual ? manualChanges(lab, io.stderr) : prefix === undefined ? undefined : directorChanges(prefix, io.stderr);
  const offset = parseAddressOffset(values['address-offset']);
  if (offset !== 0 && (lab !== 'embedded' || dump !== undefined)) throw createBadArgumentError('--address-offset', 'the embedded lab from the suites (not --lab none or kernel, nor --director-config)');
  ensureWritableFolder('--results', values.results);
  ensureReporterFiles(values.reporter);
  const limit = limitClients(parseMaxClients(values['max-clients']));
  // A dump that cannot be a suite's director is an input error, found for every suite before any sends.
  const prepareSuite = (suite: LoadedSuite): LoadedSuite => {
    override?.(suite);
    const limited = limit(offsetAddresses(suite, offset));
    // Against a real director the sources must be this host's, for every suite before any sends.
    if (lab === 'none') assertSourcesOwned(limited);
    return limited;
  };
  const thresholds = parseThresholdArguments(values.threshold);
  const shard = parseShard(values.shard);
  const startAtMs = parseStartAt(values['start-at']);
  // Inside the guest a shard is one of the processes `--shards` starts (or typed in `lab up --kernel`'s shell), on the lab up there.
  if ((shard || startAtMs !== undefined) && lab === 'kernel' && !inGuest()) {
    throw createBadArgumentError(shard ? '--shard' : '--start-at', '--lab embedded or none (the kernel lab runs its shards itself: --shards N)');
  }
  const shards = parseShardCount(values.shards);
  if (shards !== undefined) checkShardsArguments(lab, positionals, values);
  const record = shard && shardRecord(shard, positionals, { startAtMs, lab, addressOffset: offset, maxClients: parseMaxClients(values['max-clients']) });
  const reporters = (about: ConstructorParameters<typeof ResultsWriter>[2] = record ? { shard: record } : {}) => {
    const writer = new ResultsWriter(['run', ...args], lab, about);
    onQuitAtOnce((signal) => writer.finishNow(signal));
    return [writer, new HtmlReportWriter(), ...createReporters(values.reporter, io.stdout, values.verbose, io.stderr)];
  };
  const result =
    lab === 'kernel'
      ? await kernelRun({
          args,
          suiteFiles: positionals,
          resultsRoot: values.results,
          override,
          prepareSuite,
          reporters,
          signal,
          out: io.stdout,
          thresholds,
          ...(keepalivedId !== undefined ? { keepalivedId } : {}),
          ...(shard ? { shard } : {}),
          ...(startAtMs !== undefined ? { startAtMs } : {}),
          ...(shards !== undefined ? { shards: { count: shards, args: shardArguments(values) } } : {}),
        })
      : await run({
          suiteFiles: positionals,
          startLab: lab === 'embedded' ? embeddedLabFactory(override) : liveTargetFactory(),
          prepareSuite,
          director,
          labName: lab,
          resultsRoot: values.results,
          reporters: reporters(),
          signal,
          ...(manual ? { changeTarget: manual } : {}),
          ...(keepalivedId !== undefined ? { keepalivedId } : {}),
          thresholds,
          ...(shard ? { shard } : {}),
          ...(startAtMs !== undefined ? { startAtMs } : {}),
        });
  // A number is the exit code of the harness inside the kernel lab's guest, which printed for itself.
  if (typeof result === 'number') return result;
  if (result.error) printError(result.error, io.stderr);
  return result.exitCode;
}

/** `--shards N` builds the lab and its shards itself, for one suite. */
function checkShardsArguments(lab: string, suites: readonly string[], values: { shard?: string | undefined; 'start-at'?: string | undefined; 'director-config'?: string | undefined }): void {
  if (lab !== 'kernel') throw createBadArgumentError('--shards', '--lab kernel beside it (elsewhere run each shard with --shard i/N)');
  if (values.shard !== undefined || values['start-at'] !== undefined) throw createBadArgumentError('--shards', 'no --shard or --start-at beside it (it starts its shards itself)');
  if (values['director-config'] !== undefined) throw createBadArgumentError('--shards', 'no --director-config beside it (the shards run against the suite\'s own director)');
  if (suites.length !== 1) throw createBadArgumentError('--shards', `one suite file (got ${suites.length})`);
}

/** What every shard of `--shards` is run with besides its shard: the same clients and thresholds. */
function shardArguments(values: { 'max-clients'?: string | undefined; threshold: string[]; 'keepalived-id'?: string | undefined }): string[] {
  return [
    ...(values['max-clients'] === undefined ? [] : ['--max-clients', values['max-clients']]),
    ...values.threshold.flatMap((t) => ['--threshold', t]),
    ...(values['keepalived-id'] === undefined ? [] : ['--keepalived-id', values['keepalived-id']]),
  ];
}

/** `--director CMD` without --manual: the changes run through the prefix, each shown (on stderr) before it runs. */
function directorChanges(prefix: readonly string[], shown: NodeJS.WritableStream): (suite: LoadedSuite) => CommandChangeTarget {
  return (suite) =>
    new CommandChangeTarget({
      prefix,
      addresses: new Map([
        ...suite.spec.service.realServers.map((rs): [string, string] => [rs.name, rs.address]),
        ...suite.spec.changes.flatMap((c): Array<[string, string]> => (c.action.kind === 'add' ? [[c.action.server, c.action.address]] : [])),
      ]),
      scope: { vip: suite.spec.vip, ...(suite.spec.service.fwmark === undefined ? {} : { fwmark: suite.spec.service.fwmark }) },
      announce: (command) => shown.write(`change: ${command}\n`),
    });
}

/** `--manual`: the operator makes each change and confirms it at the terminal. */
function manualChanges(lab: string, prompts: NodeJS.WritableStream): (suite: LoadedSuite) => ManualChangeTarget {
  if (lab !== 'none') throw createBadArgumentError('--manual', '--lab none beside it: the operator changes a real director by hand');
  if (!process.stdin.isTTY) throw createBadArgumentError('--manual', 'an interactive terminal on stdin: the operator confirms each change with Enter');
  return (suite) => new ManualChangeTarget(suite, process.stdin, prompts);
}
