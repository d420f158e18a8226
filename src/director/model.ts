/**
 * The director as the harness knows it, whoever stands behind it: the embedded lab, the kernel lab,
 * a live host reached through `--director CMD`, or files an operator saved. Checks and reporters read
 * this model, never ipvsadm text and never a lab's internals. Everything here is JSON-safe.
 *
 * The configuration part is the same `DirectorConfig` the labs are built from (src/model/ipvs.ts),
 * so "what was meant" and "what the director has" compare field by field. A director's real servers
 * are named by address unless something (a suite, a keepalived.conf) names them.
 */
import type { ConnectionTimeouts, DirectorConfig } from '../model/ipvs.js';

/** An address and port as the kernel prints them; IPv6 addresses without brackets. */
export interface Endpoint {
  address: string;
  port: number;
}

/** The kernel's per-service and per-destination counters (`ipvsadm -Ln --stats --exact`). */
export interface Counters {
  connections: number;
  inPackets: number;
  outPackets: number;
  inBytes: number;
  outBytes: number;
}

/** Rates the kernel estimates over its 2 s estimator (`ipvsadm -Ln --rate`), per second. */
export interface Rates {
  connections: number;
  inPackets: number;
  outPackets: number;
  inBytes: number;
  outBytes: number;
}

/** Per real server of one service, as the listing shows it. */
export interface RealServerState {
  address: string;
  port: number;
  /** Active (established) and inactive connection counts from the listing. */
  activeConnections: number;
  inactiveConnections: number;
  /** Connections under this server's persistence templates (`--persistent-conn`), when read. */
  persistentConnections?: number;
  counters?: Counters;
  rates?: Rates;
}

/** One service's live counters, keyed as ipvsadm names it: `TCP  127.0.0.100:0`, `FWM  1`. */
export interface ServiceState {
  service: string;
  counters?: Counters;
  rates?: Rates;
  realServers: RealServerState[];
}

/** One entry of the connection table (`ipvsadm -Lcn`, `/proc/net/ip_vs_conn`). */
export interface ConnectionEntry {
  /** TCP, UDP, SCTP; templates of fwmark services print IP. */
  protocol: string;
  client: Endpoint;
  virtual: Endpoint;
  destination: Endpoint;
  /** ESTABLISHED, FIN_WAIT, TIME_WAIT, SYN_RECV, CLOSE, NONE (templates), UDP, ... */
  state: string;
  /** Time left before the entry expires, in seconds as the kernel reports it. */
  expiresSeconds: number;
  /** A persistence template: client port 0 (and, for port-0 services, virtual port 0). */
  template: boolean;
}

/** Global totals of /proc/net/ip_vs_stats. */
export interface DirectorTotals {
  counters: Counters;
  rates?: Rates;
}

export type DirectorSourceKind = 'embedded' | 'kernel' | 'live' | 'file';

/** One reading of a director. Parts a source cannot give are null, never guessed. */
export interface DirectorSnapshot {
  source: { kind: DirectorSourceKind; description: string };
  /** Wall clock (ms since the epoch) when the reading started. */
  readAtMs: number;
  /** Services and real servers, the real servers in the director's own list order. */
  config: DirectorConfig;
  services: ServiceState[] | null;
  connections: ConnectionEntry[] | null;
  totals: DirectorTotals | null;
  /** `ipvsadm -L --timeout`. */
  timeouts: ConnectionTimeouts | null;
  /** The connection table's size as the version line printed it (`(size=4096)`), when a listing gave it. */
  tableSize?: number;
  /** `net.ipv4.vs.*` by short name (`expire_nodest_conn`, `conn_reuse_mode`, ...), values as printed. */
  sysctls: Record<string, string> | null;
  /** The texts the reading was built from, by the command or file that gave them, kept for results. */
  texts: Record<string, string>;
}

/** When a run reads the director, which an error in the reading must tell (was traffic sent?); none outside a run. */
export type ReadMoment = 'before-traffic' | 'after-traffic';

/** Anything that can be read as a director. */
export interface Director {
  readonly kind: DirectorSourceKind;
  /** One line for a user: what is read and how (`ssh root@lvs1 ipvsadm ...`, `embedded lab`). */
  describe(): string;
  read(moment?: ReadMoment): Promise<DirectorSnapshot>;
}
