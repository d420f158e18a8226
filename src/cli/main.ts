/**
 * The command line: a thin wrapper over the runner, the lab and the bench engine. It owns the process:
 * signals, exit codes, and where text goes (results on stdout, errors on stderr).
 */
import { createBadArgumentError, isHarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { sayLastWords } from './last-words.js';
import { printError } from './print-error.js';
import { USAGE } from './usage.js';

/** Signals this close to the first are the same request delivered twice (process group and parent). */
const DUPLICATE_SIGNAL_MS = 300;

export async function main(argv: readonly string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // Ctrl-C under `npm start` reaches node twice at once (the terminal signals the whole group,
      // and npm forwards its own): that is still the first request, not the second.
      if (performance.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
      sayLastWords(signal);
      process.exit(ExitCode.Aborted);
    }
    firstSignalAt = performance.now();
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
      case 'director':
        return await (await import('./director-command.js')).directorCommand(rest, io);
      case 'init':
        return await (await import('./init-command.js')).initCommand(rest, io);
      case '--version':
      case '-V':
        io.stdout.write(`lvs-harness ${(await import('./package-info.js')).packageVersion()}\n`);
        return ExitCode.Passed;
      case 'merge':
        return await (await import('./merge-command.js')).mergeCommand(rest, io);
      case 'k8s-job':
        return await (await import('./k8s-job-command.js')).k8sJobCommand(rest, io);
      case 'compare':
        return await (await import('./compare-command.js')).compareCommand(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE);
        return ExitCode.Passed;
      default:
        throw createBadArgumentError(command ? `command "${command}"` : 'command', 'run, lab up, bench, compare, merge, k8s-job, director show or init');
    }
  } catch (e) {
    printError(e, io.stderr);
    return isHarnessError(e) ? e.exitCode : 1;
  } finally {
    // After a signal the process is ending: a late repeat (npm passes its own on) must not kill it
    // by signal, which would hide the exit code. Node restores the default action while it exits,
    // so the duplicate window is waited out here rather than met during the exit.
    if (controller.signal.aborted) await new Promise((r) => setTimeout(r, Math.max(0, firstSignalAt + DUPLICATE_SIGNAL_MS - performance.now())));
    else {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
