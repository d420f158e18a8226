/**
 * A change window as the runner records it: the changes made while traffic flowed, each with the
 * moment it took effect, and the long-lived sessions held across them. Plain JSON: it goes to
 * reporters, to check plugins (VerdictInput.window) and to results.json unchanged.
 *
 * Every time here is milliseconds on the traffic clock: 0 is the moment the traffic started, the same
 * origin as Observation.startMs/endMs.
 */
import type { ObservationError } from './observation.js';
import type { Timeline } from './timeline.js';

/** The IPVS sysctls a change may set (/proc/sys/net/ipv4/vs/*), with the kernel's defaults. */
export interface Sysctls {
  /** 1: a connection to a removed dest is expired at its next packet; 0: its packets are dropped. */
  expire_nodest_conn: 0 | 1;
  /** 1: a template pointing at a weight-0 dest is expired at its next use; 0: it is honoured. */
  expire_quiescent_template: 0 | 1;
  /** Bitmap: 1 reschedules a SYN that hits a TIME_WAIT/CLOSE entry, 2 also FIN_WAIT (DR/TUN); 0 never. */
  conn_reuse_mode: number;
}

export const SYSCTL_DEFAULTS: Readonly<Sysctls> = { expire_nodest_conn: 0, expire_quiescent_template: 0, conn_reuse_mode: 1 };

/**
 * How a stopped real server fails: `reset` closes its listeners and resets its connections (a crashed
 * daemon on a live host: clients see RST); `blackhole` makes it silent (a dead host: nothing answers,
 * clients wait for their timeouts).
 */
export type StopMode = 'reset' | 'blackhole';

export type ChangeAction =
  | { kind: 'weight'; server: string; to: number }
  | { kind: 'remove'; server: string }
  | { kind: 'add'; server: string; address: string; weight: number }
  | { kind: 'stop'; server: string; mode: StopMode }
  | { kind: 'start'; server: string }
  | { kind: 'sysctl'; values: Partial<Sysctls> }
  /** A whole new config: an `ipvsadm -S -n` dump, resolved relative to the suite file. */
  | { kind: 'apply'; file: string }
  /** keepalived re-reads its config (SIGHUP); only where keepalived programs the director. */
  | { kind: 'reload' };

/** One change of the suite's `changes:`, as it was carried out. */
export interface ChangeEvent {
  /** Position in the suite's `changes:` list, from 0. */
  index: number;
  action: ChangeAction;
  /** Short operator's wording: `weight web2 -> 0`, `stop web1 (reset)`. */
  label: string;
  /** When the suite asked for it (`at`, in ms). */
  plannedMs: number;
  /** When it had taken effect; null if it failed. */
  effectiveMs: number | null;
  /** What was done, as commands an operator would type (ipvsadm, sysctl, ...). */
  commands: string[];
  error: string | null;
}

/**
 * One probe of a held session: a request on the kept-alive connection, a command in the Telnet shell,
 * a look at an FTP download's progress.
 */
export interface SessionProbe {
  atMs: number;
  ok: boolean;
  realServer: string | null;
  error: ObservationError | null;
  /** FTP: the bytes of the download received so far. */
  bytes?: number;
}

/** An FTP session's download, read slowly so that it is still in flight when the changes come. */
export interface SessionTransfer {
  file: string;
  /** What the file must come to: its generated length (an upload read back) or the server's SIZE. */
  expectedBytes: number | null;
  /** `content`: byte for byte against the uploaded file (SHA-256); `size`: the length against SIZE. */
  verifiedBy: 'content' | 'size';
  bytes: number;
  /** When the server confirmed the transfer (226) and the bytes checked out; null if it never did. */
  completedMs: number | null;
}

/** A long-lived session held across the changes (one TCP connection for its whole life). */
export interface SessionRecord {
  /** `<probe>#<n>`, from 1. */
  id: string;
  probe: string;
  protocol: 'http' | 'telnet' | 'ftp';
  client: { address: string; port: number | null };
  /** The server that answered first; null if the session never got going. */
  realServer: string | null;
  openedMs: number;
  closedMs: number;
  /** When it first failed (a probe timed out, the connection was reset or moved); null if it lasted. */
  brokenMs: number | null;
  error: ObservationError | null;
  probes: SessionProbe[];
  /** FTP: the download held across the changes; the session ends with it. */
  transfer?: SessionTransfer;
}

export interface ChangeWindow {
  changes: ChangeEvent[];
  sessions: SessionRecord[];
  timeline: Timeline;
}
