/**
 * Reads the few things ab reads from a response header, with ab's own (lenient) rules, from the header
 * text only: status = 3 chars after the first "HTTP" + 9; Keep-Alive = the substring "keep-alive"
 * anywhere, case-insensitively; Content-Length = atoi after "Content-Length:" + 16; Server = bytes > 32
 * after "Server:" + 8. Plus the header that names the real server.
 */

export interface ResponseHead {
  /** Three status characters as ab copies them ("500" when there is no status line). */
  status: string;
  /** The header contains "keep-alive" (any case). */
  keepAlive: boolean;
  /** Content-Length via atoi, or null when absent. */
  contentLength: number | null;
  /** Server header value as ab extracts it (only when asked for). */
  server: string | undefined;
  /** Value of the identifying header, trimmed, or undefined. */
  identity: string | undefined;
}

/** C `atoi`: optional blanks, optional sign, digits; 0 when none. */
export function atoi(text: string, from: number): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text.slice(from, from + 32));
  return m?.[1] ? Number.parseInt(m[1], 10) : 0;
}

/**
 * Parses the header (everything before the blank line), given as latin1 text and its lowercase copy.
 * `identifyHeader` must already be lowercase.
 */
export function parseResponseHead(head: string, identifyHeader: string | undefined, wantServer: boolean): ResponseHead {
  const lower = head.toLowerCase();
  const at = head.indexOf('HTTP');
  const status = at >= 0 && head.length - at > 9 ? head.slice(at + 9, at + 12) : '500';
  const cl = lower.indexOf('content-length:');
  let server: string | undefined;
  if (wantServer) {
    const s = lower.indexOf('server:');
    server = s >= 0 ? /^[\x21-\x7f]*/.exec(head.slice(s + 8))?.[0] ?? '' : '';
  }
  let identity: string | undefined;
  if (identifyHeader) {
    const key = `\n${identifyHeader}:`;
    const i = lower.indexOf(key);
    if (i >= 0) {
      const end = head.indexOf('\n', i + key.length);
      identity = head.slice(i + key.length, end < 0 ? head.length : end).trim();
    }
  }
  return {
    status,
    keepAlive: lower.includes('keep-alive'),
    contentLength: cl >= 0 ? atoi(head, cl + 16) : null,
    server,
    identity,
  };
}

/** Numeric status for per-code counts (0 when the three characters are not digits). */
export function statusNumber(status: string): number {
  const n = Number.parseInt(status, 10);
  return Number.isFinite(n) ? n : 0;
}
