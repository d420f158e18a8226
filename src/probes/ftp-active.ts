/**
 * Active-mode FTP for basic-ftp, which has none: a transfer strategy (`client.prepareTransfer`) that
 * listens on the client's source address, announces it with EPRT (PORT if the server refuses EPRT)
 * and hands the connection the server opens back to basic-ftp as its data socket.
 *
 * RFC 959 lets a server send 150/125 before it connects. basic-ftp starts piping the data socket on
 * that reply, so the strategy holds such replies back until the connection has been accepted
 * (by wrapping FTPContext's protected `_passToHandler`); a placeholder socket satisfies basic-ftp's
 * "is there a data connection" check before the command is sent.
 */
import { createServer, Socket, type Server } from 'node:net';
import type { FTPContext, FTPResponse } from 'basic-ftp';

type Handler = (response: Error | FTPResponse) => void;
/** The protected member the strategy wraps; basic-ftp calls it for every reply and socket error. */
interface Dispatch {
  _passToHandler: Handler;
}

export interface ActiveMode {
  /** Use as `client.prepareTransfer`. */
  prepare(ftp: FTPContext): Promise<FTPResponse>;
  /** Closes a listener left waiting (a failed transfer); idempotent. */
  close(): void;
}

const isPreliminary = (r: Error | FTPResponse): r is FTPResponse => !(r instanceof Error) && (r.code === 150 || r.code === 125);

/** `onAccepted` sees each data connection the server opened, once it is the transfer's data socket. */
export function activeMode(source: string, timeoutMs: number, onAccepted: (socket: Socket) => void): ActiveMode {
  let pending: { server: Server; restore(): void } | null = null;
  const close = (): void => {
    pending?.server.close();
    pending?.restore();
    pending = null;
  };
  const prepare = async (ftp: FTPContext): Promise<FTPResponse> => {
    close();
    const server = createServer();
    const dispatch = ftp as unknown as Dispatch;
    const original = dispatch._passToHandler;
    const mine = { server, restore: () => void (dispatch._passToHandler = original) };
    pending = mine;
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: source, port: 0, backlog: 1 }, () => resolve((server.address() as { port: number }).port));
    });
    let held: FTPResponse | null = null;
    dispatch._passToHandler = (response) => {
      if (isPreliminary(response)) held = response;
      else original.call(ftp, response);
    };
    const timer = setTimeout(() => {
      if (pending !== mine) return;
      close();
      ftp.closeWithError(new Error(`Timeout: the server did not connect back to ${source}:${port} (active mode)`));
    }, timeoutMs);
    server.once('close', () => clearTimeout(timer));
    server.once('connection', (socket) => {
      if (pending === mine) close();
      ftp.dataSocket = socket;
      onAccepted(socket);
      if (held !== null) original.call(ftp, held);
    });
    // A placeholder until the server connects: basic-ftp refuses to send RETR/LIST without one.
    ftp.dataSocket = new Socket();
    const eprt: unknown = await ftp.handle(`EPRT |1|${source}|${port}|`, (res, task) => task.resolve(res));
    if (!(eprt instanceof Error)) return eprt as FTPResponse;
    return ftp.request(`PORT ${source.replace(/\./g, ',')},${port >> 8},${port & 255}`);
  };
  return { prepare, close };
}
