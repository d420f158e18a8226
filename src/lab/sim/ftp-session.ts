/**
 * One control connection of the lab FTP server: the commands a client such as basic-ftp sends
 * (USER PASS SYST FEAT PWD CWD TYPE STRU OPTS NOOP EPSV PASV EPRT PORT LIST RETR SIZE STOR DELE QUIT),
 * one at a time, in order. Passive: EPSV gives a port only, PASV the advertised address (the VIP, as
 * vsftpd's pasv_address). Active: the server connects from its own address straight to the client
 * (as a real server behind LVS-DR does) and, as RFC 959 allows, says 150 before it connects.
 */
import { connect, type Socket } from 'node:net';
import { MAX_FILE_BYTES, type FtpFiles } from './ftp-files.js';
import type { PassivePool, PassiveWait } from './ftp-passive.js';

export interface SessionContext {
  name: string;
  address: string;
  /** The address PASV announces. */
  advertise: string;
  files: FtpFiles;
  passive: PassivePool | null;
  timeoutMs: number;
  /** Fault injection: reset every data connection after this many bytes. */
  resetDataAfterBytes: number | undefined;
  /** Every socket the session opens, so the server can kill it. */
  track(socket: Socket): void;
}

type DataPlan = { kind: 'passive'; wait: PassiveWait } | { kind: 'active'; host: string; port: number };

const MAX_LINE = 4096;
const NEEDS_LOGIN = new Set(['EPSV', 'PASV', 'EPRT', 'PORT', 'LIST', 'NLST', 'RETR', 'SIZE', 'STOR', 'DELE']);

