/**
 * What `--workers` and `--busy-poll` are, and whether threads warm up, when the user did not say.
 *
 * Threads, measured on a 2-core VM against nginx on the same machine (README, Benchmarks): a new
 * connection costs ~45 µs of CPU in the client's kernel alone, so one thread is CPU-bound below ab
 * (17.5k against 21.3k new connections/s) and two threads reach it. A kept-alive request costs nginx
 * ~13 µs, one thread already drives nginx to 100% of a core, and a second thread only takes CPU from
 * that server: keep-alive runs stay on one thread. A thread costs ~0.1 s of CPU to start, so a short
 * run gets no more threads than it has thousands of requests to share out.
 */
import { availableParallelism, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { isLoopback } from '../net/ipv4.js';

/** Requests a thread should have before it is worth starting (or warming up). */
const REQUESTS_PER_THREAD = 5000;
/** No more than this many threads without an explicit --workers (not measured beyond). */
const MAX_AUTO_THREADS = 4;

interface RunShape {
  requests: number;
  concurrency: number;
  keepAlive?: boolean | undefined;
  rate?: number | undefined;
}

export function autoThreadCount(run: RunShape, cpus: number = availableParallelism()): number {
  if (run.keepAlive) return 1;
  const byRequests = Math.floor(run.requests / REQUESTS_PER_THREAD);
  return Math.max(1, Math.min(cpus, run.concurrency, byRequests, MAX_AUTO_THREADS));
}

/** Whether `host` (an IP literal) is an address of this machine: loopback or a local interface's. */
export function isLocalTarget(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (!isIP(bare)) return false;
  if (bare === '::1' || isLoopback(bare)) return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === bare));
}

/**
 * Busy polling, for a closed-model keep-alive run on one thread against a server on this machine,
 * with a CPU to spare. Measured against nginx on the same 2-core VM: a sleeping client costs the
 * server a wake-up (an inter-processor interrupt, dear in a VM) for nearly every response; polling,
 * nginx spent 14.2 instead of 14.6 µs per request and answered 5% more requests/s (67.3k against
 * 64.0k, `-k -c 10 -t 5`, medians of 5 interleaved). A remote server gains
 * nothing from it, connection-per-request runs already keep every core busy with their threads, and
 * a --rate run is mostly waiting on purpose.
 */
export function autoBusyPoll(run: RunShape, threads: number, targetIsLocal: boolean, cpus: number = availableParallelism()): boolean {
  return Boolean(run.keepAlive) && !run.rate && threads === 1 && targetIsLocal && cpus >= 2;
}

/**
 * JIT warm-up (warm-up.ts) for threads of a connection-per-request run long enough to be worth
 * ~0.2 s more start-up.
 */
export function autoWarmUp(run: RunShape, threads: number): boolean {
  return !run.keepAlive && !run.rate && run.requests / threads >= REQUESTS_PER_THREAD;
}
