/**
 * Shapes shared by the benchmark engine, its formatters and the CLI.
 * `BenchResult` is plain JSON (no Maps, no typed arrays, histograms as compressed base64) so it can be
 * written with `--json`, sent between processes and merged later.
 */

/** Options of one benchmark run; the names follow ab's flags (see src/cli/bench-command.ts). */
export interface BenchOptions {
  /** Full URL, `http://host[:port]/path`. https is not supported (ab's TLS options are out of scope). */
  url: string;
  /** -n: requests to perform. ab's default is 1; with `timeLimitSec` and no -n it is 50000 like ab. */
  requests: number;
  /** -c: requests in flight at once (connections). */
  concurrency: number;
  /** -t: stop after this many seconds even if `requests` are not done. */
  timeLimitSec?: number;
  /** -s: ab aborts the run when no socket event happens for this long (default 30 s). */
  timeoutSec?: number;
  /** -k: send `Connection: Keep-Alive` and reuse connections whose response says Keep-Alive. */
  keepAlive?: boolean;
  /** -H lines, `Name: value`, in order. `Host`, `User-Agent`, `Accept` override ab's defaults. */
  headers?: string[];
  /** -p/-u: request body bytes (read by the caller). */
  body?: Uint8Array;
  /** -T: content type of the body (default text/plain). */
  contentType?: string;
  /** -m / -i / -p / -u: request method (default GET, POST with a body). */
  method?: string;
  /** -r: count receive errors as failures and go on (ab exits on the first one otherwise). */
  continueOnReceiveError?: boolean;
  /** -v: 1 prints receive errors under -r, like ab. */
  verbosity?: number;
  /** -l: accept variable document lengths (no Length failures). */
  variableLength?: boolean;
  /** Source addresses bound round-robin to each new connection (`--sources`). */
  sources?: string[];
  /** Response header naming the real server (default `x-real-server`); compared case-insensitively. */
  identifyHeader?: string;
  /** Regex over the first 64 KiB of the body; capture group 1 (or the whole match) names the real server. */
  identifyBodyRegex?: RegExp;
  /** `--rate`: constant arrival rate in requests/s (open model, latency from the intended send time). */
  rate?: number;
  /**
   * Poll the sockets without sleeping for the whole run (one core at 100%): a server on the same
   * machine then never has to wake this thread to hand it a response (auto-tune.ts).
   */
  busyPoll?: boolean;
  /** --workers: the counts the run's threads keep together (run-tally.ts). */
  sharedTally?: Int32Array;
  /** Stop the run when this signal aborts; what completed so far is reported (ab's SIGINT). */
  signal?: AbortSignal;
  /** Heartbeat interval in requests; 0 disables. Default follows ab (n/10, at least 100, off if n <= 150). */
  heartbeatEvery?: number;
  /**
   * Upper bound on stored per-request records (each 32 bytes). ab keeps one per request; past the cap the
   * ab table is computed from the first `maxRecords` requests and `recordsTruncated` says so.
   */
  maxRecords?: number;
}

/** Hooks for progress output; all optional and called synchronously from the engine. */
export interface BenchEvents {
  /** Every `heartbeatEvery` completed requests (ab: `Completed %d requests`). */
  heartbeat?(done: number): void;
  /** The measured run begins (after start-up and warm-up): the clock of a progress display. */
  started?(): void;
  /** Every PROGRESS_EVERY completed requests (engine.ts), for a progress display. */
  progress?(done: number): void;
  /** A diagnostic line ab would print (e.g. `Send request failed!`, `Test aborted after 10 failures`). */
  diagnostic?(line: string): void;
  /** The measured run is over (last response, abort or time limit), before its figures are assembled. */
  ended?(): void;
}

/** CPU the client spent on the measured run (client-cpu.ts). */
export interface ClientCpu {
  /** CPU time of the whole process, every thread, from the run's start to its end (µs). */
  userUs: number;
  systemUs: number;
  /** Threads that carried the load. */
  threads: number;
  /**
   * (user + system) / (min(threads, CPUs) × time taken): 1 when the load kept every core it could use
   * busy throughout. A client starved of CPU by other processes shows a low share all the same.
   */
  busyShare: number;
}

/** min/mean/median/max in whole microseconds and the sample standard deviation in µs, per ab. */
export interface AbRow {
  min: number;
  mean: number;
  sd: number;
  median: number;
  max: number;
}

/** Everything ab prints in its Connection Times and Percentage tables, computed with ab's rules. */
export interface AbStats {
  connect: AbRow;
  processing: AbRow;
  waiting: AbRow;
  total: AbRow;
  /** Rows 50,66,75,80,90,95,98,99,100 (µs of Total); empty when fewer than 2 requests completed. */
  percentiles: Array<{ percent: number; us: number }>;
}

/** Millisecond summary of one latency kind (from an HDR histogram). */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Per-real-server aggregate (identified by header or body regex). */
export interface ServerAggregate {
  name: string;
  requests: number;
  /** Non-2xx, Length failures and receive errors seen on exchanges attributed to this server. */
  errors: number;
  connect: LatencySummary;
  firstByte: LatencySummary;
  total: LatencySummary;
  /** The same three as HDR histograms (µs, compressed base64), lossless for `compare` and the report. */
  histograms?: { connect: string; firstByte: string; total: string };
}

/** Why a run ended before all requests completed. */
export type BenchAbort =
  | { kind: 'signal' }
  | { kind: 'timeout'; message: string }
  | { kind: 'connect-failures'; message: string }
  | { kind: 'receive-error'; message: string };

export interface BenchCounts {
  /** Requests whose exchange finished (ab's `done`), including failures that reached close. */
  done: number;
  /** Requests written (ab's `started`). */
  started: number;
  good: number;
  /** ab's `bad`: Failed requests (one request may add to it more than once, like ab). */
  bad: number;
  errConnect: number;
  errReceive: number;
  errLength: number;
  errExcept: number;
  /** Non-2xx responses (not part of `bad`) plus oversized headers (also in `bad`). */
  errResponse: number;
  /** Write errors. */
  epipe: number;
  /** Requests completed on a kept-alive connection. */
  doneKeepAlive: number;
}

/** What was run against what: shared by the engine's final state and the result. */
export interface BenchSetup {
  url: string;
  hostname: string;
  port: number;
  path: string;
  method: string;
  serverSoftware: string;
  concurrency: number;
  requests: number;
  keepAlive: boolean;
  variableLength: boolean;
  sendBody: boolean;
  rate: number | null;
  sources: string[];
}

export interface BenchResult extends BenchSetup {
  schema: 'lvs-harness/bench-result@1';
  /** ISO time of the first connect. */
  startedAt: string;
  /** ab's timetaken: last socket event minus start, seconds. */
  timeTakenSec: number;
  /** Body length of the first good response (ab's `doclen`). */
  documentLength: number;
  counts: BenchCounts;
  bytes: { totalRead: number; htmlRead: number; totalPosted: number };
  statusCodes: Record<string, number>;
  /** null when no request completed. */
  ab: AbStats | null;
  /** Compressed-base64 HDR histograms in microseconds (mergeable, see histograms.ts). */
  histograms: { connect: string; firstByte: string; waiting: string; total: string };
  latency: { connect: LatencySummary; firstByte: LatencySummary; total: LatencySummary };
  servers: ServerAggregate[];
  recordsStored: number;
  recordsTruncated: boolean;
  aborted: BenchAbort | null;
  /** Set by a planned run (run-plan.ts); absent from a bare engine's result. */
  clientCpu?: ClientCpu | null;
}
