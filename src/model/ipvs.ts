/**
 * The director's configuration at the level of the kernel's IPVS tables: what `ipvsadm -S -n` would
 * dump. Both labs are built from a DirectorConfig, whether it comes from a suite's expected service
 * or (later) from an operator's own ipvsadm dump.
 */

/** The schedulers the embedded lab implements and the suites may name. */
export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sh'] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];
/** Every scheduler a kernel may report (ipvsadm's SCHEDULERS file, plus twos of recent kernels). */
export const KERNEL_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;
export type KernelSchedulerName = (typeof KERNEL_SCHEDULERS)[number];
/** `-b`: sh-/mh- names for those schedulers, flag-N for the others (the same three kernel bits). */
export const SCHEDULER_FLAGS = ['sh-fallback', 'sh-port', 'mh-fallback', 'mh-port', 'flag-1', 'flag-2', 'flag-3'] as const;
export type SchedulerFlag = (typeof SCHEDULER_FLAGS)[number];

export const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const FORWARDS = ['route', 'masq', 'tunnel'] as const;
/** Forwarding method as ipvsadm names it: -g route (DR), -m masq (NAT), -i tunnel. */
export type ForwardMethod = (typeof FORWARDS)[number];

/** `--tun-type` and its options (kernel 5.2+): how a tunnel (-i) real server is reached. */
export interface TunnelOptions {
  type: 'ipip' | 'gue' | 'gre';
  /** gue only: the UDP port. */
  port?: number;
  /** gue and gre: --tun-nocsum (the default), --tun-csum or --tun-remcsum. */
  checksum?: 'nocsum' | 'csum' | 'remcsum';
}

export interface RealServer {
  /** How the real server names itself (web1, web2, ...). */
  name: string;
  /** IPv6 without brackets. */
  address: string;
  /** 0 makes the server quiescent: no new scheduling, existing templates still honoured. */
  weight: number;
  /** The real server's port when a director reported it (0: the client's port is kept). */
  port?: number;
  /** Its own forwarding method when a director reported it; the service's `forward` otherwise. */
  forward?: ForwardMethod;
  /** The director forwards to itself (`Local` in listings; `-S` saves it as -g). */
  local?: boolean;
  /** `-x` / `-y`: connection thresholds (0: none). */
  upperThreshold?: number;
  lowerThreshold?: number;
  tunnel?: TunnelOptions;
}

export interface Persistence {
  /** Seconds; the template timer is re-armed by every new connection that uses it. */
  timeout: number;
  /**
   * Dotted IPv4 mask applied to the client address to form the template key; for an IPv6 service the
   * prefix length as a decimal string (`64`), as ipvsadm prints it.
   */
  netmask: string;
  /** As /proc/net/ip_vs gives it (jiffies), when that was the source: `timeout` is then read at PROC_HZ. */
  timeoutJiffies?: number;
}

export interface IpvsService {
  /** For fwmark services the protocol is not part of the service (tcp by convention). */
  protocol: Protocol;
  /** Absent means inet (IPv4). */
  family?: 'inet' | 'inet6';
  /** Set for address services; absent for fwmark services. IPv6 without brackets. */
  vip?: string;
  /** Service port; 0 means all ports (needs persistence). Absent for fwmark services. */
  port?: number;
  /** Set for fwmark services. */
  fwmark?: number;
  /** Suites and the embedded lab use SCHEDULERS; a director may report any kernel scheduler. */
  scheduler: SchedulerName | KernelSchedulerName;
  /** `-b`. */
  schedulerFlags?: SchedulerFlag[];
  persistence: Persistence | null;
  /** `--pe NAME` (sip): a persistence engine that keys templates on more than the client address. */
  persistenceEngine?: string;
  /** `-o`: one-packet scheduling (udp and fwmark services). */
  onePacket?: boolean;
  /** The method of the real servers (of the first one, when a director reports them each). */
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
