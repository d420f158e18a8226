import type { ConnectionTimeouts, ForwardMethod, FwmarkRule, IpvsService } from '../../model/ipvs.js';

/** A JSON-safe picture of an IPVS table: what `ipvsadm -Ln` and `ipvsadm -Lcn` are printed from. */
export interface TableState {
  services: ServiceState[];
  /** Templates and connections in creation order. */
  entries: EntryState[];
  fwmarkRules: FwmarkRule[];
  timeouts: ConnectionTimeouts;
  expireQuiescentTemplate: boolean;
}

export interface ServiceState extends Pick<IpvsService, 'protocol' | 'vip' | 'port' | 'fwmark' | 'scheduler' | 'persistence' | 'forward'> {
  /** Kernel order: most recently added first. */
  dests: DestState[];
}

export interface DestState {
  name: string;
  address: string;
  port: number;
  forward: ForwardMethod;
  weight: number;
  activeConns: number;
  inactConns: number;
  /** Connections scheduled to it since it was added. */
  connections: number;
}

export interface EntryState {
  protocol: 'TCP' | 'UDP' | 'IP';
  expireSeconds: number;
  /** NONE for templates, else the TCP state name or UDP. */
  state: string;
  /** `addr:port` each. */
  source: string;
  virtual: string;
  destination: string;
}
