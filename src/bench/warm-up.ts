/**
 * JIT warm-up for a benchmark thread, before its clock starts. V8 runs the engine's per-request code
 * interpreted for the first few thousand requests and optimizes it on the way; in a one-second run
 * that is several percent of the run (measured: the first 5,000 connection-per-request requests took
 * 378 ms against 315 once optimized, and a warmed-up run of `-c 10 -n 20000` over two threads got 3%
 * more requests/s: 19.6k against 19.1k, medians of 7 interleaved). The warm-up drives the same engine against a responder of its own on 127.0.0.1,
 * so nothing reaches the target: an LVS under test sees only the counted requests.
 */
import net from 'node:net';
import { runBenchState } from './engine.js';
import type { BenchCounts, BenchOptions } from './types.js';

/** Enough for V8 to optimize the per-request path (it tiers up after a few thousand calls). */
export const WARM_UP_REQUESTS = 3000;
/** The warm-up gives up after this long whatever happened (it is never worth a longer wait). */
const WARM_UP_LIMIT_SEC = 2;

const BODY = 'warm-up\n';
const RESPONSE =
  `HTTP/1.1 200 OK\r\nServer: lvs-harness-warm-up\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n` +
  `Connection: close\r\nX-Real-Server: warm-up\r\n\r\n${BODY}`;

/** Answers a request (once its blank line arrived) like a small static file, and closes. */
function responder(): net.Server {
  return net.createServer((socket) => {
    let head = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) socket.end(RESPONSE);
    });
  });
}

/**
 * Runs `WARM_UP_REQUESTS` connection-per-request requests shaped like `options`. Returns their counts,
 * or null when the warm-up could not run (no loopback listener): the run then starts cold.
 */
export async function warmUp(options: Pick<BenchOptions, 'concurrency' | 'identifyHeader' | 'signal'>): Promise<BenchCounts | null> {
  const server = responder();
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const state = await runBenchState({
      url: `http://127.0.0.1:${port}/`,
      requests: WARM_UP_REQUESTS,
      concurrency: Math.min(options.concurrency, 10),
      identifyHeader: options.identifyHeader,
      timeLimitSec: WARM_UP_LIMIT_SEC,
      timeoutSec: WARM_UP_LIMIT_SEC,
      heartbeatEvery: 0,
      maxRecords: WARM_UP_REQUESTS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return state.counts;
  } catch {
    return null;
  } finally {
    server.close();
  }
}
