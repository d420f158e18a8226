/**
 * The benchmark engine: drives `concurrency` connection slots against one URL and keeps ab 2.4's
 * books exactly (support/ab.c `start_connect`, `read_connection`, `close_connection`): which requests
 * count as done, good, bad and why, the Document Length taken from the first good response, Length
 * failures, the "Test aborted after 10 failures" rule, the ramp (one connection until the first header
 * arrives), the pollset timeout. Adds what ab lacks for LVS: source-address rotation, real-server
 * identification, an open-model `--rate`.
 *
 * Every loop is bounded: at most `requests` requests are issued, a time limit and an idle timeout
 * end the run, and the AbortSignal ends it at once with what completed so far.
 */
import { FlatRecorder } from './histograms.js';
import { Connection, type ConnectionSink, type ConnectionTarget } from './connection.js';
import { nowUs, toEpochUs } from './clock.js';
import { HeadCache } from './head-cache.js';
import { DEFAULT_MAX_RECORDS, RecordStore, type RequestRecords } from './records.js';
import { buildRequest, hostHeaderFor, requestPath } from './request.js';
import { statusNumber, type ResponseHead } from './response-head.js';
import { LocalTally, SharedTally, type RunTally } from './run-tally.js';
import { assembleResult, type FinalState } from './result.js';
import { NO_RESPONSE, ServerStats, UNIDENTIFIED } from './server-stats.js';
import { describeSocketError } from './socket-errors.js';
import type { BenchAbort, BenchCounts, BenchEvents, BenchOptions, BenchResult } from './types.js';
import { capturedName } from '../probes/captured-name.js';

/** ab: `-t` without `-n` means at most 50000 requests (MAX_REQUESTS). */
export const AB_TIME_LIMIT_REQUESTS = 50000;
/** ab's default pollset timeout (-s). */
export const AB_DEFAULT_TIMEOUT_SEC = 30;

/** How often (in completed requests) the progress event fires; also how far worker progress lags. */
const PROGRESS_EVERY = 100;

/** ab's heartbeat: every n/10 requests (at least 100), only when n > 150. */
export function abHeartbeatEvery(requests: number): number {
  return requests > 150 ? Math.max(100, Math.floor(requests / 10)) : 0;
}

/** Runs a benchmark and returns the JSON-safe result. */
export async function runBench(options: BenchOptions, events?: BenchEvents): Promise<BenchResult> {
  return (await runBenchDetailed(options, events)).result;
}

/** Like runBench, plus the per-request records (for ab's -e and -g files). */
export async function runBenchDetailed(
  options: BenchOptions,
  events: BenchEvents = {},
): Promise<{ result: BenchResult; records: RequestRecords }> {
  const state = await runBenchState(options, events);
  return { result: assembleResult(state), records: state.records };
}

/** The engine's final state, unassembled: what a worker thread sends back to be merged. */
export function runBenchState(options: BenchOptions, events: BenchEvents = {}): Promise<FinalState> {
  return new BenchRun(options, events).run();
}

