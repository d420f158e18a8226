/**
 * The HTTP probe's path for one request per connection, on the bench engine's raw TCP handle
 * (src/bench/raw-tcp.ts) and its response-header parser. undici builds a Client, a connector and an
 * error object for every connection, several times the CPU of the connection itself; this path gives
 * the same ConnectionResult (the same request bytes, framing, status, identity, timings and error
 * codes as http-probe.ts's undici path) from one handle and one small object; one sweep per probe
 * finds the connections past their timeout. Keep-alive probes, and hosts the raw handle cannot
 * serve, stay on undici.
 */
import net from 'node:net';
import { headerEnd, parseResponseHead, type ResponseHead } from '../bench/response-head.js';
import { RawTcp, rawTcpAvailable, type RawTcpOwner } from '../bench/raw-tcp.js';
import type { ObservationError } from '../model/observation.js';
import type { HttpProbeSpec } from '../suite/schema.js';
import { capturedName } from './captured-name.js';
import { ChunkedBody } from './chunked-body.js';
import { startedResult } from './connection-result.js';
import { classify, responseError } from './http-probe.js';
import type { ConnectionResult, ProbeRunner } from './probe.js';

/** undici's default maxHeaderSize: a larger response header is an error there too. */
const MAX_HEADER_BYTES = 16 * 1024;
const READ_BUFFER_BYTES = MAX_HEADER_BYTES;
const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})(?:[ \r\n]|$)/;
/** 1xx but 100 and 101 (an upgrade, which this GET never asks for, ends the exchange for undici too). */
const INTERIM = /^1(?!0[01])\d\d$/;

/** What every connection of one probe shares. */
interface Plan {
  probe: HttpProbeSpec;
  host: string;
  family: 4 | 6;
  request: Buffer;
  timeoutMs: number;
  /** Lowercase identifying header, or the body regex. */
  identifyHeader: string | undefined;
  identifyBody: RegExp | null;
  live: Set<RawHttpConnection>;
  /** Runs while connections are open: a connection past its deadline times out. */
  sweep: NodeJS.Timeout | null;
  sweepMs: number;
  /** Read buffers of finished connections (the handle reads into its owner's buffer). */
  spareBuffers: Buffer[];
}

/** A runner for `probe` on the raw path, or null when the probe or the host needs undici. */
export function rawHttpRunner(probe: HttpProbeSpec, host: string): ProbeRunner | null {
  const family = net.isIP(host) as 0 | 4 | 6;
  if (probe.keepAlive || probe.requestsPerConnection !== 1 || !rawTcpAvailable(family)) return null;
  const authority = family === 6 ? `[${host}]` : host;
  // The bytes undici sends for this request, so servers and byte counts see no difference.
  const hostHeader = probe.port === 80 ? authority : `${authority}:${probe.port}`;
  const plan: Plan = {
    probe,
    host,
    family: family as 4 | 6,
    request: Buffer.from(`GET ${probe.path} HTTP/1.1\r\nhost: ${hostHeader}\r\nconnection: close\r\n\r\n`, 'latin1'),
    timeoutMs: probe.timeoutSeconds * 1000,
    identifyHeader: probe.identify.header?.toLowerCase(),
    identifyBody: probe.identify.body !== undefined ? new RegExp(probe.identify.body) : null,
    live: new Set(),
    sweep: null,
    // Timeouts fire up to a tenth late, at most 0.5 s (undici's own timers tick every 0.5 s past 1 s).
    sweepMs: Math.min(500, Math.max(10, (probe.timeoutSeconds * 1000) / 10)),
    spareBuffers: [],
  };
  // One abort listener per signal for all of the probe's connections, not one per connection.
  const watched = new WeakSet<AbortSignal>();
  const abortAll = (event: Event): void => {
    for (const c of [...plan.live]) if (c.signal === event.target) c.finish(classify({ name: 'AbortError' }));
  };
  return (source, signal) => {
    if (signal.aborted) {
      const r = startedResult(performance.now());
      r.error = classify({ name: 'AbortError' });
      return Promise.resolve(r);
    }
    if (!watched.has(signal)) {
      watched.add(signal);
      signal.addEventListener('abort', abortAll, { once: true });
    }
    return new Promise((settle) => new RawHttpConnection(plan, source, signal, settle));
  };
}

function sweep(plan: Plan): void {
  if (plan.live.size === 0) {
    clearInterval(plan.sweep!);
    plan.sweep = null;
    return;
  }
  const now = performance.now();
  for (const c of [...plan.live]) if (c.deadline <= now) c.onTimeout();
}

class RawHttpConnection implements RawTcpOwner {
  private readonly result: ConnectionResult;
  private readonly readBuffer: Buffer;
  private readonly socket: RawTcp;
  /** performance.now() past which the current phase (connect, header, a silence in the body) has timed out. */
  deadline: number;
  private connectedAt: number | null = null;
  private headAt = 0;
  private head: ResponseHead | null = null;
  private status = 0;
  /** Header bytes received so far, while the header is incomplete. */
  private pending: Buffer | null = null;
  /** Body bytes still to come under Content-Length; -1 when the body ends with the connection. */
  private left = -1;
  private chunked: ChunkedBody | null = null;
  /** The body, kept only when it names the real server. */
  private body: Buffer[] | null = null;
  private sent = 0;
  private received = 0;
  private done = false;

