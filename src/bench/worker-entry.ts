/**
 * A `--workers` thread: runs one engine on its share (see workers.ts) and posts progress, ab's
 * diagnostic lines and, at the end, its encoded final state. The main thread's Ctrl-C arrives as an
 * `abort` message (an AbortSignal cannot cross threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBenchState } from './engine.js';
import { encodeState } from './merge.js';
import { quietUntilOpen, warmUp } from './warm-up.js';
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
const { identifyBody, ...shared } = input.options;
const options = {
  ...shared,
  ...(identifyBody ? { identifyBodyRegex: new RegExp(identifyBody.source, identifyBody.flags) } : {}),
  signal: abort.signal,
};
const events = quietUntilOpen({
  progress: (done) => post({ type: 'progress', done }),
  diagnostic: (line) => post({ type: 'diagnostic', line }),
  ended: () => post({ type: 'ended' }),
});
if (input.warmUp) await warmUp(options, events.events);
post({ type: 'ready' });
await go;
events.open();
const state = await runBenchState(options, events.events);
const { state: encoded, transfer } = encodeState(state);
post({ type: 'done', state: encoded }, transfer);
port.close();
