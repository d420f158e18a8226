/**
 * ab reports socket failures as `apr_socket_xxx: <strerror> (<errno>)`; Node gives only the code, so the
 * usual strerror texts are kept here (Linux wording) to print the same line.
 */
import { constants } from 'node:os';

const STRERROR: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  EPIPE: 'Broken pipe',
  ECONNABORTED: 'Software caused connection abort',
};

/** `Connection refused (111)`-style text for a Node socket error. */
export function describeSocketError(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  const errno = (constants.errno as Record<string, number>)[code] ?? (typeof err.errno === 'number' ? Math.abs(err.errno) : 0);
  const text = STRERROR[code] ?? err.message;
  return errno ? `${text} (${errno})` : text;
}
