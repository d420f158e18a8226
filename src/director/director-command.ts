/**
 * Runs one reading command on a live director (`PREFIX ipvsadm -Ln ...`) without a shell, bounded
 * in time (an ssh that hangs must not hang the run). A command that fails stops the read with its
 * exit status and its own words.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { createDirectorReadError } from '../core/errors.js';
import { shellLine } from '../core/shell-words.js';

/** ssh to a busy director, or kubectl exec into a pod, answers well within this. */
const READ_TIMEOUT_MS = 30_000;

function statusOf(err: ExecFileException): string {
  if (typeof err.code === 'string') return `could not be started (${err.code}: ${err.message})`;
  if (err.killed === true || err.signal) return `was stopped (${err.signal ?? 'SIGTERM'}) after ${READ_TIMEOUT_MS / 1000} s or by a signal`;
  return `exited with status ${err.code}`;
}

/** `failed` makes the error of a command that does more than read (a change); a read error by default. */
export function runDirectorCommand(
  argv: readonly string[],
  failed: (command: string, status: string, output: string) => Error = createDirectorReadError,
): Promise<string> {
  const shown = shellLine(argv);
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: READ_TIMEOUT_MS, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) reject(failed(shown, statusOf(err), `${stderr}${stdout}`));
      else resolve(stdout);
    }).stdin?.end();
  });
}
