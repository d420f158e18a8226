/**
 * One TCP connection made by a probe, as seen from the client. Plain JSON: it is streamed to
 * reporters, written to observations.ndjson and handed to check plugins unchanged.
 */
export interface Observation {
  /** Order in which the connection was started, from 0. */
  seq: number;
  /** Traffic round (0-based); rounds may be separated by an idle pause. */
  round: number;
  /** Name of the probe (from the suite) that made the connection. */
  probe: string;
  protocol: 'http' | 'telnet' | 'ftp';
  client: { address: string; port: number | null };
  target: { address: string; port: number };
  /** Name of the real server that answered, as identified from the response; null if unknown. */
  realServer: string | null;
  /** Milliseconds since the start of the suite when the connection was opened. */
  startMs: number;
  /** Milliseconds since the start of the suite when the connection was closed or failed. */
  endMs: number;
  timings: {
    /** TCP handshake. */
    connectMs: number | null;
    /** From the request being sent to the first byte of the response. */
    firstByteMs: number | null;
    /** From the start of connect to the end of the last response on this connection. */
    totalMs: number;
  };
  /** Requests made on this connection (1 unless keep-alive). */
  requests: number;
  bytes: { sent: number; received: number };
  /** HTTP status or FTP reply code of the last response, null if none arrived. */
  status: number | null;
  error: ObservationError | null;
  /** FTP: every data connection of the session, in order (absent for other protocols). */
  data?: DataConnection[];
}

/** One FTP data connection of a session, as the client saw it. */
export interface DataConnection {
  command: 'LIST' | 'RETR' | 'STOR';
  mode: 'passive' | 'active';
  /** The client's end; in active mode the port it listened on. */
  client: { address: string; port: number | null };
  /** The far end: the VIP and passive port, or (active) where the server connected from. */
  server: { address: string | null; port: number | null };
  /** Who served it: named by the content (`content`), or the control connection's server confirming it (`reply`). */
  realServer: string | null;
  identifiedBy: 'content' | 'reply' | null;
  /** Payload bytes carried, either direction. */
  bytes: number;
  /** Milliseconds since the start of the suite (in a ConnectionResult: since the session's start). */
  startMs: number;
  endMs: number;
  error: ObservationError | null;
}

export interface ObservationError {
  /** ECONNREFUSED, ECONNRESET, ETIMEDOUT, UNIDENTIFIED, HTTP_STATUS, ... */
  code: string;
  message: string;
}
