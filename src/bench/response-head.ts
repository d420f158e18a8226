/**
 * Reads the few things ab reads from a response header, with ab's own (lenient) rules, from the header
 * text only: status = 3 chars after the first "HTTP" + 9; Keep-Alive = the substring "keep-alive"
 * anywhere, case-insensitively; Content-Length = atoi after "Content-Length:" + 16; Server = bytes > 32
 * after "Server:" + 8. Plus the header that names the real server, and whether the body is chunked (the
 * suite runner's HTTP probe reads chunked bodies; ab does not).
 */

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

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
  /** A Transfer-Encoding header names chunked. */
  chunked: boolean;
}

/**
 * Where the first blank line (CRLFCRLF, or ab's bare LFLF) ends the header in `data[0, limit)`:
 * `end` is where the header text stops, `bodyStart` where the body begins; null when there is none.
 */
export function headerEnd(data: Buffer, limit: number): { end: number; bodyStart: number } | null {
  const searchable = data.length > limit ? data.subarray(0, limit) : data;
  let end = searchable.indexOf(CRLFCRLF);
  if (end >= 0) return { end, bodyStart: end + 4 };
  end = searchable.indexOf(LFLF);
  return end >= 0 ? { end, bodyStart: end + 2 } : null;
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
  const te = lower.indexOf('\ntransfer-encoding:');
  const teEnd = te < 0 ? -1 : lower.indexOf('\n', te + 1);
  return {
    status,
    keepAlive: lower.includes('keep-alive'),
    contentLength: cl >= 0 ? atoi(head, cl + 16) : null,
    server,
    identity,
    chunked: te >= 0 && lower.slice(te, teEnd < 0 ? lower.length : teEnd).includes('chunked'),
  };
}

/** Numeric status for per-code counts (0 when the three characters are not digits). */
export function statusNumber(status: string): number {
  const n = Number.parseInt(status, 10);
  return Number.isFinite(n) ? n : 0;
}
