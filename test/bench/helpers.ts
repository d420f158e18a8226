/** Loopback servers for engine tests, on ports 30000-30999 (the range reserved for tests). */
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';

let nextPort = 30000 + Math.floor(Math.random() * 900);

/** Listens on the next free port of 30000-30999 on 127.0.0.1 and returns it. */
export async function listen(server: net.Server): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 30000 + (nextPort++ % 1000);
    const ok = await new Promise<boolean>((resolve) => {
      const onError = (): void => resolve(false);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve(true);
      });
    });
    if (ok) return port;
  }
  throw new Error('no free port in 30000-30999');
}

export async function close(server: net.Server): Promise<void> {
  if ('closeAllConnections' in server) (server as http.Server).closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** HTTP server whose handler gets a running request counter. */
export async function httpServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void): Promise<{ server: http.Server; url: string }> {
  let n = 0;
  const server = http.createServer((req, res) => handler(req, res, n++));
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Raw TCP server for misbehaving peers (resets, silence). */
export async function tcpServer(onSocket: (s: net.Socket) => void): Promise<{ server: net.Server; url: string; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onSocket(s);
  });
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}/`, sockets };
}

/** A writable that keeps what was written. */
export function sink(): Writable & { text(): string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

/** A port in the range with nothing listening (for connection-refused tests). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * ab's report with every number masked: the layout that must not change. The confidence warnings are
 * left out: whether they appear depends on the timings of the run.
 */
export const reportLayout = (report: string): string[] =>
  report
    .split('\n')
    .filter((l) => !/^(ERROR|WARNING): |^ {7,8}(deviation|These)/.test(l))
    .map((l) => l.replace(/ *[\d.]+/g, ' #')); // column widths depend on the values
