/**
 * The lab's FTP server, one per real server and control port: small and self-naming (its greeting
 * and `whoami.txt` carry the real server's name), files in memory, a passive port range on the real
 * server's address. Sessions are in ./ftp-session.ts.
 */
import { createServer, type Socket } from 'node:net';
import type { PortRange } from '../../model/ipvs.js';
import { FtpFiles } from './ftp-files.js';
import { PassivePool } from './ftp-passive.js';
import { serveSession } from './ftp-session.js';
import { listen, stopListening } from './listen.js';
import type { RunningRealServer } from './real-server.js';
import { withServers } from './server-group.js';

export interface FtpServerOptions {
  name: string;
  address: string;
  port: number;
  /** Null: EPSV and PASV are refused (502). */
  passive: PortRange | null;
  /** The address PASV announces (vsftpd pasv_address): the VIP clients reach the server through. */
  advertise: string;
  /** How long a data connection or transfer may take. */
  timeoutMs?: number;
  /** Fault injection: reset every data connection after this many bytes. */
  resetDataAfterBytes?: number;
}

export async function startFtpServer(options: FtpServerOptions): Promise<RunningRealServer> {
  const what = `FTP server ${options.name}`;
  const open = new Set<Socket>();
  const track = (socket: Socket): void => {
    open.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => open.delete(socket));
  };
  const files = new FtpFiles(options.name);
  const passive = options.passive === null ? null : await PassivePool.start(options.address, options.passive, what, track);
  const ctx = {
    name: options.name,
    address: options.address,
    advertise: options.advertise,
    files,
    passive,
    timeoutMs: options.timeoutMs ?? 10_000,
    resetDataAfterBytes: options.resetDataAfterBytes,
    track,
  };
  const server = createServer({ noDelay: true }, (control) => {
    track(control);
    serveSession(control, ctx);
  });
  const kill = async (): Promise<void> => {
    const stopped = Promise.all([stopListening(server), passive?.close()]);
    for (const socket of open) socket.destroy();
    await stopped;
  };
  try {
    await listen(server, options.address, options.port, what);
  } catch (err) {
    await kill();
    throw err;
  }
  return { name: options.name, address: options.address, ports: [options.port], kill };
}

/** What a real server needs to know to run FTP on one control port; its name and address come from it. */
export type FtpServerSpec = Omit<FtpServerOptions, 'name' | 'address'>;

export function withFtpServers(rs: RunningRealServer, specs: readonly FtpServerSpec[]): Promise<RunningRealServer> {
  return withServers(
    rs,
    specs.map((spec) => () => startFtpServer({ ...spec, name: rs.name, address: rs.address })),
  );
}
