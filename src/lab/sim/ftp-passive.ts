/**
 * The passive side of the lab FTP server: it listens on every port of its passive range for as long
 * as it runs (as a pool rather than a listener per transfer, so a small range serves many sessions
 * at once) and hands each data connection to the session expecting one on that port from that client
 * address. A connection nobody expects is reset, as a server with nothing listening would answer.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { PortRange } from '../../model/ipvs.js';
import { listen, stopListening } from './listen.js';

export interface PassiveWait {
  port: number;
  /** Resolves with the data connection, or null after `timeoutMs` or `cancel()`. */
  accepted: Promise<Socket | null>;
  cancel(): void;
}

export class PassivePool {
  private readonly servers: Server[] = [];
  private readonly waiting = new Map<string, (s: Socket | null) => void>();
  private next = 0;

  private constructor(private readonly range: PortRange) {}

  static async start(address: string, range: PortRange, what: string, onSocket: (s: Socket) => void): Promise<PassivePool> {
    const pool = new PassivePool(range);
    try {
      for (let port = range.from; port <= range.to; port++) {
        const server = createServer((socket) => {
          onSocket(socket);
          pool.arrived(port, socket);
        });
        pool.servers.push(server);
        await listen(server, address, port, `${what} passive port`);
      }
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Picks the next port on which `client` has no transfer pending; null if all have one. */
  expect(client: string, timeoutMs: number): PassiveWait | null {
    const size = this.range.to - this.range.from + 1;
    for (let i = 0; i < size; i++) {
      const port = this.range.from + ((this.next + i) % size);
      const key = `${port} ${client}`;
      if (this.waiting.has(key)) continue;
      this.next = (this.next + i + 1) % size;
      let settle: (s: Socket | null) => void = () => undefined;
      const accepted = new Promise<Socket | null>((resolve) => (settle = resolve));
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (s: Socket | null): void => {
        clearTimeout(timer);
        if (this.waiting.get(key) === done) this.waiting.delete(key);
        settle(s);
      };
      this.waiting.set(key, done);
      return { port, accepted, cancel: () => done(null) };
    }
    return null;
  }

  async close(): Promise<void> {
    for (const done of [...this.waiting.values()]) done(null);
    await Promise.all(this.servers.map(stopListening));
  }

  private arrived(port: number, socket: Socket): void {
    const done = this.waiting.get(`${port} ${socket.remoteAddress ?? ''}`);
    if (done === undefined) socket.resetAndDestroy();
    else done(socket);
  }
}
