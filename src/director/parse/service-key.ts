import type { IpvsService } from '../../model/ipvs.js';

/** How ipvsadm -Ln names a service (svc_name): `TCP  10.0.0.1:80`, `TCP  [fd00::6]:80`, `FWM  2 IPv6`. */
export function serviceKey(s: Pick<IpvsService, 'protocol' | 'family' | 'vip' | 'port' | 'fwmark'>): string {
  if (s.fwmark !== undefined) return `FWM  ${s.fwmark}${s.family === 'inet6' ? ' IPv6' : ''}`;
  const host = s.family === 'inet6' ? `[${s.vip}]` : s.vip;
  return `${s.protocol.toUpperCase().padEnd(4)} ${host}:${s.port}`;
}

export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
