/**
 * `--lab kernel` on the host: check the machine, build the initramfs, leave the job for the guest,
 * boot it, forward what the harness inside prints, and return the harness's own exit code. The
 * harness inside the guest writes results/<run-id>/ straight into the host's results folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKernelLabError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { checkKernelEnvironment } from './environment.js';
import { EXIT_CODE_FILE, READY_MARKER, guestJobScript } from './guest-job.js';
import { JOB_SCRIPT, ensureInitramfs } from './initramfs.js';
import { bootGuest } from './qemu.js';

/** Boot, module loading and node's start over 9p, under TCG. */
const BOOT_ALLOWANCE_MS = 300_000;
const TAIL_LINES = 40;

export interface GuestRunOptions {
  /** The harness's arguments inside the guest (`run ...` or `lab up ...`), results folder excluded. */
  args: readonly string[];
  resultsRoot: string;
  /** Bound on the harness's own work inside the guest (e.g. the suites' maxSeconds summed). */
  workMs: number;
  interactive: boolean;
  signal: AbortSignal;
  out: NodeJS.WritableStream;
  /** Environment variables to hand to the harness in the guest (the suites' passwordEnv names). */
  envNames: readonly string[];
}

/** The harness's entry, as this process runs it (built JavaScript, or TypeScript through tsx). */
export function harnessCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const bin = path.resolve(path.dirname(here), `../../cli/bin${ext}`);
  return [process.execPath, ...(ext === '.ts' ? ['--import', 'tsx'] : []), bin];
}

export async function runInGuest(o: GuestRunOptions): Promise<number> {
  const env = checkKernelEnvironment();
  const initramfs = await ensureInitramfs(env);
  const resultsDir = path.resolve(o.resultsRoot);
  await mkdir(resultsDir, { recursive: true });
  const jobDir = await mkdtemp(path.join(os.tmpdir(), 'lvs-harness-job-'));
  try {
    const resultsArgs = o.args[0] === 'run' ? ['--results', resultsDir] : [];
    const secrets = Object.fromEntries(o.envNames.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])));
    // The script may hold secrets: readable by root only, and removed with the job folder.
    await writeFile(
      path.join(jobDir, JOB_SCRIPT),
      guestJobScript({ cwd: process.cwd(), resultsDir, command: [...harnessCommand(), ...o.args, ...resultsArgs], env: secrets }),
      { mode: 0o600 },
    );
    const tail: string[] = [];
    let ready = false;
    const boot = await bootGuest({
      env,
      initramfs,
      jobDir,
      resultsDir,
      timeoutMs: BOOT_ALLOWANCE_MS + o.workMs,
      signal: o.signal,
      console: o.interactive ? 'interactive' : 'forward',
      onLine: (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        // Firmware and kernel chatter before the job starts is noise; afterwards it is the run.
        ready ||= line.includes(READY_MARKER);
        if (ready) o.out.write(`${line}\n`);
      },
    });
    if (boot.aborted) return ExitCode.Aborted;
    if (boot.timedOut) throw createKernelLabError(`the guest did not finish within ${Math.round((BOOT_ALLOWANCE_MS + o.workMs) / 1000)} s`, tail.join('\n'));
    const codeFile = path.join(jobDir, EXIT_CODE_FILE);
    if (!existsSync(codeFile)) throw createKernelLabError('the guest stopped before the harness inside it finished', tail.join('\n'));
    return Number((await readFile(codeFile, 'utf8')).trim());
  } finally {
    await rm(jobDir, { recursive: true, force: true });
  }
}
