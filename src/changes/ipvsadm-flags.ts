import type { IpvsService } from '../model/ipvs.js';

type ServiceRef = Pick<IpvsService, 'protocol' | 'vip' | 'port' | 'fwmark'>;

/** How ipvsadm names a service on its command line: `-t VIP:PORT`, `-u VIP:PORT`, `-f MARK`. */
export function serviceFlag(ref: ServiceRef): string {
  if (ref.fwmark !== undefined) return `-f ${ref.fwmark}`;
  return `${ref.protocol === 'udp' ? '-u' : '-t'} ${ref.vip ?? '?'}:${ref.port ?? 0}`;
}

/** ` -p TIMEOUT -M NETMASK` for a persistent service, nothing otherwise. */
export function persistenceFlags(s: Pick<IpvsService, 'persistence'>): string {
  return s.persistence === null ? '' : ` -p ${s.persistence.timeout} -M ${s.persistence.netmask}`;
}
