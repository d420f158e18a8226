/**
 * The command line: a thin wrapper over the runner, the lab and the bench engine. It owns the process:
 * signals, exit codes, and where text goes (results on stdout, errors on stderr).
 */
import { parseArgs } from 'node:util';
import { createBadArgumentError, isHarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { readDirectorConfig } from '../lab/director-config-file.js';
import { embeddedLabFactory } from '../lab/embedded-lab-factory.js';
import { createReporters } from '../reporters/create-reporters.js';
import { ResultsWriter } from '../reporters/results-writer.js';
import { run } from '../runner/run.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { loadSuite } from '../suite/load-suite.js';
import { benchCommand } from './bench-command.js';
import { kernelLabUp, kernelRun } from './kernel-command.js';
import { printError } from './print-error.js';
import { USAGE } from './usage.js';

export async function main(argv: readonly string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.Aborted);
    io.stderr.write('\nstopping: finishing open connections and writing results (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'run':
        return await runCommand(rest, io, controller.signal);
      case 'lab':
        return await labCommand(rest, io, controller.signal);
      case 'bench':
        return await benchCommand(rest, { ...io, signal: controller.signal });
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE);
        return ExitCode.Passed;
      default:
        throw createBadArgumentError(command ? `command "${command}"` : 'command', 'run, lab up or bench');
    }
  } catch (e) {
    printError(e, io.stderr);
    return isHarnessError(e) ? e.exitCode : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runCommand(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
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
        'fwmark-rules': { type: 'string' },
      },
    }),
  );
  if (positionals.length === 0) throw createBadArgumentError('run', 'at least one suite file');
  const lab = values.lab;
  if (lab !== 'embedded' && lab !== 'none' && lab !== 'kernel') throw createBadArgumentError('--lab', 'embedded, kernel or none');
  const dump = values['director-config'];
  if (values['fwmark-rules'] !== undefined && dump === undefined) throw createBadArgumentError('--fwmark-rules', 'a --director-config beside it');
  if (dump !== undefined && lab === 'none') throw createBadArgumentError('--director-config', '--lab embedded or kernel (it sets up a lab)');
  const override = dump === undefined ? undefined : await readDirectorConfig(dump, values['fwmark-rules']);
  const reporters = () => [new ResultsWriter(['run', ...args], lab), ...createReporters(values.reporter, io.stdout, values.verbose)];
  const result =
    lab === 'kernel'
      ? await kernelRun({ args, suiteFiles: positionals, resultsRoot: values.results, override, reporters, signal, out: io.stdout })
      : await run({
          suiteFiles: positionals,
          startLab: lab === 'embedded' ? embeddedLabFactory(override) : async () => null,
          labName: lab,
          resultsRoot: values.results,
          reporters: reporters(),
          signal,
        });
  // A number is the exit code of the harness inside the kernel lab's guest, which printed for itself.
  if (typeof result === 'number') return result;
  if (result.error) printError(result.error, io.stderr);
  return result.exitCode;
}

async function labCommand(args: string[], io: { stdout: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  const kernel = args.includes('--kernel');
  const [sub, file, ...extra] = args.filter((a) => a !== '--kernel');
  if (sub !== 'up' || !file || extra.length > 0) throw createBadArgumentError('lab', 'lab up [--kernel] <suite.yaml>');
  if (kernel) return kernelLabUp(file, signal, io.stdout);
  const suite = await loadSuite(file, resolveCheck);
  const lab = (await embeddedLabFactory()(suite))!;
  io.stdout.write(`${lab.describe()}\nThe lab runs until Ctrl-C.\n`);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await lab.close();
  return ExitCode.Passed;
}

function parseOrExplain<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw createBadArgumentError('arguments', `${(e as Error).message.split('\n')[0]}. ${USAGE.split('\n')[1]}`);
  }
}

