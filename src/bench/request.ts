/**
 * The exact bytes ab 2.4 sends (`test()` in support/ab.c), so a server answers us as it answers ab and
 * byte counts compare: HTTP/1.0 request line, `Connection: Keep-Alive` with -k, body headers, the -H
 * lines, then Host / User-Agent / Accept unless a -H line already set them.
 */

/** ab's request buffer is 8192 bytes ("Request too long" otherwise). */
export const AB_MAX_REQUEST_HEADER = 8192;

export interface RequestSpec {
  method: string;
  /** Path with query, as sent on the request line. */
  path: string;
  /** Host header value: host plus `:port` unless the port is 80. */
  hostHeader: string;
  keepAlive: boolean;
  headers: readonly string[];
  body?: Uint8Array | undefined;
  contentType?: string | undefined;
}

/** Builds the request; returns the header length too (ab counts headers + body in "Total body sent"). */
export function buildRequest(spec: RequestSpec): { bytes: Buffer; headerLength: number } {
  const has = (name: string): boolean =>
    spec.headers.some((h) => h.slice(0, name.length + 1).toLowerCase() === `${name.toLowerCase()}:`);
  let head = `${spec.method} ${spec.path} HTTP/1.0\r\n`;
  if (spec.keepAlive) head += 'Connection: Keep-Alive\r\n';
  if (spec.body) {
    head += `Content-length: ${spec.body.length}\r\n`;
    head += `Content-type: ${spec.contentType ?? 'text/plain'}\r\n`;
  }
  for (const h of spec.headers) head += `${h}\r\n`;
  if (!has('Host')) head += `Host: ${spec.hostHeader}\r\n`;
  if (!has('User-Agent')) head += 'User-Agent: ApacheBench/2.3\r\n';
  if (!has('Accept')) head += 'Accept: */*\r\n';
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  const bytes = spec.body ? Buffer.concat([headBytes, spec.body]) : headBytes;
  return { bytes, headerLength: headBytes.length };
}

/** What follows the method on ab's request line: the URL's path and query. */
export function requestPath(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/** ab's Host value: `host[:port]`, port omitted when it is the scheme default. */
export function hostHeaderFor(url: URL): string {
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return url.port && url.port !== defaultPort ? `${url.hostname}:${url.port}` : url.hostname;
}
