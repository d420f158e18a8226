/**
 * keepalived's view of its virtual servers, as keepalived.conf(5) and check_parser.c define them,
 * with keepalived's defaults applied (and warned about where keepalived warns). It keeps what IPVS
 * tables cannot hold (health checkers, inhibit_on_failure, quorum, the sorry server), so the kernel
 * lab can hand it to a real keepalived; to-director-config.ts turns it into the IPVS tables.
 */
import type { SourceLocation } from '../../core/errors.js';
import type { KeepalivedWarning } from './problems.js';

export const KEEPALIVED_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'] as const;
export type KeepalivedScheduler = (typeof KEEPALIVED_SCHEDULERS)[number];
export type KeepalivedMethod = 'NAT' | 'DR' | 'TUN';
export type KeepalivedProtocol = 'TCP' | 'UDP' | 'SCTP';
/** Service flags as keepalived spells them (ipvsadm -b / -o). */
export type KeepalivedFlag = 'ops' | 'hashed' | 'flag-1' | 'flag-2' | 'flag-3' | 'sh-port' | 'sh-fallback' | 'mh-port' | 'mh-fallback';

export interface KeepalivedUrl {
  path: string;
  /** keepalived's `status_code` words (`200`, `200-299`); absent means keepalived's 200-299. */
  statusCodes?: string[];
  digest?: string;
}

export interface KeepalivedChecker {
  type: string;
  at: SourceLocation;
  /** Only where the config gives one: keepalived then checks the real server's own address and port. */
  connectIp?: string;
  connectPort?: number;
  /** Seconds, inherited from the real server, then the virtual server, as keepalived does. */
  connectTimeout?: number;
  delayLoop?: number;
  retry?: number;
  delayBeforeRetry?: number;
  urls: KeepalivedUrl[];
  miscPath?: string;
}

export interface KeepalivedRealServer {
  at: SourceLocation;
  address: string;
  /** 0 when the config gives none. */
  port: number;
  /** keepalived's default is 1. */
  weight: number;
  /** The real server's own lvs_method, else the virtual server's. */
  method: KeepalivedMethod;
  /** On a failed check keepalived sets weight 0 instead of removing the server. */
  inhibitOnFailure: boolean;
  checkers: KeepalivedChecker[];
}

/** One IPVS service a virtual server (or each entry of its group) becomes. */
export type KeepalivedEndpoint = { address: string; port: number } | { fwmark: number };

export interface KeepalivedVirtualServer {
  at: SourceLocation;
  /** How the config names it: `127.0.0.100 80`, `fwmark 1`, `group web`. */
  name: string;
  endpoints: KeepalivedEndpoint[];
  protocol: KeepalivedProtocol;
  scheduler: KeepalivedScheduler;
  method: KeepalivedMethod;
  /** Seconds; 0 means not persistent. */
  persistenceTimeout: number;
  /** Dotted mask; absent means 255.255.255.255. */
  persistenceGranularity?: string;
  flags: KeepalivedFlag[];
  quorum: number;
  hysteresis: number;
  sorryServer?: { address: string; port: number };
  /** Seconds between checks; keepalived's default is 60. */
  delayLoop: number;
  alpha: boolean;
  omega: boolean;
  haSuspend: boolean;
  virtualhost?: string;
  inhibitOnFailure: boolean;
  /** In config order: the order keepalived adds them to the kernel. */
  realServers: KeepalivedRealServer[];
}

export interface KeepalivedConfig {
  /** The file given and every file it included, in reading order. */
  files: string[];
  virtualServers: KeepalivedVirtualServer[];
  warnings: KeepalivedWarning[];
}
