/**
 * One benchmark connection slot: opens a TCP connection (optionally bound to a source address), writes
 * ab's request, and reads the response with ab's framing (until EOF, or until Content-Length bytes of
 * body when the response said Keep-Alive and -k is on). It only measures and parses; every ab counter
 * lives in the engine, which receives the outcome through `ConnectionSink`.
 *
 * Hot path: reads land in one reusable buffer per slot (`onread`), the header end is found with
 * Buffer.indexOf, and only a header unlike the previous one is parsed (head-cache.ts). New
 * connections go through raw-tcp.ts when it is available (a third of the CPU per connection).
 */
import net from 'node:net';
import { nowUs } from './clock.js';
import { RawTcp, rawTcpAvailable, type RawTcpOwner } from './raw-tcp.js';
import type { HeadCache } from './head-cache.js';
import { headerEnd, type ResponseHead } from './response-head.js';

/** ab keeps the response header in a buffer of this size (minus the NUL); larger headers are errors. */
export const AB_HEADER_BUFFER = 8192;
/** How much body is kept for `--identify-body`. */
export const BODY_SAMPLE_LIMIT = 64 * 1024;

/** What a connection reports; the engine implements it. */
export interface ConnectionSink {
  /** A full response header arrived (ab's gotheader); `head` is parsed with ab's rules. */
  onHeader(conn: Connection, head: ResponseHead): void;
  /** Bytes received on the socket (ab's totalread) and body bytes (ab's totalbread). */
  onBytes(total: number, body: number): void;
  /** The response ended at `nowUs`: `eof` = the server closed, `keepalive` = Content-Length reached. */
  onComplete(conn: Connection, how: 'eof' | 'keepalive', nowUs: number): void;
  /** Header larger than ab's buffer without a terminating blank line. */
  onHeaderTooLarge(conn: Connection): void;
  onConnectError(conn: Connection, err: NodeJS.ErrnoException): void;
  onReceiveError(conn: Connection, err: NodeJS.ErrnoException): void;
  onWriteError(conn: Connection, err: NodeJS.ErrnoException): void;
  /** The server closed a kept-alive connection while no request was in flight (rate mode only). */
  onIdleClose(conn: Connection): void;
}

export interface ConnectionTarget {
  host: string;
  port: number;
  request: Buffer;
  /** Response to HEAD has no body (ab sets length 0). */
  isHead: boolean;
  keepAliveRequested: boolean;
  /** Parses response headers; shared by the run's connections. */
  heads: HeadCache;
  wantBodySample: boolean;
}

export class Connection implements RawTcpOwner {
  readonly slot: number;
  socket: net.Socket | RawTcp | null = null;
  /** A request is in flight on this connection. */
  busy = false;
  connected = false;
  /** ab's c->keepalive: this response said Keep-Alive and -k is on. */
  keepAlive = false;
  /** Body length announced for keep-alive framing (ab's c->length). */
  length = 0;
  gotHeader = false;
  /** Bytes received for the current request (ab's c->read) and its body part (c->bread). */
  read = 0;
  bread = 0;
  /** Request was served on a reused connection (ab's Connect = 0). */
  reused = false;
  // ab's timestamps, monotonic µs.
  start = 0;
  connectAt = 0;
  endWrite = 0;
  beginRead = 0;
  /** When the last byte moved on this connection (for the -r per-connection timeout). */
  lastActivity = 0;
  status = '';
  identity: string | undefined;
  bodySample: Buffer[] = [];
  bodySampleBytes = 0;
  private pendingHead: Buffer | null = null;
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  private readonly family: 0 | 4 | 6;

  constructor(
    slot: number,
    private readonly target: ConnectionTarget,
    private readonly sink: ConnectionSink,
  ) {
    this.slot = slot;
    this.family = net.isIP(target.host) as 0 | 4 | 6;
  }

  /** Opens a new connection for one request starting at `startUs` (ab's c->start). */
  open(startUs: number, localAddress: string | undefined): void {
    this.resetRequest();
    this.start = startUs;
    this.lastActivity = nowUs();
    this.reused = false;
    this.connected = false;
    this.busy = true;
    if (rawTcpAvailable(this.family)) {
      this.socket = new RawTcp(this, this.target.host, this.family as 4 | 6, this.target.port, localAddress, this.readBuffer);
      return;
    }
    const socket: net.Socket = net.connect({
      host: this.target.host,
      port: this.target.port,
      noDelay: true,
      ...(localAddress ? { localAddress } : {}),
      onread: { buffer: this.readBuffer, callback: (n: number): boolean => { if (this.socket === socket) this.onData(n); return true; } },
    });
    this.socket = socket;
    socket.on('connect', () => this.socket === socket && this.onConnected());
    socket.on('end', () => this.socket === socket && this.onEnd());
    socket.on('error', (err: NodeJS.ErrnoException) => this.socket === socket && this.onError(err));
  }

  // ---- RawTcpOwner (and the same events from net.Socket) ------------------------------------

