/**
 * The director's configuration at the level of the kernel's IPVS tables: what `ipvsadm -S -n` would
 * dump. Both labs are built from a DirectorConfig, whether it comes from a suite's expected service
 * or (later) from an operator's own ipvsadm dump.
 */

export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sh'] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];

export const FORWARDS = ['route', 'masq', 'tunnel'] as const;
/** Forwarding method as ipvsadm names it: -g route (DR), -m masq (NAT), -i tunnel. */
export type ForwardMethod = (typeof FORWARDS)[number];

export interface RealServer {
  /** How the real server names itself (web1, web2, ...). */
  name: string;
  address: string;
  /** 0 makes the server quiescent: no new scheduling, existing templates still honoured. */
  weight: number;
}

export interface Persistence {
  /** Seconds; the template timer is re-armed by every new connection that uses it. */
  timeout: number;
  /** Dotted IPv4 mask applied to the client address to form the template key. */
  netmask: string;
}

export interface IpvsService {
  protocol: 'tcp' | 'udp';
  /** Set for address services; absent for fwmark services. */
  vip?: string;
  /** Service port; 0 means all ports (needs persistence). Absent for fwmark services. */
  port?: number;
  /** Set for fwmark services. */
  fwmark?: number;
  scheduler: SchedulerName;
  persistence: Persistence | null;
  forward: ForwardMethod;
  /** In order of addition: the kernel keeps them in reverse order (head insertion). */
  realServers: RealServer[];
}

/** A firewall rule that puts `mark` on packets to vip:port for each of `ports` (as nftables would). */
export interface FwmarkRule {
  mark: number;
  protocol: 'tcp' | 'udp';
  vip: string;
  ports: PortRange[];
}

export interface PortRange {
  from: number;
  to: number;
}

/** `ipvsadm --set tcp tcpfin udp`, in seconds. */
export interface ConnectionTimeouts {
  tcp: number;
  tcpfin: number;
  udp: number;
}

export interface DirectorConfig {
  services: IpvsService[];
  fwmarkRules: FwmarkRule[];
  /** Defaults to the kernel's 900 120 300 when absent. */
  timeouts?: ConnectionTimeouts;
}
