/**
 * An operator's `ipvsadm -S -n` dump as the labs' DirectorConfig (`--director-config`). The dump is
 * read by the director parser (src/director/parse: every option ipvsadm 1.31 saves); this file only
 * refuses, by file and line, what the labs cannot reproduce: IPv6 and sctp services, IPv6 real servers
 * (tunnelled from an IPv4 service), port mapping,
 * several forwarding methods in one service, and the options that change scheduling or persistence
 * beyond what the labs model (-b, -o, --pe, -x/-y, gue/gre tunnels). A kernel scheduler the embedded
 * lab lacks is refused when that lab starts (exit 15): the kernel lab has them all.
 */
import { createDirectorConfigError } from '../core/errors.js';
import { parseIpvsadmSaveText, SAVE_SOURCE } from '../director/parse/ipvsadm-save.js';
import type { DirectorConfig, IpvsService, RealServer } from '../model/ipvs.js';

export function parseIpvsadmSave(text: string, file: string): DirectorConfig {
  const { config, origins } = parseIpvsadmSaveText(text, file);
  const lines = text.split('\n');
  const refuse = (item: IpvsService | RealServer, expected: string): never => {
    const line = origins.get(item) ?? 0;
    throw createDirectorConfigError(file, line, lines[line - 1] ?? '', `${expected} (the labs do not reproduce it)`, SAVE_SOURCE);
  };
  for (const service of config.services) {
    if (service.family === 'inet6') refuse(service, 'an IPv4 service');
    if (service.protocol === 'sctp') refuse(service, 'a tcp, udp or fwmark service');
    if (service.schedulerFlags !== undefined) refuse(service, 'no -b scheduler flags');
    if (service.onePacket === true) refuse(service, 'no -o (one-packet scheduling)');
    if (service.persistenceEngine !== undefined) refuse(service, 'no --pe persistence engine');
    for (const rs of service.realServers) {
      if (rs.address.includes(':')) refuse(rs, "a real server of the service's family (IPv4; another family only tunnels, which the labs do not)");
      if (rs.port !== 0 && rs.port !== (service.port ?? 0)) refuse(rs, 'the real server port to be 0 or the service port (no port mapping)');
      if (rs.forward !== service.forward) refuse(rs, `one forwarding method per service (${service.forward} above)`);
      if ((rs.upperThreshold ?? 0) !== 0 || (rs.lowerThreshold ?? 0) !== 0) refuse(rs, 'no -x/-y connection thresholds');
      if (rs.tunnel !== undefined && rs.tunnel.type !== 'ipip') refuse(rs, 'an ipip tunnel (no --tun-type gue or gre)');
    }
  }
  // The labs name servers by the suite and take the service's forwarding method: the dump's extra fields stay out.
  return {
    ...config,
    services: config.services.map((s) => ({ ...s, realServers: s.realServers.map(({ name, address, weight }) => ({ name, address, weight })) })),
  };
}
