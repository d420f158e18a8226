/**
 * FTP probe on basic-ftp. One probe call is one session from the client's source address: greeting,
 * login, TYPE I, then the suite's transfers (LIST; RETR of the identifying file and of a named file,
 * checked against SIZE; STOR of a generated file, read back and compared byte for byte; DELE), QUIT.
 * Control and every data connection are bound to the source address (basic-ftp creates all its
 * sockets through `_newSocket`); active mode comes from ./ftp-active.ts. Every data connection is
 * recorded with the server that served it, so checks can see whether data followed control.
 */
import { Socket, type TcpSocketConnectOpts } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import type { DataConnection, ObservationError } from '../model/observation.js';
import type { FtpProbeSpec } from '../suite/probes/ftp.js';
import { startedResult } from './connection-result.js';
import { activeMode, type ActiveMode } from './ftp-active.js';
import { classify } from './http-probe.js';
import type { ConnectionResult } from './probe.js';
import { capturedName } from './captured-name.js';
import { loginPassword } from './credentials.js';

type Command = DataConnection['command'];

/** Runs one FTP session from `source` to `host`; never throws (failures are in the result). */
export async function ftpSession(probe: FtpProbeSpec, host: string, source: string, signal: AbortSignal): Promise<ConnectionResult> {
  const { client, sockets, active } = boundClient(probe, source);
  const startedAt = performance.now();
  const result: ConnectionResult = { ...startedResult(startedAt), data: [] };
  const data = result.data!;
  const step = <T>(reply: T): T => {
    result.requests++;
    const code = (reply as { code?: unknown }).code;
    if (typeof code === 'number') result.status = code;
    return reply;
  };

  /** Runs one transfer and records its data connection; the session stops at the first failure. */
  const transfer = async (
    command: Command,
    run: () => Promise<Buffer>,
    check: (bytes: Buffer) => string | null,
    identifies = false,
  ): Promise<Buffer> => {
    const first = sockets.length;
    const at = performance.now();
    let bytes: Buffer | null = null;
    let error: ObservationError | null = null;
    try {
      bytes = await run();
      result.requests++;
      result.status = 226;
      const wrong = check(bytes);
      if (wrong !== null) error = { code: 'TRANSFER_MISMATCH', message: `${command}: ${wrong}` };
    } catch (e) {
      error = classifyFtp(e);
    }
    const socket = sockets.length > first ? sockets[sockets.length - 1]! : null;
    const named = identifies && bytes !== null ? nameIn(probe, bytes) : null;
    data.push({
      command,
      mode: probe.mode,
      client: { address: source, port: socket?.localPort ?? null },
      server: { address: socket?.remoteAddress ?? null, port: socket?.remotePort ?? null },
      realServer: named,
      identifiedBy: named !== null ? 'content' : error === null ? 'reply' : null,
      bytes: socket === null ? 0 : socket.socket.bytesRead + socket.socket.bytesWritten,
      startMs: at - startedAt,
      endMs: performance.now() - startedAt,
      error,
    });
    if (error !== null) throw new SessionStop(error);
    return bytes!;
  };

  const abort = (): void => client.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    const welcome = step(await client.connect(host, probe.port));
    result.connectMs = performance.now() - startedAt;
    result.firstByteMs = result.connectMs;
    if (probe.identify.greeting !== undefined) result.realServer = capturedName(new RegExp(probe.identify.greeting), welcome.message);
    step(await client.login(probe.login.username, loginPassword(probe.login, probe.name)));
    step(await client.send('TYPE I'));
    const file = probe.identify.file;
    if (file !== undefined) {
      const text = await transfer('RETR', () => download(client, file), () => null, true);
      result.realServer = nameIn(probe, text);
    }
    if (probe.transfers.list) await transfer('LIST', async () => Buffer.from(JSON.stringify(await client.list())), () => null);
    const retr = probe.transfers.retr;
    if (retr !== undefined) {
      const size = step(await client.size(retr));
      await transfer('RETR', () => download(client, retr), (b) => (b.length === size ? null : `${b.length} bytes received, SIZE said ${size}`));
    }
    if (probe.transfers.stor !== undefined) {
      const name = `lvs-harness-${source}-${sockets[0]?.localPort ?? 0}.bin`;
      const payload = generated(name, probe.transfers.stor);
      const upload = async (): Promise<Buffer> => {
        await client.uploadFrom(Readable.from([payload]), name);
        return payload;
      };
      await transfer('STOR', upload, () => null);
      await transfer('RETR', () => download(client, name), (b) => (b.equals(payload) ? null : `read back ${b.length} bytes that differ from the ${payload.length} stored`));
      step(await client.send(`DELE ${name}`));
    }
    if (result.realServer === null) {
      result.error = { code: 'UNIDENTIFIED', message: `the server did not name itself (${describeIdentify(probe)})` };
    }
  } catch (e) {
    result.error = e instanceof SessionStop ? e.error : signal.aborted ? { code: 'ABORTED', message: 'aborted by the user' } : classifyFtp(e);
  } finally {
    signal.removeEventListener('abort', abort);
    const control = sockets[0];
    result.clientPort = control?.localPort ?? null;
    result.bytesSent = control?.socket.bytesWritten ?? 0;
    result.bytesReceived = control?.socket.bytesRead ?? 0;
    // A transfer the control connection's server confirmed was served by that server, named only now.
    for (const d of data) if (d.identifiedBy === 'reply') d.realServer = result.realServer;
    active?.close();
    client.close();
    result.endedAt = performance.now();
  }
  return result;
}

