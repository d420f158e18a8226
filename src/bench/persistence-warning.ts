/**
 * A benchmark through a persistent service from one client group measures one real server: every
 * request after the first follows that group's template. bench cannot see persistence on the wire;
 * it can only tell when it is given the director's configuration (--director-config).
 */
import type { DirectorConfig, IpvsService } from '../model/ipvs.js';
import { maskAddress } from '../net/ipv4.js';

export function persistenceWarning(config: DirectorConfig, url: string, sources: readonly string[] | undefined): string | null {
  const target = new URL(url);
  const host = target.hostname;
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const service = serviceFor(config, host, port);
  if (!service?.persistence) return null;
  const { timeout, netmask } = service.persistence;
  const groups = new Set((sources ?? ['(the kernel-chosen source)']).map((a) => (a.startsWith('(') ? a : maskAddress(a, netmask))));
  if (groups.size > 1) return null;
  const name = service.fwmark !== undefined ? `fwmark ${service.fwmark}` : `${service.vip}:${service.port}`;
  const from = sources ? `the sources given all fall in one client group under netmask ${netmask}` : 'every request comes from one source address';
  return (
    `warning: ${host}:${port} is the persistent service ${name} (-p ${timeout}, netmask ${netmask}) and ${from}: ` +
    'every request will follow one template to one real server. Give --sources A-B (one address per client, e.g. 127.0.0.2-127.0.0.201) to spread the load.'
  );
}

function serviceFor(config: DirectorConfig, host: string, port: number): IpvsService | undefined {
  const marks = new Set(
    config.fwmarkRules.filter((r) => r.protocol === 'tcp' && r.vip === host && r.ports.some((p) => port >= p.from && port <= p.to)).map((r) => r.mark),
  );
  // The kernel looks up an address service first (exact port, then port 0), then a fwmark one.
  const tcp = config.services.filter((s) => s.protocol === 'tcp');
  return (
    tcp.find((s) => s.vip === host && s.port === port) ??
    tcp.find((s) => s.vip === host && s.port === 0) ??
    tcp.find((s) => s.fwmark !== undefined && marks.has(s.fwmark))
  );
}
