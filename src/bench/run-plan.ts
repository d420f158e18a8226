/**
 * How a `bench` run is carried out, and carrying it out: on how many threads, busy-polling or not,
 * warmed up or not (each decided by auto-tune.ts unless the user said), then the engine on one thread
 * or the worker threads, under V8's baseline compiler when busy-polling (baseline-jit.ts), metering
 * what the measured run cost this client's CPU (client-cpu.ts).
 */
import { autoBusyPoll, autoThreadCount, autoWarmUp, isLocalTarget } from './auto-tune.js';
import { withBaselineJit } from './baseline-jit.js';
import { ClientCpuMeter } from './client-cpu.js';
import { runBenchDetailed } from './engine.js';
import type { RequestRecords } from './records.js';
import type { BenchEvents, BenchOptions, BenchResult } from './types.js';
import { quietUntilOpen, warmUp } from './warm-up.js';

export interface RunPlan {
  threads: number;
  busyPoll: boolean;
  warmUp: boolean;
}

/** The plan for `options`, given what the user chose for --workers and --busy-poll. */
export function planRun(options: BenchOptions, chosen: { workers: number | 'auto'; busyPoll: boolean | 'auto' }): RunPlan {
  // No more threads than connections: a thread without one would have nothing to do.
  const threads = chosen.workers === 'auto' ? autoThreadCount(options) : Math.max(1, Math.min(chosen.workers, options.concurrency));
  const auto = (): boolean => autoBusyPoll(options, threads, isLocalTarget(new URL(options.url).hostname));
  return {
    threads,
    busyPoll: chosen.busyPoll === 'auto' ? auto() : chosen.busyPoll,
    warmUp: autoWarmUp(options, threads),
  };
}

/** Runs the benchmark by `plan`; the worker threads' module is loaded only when they are used. */
export async function runPlanned(
  options: BenchOptions,
  plan: RunPlan,
  events: BenchEvents,
): Promise<{ result: BenchResult; records: RequestRecords }> {
  const run = { ...options, busyPoll: plan.busyPoll };
  const cpu = new ClientCpuMeter();
  const metered = cpu.wrap(events);
  const measure = async (): Promise<{ result: BenchResult; records: RequestRecords }> => {
    if (plan.threads > 1) return (await import('./workers.js')).runBenchWorkers(run, plan.threads, metered, plan.warmUp);
    const quiet = quietUntilOpen(metered);
    if (plan.warmUp) await warmUp(run, quiet.events);
    quiet.open();
    return runBenchDetailed(run, quiet.events);
  };
  const { result, records } = await (plan.busyPoll ? withBaselineJit(measure) : measure());
  return { result: { ...result, clientCpu: cpu.result(plan.threads, result.timeTakenSec) }, records };
}
