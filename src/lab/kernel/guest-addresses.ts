/**
 * Suites are written for loopback (127.x), but inside the guest's network namespaces a 127.x
 * address never leaves `lo` (every namespace routes 127/8 locally, and the kernel drops it on other
 * links as martian). So the kernel lab moves them: clients 127.a.b.c -> 10.a.b.c, the VIP and real
 * servers 127.a.b.c -> 100.(64+a).b.c. Clients and servers get separate ranges because a suite's
 * source pool may include the VIP's own loopback address. The low 24 bits are kept, so persistence
 * netmasks group clients exactly as on loopback. Addresses outside 127/8 are used as they are; the
 * results show guest addresses.
 */
import { createBadArgumentError } from '../../core/errors.js';
import type { KeepalivedVirtualServer } from '../../director/keepalived/model.js';
import type { DirectorConfig, IpvsService } from '../../model/ipvs.js';
import type { LoadedSuite } from '../../suite/load-suite.js';
import type { PlannedChange } from '../../suite/changes.js';
import { unnamedServerName } from '../../director/server-names.js';

/** Every server-side address is on-link in here: directors and real servers route it on the bridge. */
export const SERVER_NET = '100.64.0.0/10';
/**
 * The director's own address (the tutorial's DIP), the source of its ARP requests for real servers:
 * a request from the VIP would be dropped by every real server, which holds the VIP itself.
 * 127.63.255.254 is the one suite address the kernel lab cannot take.
 */
export const DIRECTOR_IP = '100.127.255.254';
/** Every client address is on-link in here, for the real servers' direct replies. */
export const CLIENT_NET = '10.0.0.0/8';

function octets(address: string): number[] | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts[0] === 127 ? parts : null;
}

export function guestClientAddress(address: string): string {
  const o = octets(address);
  return o ? `10.${o[1]}.${o[2]}.${o[3]}` : address;
}

export function guestServerAddress(address: string): string {
  const o = octets(address);
  if (!o) return address;
  if (o[1]! >= 64) throw createBadArgumentError(`address ${address}`, 'a VIP or real server in 127.0.0.0-127.63.255.255 for the kernel lab');
  return `100.${64 + o[1]!}.${o[2]}.${o[3]}`;
}

/**
 * A real server moved into the guest. One named after its host address (a dump names no server) is
 * named after its guest address, as the guest director's readings name it: else its daemon would
 * answer to one name and the director's table would give it another.
 */
function guestRealServer<T extends { name: string; address: string }>(rs: T): T {
  const address = guestServerAddress(rs.address);
  return { ...rs, address, ...(rs.name === unnamedServerName(rs.address) ? { name: unnamedServerName(address) } : {}) };
}

function guestService(service: IpvsService): IpvsService {
  return {
    ...service,
    ...(service.vip === undefined ? {} : { vip: guestServerAddress(service.vip) }),
    realServers: service.realServers.map(guestRealServer),
  };
}

export function guestDirectorConfig(config: DirectorConfig): DirectorConfig {
  return {
    ...config,
    services: config.services.map(guestService),
    fwmarkRules: config.fwmarkRules.map((r) => ({ ...r, vip: guestServerAddress(r.vip) })),
  };
}

/** A change's server address, and a whole config it applies, moved as the suite's own are. */
function guestChange(c: PlannedChange): PlannedChange {
  return c.action.kind === 'add' ? { ...c, action: { ...c.action, address: guestServerAddress(c.action.address) } } : c;
}

export function guestSuite(suite: LoadedSuite): LoadedSuite {
  const { spec } = suite;
  return {
    ...suite,
    sources: suite.sources.map(guestClientAddress),
    ...(suite.applyConfigs ? { applyConfigs: Object.fromEntries(Object.entries(suite.applyConfigs).map(([f, c]) => [f, guestDirectorConfig(c)])) } : {}),
    spec: {
      ...spec,
      changes: spec.changes.map(guestChange),
      vip: guestServerAddress(spec.vip),
      service: {
        ...spec.service,
        realServers: spec.service.realServers.map(guestRealServer),
      },
    },
  };
}

/** A keepalived virtual server moved as its services are: endpoints, real, sorry and checked addresses. */
export function guestKeepalived(vs: KeepalivedVirtualServer): KeepalivedVirtualServer {
  return {
    ...vs,
    endpoints: vs.endpoints.map((e) => ('address' in e ? { ...e, address: guestServerAddress(e.address) } : e)),
    ...(vs.sorryServer ? { sorryServer: { ...vs.sorryServer, address: guestServerAddress(vs.sorryServer.address) } } : {}),
    realServers: vs.realServers.map((rs) => ({
      ...rs,
      address: guestServerAddress(rs.address),
      checkers: rs.checkers.map((c) => (c.connectIp === undefined ? c : { ...c, connectIp: guestServerAddress(c.connectIp) })),
    })),
  };
}
