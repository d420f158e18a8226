import type { FwmarkRule, IpvsService } from '../../model/ipvs.js';

/** The part of an IpvsService that names it; an IpvsService itself will do. */
export type ServiceRef = Pick<IpvsService, 'protocol' | 'vip' | 'port' | 'fwmark'>;

/** What the lookup sees of a packet. */
export interface Destination {
  protocol: 'tcp' | 'udp';
  vaddr: string;
  vport: number;
}

/** The kernel's FTP control port; the embedded lab may name another (see IpvsTableOptions.ftpServicePort). */
export const FTP_PORT = 21;
const FTP_DATA_PORT = 20;
/** ip_unprivileged_port_start's default: FTP data lookups need vport 20 or an unprivileged port. */
const UNPRIVILEGED_PORT_START = 1024;

import { serviceKey as serviceName } from '../../director/parse/service-key.js';

export { serviceName };

/** As iptables MARK rules, which do not stop traversal: the last matching rule wins; 0 is no mark. */
export function markFor(rules: readonly FwmarkRule[], packet: Destination): number {
  let mark = 0;
  for (const rule of rules) {
    if (rule.protocol !== packet.protocol || rule.vip !== packet.vaddr) continue;
    if (rule.ports.some((r) => packet.vport >= r.from && packet.vport <= r.to)) mark = rule.mark;
  }
  return mark;
}

/**
 * ip_vs_service_find: the fwmark service if the packet is marked, then the exact
 * <proto, VIP, port> service, then (TCP to port 20 or an unprivileged port) the VIP's port-21 FTP
 * service (`ftpPort`), then the VIP's port-0 service.
 */
export function findService<S>(
  byName: ReadonlyMap<string, S>,
  rules: readonly FwmarkRule[],
  packet: Destination,
  ftpPort = FTP_PORT,
): S | undefined {
  const mark = markFor(rules, packet);
  const onPort = (port: number): S | undefined =>
    byName.get(serviceName({ protocol: packet.protocol, vip: packet.vaddr, port }));
  let service = mark !== 0 ? byName.get(serviceName({ protocol: packet.protocol, fwmark: mark })) : undefined;
  service ??= onPort(packet.vport);
  const ftpData = packet.vport === FTP_DATA_PORT || packet.vport >= UNPRIVILEGED_PORT_START;
  if (service === undefined && packet.protocol === 'tcp' && ftpData) service = onPort(ftpPort);
  return service ?? onPort(0);
}
