import type { IpvsService } from '../model/ipvs.js';

/**
 * A service as ipvsadm names it in a listing, `"%-4s %s"` of protocol and address: `TCP  127.0.0.100:80`,
 * `FWM  1`. ServiceState.service and the labs' scheduling records use the same key.
 */
export function serviceKey(service: Pick<IpvsService, 'protocol' | 'vip' | 'port' | 'fwmark'>): string {
  if (service.fwmark !== undefined) return `FWM  ${service.fwmark}`;
  return `${service.protocol.toUpperCase().padEnd(4)} ${service.vip ?? '?'}:${service.port ?? 0}`;
}
