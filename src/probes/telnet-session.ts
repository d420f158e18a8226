/**
 * One Telnet connection as an expect-style dialogue, on telnet-client 2.2.14. The socket is connected
 * here, from the client's source address, and handed to telnet-client pre-connected: on that path the
 * library neither logs in nor waits for a prompt, it decodes and queues what arrives (as latin1: its
 * default ascii garbles IAC bytes), so every wait is ours and bounded, and a failure can say what the
 * probe waited for. Telnet commands are stripped and negotiation answered here rather than by the
 * library, which assumes whole commands at the start of a segment: a command split across segments
 * made it send a stray IAC that ate the first letter of the username.
 */
import { connect, type Socket } from 'node:net';
import { Telnet } from 'telnet-client';
import type { ObservationError } from '../model/observation.js';
import { DO, DONT, IacFilter, negotiation, OPT_ECHO, OPT_SGA, WILL, WONT } from '../net/telnet-iac.js';
import { classify } from './http-probe.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ObservationError };

export interface Expected {
  /** Which of the patterns matched. */
  name: string;
  match: RegExpExecArray;
  /** Text received before the match (since the previous match). */
  before: string;
}

export interface SessionOptions {
  host: string;
  port: number;
  source: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Strings never quoted in an error message (the password, should a server echo it). */
  secrets: readonly string[];
}

/** Received text kept while waiting for one pattern; past it the server is not talking telnet to us. */
const MAX_TEXT = 64 * 1024;
/** How much of the last text an error message quotes. */
const QUOTED = 80;

type Interrupt = { kind: 'closed'; error: ObservationError | null } | { kind: 'aborted' };
type Turn = Interrupt | { kind: 'data'; text: string } | { kind: 'timeout' };

export class TelnetSession {
  private text = '';
  private readonly filter = new IacFilter((verb, option) => this.answer(verb, option));
  /** Each option is answered once: a reply to a reply would loop (RFC 1143). */
  private readonly answered = new Set<number>();
  private readonly interrupted: Promise<Interrupt>;
  private closedBy: Interrupt | null = null;
  firstByteAt: number | null = null;

