/**
 * Long-lived sessions held across a change window: one TCP connection each (FTP: its control and one
 * data connection), from the client's source address, probed again and again. HTTP: a kept-alive
 * connection given a request per probe (undici would silently reconnect after a close, so a second
 * connect counts as the session broken). Telnet: one logged-in shell given `identify.command` per
 * probe. FTP: one slow download whose progress each probe reads (./ftp-held.ts). A session that fails
 * once is over: the point is to see whether work in flight survives the change.
 */
import type { Socket } from 'node:net';
import { buildConnector, Client } from 'undici';
import type { SessionTransfer } from '../model/change-window.js';
import type { ObservationError } from '../model/observation.js';
import type { HttpProbeSpec, ProbeSpec } from '../suite/schema.js';
import type { TelnetProbeSpec } from '../suite/probes/telnet.js';
import { startedResult } from './connection-result.js';
import { telnetCredentials } from './credentials.js';
import { openFtpHeld } from './ftp-held.js';
import { classify, identifier } from './http-probe.js';
import { logIn, openTelnetSession, runIdentifyCommand, telnetPatterns } from './telnet-probe.js';

export interface ProbeAnswer {
  realServer: string | null;
  error: ObservationError | null;
  /** FTP: the download's bytes so far. */
  bytes?: number;
}

export interface HeldSession {
  readonly clientPort: number | null;
  /** First answer: the session is open (or failed to open). */
  readonly opened: ProbeAnswer;
  /** One more request or command on the same connection; never throws. */
  probe(): Promise<ProbeAnswer>;
  close(): Promise<void>;
  /** A session that ends by itself (an FTP download): aborted once it has, completed or broken. */
  readonly ended?: AbortSignal;
  /** FTP: the download, as far as it got. */
  progress?(): Omit<SessionTransfer, 'completedMs'>;
}

export async function openHeldSession(spec: ProbeSpec, host: string, source: string, signal: AbortSignal, bytesPerSecond: number): Promise<HeldSession> {
  if (spec.type === 'http') return HttpHeld.open(spec, host, source, signal);
  if (spec.type === 'telnet') return openTelnet(spec, host, source, signal);
  return openFtpHeld(spec, host, source, signal, bytesPerSecond);
}

class HttpHeld implements HeldSession {
  clientPort: number | null = null;
  opened: ProbeAnswer = { realServer: null, error: null };
  private connects = 0;
  /** Set when the connection went away between probes (a reset or FIN from the far side). */
  private lost: ObservationError | null = null;
  private closing = false;
  private readonly identify;
  private readonly client: Client;

  private constructor(
    private readonly spec: HttpProbeSpec,
    host: string,
    source: string,
    private readonly signal: AbortSignal,
  ) {
    this.identify = identifier(spec);
    const timeoutMs = spec.timeoutSeconds * 1000;
    const base = buildConnector({ timeout: timeoutMs });
    this.client = new Client(`http://${host}:${spec.port}`, {
      connect: (opts, cb) =>
        base({ ...opts, localAddress: source }, (err, s) => {
          if (!err && s) this.watch(s as Socket);
          (cb as (e: Error | null, s: unknown) => void)(err, s);
        }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      pipelining: 1,
      // The session is the connection: undici must not drop it between probes.
      keepAliveTimeout: 600_000,
      keepAliveMaxTimeout: 600_000,
    });
  }

  static async open(spec: HttpProbeSpec, host: string, source: string, signal: AbortSignal): Promise<HeldSession> {
    const held = new HttpHeld(spec, host, source, signal);
    held.opened = await held.probe();
    return held;
  }

  private watch(socket: Socket): void {
    this.connects++;
    this.clientPort ??= socket.localPort ?? null;
    socket.once('close', (hadError) => {
      if (this.closing) return;
      this.lost ??= hadError ? { code: 'ECONNRESET', message: 'the kept-alive connection was reset' } : { code: 'CLOSED', message: 'the server closed the kept-alive connection' };
    });
  }

  async probe(): Promise<ProbeAnswer> {
    if (this.lost) return { realServer: null, error: this.lost };
    try {
      const res = await this.client.request({ path: this.spec.path, method: 'GET', signal: this.signal });
      const text = await res.body.text();
      if (this.connects > 1) return { realServer: null, error: this.lost ?? { code: 'RECONNECTED', message: 'the kept-alive connection was replaced by a new one' } };
      const who = this.identify(res.headers, text);
      if (res.statusCode < 200 || res.statusCode > 299) return { realServer: who, error: { code: 'HTTP_STATUS', message: `HTTP ${res.statusCode}` } };
      return { realServer: who, error: who === null ? { code: 'UNIDENTIFIED', message: 'the response did not name its real server' } : null };
    } catch (e) {
      return { realServer: null, error: this.lost ?? classify(e) };
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.destroy().catch(() => undefined);
  }
}

async function openTelnet(spec: TelnetProbeSpec, host: string, source: string, signal: AbortSignal): Promise<HeldSession> {
  const credentials = telnetCredentials(spec);
  const patterns = telnetPatterns(spec);
  const opened = await openTelnetSession(spec, credentials, host, source, signal);
  if (!opened.ok) {
    return { clientPort: null, opened: { realServer: null, error: opened.error }, probe: async () => ({ realServer: null, error: opened.error }), close: async () => undefined };
  }
  const session = opened.value;
  const probe = async (): Promise<ProbeAnswer> => {
    const result = startedResult(performance.now());
    const error = await runIdentifyCommand(session, spec, patterns, result);
    return { realServer: result.realServer, error: error ?? (result.realServer === null ? { code: 'UNIDENTIFIED', message: 'the command did not name its real server' } : null) };
  };
  const result = startedResult(performance.now());
  const error = await logIn(session, spec, patterns, credentials, result);
  return {
    clientPort: session.socket.localPort ?? null,
    opened: error === null ? await probe() : { realServer: null, error },
    probe,
    close: () => session.close(),
  };
}