export interface BoundClient {
  client: Client;
  /** Every socket the client made, in order: the control connection first. */
  sockets: Ends[];
  active: ActiveMode | null;
}

/** A basic-ftp client in the probe's mode whose every socket, control and data, is bound to `source`. */
export function boundClient(probe: FtpProbeSpec, source: string): BoundClient {
  const timeoutMs = probe.timeoutSeconds * 1000;
  const client = new Client(timeoutMs);
  const sockets: Ends[] = [];
  client.ftp._newSocket = () => boundSocket(source, sockets);
  const active = probe.mode === 'active' ? activeMode(source, timeoutMs, (s) => sockets.push(endsOf(s))) : null;
  if (active) client.prepareTransfer = active.prepare;
  return { client, sockets, active };
}

/** A transfer failed: its error is already recorded on its data connection. */
class SessionStop extends Error {
  constructor(readonly error: ObservationError) {
    super(error.message);
  }
}

/** A socket and its addresses, kept from when it connected (Node forgets them once it is destroyed). */
export interface Ends {
  socket: Socket;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
}

function endsOf(socket: Socket): Ends {
  return { socket, localPort: socket.localPort ?? null, remoteAddress: socket.remoteAddress ?? null, remotePort: socket.remotePort ?? null };
}

/** basic-ftp's sockets, each bound to the source address at connect time. */
function boundSocket(source: string, created: Ends[]): Socket {
  const socket = new Socket();
  const connect = socket.connect.bind(socket) as (opts: TcpSocketConnectOpts, cb?: () => void) => Socket;
  const ends = endsOf(socket);
  created.push(ends);
  socket.connect = ((opts: TcpSocketConnectOpts, cb?: () => void) => {
    // Where it was meant to go, for the record if the connect fails.
    Object.assign(ends, { remoteAddress: opts.host ?? null, remotePort: opts.port });
    return connect({ ...opts, localAddress: source }, cb);
  }) as Socket['connect'];
  socket.once('connect', () => Object.assign(ends, endsOf(socket)));
  return socket;
}

export async function download(client: Client, path: string): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await client.downloadTo(sink, path);
  return Buffer.concat(chunks);
}

/** Bytes that differ per session (xorshift32 seeded by the name), so sessions' files cannot be mixed up unseen. */
export function generated(name: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[i] = x & 255;
  }
  return out;
}

export function nameIn(probe: FtpProbeSpec, bytes: Buffer): string | null {
  if (probe.identify.file === undefined) return null;
  return capturedName(new RegExp(probe.identify.content), bytes.toString('utf8'));
}

function describeIdentify(probe: FtpProbeSpec): string {
  return probe.identify.file !== undefined ? `file ${probe.identify.file}` : `greeting /${probe.identify.greeting}/`;
}

/** basic-ftp reports socket failures as messages; map them onto the reasons the checks count. */
export function classifyFtp(e: unknown): ObservationError {
  if (e instanceof FTPError) return { code: `FTP_${e.code}`, message: e.message.trim() };
  const err = e as { code?: unknown; message?: string };
  const message = err.message ?? String(e);
  if (typeof err.code === 'string') return classify(e);
  const known = /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|EADDRNOTAVAIL)\b/.exec(message)?.[1];
  if (known !== undefined) return { ...classify({ code: known, message }), message };
  if (/^Timeout/.test(message)) return { code: 'ETIMEDOUT', message };
  if (/closed|FIN packet/i.test(message)) return { code: 'ECONNRESET', message };
  return { code: 'FTP_ERROR', message };
}