class BenchRun implements ConnectionSink {
  private readonly url: URL;
  private readonly host: string;
  private readonly port: number;
  private readonly path: string;
  private readonly method: string;
  private readonly requests: number;
  private readonly concurrency: number;
  private readonly timeoutUs: number;
  private readonly heartbeatEvery: number;
  private readonly sources: string[];
  private readonly conns: Connection[] = [];
  private readonly records: RecordStore;
  private readonly hist = {
    connect: new FlatRecorder(),
    firstByte: new FlatRecorder(),
    waiting: new FlatRecorder(),
    total: new FlatRecorder(),
  };
  private readonly servers = new ServerStats();
  private readonly counts: BenchCounts = {
    done: 0, started: 0, good: 0, bad: 0, errConnect: 0, errReceive: 0, errLength: 0, errExcept: 0,
    errResponse: 0, epipe: 0, doneKeepAlive: 0,
  };
  private readonly bytes = { totalRead: 0, htmlRead: 0, totalPosted: 0 };
  private readonly statusCodes: Record<string, number> = {};
  private readonly requestBytes: number;
  private serverSoftware = '';
  private docLength = 0;
  /** Requests taken, bad requests and Document Length, counted with the run's other threads if any. */
  private readonly tally: RunTally;
  private sourceIndex = 0;
  private startUs = 0;
  private lastUs = 0;
  private stopAtUs = Infinity;
  private ramped = false;
  /** This engine opened the run's first connection (the run's other threads wait for its header). */
  private claimedFirst = false;
  private finished = false;
  private aborted: BenchAbort | null = null;
  private timers: NodeJS.Timeout[] = [];
  private rateTimer: NodeJS.Timeout | null = null;
  private readonly idle: Connection[] = [];
  private nextIntendedUs = 0;
  private readonly intervalUs: number;
  // The options the per-request path reads, copied into fields: their loads then do not depend on the
  // shape of the caller's options object (the warm-up's and the run's must compile to the same code).
  private readonly rated: boolean;
  private readonly keepAlive: boolean;
  private readonly variableLength: boolean;
  private readonly identifyBodyRegex: RegExp | undefined;
  private resolve: ((state: FinalState) => void) | null = null;
  private readonly onAbort = (): void => this.finish({ kind: 'signal' }, true);
  private readonly spinAgain = (): void => this.spin();

  constructor(
    private readonly opts: BenchOptions,
    private readonly events: BenchEvents,
  ) {
    this.url = new URL(opts.url);
    this.host = this.url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = this.url.port ? Number(this.url.port) : 80;
    this.path = requestPath(this.url);
    this.method = opts.method ?? (opts.body ? 'POST' : 'GET');
    this.requests = opts.requests;
    this.tally = opts.sharedTally ? new SharedTally(opts.sharedTally, opts.requests) : new LocalTally(opts.requests);
    this.concurrency = Math.max(1, Math.min(opts.concurrency, opts.requests));
    this.timeoutUs = (opts.timeoutSec ?? AB_DEFAULT_TIMEOUT_SEC) * 1e6;
    this.heartbeatEvery = opts.heartbeatEvery ?? abHeartbeatEvery(opts.requests);
    this.sources = opts.sources ?? [];
    this.intervalUs = opts.rate ? 1e6 / opts.rate : 0;
    this.rated = Boolean(opts.rate);
    this.keepAlive = opts.keepAlive ?? false;
    this.variableLength = opts.variableLength ?? false;
    this.identifyBodyRegex = opts.identifyBodyRegex;
    this.records = new RecordStore(Math.min(opts.requests, opts.maxRecords ?? DEFAULT_MAX_RECORDS));
    const { bytes } = buildRequest({
      method: this.method,
      path: this.path,
      hostHeader: hostHeaderFor(this.url),
      keepAlive: opts.keepAlive ?? false,
      headers: opts.headers ?? [],
      body: opts.body,
      contentType: opts.contentType,
    });
    this.requestBytes = bytes.length;
    const target: ConnectionTarget = {
      host: this.host,
      port: this.port,
      request: bytes,
      isHead: this.method === 'HEAD',
      keepAliveRequested: opts.keepAlive ?? false,
      heads: new HeadCache(opts.identifyBodyRegex ? undefined : (opts.identifyHeader ?? 'x-real-server').toLowerCase()),
      wantBodySample: opts.identifyBodyRegex !== undefined,
    };
    for (let i = 0; i < this.concurrency; i++) this.conns.push(new Connection(i, target, this));
  }

