import type { ForwardMethod, IpvsService } from '../../model/ipvs.js';

/** A JSON-safe picture of an IPVS table: what `ipvsadm -Ln` and `ipvsadm -Lcn` are printed from. */
export interface TableState {
  services: ServiceState[];
  /** Templates and connections in creation order. */
  entries: EntryState[];
}

export interface ServiceState
  extends Pick<IpvsService, 'protocol' | 'family' | 'vip' | 'port' | 'fwmark' | 'scheduler' | 'schedulerFlags' | 'persistence' | 'persistenceEngine' | 'onePacket'> {
  /** Kernel order: most recently added first. */
  dests: DestState[];
}

export interface DestState {
  name: string;
  address: string;
  port: number;
  forward: ForwardMethod;
  /** The director itself: listed as Local. */
  local?: boolean;
  weight: number;
  activeConns: number;
  inactConns: number;
}

export interface EntryState {
  protocol: 'TCP' | 'UDP' | 'SCTP' | 'IP';
  expireSeconds: number;
  /** NONE for templates, else the TCP state name or UDP. */
  state: string;
  /** `addr:port` each. */
  source: string;
  virtual: string;
  destination: string;
}