  private constructor(
    readonly socket: Socket,
    private readonly telnet: Telnet,
    private readonly opts: SessionOptions,
  ) {
    let socketError: ObservationError | null = null;
    socket.once('data', () => (this.firstByteAt = performance.now()));
    socket.on('error', (e) => (socketError = classify(e)));
    this.interrupted = new Promise<Interrupt>((resolve) => {
      const onAbort = (): void => resolve({ kind: 'aborted' });
      opts.signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', () => {
        opts.signal.removeEventListener('abort', onAbort);
        resolve({ kind: 'closed', error: socketError });
      });
    }).then((i) => (this.closedBy = i));
  }

  /** Connects from `source`; resolves once the TCP handshake is done and telnet-client holds the socket. */
  static async open(opts: SessionOptions): Promise<Outcome<TelnetSession>> {
    const socket = connect({ host: opts.host, port: opts.port, localAddress: opts.source, noDelay: true });
    const connected = await new Promise<ObservationError | null>((resolve) => {
      const timer = setTimeout(() => settle({ code: 'ETIMEDOUT', message: 'connect timed out' }), opts.timeoutMs);
      const settle = (e: ObservationError | null): void => {
        clearTimeout(timer);
        opts.signal.removeEventListener('abort', onAbort);
        resolve(e);
      };
      const onAbort = (): void => settle({ code: 'ABORTED', message: 'aborted by the user' });
      const onError = (e: Error): void => settle(classify(e));
      opts.signal.addEventListener('abort', onAbort, { once: true });
      // Kept after the handshake too: the session's own listener only comes with the next turn.
      socket.on('error', onError);
      socket.once('connect', () => settle(null));
    });
    if (connected !== null) {
      socket.destroy();
      return { ok: false, error: connected };
    }
    const telnet = new Telnet();
    // Negotiation is answered by the session (see the top of this file); the library passes it through.
    telnet.negotiate = (chunk) => chunk;
    const session = new TelnetSession(socket, telnet, opts);
    try {
      await telnet.connect({ sock: socket, negotiationMandatory: false, encoding: 'latin1', timeout: opts.timeoutMs });
    } catch {
      // telnet-client refuses a socket that is no longer writable: the server hung up at once.
      socket.destroy();
      return { ok: false, error: { code: 'ECONNRESET', message: 'the server closed the connection right after accepting it' } };
    }
    return { ok: true, value: session };
  }

  /**
   * Reads until one of `patterns` (tried in order) matches the text received since the last match.
   * `what` names the wait in the error when the server goes silent, closes or aborts.
   */
  async expect(patterns: ReadonlyArray<readonly [string, RegExp]>, what: string): Promise<Outcome<Expected>> {
    const deadline = performance.now() + this.opts.timeoutMs;
    // Bounded: every turn consumes a chunk or ends the wait (deadline, close, abort, MAX_TEXT).
    for (;;) {
      for (const [name, re] of patterns) {
        const match = re.exec(this.text);
        if (match) {
          const before = this.text.slice(0, match.index);
          this.text = this.text.slice(match.index + match[0].length);
          return { ok: true, value: { name, match, before } };
        }
      }
      if (this.text.length > MAX_TEXT) return this.fail('PROTOCOL', `more than ${MAX_TEXT} bytes without ${what}`);
      const got = await this.next(deadline);
      switch (got.kind) {
        case 'data':
          this.text += this.filter.push(got.text);
          continue;
        case 'timeout': {
          const shown = patterns.map(([, re]) => `/${re.source}/`).join(' or ');
          return this.fail('ETIMEDOUT', `timed out after ${this.opts.timeoutMs / 1000} s waiting for ${what} (${shown})`);
        }
        case 'aborted':
          return { ok: false, error: { code: 'ABORTED', message: 'aborted by the user' } };
        case 'closed': {
          const why = got.error?.message ?? 'the server closed the connection';
          return this.fail('ECONNRESET', `${why} while the probe waited for ${what}`);
        }
      }
    }
  }

  /** As a line-mode client: the server may echo and suppress go-ahead; the client does no option. */
  private answer(verb: number, option: number): void {
    const reply = verb === DO ? WONT : verb === WILL ? (option === OPT_ECHO || option === OPT_SGA ? DO : DONT) : null;
    if (reply === null || this.answered.has(option * 256 + verb) || !this.socket.writable) return;
    this.answered.add(option * 256 + verb);
    this.socket.write(negotiation(reply, option), 'latin1');
  }

  /** Sends one line, CR LF terminated as the NVT wants. */
  send(line: string): void {
    if (this.socket.writable) this.socket.write(`${line}\r\n`, 'latin1');
  }

  /** Waits for the server to close the connection; true if it did within the timeout. */
  async closedByServer(): Promise<boolean> {
    const deadline = performance.now() + this.opts.timeoutMs;
    // Bounded by the deadline; whatever the server says on its way out is not needed.
    for (;;) {
      const got = await this.next(deadline);
      if (got.kind === 'closed') return got.error === null;
      if (got.kind !== 'data') return false;
    }
  }

  /** Ends the connection (FIN first, as telnet-client does), then makes sure it is gone. */
  async close(): Promise<void> {
    if (this.closedBy === null && !this.socket.destroyed) await this.telnet.end();
    this.socket.destroy();
  }

  private async next(deadline: number): Promise<Turn> {
    if (this.closedBy?.kind === 'aborted') return this.closedBy;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Turn>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, deadline - performance.now()));
    });
    try {
      // nextData first, unwrapped: text already queued settles first and wins over a close that came after it.
      const got = await Promise.race([this.telnet.nextData(), this.interrupted, timeout]);
      if (typeof got === 'string') return { kind: 'data', text: got };
      return got ?? { kind: 'closed', error: null };
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(code: string, message: string): Outcome<never> {
    return { ok: false, error: { code, message: `${message}; last text received: ${this.quote()}` } };
  }

  private quote(): string {
    let tail = this.text.slice(-QUOTED);
    for (const secret of this.opts.secrets) if (secret.length > 0) tail = tail.split(secret).join('***');
    return JSON.stringify(tail);
  }
}