  run(): Promise<FinalState> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.startUs = this.lastUs = nowUs();
      this.events.started?.();
      const signal = this.opts.signal;
      if (signal?.aborted) {
        this.finish({ kind: 'signal' }, true);
        return;
      }
      signal?.addEventListener('abort', this.onAbort, { once: true });
      if (this.opts.timeLimitSec) {
        this.stopAtUs = this.startUs + this.opts.timeLimitSec * 1e6;
        this.timers.push(setTimeout(() => this.finish(null, true), this.opts.timeLimitSec * 1000));
      }
      const tick = Math.max(10, Math.min(250, this.timeoutUs / 4000));
      this.timers.push(setInterval(() => this.checkIdle(), tick));
      if (this.opts.busyPoll) this.spin();
      if (this.rated) {
        this.nextIntendedUs = this.startUs;
        this.idle.push(...[...this.conns].reverse());
        this.pump();
      } else if (this.tally.claimFirst()) {
        // ab connects con[0] alone; the others start once the first response header arrived.
        this.claimedFirst = true;
        const first = this.conns[0];
        const now = nowUs();
        // Another thread may already have taken every request of a small shared -n.
        if (first && this.takeRequest(now)) this.startOn(first, now);
        else this.finishIfIdle();
      } else {
        // Another thread of the run opened the first connection: this one waits for its header.
        void this.tally.whenRamped().then(() => {
          if (this.finished || this.ramped) return;
          this.ramped = true;
          this.rampUp(null);
          this.finishIfIdle();
        });
      }
    });
  }

  // ---- ConnectionSink -------------------------------------------------------------------------

  onHeader(conn: Connection, head: ResponseHead): void {
    if (this.counts.good === 0) this.serverSoftware = head.server ?? '';
    const code = statusNumber(head.status);
    this.statusCodes[code] = (this.statusCodes[code] ?? 0) + 1;
    if (head.status[0] !== '2') this.counts.errResponse++;
    if (!this.ramped) {
      this.ramped = true;
      this.tally.rampDone();
      if (!this.rated) this.rampUp(conn);
    }
  }

  /** Starts a request on every idle slot but `except` (ab, once the first header is in). */
  private rampUp(except: Connection | null): void {
    for (const other of this.conns) {
      const now = nowUs();
      if (other !== except && !other.busy && this.takeRequest(now)) this.startOn(other, now);
    }
  }

  onBytes(total: number, body: number): void {
    this.bytes.totalRead += total;
    this.bytes.htmlRead += body;
  }

  onComplete(conn: Connection, how: 'eof' | 'keepalive', now: number): void {
    if (this.finished) return;
    this.lastUs = now;
    conn.busy = false;
    this.counts.good++;
    if (how === 'keepalive') {
      this.account(conn, now, true, false);
      if (this.finished) return;
      if (!this.rated && this.takeRequest(now)) {
        conn.reuse(now, now);
        return;
      }
      if (!this.rated) conn.drop();
      this.slotFree(conn);
      return;
    }
    conn.drop();
    if (conn.read === 0 && conn.keepAlive) {
      // ab: the server shut an idle keep-alive connection; that request never happened.
      if (this.counts.good) this.counts.good--;
      this.unissue();
    } else {
      this.account(conn, now, false, false);
    }
    this.slotFree(conn);
  }

  onHeaderTooLarge(conn: Connection): void {
    this.lastUs = nowUs();
    conn.drop();
    this.unissue();
    this.counts.errResponse++;
    if (this.tooManyFailures()) {
      this.finish({ kind: 'receive-error', message: 'Test aborted after 10 failures (response header too large)' }, false);
      return;
    }
    this.slotFree(conn);
  }

  onConnectError(conn: Connection, err: NodeJS.ErrnoException): void {
    if (this.finished) return;
    this.lastUs = nowUs();
    conn.drop();
    this.unissue();
    this.counts.errConnect++;
    if (this.tooManyFailures()) {
      this.finish({ kind: 'connect-failures', message: `apr_socket_connect(): ${describeSocketError(err)}` }, false);
      return;
    }
    this.slotFree(conn);
  }

  onReceiveError(conn: Connection, err: NodeJS.ErrnoException): void {
    if (this.finished) return;
    const now = (this.lastUs = nowUs());
    this.counts.errReceive++;
    if (!this.opts.continueOnReceiveError) {
      conn.drop();
      this.finish({ kind: 'receive-error', message: `apr_socket_recv: ${describeSocketError(err)}` }, false);
      return;
    }
    this.countBad();
    conn.busy = false;
    conn.drop();
    // A reset also raises POLLERR in ab's pollset: one more bad request, counted as an Exception
    // (ab checks it after close_connection(); counted first here so the last request's is not lost).
    if (err.code === 'ECONNRESET') {
      this.countBad();
      this.counts.errExcept++;
    }
    this.account(conn, now, false, true);
    if (this.opts.verbosity && this.opts.verbosity >= 1) this.events.diagnostic?.(`apr_socket_recv: ${describeSocketError(err)}`);
    this.slotFree(conn);
  }

  onWriteError(conn: Connection, _err: NodeJS.ErrnoException): void {
    if (this.finished) return;
    const now = (this.lastUs = nowUs());
    this.counts.epipe++;
    this.events.diagnostic?.('Send request failed!');
    conn.busy = false;
    conn.drop();
    this.account(conn, now, false, false);
    this.slotFree(conn);
  }

  onIdleClose(_conn: Connection): void {
    // Rate mode: a kept-alive socket closed between requests; the slot opens a new one next time.
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  /** ab's close_connection()/keep-alive completion: Length rule, then the record. */
  private account(conn: Connection, now: number, keptAlive: boolean, receiveError: boolean): void {
    const c = this.counts;
    let lengthFailure = false;
    if (c.good === 1) this.docLength = this.tally.documentLength(conn.bread);
    if (conn.bread !== this.docLength && !this.variableLength) {
      this.countBad();
      c.errLength++;
      lengthFailure = true;
    }
    if (c.done >= this.requests) return;
    c.done++;
    if (keptAlive) c.doneKeepAlive++;
    const ctime = conn.connectAt - conn.start;
    const time = now - conn.start;
    const wait = conn.read > 0 ? conn.beginRead - conn.endWrite : 0;
    this.records.add(toEpochUs(conn.start), ctime, time, wait);
    const firstByte = conn.read > 0 ? conn.beginRead - conn.start : -1;
    this.hist.connect.record(ctime);
    this.hist.total.record(time);
    if (conn.read > 0) {
      this.hist.waiting.record(wait);
      this.hist.firstByte.record(firstByte);
    }
    const name = this.serverName(conn);
    const error = receiveError || lengthFailure || (conn.gotHeader && conn.status[0] !== '2');
    this.servers.record(name, ctime, firstByte, time, error);
    if (c.done % PROGRESS_EVERY === 0) this.events.progress?.(c.done);
    if (this.heartbeatEvery && c.done % this.heartbeatEvery === 0) this.events.heartbeat?.(c.done);
    if (c.done >= this.requests) this.finish(null, false);
  }

  private serverName(conn: Connection): string {
    if (!conn.gotHeader) return NO_RESPONSE;
    const re = this.identifyBodyRegex;
    if (re) {
      const body = Buffer.concat(conn.bodySample).toString('utf8');
      return capturedName(re, body) ?? UNIDENTIFIED;
    }
    return conn.identity || UNIDENTIFIED;
  }

  /**
   * ab's `if (bad++ > 10)` after a failed connect or an oversized header, over the bad requests of the
   * whole run; the thread that crosses the line prints ab's message, every thread stops.
   */
  private tooManyFailures(): boolean {
    const before = this.countBad();
    if (before === 11) this.events.diagnostic?.('Test aborted after 10 failures');
    return before > 10;
  }

  /** A bad request (ab's `bad++`), counted for the run as a whole too; returns the run's count before it. */
  private countBad(): number {
    this.counts.bad++;
    return this.tally.addBad();
  }

  /** A request that never reached the server is taken back so another slot can issue it. */
  private unissue(): void {
    this.tally.giveBack();
    this.counts.started--;
    this.bytes.totalPosted -= this.requestBytes;
  }

  private mayIssue(now: number): boolean {
    return !this.finished && now < this.stopAtUs && this.tally.hasLeft();
  }

  /** Takes one request from the budget for a slot to start, if the run may issue one now. */
  private takeRequest(now: number): boolean {
    if (this.finished || now >= this.stopAtUs || !this.tally.take()) return false;
    this.counts.started++;
    this.bytes.totalPosted += this.requestBytes;
    return true;
  }

  /** Starts a taken request on a slot: reuse its kept-alive socket in rate mode, else connect. */
  private startOn(conn: Connection, startUs: number): void {
    if (conn.isOpen && !conn.busy && this.keepAlive) {
      conn.reuse(startUs, nowUs());
      return;
    }
    const source = this.sources.length ? this.sources[this.sourceIndex++ % this.sources.length] : undefined;
    conn.open(startUs, source);
  }

  private slotFree(conn: Connection): void {
    if (this.finished) return;
    if (this.rated) {
      this.idle.push(conn);
      this.pump();
      return;
    }
    const now = nowUs();
    if ((this.ramped || conn.slot === 0) && this.takeRequest(now)) this.startOn(conn, now);
    else this.finishIfIdle();
  }

  /** Rate mode: dispatch every request whose intended time has come onto a free slot. */
  private pump(): void {
    if (this.finished) return;
    const now = nowUs();
    while (this.idle.length > 0 && this.nextIntendedUs <= now && this.takeRequest(now)) {
      const conn = this.idle.pop();
      if (!conn) break;
      this.startOn(conn, Math.floor(this.nextIntendedUs));
      this.nextIntendedUs += this.intervalUs;
    }
    if (!this.mayIssue(now)) {
      this.finishIfIdle();
      return;
    }
    if (this.nextIntendedUs > now && this.rateTimer === null) {
      this.rateTimer = setTimeout(() => {
        this.rateTimer = null;
        this.pump();
      }, Math.max(0, (this.nextIntendedUs - now) / 1000));
    }
  }

  /**
   * Busy polling: a pending immediate makes libuv poll the sockets with a zero timeout, so the loop
   * never sleeps; it ends with the run.
   */
  private spin(): void {
    if (!this.finished) setImmediate(this.spinAgain);
  }

  /** Ends the run when nothing is in flight and nothing more can start. */
  private finishIfIdle(): void {
    if (this.conns.some((c) => c.busy)) return;
    this.finish(null, false);
  }

  /** ab's pollset timeout, and with -r a per-connection timeout counted as a receive error. */
  private checkIdle(): void {
    if (this.finished) return;
    const now = nowUs();
    if (this.opts.continueOnReceiveError) {
      for (const c of this.conns) {
        if (c.busy && now - Math.max(c.lastActivity, c.start) > this.timeoutUs) {
          const err: NodeJS.ErrnoException = Object.assign(new Error('The timeout specified has expired'), { code: 'ETIMEDOUT', errno: 70007 });
          if (c.connected) this.onReceiveError(c, err);
          else this.onConnectError(c, err);
        }
      }
      return;
    }
    let last = this.lastUs;
    for (const c of this.conns) if (c.lastActivity > last) last = c.lastActivity;
    if (now - last > this.timeoutUs) {
      this.finish({ kind: 'timeout', message: 'apr_pollset_poll: The timeout specified has expired (70007)' }, false);
    }
  }

  private finish(aborted: BenchAbort | null, stampNow: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.aborted = aborted;
    // Threads waiting for a first header that will not come from here go on: they find -n taken, the
    // time up or the bad count over ab's limit, and end too (workers.ts also stops them on an abort).
    if (this.claimedFirst) this.tally.rampDone();
    if (stampNow) this.lastUs = nowUs();
    for (const t of this.timers) clearTimeout(t);
    if (this.rateTimer) clearTimeout(this.rateTimer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    for (const c of this.conns) c.drop();
    this.events.ended?.();
    this.resolve?.({
      url: this.opts.url,
      hostname: this.url.hostname,
      port: this.port,
      path: this.path,
      method: this.method,
      serverSoftware: this.serverSoftware,
      concurrency: this.opts.concurrency,
      requests: this.requests,
      keepAlive: this.keepAlive,
      variableLength: this.variableLength,
      sendBody: this.opts.body !== undefined,
      rate: this.opts.rate ?? null,
      sources: this.sources,
      startEpochUs: toEpochUs(this.startUs),
      timeTakenUs: Math.max(0, this.lastUs - this.startUs),
      documentLength: this.docLength,
      counts: this.counts,
      bytes: this.bytes,
      statusCodes: this.statusCodes,
      records: this.records,
      histograms: {
        connect: this.hist.connect.histogram,
        firstByte: this.hist.firstByte.histogram,
        waiting: this.hist.waiting.histogram,
        total: this.hist.total.histogram,
      },
      servers: this.servers,
      aborted: this.aborted,
    });
  }
}