export function serveSession(control: Socket, ctx: SessionContext): void {
  const peer = control.remoteAddress ?? '';
  let user: string | null = null;
  let loggedIn = false;
  let plan: DataPlan | null = null;
  let buffered = '';
  let queue = Promise.resolve();
  const reply = (code: number, text: string): void => {
    if (control.writable) control.write(`${code} ${text}\r\n`);
  };

  /** The data connection the last EPSV/PASV/EPRT/PORT prepared; null (425 sent) if there is none. */
  const openData = async (): Promise<Socket | null> => {
    const p = plan;
    plan = null;
    if (p === null) return refuse(425, 'Use PORT, EPRT, PASV or EPSV first');
    if (p.kind === 'passive') {
      const socket = await p.wait.accepted;
      if (socket === null) return refuse(425, 'No data connection arrived');
      reply(150, 'Here comes the data');
      return socket;
    }
    reply(150, 'Opening data connection');
    const socket = connect({ host: p.host, port: p.port, localAddress: ctx.address });
    ctx.track(socket);
    const ok = await settled(socket, 'connect', ctx.timeoutMs);
    return ok ? socket : refuse(425, `Cannot connect to ${p.host}:${p.port}`);
  };
  const refuse = (code: number, text: string): null => {
    reply(code, text);
    return null;
  };

  const send = async (content: Buffer): Promise<void> => {
    const socket = await openData();
    if (socket === null) return;
    const cut = ctx.resetDataAfterBytes;
    if (cut !== undefined && cut < content.length) {
      socket.write(content.subarray(0, cut), () => socket.resetAndDestroy());
      await settled(socket, 'close', ctx.timeoutMs);
      return reply(426, 'Connection reset; transfer aborted');
    }
    socket.end(content);
    const ok = await settled(socket, 'close', ctx.timeoutMs);
    reply(ok ? 226 : 426, ok ? 'Transfer complete' : 'Transfer aborted');
  };

  const receive = async (name: string): Promise<void> => {
    const socket = await openData();
    if (socket === null) return;
    const chunks: Buffer[] = [];
    let size = 0;
    let fault: [number, string] | null = null;
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (ctx.resetDataAfterBytes !== undefined && size > ctx.resetDataAfterBytes) fault = [426, 'Connection reset; transfer aborted'];
      else if (size > MAX_FILE_BYTES) fault = [552, `Files are limited to ${MAX_FILE_BYTES} bytes`];
      if (fault === null) chunks.push(chunk);
      else socket.resetAndDestroy();
    });
    const ended = await settled(socket, 'end', ctx.timeoutMs);
    socket.end();
    // Assigned in the listener above, which TypeScript's narrowing cannot see.
    const failed = fault as [number, string] | null;
    if (failed !== null) return reply(...failed);
    if (!ended) return reply(426, 'Transfer aborted');
    ctx.files.put(name, Buffer.concat(chunks));
    reply(226, 'Transfer complete');
  };

  const passive = (extended: boolean): void => {
    const wait = ctx.passive?.expect(peer, ctx.timeoutMs);
    if (wait === undefined) return reply(502, 'Passive mode is not configured');
    if (wait === null) return reply(425, 'No passive port free');
    if (plan?.kind === 'passive') plan.wait.cancel();
    plan = { kind: 'passive', wait };
    if (extended) return reply(229, `Entering Extended Passive Mode (|||${wait.port}|)`);
    reply(227, `Entering Passive Mode (${ctx.advertise.replace(/\./g, ',')},${wait.port >> 8},${wait.port & 255})`);
  };

  const active = (host: string | null, port: number): void => {
    // As vsftpd without port_promiscuous: data only to the address the control connection came from.
    if (host !== peer || !(port > 0 && port < 65536)) return reply(500, 'Illegal PORT command');
    plan = { kind: 'active', host, port };
    reply(200, 'PORT command successful');
  };

  const handle = async (line: string): Promise<void> => {
    const [, verb = '', arg = ''] = /^(\S*)\s?(.*)$/.exec(line) ?? [];
    const cmd = verb.toUpperCase();
    if (NEEDS_LOGIN.has(cmd) && !loggedIn) return reply(530, 'Please login with USER and PASS');
    switch (cmd) {
      case 'USER':
        user = arg;
        loggedIn = false;
        return reply(331, 'Please specify the password');
      case 'PASS':
        if (user === null) return reply(503, 'Login with USER first');
        loggedIn = true;
        return reply(230, 'Login successful');
      case 'SYST':
        return reply(215, 'UNIX Type: L8');
      case 'FEAT':
        return void control.write('211-Features:\r\n EPRT\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End\r\n');
      case 'PWD':
        return reply(257, '"/" is the current directory');
      case 'CWD':
        return arg === '/' ? reply(250, 'Directory changed') : reply(550, 'No such directory');
      case 'TYPE':
      case 'STRU':
      case 'OPTS':
      case 'NOOP':
        return reply(200, 'OK');
      case 'EPSV':
      case 'PASV':
        return passive(cmd === 'EPSV');
      case 'EPRT': {
        const m = /^\|1\|([\d.]+)\|(\d+)\|$/.exec(arg);
        return active(m?.[1] ?? null, Number(m?.[2]));
      }
      case 'PORT': {
        const n = arg.split(',').map(Number);
        return active(n.length === 6 ? n.slice(0, 4).join('.') : null, (n[4]! << 8) + n[5]!);
      }
      case 'LIST':
      case 'NLST':
        return send(Buffer.from(ctx.files.listing()));
      case 'RETR': {
        const file = ctx.files.get(arg);
        return file === undefined ? reply(550, 'Failed to open file') : send(file);
      }
      case 'SIZE': {
        const file = ctx.files.get(arg);
        return file === undefined ? reply(550, 'Could not get file size') : reply(213, String(file.length));
      }
      case 'STOR':
        return receive(arg);
      case 'DELE':
        return ctx.files.delete(arg) ? reply(250, 'Delete operation successful') : reply(550, 'Delete operation failed');
      case 'QUIT':
        reply(221, 'Goodbye');
        return void control.end();
      default:
        return reply(502, 'Command not implemented');
    }
  };

  control.setEncoding('utf8');
  control.setTimeout(ctx.timeoutMs * 6, () => control.destroy());
  control.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE) {
      reply(500, 'Line too long');
      return void control.destroy();
    }
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, at).replace(/\r$/, '');
      buffered = buffered.slice(at + 1);
      queue = queue.then(() => handle(line));
    }
  });
  control.on('error', () => control.destroy());
  control.once('close', () => {
    if (plan?.kind === 'passive') plan.wait.cancel();
  });
  reply(220, `lvs-harness lab FTP server ${ctx.name} ready`);
}

/** Resolves true on `event`, false on error, close first, or after `timeoutMs`. */
function settled(socket: Socket, event: 'connect' | 'close' | 'end', timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.off(event, onEvent).off('error', onFail).off('close', onFail);
      if (!ok && event !== 'close') socket.destroy();
      resolve(ok);
    };
    const onEvent = (): void => finish(true);
    const onFail = (): void => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once(event, onEvent).once('error', onFail);
    if (event !== 'close') socket.once('close', onFail);
  });
}
