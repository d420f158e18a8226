/**
 * keepalived's virtual servers as the IPVS tables keepalived programs at start (every real server
 * up, in config order): one service per endpoint (a group's every address and mark). What the
 * labs' model cannot hold (a scheduler other than rr wrr lc wlc sh, SCTP, real servers of one
 * service forwarding differently, port mapping) is an error at the config line that asks for it.
 */
import { SCHEDULERS, type DirectorConfig, type ForwardMethod, type IpvsService, type SchedulerName } from '../../model/ipvs.js';
import type { KeepalivedMethod, KeepalivedVirtualServer } from './model.js';
import { keepalivedError } from './problems.js';

const FORWARD: Record<KeepalivedMethod, ForwardMethod> = { DR: 'route', NAT: 'masq', TUN: 'tunnel' };
const FULL_MASK = '255.255.255.255';

/** keepalived has no names for real servers; this one no identify regex such as `^(\w+)` can cut. */
export function defaultRealServerName(address: string): string {
  return `rs-${address.replaceAll('.', '-')}`;
}

function forwardOf(vs: KeepalivedVirtualServer): ForwardMethod {
  const methods = new Set(vs.realServers.map((rs) => rs.method));
  if (methods.size > 1) {
    const odd = vs.realServers.find((rs) => rs.method !== vs.realServers[0]!.method)!;
    throw keepalivedError(odd.at, 'lvs_method', `one forwarding method for all real servers of virtual_server ${vs.name} (the labs' model has one per service)`);
  }
  return FORWARD[vs.realServers[0]?.method ?? vs.method];
}

export function servicesOf(vs: KeepalivedVirtualServer, nameOf: (address: string) => string = defaultRealServerName): IpvsService[] {
  if (!(SCHEDULERS as readonly string[]).includes(vs.scheduler)) {
    throw keepalivedError(vs.at, `virtual_server ${vs.name}`, `a scheduler the labs run (${SCHEDULERS.join(' ')}), not ${vs.scheduler}`);
  }
  if (vs.protocol === 'SCTP') throw keepalivedError(vs.at, `virtual_server ${vs.name}`, 'protocol TCP or UDP (the labs have no SCTP)');
  const common = {
    protocol: vs.protocol === 'UDP' ? ('udp' as const) : ('tcp' as const),
    scheduler: vs.scheduler as SchedulerName,
    persistence: vs.persistenceTimeout > 0 ? { timeout: vs.persistenceTimeout, netmask: vs.persistenceGranularity ?? FULL_MASK } : null,
    forward: forwardOf(vs),
    realServers: vs.realServers.map((rs) => ({ name: nameOf(rs.address), address: rs.address, weight: rs.weight })),
  };
  return vs.endpoints.map((e): IpvsService => {
    if ('fwmark' in e) return { ...common, fwmark: e.fwmark };
    refusePortMapping(vs, e.port);
    return { ...common, vip: e.address, port: e.port };
  });
}

/** keepalived programs a real server's own port (NAT then sends VIP:80 to RIP:8080); the labs' real servers listen on the service's. */
function refusePortMapping(vs: KeepalivedVirtualServer, port: number): void {
  const mapped = vs.realServers.find((rs) => rs.port !== 0 && rs.port !== port);
  if (mapped) {
    throw keepalivedError(
      mapped.at,
      `real_server ${mapped.address} ${mapped.port}`,
      `the real server port to be 0 or the service port ${port} of virtual_server ${vs.name} (no port mapping: keepalived programs ${mapped.address}:${mapped.port}, the labs do not reproduce it)`,
    );
  }
}

export function keepalivedDirectorConfig(virtualServers: readonly KeepalivedVirtualServer[], nameOf?: (address: string) => string): DirectorConfig {
  return { services: virtualServers.flatMap((vs) => servicesOf(vs, nameOf)), fwmarkRules: [] };
}
