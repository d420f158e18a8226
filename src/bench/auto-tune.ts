/**
 * What `--workers` and `--busy-poll` are when the user did not say (both default to auto).
 *
 * Threads, measured on a 2-core VM against nginx on the same machine (README, Benchmarks): a new
 * connection costs ~45 µs of CPU in the client's kernel alone, so one thread is CPU-bound below ab;
 * a second thread on the second core adds ~10% (17.6k -> 19.4k req/s at -n 20000). A kept-alive
 * request costs ~12 µs, one thread already drives nginx to 100% of a core, and a second thread only
 * takes CPU from that server: keep-alive runs stay on one thread. A thread costs ~0.1 s of CPU to
 * start, so a short run gets no more threads than it has thousands of requests to share out.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** Requests a thread should have before it is worth starting. */
export const REQUESTS_PER_THREAD = 5000;
/** No more than this many threads without an explicit --workers (not measured beyond). */
export const MAX_AUTO_THREADS = 4;

export interface RunShape {
  requests: number;
  concurrency: number;
  keepAlive?: boolean | undefined;
}

export function autoThreadCount(run: RunShape, cpus: number = availableParallelism()): number {
  if (run.keepAlive) return 1;
  const byRequests = Math.floor(run.requests / REQUESTS_PER_THREAD);
  return Math.max(1, Math.min(cpus, run.concurrency, byRequests, MAX_AUTO_THREADS));
}

/**
 * Busy polling, for a closed-model keep-alive run on one thread with a CPU to spare. Measured against
 * nginx on the same 2-core VM: a sleeping client costs the server a wake-up (an inter-processor
 * interrupt, dear in a VM) for nearly every response, and nginx spent 15.2 µs per request instead of
 * 14.3; polling took 6% more requests/s out of the same server. Connection-per-request runs already
 * keep every core busy with their threads, and a --rate run is mostly waiting on purpose.
 */
export function autoBusyPoll(run: RunShape & { rate?: number | undefined }, threads: number, cpus: number = availableParallelism()): boolean {
  return Boolean(run.keepAlive) && !run.rate && threads === 1 && cpus >= 2;
}

/**
 * JIT warm-up (warm-up.ts) for threads with a connection-per-request run long enough to be worth
 * ~0.2 s more start-up; keep-alive runs stay on V8's baseline compiler and have little to warm.
 */
export function autoWarmUp(run: RunShape & { rate?: number | undefined }, threads: number): boolean {
  return !run.keepAlive && !run.rate && run.requests / threads >= REQUESTS_PER_THREAD;
}

/**
 * Runs `work` (a busy-polling run) with V8 stopped at its baseline compiler (Sparkplug) instead of
 * optimizing hot functions with TurboFan. The spinning thread has its core to itself, so optimized
 * code buys it little, while the compiles take CPU from the server's core. Measured against nginx on
 * the 2-core VM, `-k -c 10 -t 5` (50,000 requests): 71.1k req/s with TurboFan, 75.7k without (medians
 * of 5, interleaved). The flag is process-wide: V8's default comes back when the run ends.
 */
export async function withBaselineJit<T>(work: () => Promise<T>): Promise<T> {
  setFlagsFromString('--max-opt=1');
  try {
    return await work();
  } finally {
    setFlagsFromString(`--max-opt=${V8_DEFAULT_MAX_OPT}`);
  }
}

/** V8's own default for --max-opt: every tier allowed. */
const V8_DEFAULT_MAX_OPT = 999;
