/**
 * `--workers N`: the run split over N worker threads, each with its own event loop and sockets, so
 * a connection-per-request load is not capped by one thread's CPU. Worker i gets an equal share of
 * the connections and the source addresses, and a share of the arrival rate in proportion to its
 * connections; the requests, ab's bad-request count, the Document Length and the ramp (one
 * connection in all until the first response header) are kept for the whole run in shared memory
 * (run-tally.ts). The threads load (and, for auto, warm up) their engines, then start together; the
 * main thread forwards ab's heartbeat over their summed progress and merges their final states
 * (merge.ts) into one exact report. A worker that gives up (too many failed connects, a receive error
 * without -r) stops the others, as ab stops.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { assembleResult } from './result.js';
import { mergeStates, type EncodedState } from './merge.js';
import { sharedTallyCells } from './run-tally.js';
import type { RequestRecords } from './records.js';
import type { BenchEvents, BenchOptions, BenchResult } from './types.js';

/** Options a worker can receive: structured-cloneable (no RegExp, no AbortSignal). */
export interface WorkerInput {
  /** Warm the engine up (warm-up.ts) before saying it is ready. */
  warmUp: boolean;
  options: Omit<BenchOptions, 'identifyBodyRegex' | 'signal'> & { identifyBody?: { source: string; flags: string } };
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; done: number }
  | { type: 'diagnostic'; line: string }
  /** The worker's engine has finished (before its state is encoded and sent). */
  | { type: 'ended' }
  | { type: 'done'; state: EncodedState };

/** `total` split in proportion to `weights`, whole numbers; the largest remainders (then the first) get the rest. */
export function sharesBy(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((x, y) => y.r - x.r || x.i - y.i);
  for (const { i } of order) {
    if (rest-- <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

/** Equal shares of `total` over `n` (the first ones get the remainder). */
export function shares(total: number, n: number): number[] {
  return sharesBy(total, new Array<number>(n).fill(1));
}

/** Worker i's options: its share of -c, sources and rate, and the run's shared counts. */
export function workerOptions(options: BenchOptions, workers: number, warmUp = false): WorkerInput[] {
  const { identifyBodyRegex, signal: _signal, ...rest } = options;
  const concurrency = shares(options.concurrency, workers);
  const sharedTally = sharedTallyCells();
  const sources = options.sources ?? [];
  return concurrency.map((c, i) => {
    const own = sources.length >= workers ? sources.filter((_, j) => j % workers === i) : sources;
    return {
      warmUp,
      options: {
        ...rest,
        sharedTally,
        // ab's heartbeat counts the whole run: this thread reports progress, the main thread beats.
        heartbeatEvery: 0,
        concurrency: c,
        ...(own.length ? { sources: own } : {}),
        ...(options.rate ? { rate: (options.rate * c) / options.concurrency } : {}),
        ...(identifyBodyRegex ? { identifyBody: { source: identifyBodyRegex.source, flags: identifyBodyRegex.flags } } : {}),
      },
    };
  });
}

/** The worker script next to this module: .js when built, .ts when run from source (tests). */
const EXT = extname(fileURLToPath(import.meta.url));
const ENTRY = new URL(`./worker-entry${EXT}`, import.meta.url);

/**
 * Node 20 gives a worker none of the main thread's loader hooks (mocha's tsx) and ignores --import
 * in a worker's execArgv, so a .ts entry is loaded through tsx's tsImport from a small bootstrap.
 */
function startWorker(input: WorkerInput): Worker {
  if (EXT !== '.ts') return new Worker(ENTRY, { workerData: input });
  const bootstrap = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(ENTRY.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}

/** Runs the benchmark on `workers` threads (at most one per connection) and merges the result. */
export async function runBenchWorkers(
  options: BenchOptions,
  workers: number,
  events: BenchEvents = {},
  warmUp = false,
): Promise<{ result: BenchResult; records: RequestRecords }> {
  const inputs = workerOptions(options, Math.max(1, Math.min(workers, options.concurrency)), warmUp);
  const every = options.heartbeatEvery ?? 0;
  const progress = inputs.map(() => 0);
  let announced = 0;
  const report = (): void => {
    const done = progress.reduce((a, b) => a + b, 0);
    events.progress?.(done);
    while (every > 0 && announced + every <= Math.min(done, options.requests)) {
      announced += every;
      events.heartbeat?.(announced);
    }
  };
  const threads = inputs.map(startWorker);
  const stopAll = (): void => {
    for (const t of threads) t.postMessage('abort');
  };
  let ready = 0;
  const onReady = (): void => {
    if (++ready < threads.length) return;
    events.started?.();
    for (const t of threads) t.postMessage('go');
  };
  // The run ends with the last engine, before the threads encode and send their states.
  let ended = 0;
  const onEnded = (): void => {
    if (++ended === threads.length) events.ended?.();
  };
  options.signal?.addEventListener('abort', stopAll, { once: true });
  // A Ctrl-C while this module was loading: the workers take the abort before or after `go`.
  if (options.signal?.aborted) stopAll();
  try {
    const states = await Promise.all(
      threads.map(
        (thread, i) =>
          new Promise<EncodedState>((resolve, reject) => {
            thread.on('message', (m: WorkerMessage) => {
              if (m.type === 'ready') onReady();
              else if (m.type === 'progress') {
                progress[i] = m.done;
                report();
              } else if (m.type === 'diagnostic') events.diagnostic?.(m.line);
              else if (m.type === 'ended') onEnded();
              else {
                if (m.state.aborted && m.state.aborted.kind !== 'signal') stopAll();
                progress[i] = m.state.counts.done;
                resolve(m.state);
              }
            });
            thread.once('error', reject);
            thread.once('exit', (code) => reject(new Error(`bench worker ${i} exited with code ${code} before its result`)));
          }),
      ),
    );
    report();
    const state = mergeStates(states, {
      concurrency: options.concurrency,
      requests: options.requests,
      rate: options.rate ?? null,
      sources: options.sources ?? [],
    }, options.maxRecords);
    return { result: assembleResult(state), records: state.records };
  } finally {
    options.signal?.removeEventListener('abort', stopAll);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
