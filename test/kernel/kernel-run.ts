/** The kernel tier's shared steps: whether it can run here, and one `run --lab kernel` through the CLI. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import { checkKernelEnvironment } from '../../src/lab/kernel/environment.js';
import type { Observation } from '../../src/model/observation.js';
import type { ResultsJson } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

export interface KernelRun {
  exitCode: number;
  stdout: string;
  results: ResultsJson & { suites: Array<ResultsJson['suites'][number] & { lab: { stats: string } }> };
  observations: Observation[];
}

function skipReason(): string | null {
  if (process.env.LVS_KERNEL_LAB !== '1') return 'set LVS_KERNEL_LAB=1 to run it (.ci/kernel-lab.sh does)';
  try {
    checkKernelEnvironment();
    return null;
  } catch (e) {
    if (isHarnessError(e)) return `${e.message} (${e.hint ?? ''})`;
    throw e;
  }
}

/** A `before` hook's body: skip the tier where it cannot run, else build what the guest will run. */
export function prepareKernelTier(ctx: Mocha.Context): void {
  const reason = skipReason();
  if (reason !== null) {
    console.log(`    kernel tier skipped: ${reason}`);
    ctx.skip();
  }
  // The guest runs the built harness from the host's root, so the build must be current.
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

export async function runKernel(...args: string[]): Promise<KernelRun> {
  const root = tempDir('lvs-kernel-test-');
  // One boot may run a dozen suites (the wrong directors): 15 minutes leaves room on a loaded machine.
  const child = spawnSync(process.execPath, ['dist/src/cli/bin.js', 'run', '--lab', 'kernel', '--results', root, ...args], { encoding: 'utf8', timeout: 900_000 });
  const [dir] = await readdir(root);
  if (dir === undefined) throw new Error(`no results (exit ${child.status}): ${child.stdout}\n${child.stderr}`);
  const read = (f: string): Promise<string> => readFile(path.join(root, dir, f), 'utf8');
  return {
    exitCode: child.status ?? -1,
    stdout: child.stdout,
    results: JSON.parse(await read('results.json')),
    observations: (await read('observations.ndjson')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Observation),
  };
}

/**
 * `lab up --kernel SUITE` driven as a user would: once the lab's banner is out, type the shell lines
 * `type` makes of it, then leave the shell. Resolves with everything printed and the exit code.
 */
export async function labUpSession(suite: string, type: (banner: string) => string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['dist/src/cli/bin.js', 'lab', 'up', '--kernel', suite], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let typed = false;
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!typed && out.includes('Exit the shell to power the guest off.')) {
      typed = true;
      child.stdin.write(`${type(out)}\nexit\n`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
  const code = await exited.finally(() => clearTimeout(timer));
  return { code, out };
}
