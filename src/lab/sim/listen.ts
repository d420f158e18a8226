import type { Server } from 'node:net';
import { createLabStartError } from '../../core/errors.js';

/** Binds `server` to host:port, turning EADDRINUSE and friends into a lab start error. */
export function listen(server: Server, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(createLabStartError(`${what} on ${host}:${port}`, err));
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops listening; resolves once the listener is gone (open sockets are the caller's business). */
export function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}
