import type { ConnectionResult } from './probe.js';

/** The result of a connection started at `startedAt` (performance.now()) that has done nothing yet. */
export function startedResult(startedAt: number): ConnectionResult {
  return {
    clientPort: null,
    realServer: null,
    startedAt,
    endedAt: startedAt,
    connectMs: null,
    firstByteMs: null,
    requests: 0,
    bytesSent: 0,
    bytesReceived: 0,
    status: null,
    error: null,
  };
}
