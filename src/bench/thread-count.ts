/**
 * `--workers auto` (the default): how many threads a run gets when the user did not say.
 *
 * Measured on a 2-core VM against nginx on the same machine (README, Benchmarks): a new connection
 * costs ~50 µs of CPU in the client's kernel alone, so one thread tops out near ab (one C thread)
 * and a second thread on the second core is what gets past it. A kept-alive request costs ~12 µs,
 * one thread already drives a server harder than it can answer, and a second thread only takes CPU
 * from that server: keep-alive runs stay on one thread. A thread costs ~0.1 s of CPU to start, so a
 * short run does not get more threads than it has thousands of requests to share out.
 */
import { availableParallelism } from 'node:os';

/** Requests a thread should have before it is worth starting. */
export const REQUESTS_PER_THREAD = 5000;
/** No more than this many threads without an explicit --workers (not measured beyond). */
export const MAX_AUTO_THREADS = 4;

export interface ThreadCountInput {
  requests: number;
  concurrency: number;
  keepAlive?: boolean | undefined;
}

export function autoThreadCount(run: ThreadCountInput, cpus: number = availableParallelism()): number {
  if (run.keepAlive) return 1;
  const byRequests = Math.floor(run.requests / REQUESTS_PER_THREAD);
  return Math.max(1, Math.min(cpus, run.concurrency, byRequests, MAX_AUTO_THREADS));
}
