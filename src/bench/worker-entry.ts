/**
 * A `--workers` thread: runs one engine on its share (see workers.ts) and posts progress, ab's
 * diagnostic lines and, at the end, its encoded final state. The main thread's Ctrl-C arrives as an
 * `abort` message (an AbortSignal cannot cross threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBenchState } from './engine.js';
import { encodeState } from './merge.js';
import { warmUp } from './warm-up.js';
import type { WorkerInput, WorkerMessage } from './workers.js';

const port = parentPort;
if (!port) throw new Error('worker-entry.ts runs only as a worker thread');
const input = workerData as WorkerInput;
const abort = new AbortController();
// The engine is loaded (this module's imports) and warmed up before the worker says it is ready; the
// run starts on `go`, sent once every worker is ready, so no start-up overlaps a measured run.
const go = new Promise<void>((resolve) => {
  port.on('message', (m: unknown) => {
    if (m === 'abort') abort.abort();
    if (m === 'go') resolve();
  });
});
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const { identifyBody, ...options } = input.options;
if (input.warmUp) await warmUp({ ...options, signal: abort.signal });
post({ type: 'ready' });
await go;
const state = await runBenchState(
  { ...options, ...(identifyBody ? { identifyBodyRegex: new RegExp(identifyBody.source, identifyBody.flags) } : {}), signal: abort.signal },
  {
    progress: (done) => post({ type: 'progress', done }),
    diagnostic: (line) => post({ type: 'diagnostic', line }),
    ended: () => post({ type: 'ended' }),
  },
);
const { state: encoded, transfer } = encodeState(state);
post({ type: 'done', state: encoded }, transfer);
port.close();
