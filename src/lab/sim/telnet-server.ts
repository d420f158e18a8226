/**
 * The embedded lab's telnetd: a minimal RFC 854 server that names itself everywhere a probe may look.
 * It opens with a few option negotiations (WILL ECHO, WILL SUPPRESS-GO-AHEAD, DO TERMINAL-TYPE, DO
 * NAWS) as busybox telnetd does, shows the banner `<name> telnet (lvs-harness lab)`, asks `login:` and
 * `Password:` when it has credentials, then gives a shell prompt `<name>$ ` that knows `hostname`,
 * `echo` and `exit`. It echoes what is typed except the password, as a telnetd under WILL ECHO does.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { DO, IacFilter, negotiation, OPT_ECHO, OPT_NAWS, OPT_SGA, OPT_TTYPE, WILL } from '../../net/telnet-iac.js';
import type { TelnetCredentials } from '../../suite/probes/telnet.js';
import { listen, stopListening } from './listen.js';
import type { RunningRealServer } from './real-server.js';
import { withServers } from './server-group.js';

export interface TelnetServerOptions {
  name: string;
  address: string;
  port: number;
  /** What it accepts at `login:`; null gives a shell at once, as `telnetd -l /bin/sh` would. */
  login: TelnetCredentials | null;
}

export interface RunningTelnetServer {
  readonly port: number;
  /** Closes the listener and destroys every open session, as a crash would. */
  kill(): Promise<void>;
}

/** A session that says nothing for this long is dropped, so a forgotten client cannot pin the lab. */
const IDLE_MS = 60_000;
/** Longest line kept; a client sending more without a line end is not a telnet user. */
const MAX_LINE = 4096;
const MAX_LOGIN_ATTEMPTS = 3;

export function telnetBanner(name: string): string {
  return `${name} telnet (lvs-harness lab)`;
}

export async function startTelnetServer(options: TelnetServerOptions): Promise<RunningTelnetServer> {
  const sessions = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (socket) => {
    sessions.add(socket);
    socket.once('close', () => sessions.delete(socket));
    converse(socket, options);
  });
  await listen(server, options.address, options.port, `telnet server ${options.name}`);
  return {
    port: options.port,
    kill: async () => {
      const stopped = stopListening(server);
      for (const s of sessions) s.destroy();
      await stopped;
    },
  };
}

/** A telnet port of the lab and the credentials its telnetd accepts there (null: no login). */
export interface TelnetPort {
  port: number;
  login: TelnetCredentials | null;
}

/** `rs` with a telnetd beside it on each of `ports`: one real server to describe and to kill. */
export function withTelnetServers(rs: RunningRealServer, ports: readonly TelnetPort[]): Promise<RunningRealServer> {
  return withServers(
    rs,
    ports.map(({ port, login }) => async () => {
      const telnetd = await startTelnetServer({ name: rs.name, address: rs.address, port, login });
      return { name: rs.name, address: rs.address, ports: [telnetd.port], kill: () => telnetd.kill() };
    }),
  );
}

/** One session: negotiation, banner, login, shell. */
function converse(socket: Socket, { name, login }: TelnetServerOptions): void {
  socket.setEncoding('latin1');
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const say = (text: string): void => {
    if (socket.writable) socket.write(text, 'latin1');
  };
  const prompt = `${name}$ `;
  let state: 'username' | 'password' | 'shell' = login ? 'username' : 'shell';
  let username = '';
  let attempts = 0;

  const onLine = (line: string): void => {
    if (state === 'username') {
      username = line.trim();
      say(`${line}\r\nPassword: `);
      state = 'password';
    } else if (state === 'password') {
      say('\r\n');
      if (username === login!.username && line === login!.password) {
        state = 'shell';
        say(prompt);
      } else if (++attempts >= MAX_LOGIN_ATTEMPTS) {
        say('Login incorrect\r\n');
        socket.end();
      } else {
        state = 'username';
        say('Login incorrect\r\nlogin: ');
      }
    } else {
      say(`${line}\r\n`);
      const reply = shell(line.trim(), name);
      if (reply === null) {
        say('logout\r\n');
        socket.end();
      } else {
        say(`${reply}${prompt}`);
      }
    }
  };

  const filter = new IacFilter();
  let line = '';
  let afterCr = false;
  socket.on('data', (chunk: string) => {
    for (const ch of filter.push(chunk)) {
      // NVT line ends are CR LF or CR NUL; a bare LF is accepted from sloppy clients.
      if (afterCr && (ch === '\n' || ch === '\0')) {
        afterCr = false;
        continue;
      }
      afterCr = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        onLine(line);
        line = '';
      } else if (line.length < MAX_LINE) {
        line += ch;
      } else {
        socket.destroy();
        return;
      }
    }
  });

  say(
    negotiation(WILL, OPT_ECHO) +
      negotiation(WILL, OPT_SGA) +
      negotiation(DO, OPT_TTYPE) +
      negotiation(DO, OPT_NAWS) +
      `\r\n${telnetBanner(name)}\r\n\r\n${login ? 'login: ' : prompt}`,
  );
}

/** The reply to one shell command, ending in a line break when not empty; null for exit. */
function shell(command: string, name: string): string | null {
  const [verb = '', ...args] = command.split(/\s+/);
  switch (verb) {
    case '':
      return '';
    case 'exit':
    case 'logout':
      return null;
    case 'hostname':
      return `${name}\r\n`;
    case 'echo':
      return `${args.join(' ')}\r\n`;
    default:
      return `sh: ${verb}: not found\r\n`;
  }
}
