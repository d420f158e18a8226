/**
 * The HTTP probe's raw-TCP path (one request per connection) against hand-written servers on
 * loopback: Content-Length, chunked and until-close bodies split across segments, identity by header
 * and by body, and servers that reset, never answer or answer garbage. Every case also runs through
 * the undici path, which the raw path must match field for field. This file's ports: 21400-21499.
 */
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { httpConnection, identifier } from '../../src/probes/http-probe.js';
import { rawHttpRunner } from '../../src/probes/http-raw.js';
import { createProbeRunner, type ConnectionResult } from '../../src/probes/probe.js';
import { httpProbe } from '../../src/suite/probes/http.js';
import type { HttpProbeSpec } from '../../src/suite/schema.js';

const HOST = '127.0.23.210';
const SOURCE = '127.0.23.250';
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Seen {
  request: string;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
}
type Script = (s: Socket) => Promise<void> | void;

/** A server script that writes `parts` 15 ms apart (each in a segment of its own), then closes if `end`. */
function inSegments(parts: readonly string[], end = false): Script {
  return async (s) => {
    for (const [i, part] of parts.entries()) {
      if (i > 0) await pause(15);
      s.write(part);
    }
    if (end) s.end();
  };
}

/** Runs `session` against a server that, once the request head is in, runs `script`; records what it saw. */
async function against<T>(port: number, script: Script, session: () => Promise<T>): Promise<{ result: T; seen: Seen[] }> {
  const sockets = new Set<Socket>();
  const seen: Seen[] = [];
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    const mine: Seen = { request: '', remoteAddress: s.remoteAddress, remotePort: s.remotePort };
    seen.push(mine);
    let answered = false;
    s.on('data', (d: Buffer) => {
      mine.request += d.toString('latin1');
      if (answered || !mine.request.includes('\r\n\r\n')) return;
      answered = true;
      void Promise.resolve(script(s)).catch(() => s.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(port, HOST, r));
  try {
    return { result: await session(), seen };
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
}

function probe(port: number, fields: Record<string, unknown> = {}): HttpProbeSpec {
  return httpProbe.parse({ name: 'web', type: 'http', port, path: '/who', identify: { header: 'X-Real-Server' }, timeoutSeconds: 0.4, ...fields });
}

const raw = (p: HttpProbeSpec, signal = new AbortController().signal): Promise<ConnectionResult> => rawHttpRunner(p, HOST)!(SOURCE, signal);
const viaUndici = (p: HttpProbeSpec): Promise<ConnectionResult> => httpConnection(p, HOST, SOURCE, identifier(p), new AbortController().signal);

/** The fields both paths must agree on (times differ from run to run). */
function comparable(r: ConnectionResult): Record<string, unknown> {
  return { realServer: r.realServer, status: r.status, requests: r.requests, error: r.error?.code ?? null, bytesSent: r.bytesSent, bytesReceived: r.bytesReceived, firstByte: r.firstByteMs !== null };
}

/** Runs `p` through the raw path and then undici against the same script; returns the raw result and what its server saw. */
async function bothPaths(port: number, p: HttpProbeSpec, script: Script): Promise<{ r: ConnectionResult; seen: Seen }> {
  const a = await against(port, script, () => raw(p));
  const b = await against(port, script, () => viaUndici(p));
  expect(comparable(a.result), 'raw path vs undici').to.deep.equal(comparable(b.result));
  expect(a.result.error?.message ?? null).to.equal(b.result.error?.message ?? null);
  expect(a.seen[0]!.request, 'the same request bytes').to.equal(b.seen[0]!.request);
  return { r: a.result, seen: a.seen[0]! };
}

describe('HTTP probe, raw TCP path', function () {
  this.timeout(15_000);

  it('reads a Content-Length body without waiting for the close, identity by header, from the source address', async () => {
    const response = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Real-Server:  web1 \r\n\r\nhello';
    const { r, seen } = await bothPaths(21401, probe(21401), async (s) => {
      s.write(response.slice(0, 20));
      await pause(20);
      s.write(response.slice(20)); // and the connection stays open: the length ends the response
    });
    expect(r).to.include({ realServer: 'web1', status: 200, requests: 1, error: null, bytesReceived: response.length });
    expect(seen.request).to.equal(`GET /who HTTP/1.1\r\nhost: ${HOST}:21401\r\nconnection: close\r\n\r\n`);
    expect(r.bytesSent).to.equal(seen.request.length);
    expect(seen.remoteAddress).to.equal(SOURCE);
    expect(r.clientPort).to.equal(seen.remotePort);
    expect(r.connectMs).to.be.a('number').and.within(0, r.endedAt - r.startedAt);
    expect(r.firstByteMs).to.be.a('number').and.at.least(15);
  });

  it('decodes a chunked body split across segments and names the server from it', async () => {
    const p = probe(21402, { identify: { body: 'served by (\\w+)' } });
    // Left open: the last chunk and the trailer end the response.
    const chunks = ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7;ext=1\r\nserved ', '\r\n', '7\r\nby web2\r\n', '0\r\nX-Trailer: yes\r\n\r\n'];
    const { r } = await bothPaths(21402, p, inSegments(chunks));
    expect(r).to.include({ realServer: 'web2', status: 200, error: null });
  });

  it('reads a body that ends with the connection', async () => {
    const p = probe(21403, { identify: { body: 'name=(\\S+)' } });
    const { r } = await bothPaths(21403, p, inSegments(['HTTP/1.0 200 OK\r\n\r\nname=', 'web3\n'], true));
    expect(r).to.include({ realServer: 'web3', status: 200, error: null });
  });

  it('gathers a header that spans reads, and refuses one past 16 KiB as undici does', async () => {
    const padding = (n: number): string => `X-Pad: ${'p'.repeat(n)}\r\n`;
    const big = await bothPaths(21416, probe(21416), async (s) => {
      s.write(`HTTP/1.1 200 OK\r\n${padding(6000)}`);
      await pause(20);
      s.write(`${padding(6000)}X-Real-Server: web4\r\nContent-Length: 2\r\n\r\nok`);
    });
    expect(big.r).to.include({ realServer: 'web4', status: 200, error: null });
    // Both refuse it; how much of it each had read by then differs, so only the errors compare.
    const huge: Script = (s) => void s.write(`HTTP/1.1 200 OK\r\n${padding(20_000)}\r\n`);
    const a = await against(21417, huge, () => raw(probe(21417)));
    const b = await against(21417, huge, () => viaUndici(probe(21417)));
    expect(a.result.error).to.deep.equal(b.result.error);
    expect(a.result.error?.code).to.equal('UND_ERR_HEADERS_OVERFLOW');
  });

  it('skips an interim 103 Early Hints before the real response, and fails an unasked-for 100 Continue, as undici does', async () => {
    const hints = 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\nX-Real-Server: hints\r\n\r\n';
    const final = 'HTTP/1.1 200 OK\r\nX-Real-Server: web5\r\nContent-Length: 2\r\n\r\nok';
    const together = await bothPaths(21418, probe(21418), (s) => void s.write(hints + final));
    expect(together.r).to.include({ realServer: 'web5', status: 200, error: null });
    // The interim head alone in a segment, the next one split in two.
    const apart = await bothPaths(21419, probe(21419), inSegments([hints, final.slice(0, 9), final.slice(9)]));
    expect(apart.r).to.include({ realServer: 'web5', status: 200, error: null });
    const unasked = await bothPaths(21420, probe(21420), (s) => void s.write(`HTTP/1.1 100 Continue\r\n\r\n${final}`));
    expect(unasked.r.error?.message).to.match(/bad response/);
  });

  it('fails a response without the identity, or with a non-2xx status, as undici does', async () => {
    const unnamed = await bothPaths(21404, probe(21404), (s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    expect(unnamed.r.error).to.deep.equal({ code: 'UNIDENTIFIED', message: 'the response did not name its real server (header X-Real-Server)' });
    const failing = await bothPaths(21405, probe(21405), (s) => void s.write('HTTP/1.1 503 Busy\r\nX-Real-Server: web1\r\nContent-Length: 4\r\n\r\nbusy'));
    expect(failing.r).to.include({ status: 503, realServer: 'web1' });
    expect(failing.r.error?.code).to.equal('HTTP_STATUS');
  });

  it('reports a reset, a close before the end of the body, silence and garbage with the same codes as undici', async () => {
    const reset = await bothPaths(21406, probe(21406), (s) => void s.resetAndDestroy());
    expect(reset.r.error?.code).to.equal('ECONNRESET');
    const short = await bothPaths(21407, probe(21407), (s) => void s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-Real-Server: web1\r\n\r\nabc'));
    expect(short.r).to.include({ status: null, realServer: null, requests: 0 });
    expect(short.r.error?.code).to.equal('ECONNRESET');

    const silent = await bothPaths(21408, probe(21408), () => undefined);
    expect(silent.r.error).to.deep.equal({ code: 'ETIMEDOUT', message: 'the server went silent (Headers Timeout Error)' });
    expect(silent.r.endedAt - silent.r.startedAt).to.be.within(390, 3000);
    const stalled = await bothPaths(21409, probe(21409), (s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc'));
    expect(stalled.r.error?.message).to.equal('the server went silent (Body Timeout Error)');

    const garbage = await bothPaths(21410, probe(21410), (s) => void s.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    expect(garbage.r.error?.code).to.equal('HTTPParserError');
    const badStatus = await bothPaths(21411, probe(21411), (s) => void s.end('HTTP/1.1 2x0 OK\r\n\r\n'));
    expect(badStatus.r.error?.code).to.equal('HTTPParserError');
    const badChunk = await bothPaths(21412, probe(21412), (s) => void s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    expect(badChunk.r.error?.message).to.include('chunk size');
  });

  it('reports a refused connection without a connect time', async () => {
    const r = await raw(probe(21413)); // nothing listens there
    expect(r.error?.code).to.equal('ECONNREFUSED');
    expect(r).to.include({ connectMs: null, realServer: null, requests: 0 });
  });

  it('ends the open connections of an aborted signal at once, and only those', async () => {
    const p = probe(21414, { timeoutSeconds: 5 });
    const mine = new AbortController();
    const others = new AbortController();
    const { result } = await against(21414, () => undefined, async () => {
      const run = rawHttpRunner(p, HOST)!;
      const pending = [run(SOURCE, mine.signal), run(SOURCE, mine.signal)];
      let otherDone = false;
      const other = run(SOURCE, others.signal).then((r) => ((otherDone = true), r));
      await pause(50);
      const abortedAt = performance.now();
      mine.abort();
      const aborted = await Promise.all(pending);
      const tookMs = performance.now() - abortedAt;
      await pause(20);
      const stillOpen = !otherDone;
      others.abort();
      return { aborted, tookMs, stillOpen, other: await other };
    });
    for (const r of result.aborted) expect(r.error).to.deep.equal({ code: 'ABORTED', message: 'aborted by the user' });
    expect(result.tookMs).to.be.below(1000);
    expect(result.stillOpen).to.equal(true);
    expect(result.other.error?.code).to.equal('ABORTED');
    const late = await raw(p, mine.signal); // already aborted: no connection at all
    expect(late).to.include({ connectMs: null, clientPort: null });
    expect(late.error?.code).to.equal('ABORTED');
  });

  it('is used for one request per connection; keep-alive probes stay on undici', () => {
    expect(rawHttpRunner(probe(21415), HOST)).to.be.a('function');
    expect(rawHttpRunner(probe(21415, { keepAlive: true }), HOST)).to.equal(null);
    expect(rawHttpRunner(probe(21415, { keepAlive: true, requestsPerConnection: 3 }), HOST)).to.equal(null);
    expect(rawHttpRunner(probe(21415), 'localhost')).to.equal(null);
    expect(createProbeRunner(probe(21415), 'localhost')).to.be.a('function');
  });
});
