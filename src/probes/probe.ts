/**
 * What every protocol probe gives the runner for one connection (or session) it made from a source
 * address. The runner turns it into an Observation; probes never see the runner.
 */
import type { DataConnection, ObservationError } from '../model/observation.js';
import type { ProbeSpec } from '../suite/schema.js';
import { ftpSession } from './ftp-probe.js';
import { httpConnection, identifier } from './http-probe.js';
import { rawHttpRunner } from './http-raw.js';
import { telnetRunner } from './telnet-probe.js';

export interface ConnectionResult {
  clientPort: number | null;
  realServer: string | null;
  /** performance.now() values. */
  startedAt: number;
  endedAt: number;
  connectMs: number | null;
  firstByteMs: number | null;
  /** Requests (HTTP) or commands (Telnet, FTP) completed on the connection. */
  requests: number;
  bytesSent: number;
  bytesReceived: number;
  /** Protocol status of the last reply (HTTP status, FTP reply code), null if none. */
  status: number | null;
  error: ObservationError | null;
  /** FTP: the session's data connections (times relative to `startedAt`). */
  data?: DataConnection[];
}

/** Makes one connection from `source`; never throws (failures are in the result). */
export type ProbeRunner = (source: string, signal: AbortSignal) => Promise<ConnectionResult>;

export function createProbeRunner(probe: ProbeSpec, host: string): ProbeRunner {
  switch (probe.type) {
    case 'http': {
      const raw = rawHttpRunner(probe, host);
      if (raw) return raw;
      const identify = identifier(probe);
      return (source, signal) => httpConnection(probe, host, source, identify, signal);
    }
    case 'telnet':
      return telnetRunner(probe, host);
    case 'ftp':
      return (source, signal) => ftpSession(probe, host, source, signal);
  }
}
