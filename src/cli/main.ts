/**
 * The command line: a thin wrapper over the runner, the lab and the bench engine. It owns the process:
 * signals, exit codes, and where text goes (results on stdout, errors on stderr).
 */
import { createBadArgumentError, isHarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { printError } from './print-error.js';
import { USAGE } from './usage.js';

export async function main(argv: readonly string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(ExitCode.Aborted);
    io.stderr.write('\nstopping: finishing open connections and writing results (Ctrl-C again to quit at once)\n');
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const [command, ...rest] = argv;
    switch (command) {
      // Each command loads only its own modules: a bench's start-up is part of what it measures.
      case 'run':
        return await (await import('./run-command.js')).runCommand(rest, io, controller.signal);
      case 'lab':
        return await (await import('./lab-command.js')).labCommand(rest, io, controller.signal);
      case 'bench':
        return await (await import('./bench-command.js')).benchCommand(rest, { ...io, signal: controller.signal });
      case 'compare':
        return await (await import('./compare-command.js')).compareCommand(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE);
        return ExitCode.Passed;
      default:
        throw createBadArgumentError(command ? `command "${command}"` : 'command', 'run, lab up, bench or compare');
    }
  } catch (e) {
    printError(e, io.stderr);
    return isHarnessError(e) ? e.exitCode : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
