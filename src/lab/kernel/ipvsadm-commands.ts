/**
 * A DirectorConfig as the commands a real director runs: ipvsadm lines in the config's order
 * (services in order, each followed by its real servers in order of addition, so the kernel's
 * head-inserted destination list and the wrr cursor come out as the config means) and the
 * nftables ruleset that puts the fwmarks on packets.
 */
import type { DirectorConfig, FwmarkRule, ForwardMethod, IpvsService } from '../../model/ipvs.js';

export const FORWARD_FLAG: Record<ForwardMethod, string> = { route: '-g', masq: '-m', tunnel: '-i' };
const FULL_MASK = '255.255.255.255';

/** `-t VIP:PORT`, `-u VIP:PORT` or `-f MARK`: how ipvsadm names a service. */
export function serviceArgs(service: IpvsService): string[] {
  if (service.fwmark !== undefined) return ['-f', String(service.fwmark)];
  return [service.protocol === 'udp' ? '-u' : '-t', `${service.vip}:${service.port ?? 0}`];
}

/** `-p TIMEOUT [-M NETMASK]` for a persistent service (no -M for a full mask, ipvsadm's default). */
export function persistenceArgs(service: IpvsService): string[] {
  const p = service.persistence;
  return p ? ['-p', String(p.timeout), ...(p.netmask === FULL_MASK ? [] : ['-M', p.netmask])] : [];
}

/** Argument vectors for `ipvsadm`, one per invocation. */
export function ipvsadmCommands(config: DirectorConfig): string[][] {
  const commands: string[][] = [];
  for (const service of config.services) {
    const svc = serviceArgs(service);
    commands.push(['-A', ...svc, '-s', service.scheduler, ...persistenceArgs(service)]);
    // Port-0 and fwmark services keep the client's destination port, so their servers carry port 0.
    const rsPort = service.fwmark === undefined ? (service.port ?? 0) : 0;
    for (const rs of service.realServers) {
      commands.push(['-a', ...svc, '-r', `${rs.address}:${rsPort}`, FORWARD_FLAG[service.forward], '-w', String(rs.weight)]);
    }
  }
  if (config.timeouts) {
    const { tcp, tcpfin, udp } = config.timeouts;
    commands.push(['--set', String(tcp), String(tcpfin), String(udp)]);
  }
  return commands;
}

/**
 * An `nft -f` script marking packets to each rule's VIP and ports. It hooks prerouting at mangle
 * priority, before IPVS looks the service up at local-in. Null when there is nothing to mark.
 */
export function nftRuleset(rules: readonly FwmarkRule[]): string | null {
  if (rules.length === 0) return null;
  const lines = rules.map((r) => {
    const ports = r.ports.map((p) => (p.from === p.to ? String(p.from) : `${p.from}-${p.to}`)).join(', ');
    return `    ip daddr ${r.vip} ${r.protocol} dport { ${ports} } meta mark set ${r.mark}`;
  });
  return [
    'table ip lvs_harness {',
    '  chain prerouting {',
    '    type filter hook prerouting priority mangle; policy accept;',
    ...lines,
    '  }',
    '}',
    '',
  ].join('\n');
}
