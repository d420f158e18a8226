/**
 * `run --lab kernel --shards N SUITE`, inside the guest. The suite runs first whole, from the
 * harness's own client namespace, on a fresh lab; then, on another fresh lab (a new director
 * namespace: no template, counter or wrr position left from the whole run), as N shards: each a
 * harness process of its own (`run --lab kernel --shard i/N`) in its own client namespace holding its
 * block of the sources, all started together with --start-at. The shared director is read before the
 * first shard's traffic and after the last's, and the shards are merged with that reading, so the
 * union is cross-checked against the one director they shared. Both runs leave results folders; the
 * exit code is the worse of the two.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createKernelLabError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { shardClientNamespace } from '../lab/kernel/topology.js';
import { GUEST_ENV } from '../lab/kernel/guest-job.js';
import { kernelLabFactory } from '../lab/kernel/kernel-lab-factory.js';
import { harnessCommand } from '../lab/kernel/run-in-guest.js';
import { mergeRun } from '../merge/merge-run.js';
import { mergedRecord } from '../merge/merged-record.js';
import { readShards, type RunShard } from '../merge/read-shards.js';
import type { Reporter } from '../reporters/reporter.js';
import type { MergedRecord } from '../reporters/results-writer.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { newRunId, runOutcome } from '../runner/run-lifecycle.js';
import type { RunResult } from '../runner/run.js';
import { shardSuite } from '../shard/shard-suite.js';
import { loadSuite, type LoadedSuite } from '../suite/load-suite.js';
import type { Threshold } from '../thresholds/parse.js';

/**
 * Each shard is a node process loaded over 9p under TCG, as this one was: from 20 s on an idle host to
 * minutes on a loaded one. The shards start together if their common start leaves each the time this
 * process took to start, with the guest's two CPUs shared among them, and a margin.
 */
function startDelayMs(startupMs: number, count: number): number {
  return startupMs * Math.max(1, count / 2) * 1.5 + 5_000;
}

export interface KernelShardsOptions {
  count: number;
  suiteFile: string;
  resultsRoot: string;
  /** --max-clients, --threshold and --keepalived-id as given: every shard is run with them. */
  shardArgs: readonly string[];
  /** The whole run, as `run --lab kernel` without --shards. */
  whole: () => Promise<RunResult>;
  /** As the whole run prepares the suite (guest addresses included). */
  prepareSuite: (suite: LoadedSuite) => LoadedSuite;
  reporters: (about: { merged: MergedRecord }) => Reporter[];
  thresholds: readonly Threshold[];
  out: NodeJS.WritableStream;
  /** `--keepalived-id`, for the suite's keepalived.conf. */
  keepalivedId?: string;
}

/** The worse of the whole run and the merged one; `resultsDir` is the merged run's. */
export async function runKernelShards(o: KernelShardsOptions): Promise<RunResult> {
  const suite = o.prepareSuite(await loadSuite(o.suiteFile, resolveCheck, o.keepalivedId === undefined ? {} : { keepalivedId: o.keepalivedId }));
  // What each shard's --shard would refuse (changes:, too few sources, ...), refused before the whole run.
  shardSuite(suite, { index: 0, count: o.count });
  // Since this process started: node and the harness loaded, the suite checked.
  const startupMs = performance.now();
  const whole = await o.whole();
  if (whole.outcome !== 'passed' && whole.outcome !== 'failed') return whole;
  const lab = (await kernelLabFactory(undefined, o.count)(suite))!;
  const shardsRoot = path.join(o.resultsRoot, `shards-${newRunId()}`);
  let union;
  try {
    const before = await lab.read();
    const startAt = (Date.now() + startDelayMs(startupMs, o.count)) / 1000;
    o.out.write(`${o.count} shards of ${suite.name}, one per client namespace, starting at ${new Date(startAt * 1000).toISOString()}\n`);
    const codes = await Promise.all(Array.from({ length: o.count }, (_, i) => runShard(i, o, startAt, shardsRoot)));
    const broken = codes.findIndex((c) => c.code !== ExitCode.Passed && c.code !== ExitCode.ChecksFailed);
    if (broken >= 0) throw createKernelLabError(`shard ${broken}/${o.count} exited with code ${codes[broken]!.code}`, codes[broken]!.output.split('\n').slice(-20).join('\n'));
    const after = await lab.read();
    union = { lab: 'kernel', director: { before, after }, snapshot: await lab.snapshot(after) };
  } finally {
    await lab.close();
  }
  const dirs = Array.from({ length: o.count }, (_, i) => {
    const root = path.join(shardsRoot, String(i));
    return path.join(root, readdirSync(root)[0]!);
  });
  const given = readShards(dirs);
  const shards = given.shards as RunShard[];
  const merged = await mergeRun(shards, {
    resultsRoot: o.resultsRoot,
    reporters: o.reporters({ merged: mergedRecord(shards) }),
    thresholds: o.thresholds,
    unions: [union],
  });
  return { ...runOutcome([whole.outcome, merged.outcome], merged.outcome), resultsDir: merged.resultsDir, error: merged.error ?? whole.error };
}

/** Shard i in its namespace; what it printed comes out after it, each line marked with the shard. */
function runShard(i: number, o: KernelShardsOptions, startAt: number, shardsRoot: string): Promise<{ code: number; output: string }> {
  const shard = `${i}/${o.count}`;
  const argv = ['run', '--lab', 'kernel', '--shard', shard, '--start-at', startAt.toFixed(3), '--results', path.join(shardsRoot, String(i)), ...o.shardArgs, o.suiteFile];
  const child = spawn('ip', ['netns', 'exec', shardClientNamespace(i), ...harnessCommand(), ...argv], {
    env: { ...process.env, [GUEST_ENV]: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => {
    // A process that could not start (no `ip`, no node) is reported like one that failed.
    child.on('error', (e) => resolve({ code: ExitCode.InvalidEnvironment, output: `${output}${e.message}` }));
    child.on('close', (code) => {
      o.out.write(output.split('\n').filter((l) => l !== '').map((l) => `[shard ${shard}] ${l}\n`).join(''));
      resolve({ code: code ?? ExitCode.Aborted, output });
    });
  });
}
