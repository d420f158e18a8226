/**
 * Runs the lab's setup commands inside the guest, one at a time, each bounded in time. A failing
 * command stops the lab's start with its own words (stderr), since that is what names the fault.
 */
import { execFile } from 'node:child_process';
import { createKernelLabError } from '../../core/errors.js';

/** Even under TCG (~50x slower) an ip, ipvsadm or nginx start takes well under this. */
const COMMAND_TIMEOUT_MS = 60_000;

/** `what` names the command in errors when its argument vector would not (a whole script). */
export function runCommand(argv: readonly string[], input?: string, what = `\`${argv.join(' ')}\``): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(argv[0]!, argv.slice(1), { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(createKernelLabError(`${what} failed: ${stderr.trim() || err.message}`, ''));
      else resolve(stdout);
    });
    // A command that fails before reading its input closes the pipe: its exit status and stderr say why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

export async function runAll(commands: readonly (readonly string[])[]): Promise<void> {
  for (const argv of commands) await runCommand(argv);
}
