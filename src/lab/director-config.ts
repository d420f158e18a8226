/**
 * The director configuration a suite expects, as IPVS tables: a PCC suite is one port-0 persistent
 * service, a PPC suite one persistent service per port, a fwmark suite one fwmark service plus the
 * rule that marks its ports. Real servers are added in the suite's order, as ipvsadm or keepalived
 * would add them (the kernel then lists them in reverse).
 */
import { createLabStartError } from '../core/errors.js';
import type { DirectorConfig, IpvsService } from '../model/ipvs.js';
import { toRange } from '../net/port-range.js';
import type { ServiceSpec } from '../suite/schema.js';

export function directorConfigFor(vip: string, service: ServiceSpec): DirectorConfig {
  return { ...servicesFor(vip, service), timeouts: { ...service.timeouts } };
}

function servicesFor(vip: string, service: ServiceSpec): Omit<DirectorConfig, 'timeouts'> {
  const common = {
    protocol: service.protocol,
    scheduler: service.scheduler,
    persistence: service.persistence,
    forward: service.forward,
    realServers: service.realServers.map((rs) => ({ ...rs })),
  };
  switch (service.kind) {
    case 'pcc':
      return { services: [{ ...common, vip, port: 0 }], fwmarkRules: [] };
    case 'ppc':
      return {
        services: (service.ports ?? []).map((p): IpvsService => ({ ...common, vip, port: Number(p) })),
        fwmarkRules: [],
      };
    case 'fwmark':
      return {
        services: [{ ...common, fwmark: service.fwmark! }],
        fwmarkRules: [{ mark: service.fwmark!, protocol: service.protocol, vip, ports: (service.ports ?? []).map(toRange) }],
      };
  }
}

/** One real server per name, whatever the number of services it appears in. */
export function realServerAddresses(config: DirectorConfig): Map<string, string> {
  const addresses = new Map<string, string>();
  for (const rs of config.services.flatMap((s) => s.realServers)) {
    const known = addresses.get(rs.name);
    if (known !== undefined && known !== rs.address) {
      throw createLabStartError(`real server ${rs.name}`, new Error(`it has two addresses, ${known} and ${rs.address}`));
    }
    addresses.set(rs.name, rs.address);
  }
  return addresses;
}
