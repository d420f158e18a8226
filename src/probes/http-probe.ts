/**
 * HTTP probe on undici 7. One probe call is one TCP connection bound to the client's source address
 * (IPVS schedules connections, not requests); with keepAlive it carries several requests. The real
 * server is identified from a response header or a body regex, as the suite says.
 */
import type { Socket } from 'node:net';
import { buildConnector, Client } from 'undici';
import type { ObservationError } from '../model/observation.js';
import type { HttpProbeSpec } from '../suite/schema.js';
import { startedResult } from './connection-result.js';
import type { ConnectionResult } from './probe.js';
import { capturedName } from './captured-name.js';

export type Identify = (headers: Record<string, string | string[] | undefined>, body: string) => string | null;

export function identifier(probe: HttpProbeSpec): Identify {
  const { header, body } = probe.identify;
  if (header !== undefined) {
    const name = header.toLowerCase();
    return (headers) => {
      const v = headers[name];
      return (Array.isArray(v) ? v[0] : v)?.trim() || null;
    };
  }
  const re = new RegExp(body!);
  return (_headers, text) => capturedName(re, text);
}

/** Makes one connection from `source` to `host:port` and runs the probe's requests on it. Never throws. */
export async function httpConnection(
  probe: HttpProbeSpec,
  host: string,
  source: string,
  identify: Identify,
  signal: AbortSignal,
): Promise<ConnectionResult> {
  const timeoutMs = probe.timeoutSeconds * 1000;
  const base = buildConnector({ timeout: timeoutMs });
  const startedAt = performance.now();
  let socket: Socket | null = null;
  let connectedAt: number | null = null;
  const result = startedResult(startedAt);
  const client = new Client(`http://${host}:${probe.port}`, {
    connect: (opts, cb) =>
      base({ ...opts, localAddress: source }, (err, s) => {
        if (!err && s) {
          socket = s as Socket;
          connectedAt = performance.now();
          // Read now: a destroyed socket no longer knows its local port.
          result.clientPort = socket.localPort ?? null;
        }
        // undici's callback type is a tuple union; the branches above keep the pair consistent.
        (cb as (e: Error | null, s: unknown) => void)(err, s);
      }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    pipelining: 1,
  });
  try {
    for (let i = 0; i < probe.requestsPerConnection; i++) {
      const sentAt = performance.now();
      const last = i === probe.requestsPerConnection - 1;
      const res = await client.request({ path: probe.path, method: 'GET', signal, reset: last && !probe.keepAlive });
      const headersAt = performance.now();
      const text = await res.body.text();
      result.requests++;
      result.status = res.statusCode;
      if (result.firstByteMs === null) result.firstByteMs = headersAt - Math.max(sentAt, connectedAt ?? sentAt);
      const who = identify(res.headers, text);
      // A connection that changed real server mid-stream would be a director bug worth seeing.
      if (result.realServer !== null && who !== result.realServer) {
        result.error = { code: 'SERVER_CHANGED', message: `real server changed from ${result.realServer} to ${who ?? '?'} on one connection` };
      }
      result.realServer ??= who;
      result.error ??= responseError(probe, res.statusCode, who);
    }
  } catch (e) {
    result.error = classify(e);
  } finally {
    result.endedAt = performance.now();
    await client.destroy().catch(() => undefined);
    const s = socket as Socket | null;
    if (s) {
      result.bytesSent = s.bytesWritten;
      result.bytesReceived = s.bytesRead;
    }
    result.connectMs = connectedAt === null ? null : connectedAt - startedAt;
  }
  return result;
}

/** What is wrong with a complete response that had `status` and named `who`, or null. */
export function responseError(probe: HttpProbeSpec, status: number, who: string | null): ObservationError | null {
  if (status < 200 || status > 299) return { code: 'HTTP_STATUS', message: `HTTP ${status}` };
  if (who === null) return { code: 'UNIDENTIFIED', message: `the response did not name its real server (${describeIdentify(probe)})` };
  return null;
}

function describeIdentify(probe: HttpProbeSpec): string {
  return probe.identify.header !== undefined ? `header ${probe.identify.header}` : `body /${probe.identify.body}/`;
}

/** Maps undici's and Node's error codes onto the few reasons an operator acts on. */
export function classify(e: unknown): ObservationError {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.cause?.code ?? err.code ?? err.name ?? 'EUNKNOWN';
  const message = err.message ?? String(e);
  switch (code) {
    case 'ECONNREFUSED':
      return { code: 'ECONNREFUSED', message: 'connection refused' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return { code: 'ECONNRESET', message: `connection reset or closed by the server (${message})` };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'ETIMEDOUT', message: 'connect timed out' };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'ETIMEDOUT', message: `the server went silent (${message})` };
    case 'UND_ERR_ABORTED':
    case 'AbortError':
      return { code: 'ABORTED', message: 'aborted by the user' };
    default:
      return { code, message };
  }
}
