import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen, stopListening } from './listen.js';

export interface RealServerOptions {
  name: string;
  address: string;
  ports: readonly number[];
  /** Total body size; the `<name>\n` line is padded with a filler up to it (for benchmarks). */
  bodyBytes?: number;
}

export interface RunningRealServer {
  readonly name: string;
  readonly address: string;
  readonly ports: readonly number[];
  /** Dies as a crashed server would: listeners closed, every open connection destroyed. */
  kill(): Promise<void>;
}

const FILLER = '.';

export function realServerBody(name: string, bodyBytes = 0): Buffer {
  const line = `${name}\n`;
  return Buffer.from(line.padEnd(Math.max(bodyBytes, line.length), FILLER));
}

/**
 * A self-naming HTTP server on each of `ports`: every request gets 200, `X-Real-Server: <name>`,
 * `X-Client-Address: <peer address>` (what a real server behind LVS sees) and the body `<name>\n`.
 */
export async function startRealServer(options: RealServerOptions): Promise<RunningRealServer> {
  const body = realServerBody(options.name, options.bodyBytes);
  const length = String(body.length);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, [
      'Content-Type',
      'text/plain',
      'Content-Length',
      length,
      'X-Real-Server',
      options.name,
      'X-Client-Address',
      req.socket.remoteAddress ?? '',
    ]);
    res.end(body);
    req.resume();
  };
  const servers: Server[] = [];
  const kill = async (): Promise<void> => {
    await Promise.all(
      servers.map((server) => {
        const stopped = stopListening(server);
        server.closeAllConnections();
        return stopped;
      }),
    );
  };
  try {
    for (const port of options.ports) {
      const server = createServer({ noDelay: true }, handler);
      servers.push(server);
      await listen(server, options.address, port, `real server ${options.name}`);
    }
  } catch (err) {
    await kill();
    throw err;
  }
  return { name: options.name, address: options.address, ports: [...options.ports], kill };
}
