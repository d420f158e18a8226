/**
 * JIT warm-up for a benchmark thread, before its clock starts. V8 runs the engine's per-request code
 * interpreted for the first few thousand requests and optimizes it on the way. The warm-up drives the
 * same engine against a responder of its own on 127.0.0.1, so nothing reaches the target: an LVS under
 * test sees only the counted requests.
 *
 * What matters is that the optimized code still fits when the run starts. Code optimized on anything
 * the run then does differently is thrown away at the run's first request (a "deopt") and the run
 * goes on in slower code until V8 optimizes again. Measured on a 2-core box against nginx (`-c 10`, two
 * threads, completions per 100 ms): with a single warm-up run that passed options and events of its
 * own, the run's first 200 ms ran at 16-18k requests/s against 21-22k afterwards, about 4% of a
 * one-second run; with no optimization at all (`--no-opt`) the run is flat, so it was the JIT. Hence:
 * - the engine copies the options its per-request path reads into fields (engine.ts), so their loads
 *   do not depend on the options object, which differs here (url, counts, limits);
 * - the warm-up reports to the run's own event functions, silenced (`quietUntilOpen`), and binds to
 *   source addresses when the run does;
 * - it runs several rounds: a path first taken before V8 has allocated a function's feedback (a
 *   run's start and end) teaches it nothing, the later rounds take it again with feedback.
 */
import net from 'node:net';
import { isLoopback } from '../net/ipv4.js';
import { runBenchState } from './engine.js';
import { sharedTallyCells } from './run-tally.js';
import type { BenchCounts, BenchEvents, BenchOptions } from './types.js';

export const WARM_UP_ROUNDS = 3;
/** Requests per round: enough for V8 to optimize the per-request path in the first round. */
export const WARM_UP_ROUND_REQUESTS = 1500;
/** Each round gives up after this long whatever happened (a warm-up is never worth a longer wait). */
const ROUND_LIMIT_SEC = 1;

const BODY = 'warm-up\n';
const RESPONSE =
  `HTTP/1.1 200 OK\r\nServer: lvs-harness-warm-up\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n` +
  `Connection: close\r\nX-Real-Server: warm-up\r\n\r\n${BODY}`;

/** Answers a request once its blank line arrived, like a small static file, and closes (a body is read and dropped). */
function responder(): net.Server {
  return net.createServer((socket) => {
    let head: string | null = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (head === null) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      head = null;
      socket.end(RESPONSE);
    });
  });
}

const EVENT_NAMES = ['heartbeat', 'started', 'progress', 'diagnostic', 'ended'] as const satisfies readonly (keyof BenchEvents)[];

/**
 * `events` as functions that do nothing until `open()`, for the warm-up to call exactly what the run
 * will. Silenced, each calls one of two no-ops in turn: its call site has then seen several targets
 * and compiles to a generic call, which the real function does not invalidate once the run opens.
 */
export function quietUntilOpen(events: BenchEvents): { events: BenchEvents; open(): void } {
  let open = false;
  let turn = 0;
  const silent = [(): void => {}, (): void => {}];
  const quiet: BenchEvents = {};
  for (const name of EVENT_NAMES) {
    const fn = events[name] as ((this: BenchEvents, arg?: unknown) => void) | undefined;
    if (typeof fn !== 'function') continue;
    (quiet as Record<string, (arg?: unknown) => void>)[name] = (arg) => {
      const call = open ? fn : (silent[turn++ & 1] as typeof fn);
      call.call(events, arg);
    };
  }
  return { events: quiet, open: () => (open = true) };
}

/**
 * The sources for the warm-up: the run's when all are loopback addresses (the responder on 127.0.0.1
 * is reachable from them), else 127.0.0.1, so the warm-up binds as the run does.
 */
export function warmUpSources(sources: string[] | undefined): string[] | undefined {
  if (!sources?.length) return undefined;
  return sources.every(isLoopback) ? sources : ['127.0.0.1'];
}

/**
 * Runs `WARM_UP_ROUNDS` rounds of `WARM_UP_ROUND_REQUESTS` connection-per-request requests, shaped like
 * `options` and reporting to `events` (pass the run's, silenced: quietUntilOpen). Returns the last
 * round's counts, or null when no round ran (no loopback listener, or the run's signal had already
 * aborted): the run then starts cold, or not at all.
 */
export async function warmUp(options: BenchOptions, events: BenchEvents = {}): Promise<BenchCounts | null> {
  const server = responder();
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    let counts: BenchCounts | null = null;
    for (let round = 0; round < WARM_UP_ROUNDS && !options.signal?.aborted; round++) {
      const state = await runBenchState(
        {
          ...options,
          url: `http://127.0.0.1:${port}/`,
          requests: WARM_UP_ROUND_REQUESTS,
          concurrency: Math.min(options.concurrency, 10),
          sources: warmUpSources(options.sources),
          timeLimitSec: ROUND_LIMIT_SEC,
          timeoutSec: ROUND_LIMIT_SEC,
          maxRecords: WARM_UP_ROUND_REQUESTS,
          // Beats (every 100) in every round when the run beats at all: the run's first beat is known code.
          heartbeatEvery: options.heartbeatEvery === 0 ? 0 : 100,
          // A tally of its own, of the run's kind: the run's counts start untouched.
          sharedTally: options.sharedTally ? sharedTallyCells() : undefined,
        },
        events,
      );
      counts = state.counts;
    }
    return counts;
  } catch {
    return null;
  } finally {
    server.close();
  }
}