  constructor(
    private readonly plan: Plan,
    source: string,
    readonly signal: AbortSignal,
    private readonly settle: (r: ConnectionResult) => void,
  ) {
    this.result = startedResult(performance.now());
    this.deadline = this.result.startedAt + plan.timeoutMs;
    this.readBuffer = plan.spareBuffers.pop() ?? Buffer.allocUnsafe(READ_BUFFER_BYTES);
    plan.live.add(this);
    plan.sweep ??= setInterval(sweep, plan.sweepMs, plan).unref();
    this.socket = new RawTcp(this, plan.host, plan.family, plan.probe.port, source, this.readBuffer);
  }

  onConnected(): void {
    this.connectedAt = performance.now();
    // Read now: a closed handle no longer knows its local port.
    this.result.clientPort = this.socket.localPort();
    this.deadline = this.connectedAt + this.plan.timeoutMs;
    if (this.socket.write(this.plan.request)) this.sent = this.plan.request.length;
  }

  onData(n: number): void {
    if (this.done) return;
    this.received += n;
    if (this.head !== null) {
      this.deadline = performance.now() + this.plan.timeoutMs;
      this.consume(this.readBuffer, 0, n);
      return;
    }
    let data = this.pending ? Buffer.concat([this.pending, this.readBuffer.subarray(0, n)]) : this.readBuffer.subarray(0, n);
    this.pending = null;
    let found: { end: number; bodyStart: number } | null;
    let text: string;
    let line: RegExpExecArray | null;
    for (;;) {
      found = headerEnd(data, MAX_HEADER_BYTES);
      if (found === null) {
        if (data.length >= MAX_HEADER_BYTES) this.finish(classify({ code: 'UND_ERR_HEADERS_OVERFLOW', message: 'Headers Overflow Error' }));
        else if (data.length > 0) this.pending = Buffer.from(data); // a copy: the read buffer is reused
        return;
      }
      text = data.toString('latin1', 0, found.end);
      line = STATUS_LINE.exec(text);
      // undici takes a 100 Continue to a request that did not ask for it as a broken response.
      if (line?.[1] === '100') {
        this.finish(classify({ code: 'UND_ERR_SOCKET', message: 'bad response' }));
        return;
      }
      // An interim response (103 Early Hints) precedes the real one: skipped, as undici does.
      if (!line || !INTERIM.test(line[1]!)) break;
      data = data.subarray(found.bodyStart);
    }
    if (!line) {
      this.finish(parserError(text.startsWith('HTTP/') ? 'Invalid status code' : 'Expected HTTP/, RTSP/ or ICE/'));
      return;
    }
    this.head = parseResponseHead(text, this.plan.identifyHeader, false);
    this.headAt = performance.now();
    this.status = Number(line[1]);
    this.deadline = this.headAt + this.plan.timeoutMs;
    if (this.plan.identifyBody) this.body = [];
    if (this.status === 204 || this.status === 304) this.left = 0;
    else if (this.head.chunked) this.chunked = new ChunkedBody();
    else if (this.head.contentLength !== null) this.left = this.head.contentLength;
    if (this.left === 0) this.complete();
    else this.consume(data, found.bodyStart, data.length);
  }

  onEnd(): void {
    if (this.done) return;
    if (this.head !== null && this.chunked === null && this.left < 0) this.complete();
    else this.finish(classify({ code: 'UND_ERR_SOCKET', message: 'other side closed' }));
  }

  onError(err: NodeJS.ErrnoException): void {
    this.finish(classify(err));
  }

  onTimeout(): void {
    if (this.connectedAt === null) this.finish(classify({ code: 'UND_ERR_CONNECT_TIMEOUT' }));
    else if (this.head === null) this.finish(classify({ code: 'UND_ERR_HEADERS_TIMEOUT', message: 'Headers Timeout Error' }));
    else this.finish(classify({ code: 'UND_ERR_BODY_TIMEOUT', message: 'Body Timeout Error' }));
  }

  /** Takes body bytes `data[from, to)`. */
  private consume(data: Buffer, from: number, to: number): void {
    if (this.chunked !== null) {
      const problem = this.chunked.feed(data, from, to, this.body ? (piece) => this.body!.push(Buffer.from(piece)) : undefined);
      if (problem !== null) this.finish(parserError(problem));
      else if (this.chunked.done) this.complete();
      return;
    }
    const end = this.left >= 0 ? Math.min(to, from + this.left) : to;
    if (this.body && end > from) this.body.push(Buffer.from(data.subarray(from, end)));
    if (this.left < 0) return;
    this.left -= end - from;
    if (this.left === 0) this.complete();
  }

  /** The response is all there: judged as http-probe.ts judges undici's. */
  private complete(): void {
    const re = this.plan.identifyBody;
    const who = re ? capturedName(re, Buffer.concat(this.body ?? []).toString('utf8')) : this.head?.identity || null;
    const r = this.result;
    r.requests = 1;
    r.status = this.status;
    r.firstByteMs = this.headAt - (this.connectedAt ?? this.headAt);
    r.realServer = who;
    this.finish(responseError(this.plan.probe, this.status, who));
  }

  finish(error: ObservationError | null): void {
    if (this.done) return;
    this.done = true;
    this.socket.destroy();
    const r = this.result;
    r.error = error;
    r.endedAt = performance.now();
    r.connectMs = this.connectedAt === null ? null : this.connectedAt - r.startedAt;
    r.bytesSent = this.sent;
    r.bytesReceived = this.received;
    this.plan.live.delete(this);
    this.plan.spareBuffers.push(this.readBuffer);
    this.settle(r);
  }
}

function parserError(detail: string): ObservationError {
  return classify({ name: 'HTTPParserError', message: `Response does not match the HTTP/1.1 protocol (${detail})` });
}