  onConnected(): void {
    this.connected = true;
    this.write(nowUs());
  }

  onEnd(): void {
    if (!this.busy) {
      this.drop();
      this.sink.onIdleClose(this);
      return;
    }
    this.sink.onComplete(this, 'eof', nowUs());
  }

  onError(err: NodeJS.ErrnoException): void {
    if (!this.busy) {
      this.drop();
      this.sink.onIdleClose(this);
    } else if (!this.connected) this.sink.onConnectError(this, err);
    else if (err.code === 'EPIPE') this.sink.onWriteError(this, err);
    else this.sink.onReceiveError(this, err);
  }

  /**
   * Sends the next request on this kept-alive connection, started at `startUs` and sent at `sendUs`
   * (ab: start = connect = now; in rate mode the start is the intended send time).
   */
  reuse(startUs: number, sendUs: number): void {
    this.resetRequest();
    this.start = startUs;
    this.reused = true;
    this.busy = true;
    this.write(sendUs);
  }

  /** Closes the socket and forgets it; late events from it are ignored. */
  drop(): void {
    const s = this.socket;
    this.socket = null;
    this.busy = false;
    if (s) s.destroy();
  }

  /** Is the socket usable for another request? */
  get isOpen(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  private resetRequest(): void {
    this.keepAlive = false;
    this.length = 0;
    this.gotHeader = false;
    this.read = 0;
    this.bread = 0;
    this.status = '';
    this.identity = undefined;
    this.pendingHead = null;
    if (this.bodySampleBytes) {
      this.bodySample = [];
      this.bodySampleBytes = 0;
    }
  }

  private write(now: number): void {
    const socket = this.socket;
    if (!socket) return;
    this.connectAt = now;
    this.lastActivity = now;
    socket.write(this.target.request);
    // Like ab, the write "ends" when the kernel accepted the bytes; a small request is written
    // synchronously by libuv when the socket buffer has room.
    this.endWrite = nowUs();
  }

  onData(n: number): void {
    if (n <= 0 || !this.busy) return;
    const now = nowUs();
    this.lastActivity = now;
    if (this.read === 0) this.beginRead = now;
    this.read += n;
    let body = 0;
    if (!this.gotHeader) {
      // Nearly every response repeats the previous header: recognised without a search or a copy.
      const heads = this.target.heads;
      const known = this.pendingHead === null ? heads.match(this.readBuffer, n) : null;
      body = known ? this.headerEnds(known, this.readBuffer, n, heads.bodyStart) : this.scanHeader(this.readBuffer.subarray(0, n));
      if (body < 0) return; // header incomplete, or too large (already reported)
    } else {
      body = n;
      if (this.target.wantBodySample) this.sampleBody(this.readBuffer.subarray(0, n));
    }
    this.bread += body;
    this.sink.onBytes(n, body);
    if (this.keepAlive && this.bread >= this.length) {
      this.busy = false;
      this.sink.onComplete(this, 'keepalive', now);
    }
  }

  /** Returns the body bytes contained in `chunk` once the header is complete, or -1. */
  private scanHeader(chunk: Buffer): number {
    const data = this.pendingHead ? Buffer.concat([this.pendingHead, chunk]) : chunk;
    const found = headerEnd(data, AB_HEADER_BUFFER - 1);
    if (found === null) {
      if (data.length >= AB_HEADER_BUFFER - 1) {
        this.sink.onBytes(chunk.length, 0);
        this.sink.onHeaderTooLarge(this);
        return -1;
      }
      this.pendingHead = Buffer.from(data); // copy: the read buffer is reused
      this.sink.onBytes(chunk.length, 0);
      return -1;
    }
    this.pendingHead = null;
    return this.headerEnds(this.target.heads.parse(data, found.end), data, data.length, found.bodyStart);
  }

  /** `head` ended where the body of `data` starts; returns the body bytes in `data[0, n)`. */
  private headerEnds(head: ResponseHead, data: Buffer, n: number, bodyStart: number): number {
    this.gotHeader = true;
    this.status = head.status;
    this.identity = head.identity;
    if (this.target.keepAliveRequested && head.keepAlive) {
      this.keepAlive = true;
      this.length = this.target.isHead ? 0 : (head.contentLength ?? 0);
    }
    this.sink.onHeader(this, head);
    // The terminator ends inside this chunk, so every body byte so far is in this chunk.
    const body = n - bodyStart;
    if (body > 0 && this.target.wantBodySample) this.sampleBody(data.subarray(bodyStart, n));
    return body;
  }

  private sampleBody(bytes: Buffer): void {
    if (!this.target.wantBodySample || this.bodySampleBytes >= BODY_SAMPLE_LIMIT) return;
    const take = bytes.subarray(0, BODY_SAMPLE_LIMIT - this.bodySampleBytes);
    this.bodySample.push(Buffer.from(take));
    this.bodySampleBytes += take.length;
  }
}
