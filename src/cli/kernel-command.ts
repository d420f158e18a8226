/**
 * The kernel lab on the command line. On the host, `run --lab kernel` and `lab up --kernel` check
 * the suites, then boot the guest with the same command; inside the guest (GUEST_ENV set) the same
 * commands run the suites against the real director, from the client namespace.
 */
import { spawn } from 'node:child_process';
import { ExitCode } from '../core/exit-codes.js';
import type { DirectorConfigOverride } from '../lab/director-config-file.js';
import { guestSuite } from '../lab/kernel/guest-addresses.js';
import { GUEST_ENV } from '../lab/kernel/guest-job.js';
import { attachedKernelLabFactory, kernelLabFactory } from '../lab/kernel/kernel-lab-factory.js';
import { runInGuest } from '../lab/kernel/run-in-guest.js';
import type { Reporter } from '../reporters/reporter.js';
import type { ResultsWriter } from '../reporters/results-writer.js';
import type { ShardSpec } from '../shard/shard-spec.js';
import { runKernelShards } from './kernel-shards-run.js';
import type { Threshold } from '../thresholds/parse.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { run, type RunResult } from '../runner/run.js';
import { loadSuite, type LoadedSuite, type SuiteLoadOptions } from '../suite/load-suite.js';
import type { SuiteAdapter } from '../suite/max-clients.js';

/** Lab setup and teardown per suite in the guest, on top of the suite's own traffic bound. */
const PER_SUITE_MS = 120_000;

export function inGuest(): boolean {
  return process.env[GUEST_ENV] === '1';
}

/** Environment variables the suites' probes read their passwords from. */
function secretNames(suites: readonly LoadedSuite[]): string[] {
  const names = suites.flatMap((s) => s.spec.probes.flatMap((p) => ('login' in p && p.login?.passwordEnv ? [p.login.passwordEnv] : [])));
  return [...new Set(names)];
}

async function loadAll(files: readonly string[], options: SuiteLoadOptions = {}): Promise<LoadedSuite[]> {
  const suites: LoadedSuite[] = [];
  for (const file of files) suites.push(await loadSuite(file, resolveCheck, options));
  return suites;
}

function workMs(suites: readonly LoadedSuite[]): number {
  return suites.reduce((ms, s) => ms + s.spec.traffic.maxSeconds * 1000 + PER_SUITE_MS, 0);
}

export interface KernelRunOptions {
  args: readonly string[];
  suiteFiles: readonly string[];
  resultsRoot: string;
  override: DirectorConfigOverride | undefined;
  /** Applied to each suite before its move to guest addresses (e.g. --max-clients). */
  prepareSuite: SuiteAdapter;
  /** `about`: what results.json says of shards (a shard's record, or the shards a merged run came from). */
  reporters: (about?: ConstructorParameters<typeof ResultsWriter>[2]) => Reporter[];
  signal: AbortSignal;
  out: NodeJS.WritableStream;
  /** `--threshold` values, judged by the run in the guest. */
  thresholds: readonly Threshold[];
  /** In the guest, a shard beside others on the lab already up there (`--shards`' processes, or typed in `lab up --kernel`'s shell). */
  shard?: ShardSpec;
  startAtMs?: number;
  /** `--shards N`: the count, and the arguments every shard gets besides its own. */
  shards?: { count: number; args: readonly string[] };
  /** `--keepalived-id`, for the suites' keepalived.conf files. */
  keepalivedId?: string;
}

/** Host: exit code of the harness in the guest. Guest: the run itself. */
export async function kernelRun(o: KernelRunOptions): Promise<number | RunResult> {
  if (!inGuest()) {
    // Suites are checked here first, so a wrong suite costs no boot and still exits 11.
    const suites = await loadAll(o.suiteFiles, o.keepalivedId === undefined ? {} : { keepalivedId: o.keepalivedId });
    return runInGuest({
      args: ['run', ...o.args],
      resultsRoot: o.resultsRoot,
      // --shards runs the suite twice: whole, then sharded.
      workMs: workMs(suites) * (o.shards ? 2 : 1),
      interactive: false,
      signal: o.signal,
      out: o.out,
      envNames: secretNames(suites),
    });
  }
  const prepareSuite = (suite: LoadedSuite): LoadedSuite => guestSuite(o.prepareSuite(suite));
  const whole = (): Promise<RunResult> =>
    run({
      suiteFiles: o.suiteFiles,
      startLab: o.shard ? attachedKernelLabFactory() : kernelLabFactory(o.override),
      prepareSuite,
      labName: 'kernel',
      resultsRoot: o.resultsRoot,
      reporters: o.reporters(),
      signal: o.signal,
      thresholds: o.thresholds,
      ...(o.keepalivedId !== undefined ? { keepalivedId: o.keepalivedId } : {}),
      ...(o.shard ? { shard: o.shard, sharedDirector: `shard ${o.shard.index}/${o.shard.count} shares the kernel lab's director with the other shards` } : {}),
      ...(o.startAtMs !== undefined ? { startAtMs: o.startAtMs } : {}),
    });
  if (!o.shards) return whole();
  return runKernelShards({
    count: o.shards.count,
    suiteFile: o.suiteFiles[0]!,
    resultsRoot: o.resultsRoot,
    shardArgs: o.shards.args,
    ...(o.keepalivedId !== undefined ? { keepalivedId: o.keepalivedId } : {}),
    whole,
    prepareSuite,
    reporters: (about) => o.reporters(about),
    thresholds: o.thresholds,
    out: o.out,
  });
}

/** `lab up --kernel`: the lab for one suite, and a shell in the client namespace until it exits. */
export async function kernelLabUp(file: string, signal: AbortSignal, out: NodeJS.WritableStream, options: SuiteLoadOptions = {}): Promise<number> {
  const [suite] = await loadAll([file], options);
  if (!inGuest()) {
    return runInGuest({
      args: ['lab', 'up', '--kernel', ...(options.keepalivedId === undefined ? [] : ['--keepalived-id', options.keepalivedId]), file],
      resultsRoot: 'results',
      workMs: 24 * 3600_000,
      interactive: true,
      signal,
      out,
      envNames: secretNames([suite!]),
    });
  }
  const guest = guestSuite(suite!);
  const lab = (await kernelLabFactory()(guest))!;
  try {
    out.write(`${lab.describe()}\n\n${(await lab.snapshot()).listing}\nTry: curl -s --interface ${guest.sources[0]} http://${guest.spec.vip}:${guest.spec.probes[0]?.port ?? 80}/\nExit the shell to power the guest off.\n`);
    await new Promise<void>((resolve) => spawn('sh', ['-i'], { stdio: 'inherit', env: { ...process.env, PS1: 'lvs-client# ' } }).on('close', () => resolve()));
    return ExitCode.Passed;
  } finally {
    await lab.close();
  }
}
