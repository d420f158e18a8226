/**
 * The services of a director that a suite's traffic can reach: every one on its VIP, whatever its
 * port (a service the suite did not expect there still catches its connections), and the fwmark
 * services whose mark the suite's service uses (a director's reading has no firewall rules to say
 * where other marks send traffic). The rest of a shared director (keepalived directors carry many
 * VIPs) belongs to other users: config does not compare it, and the counters do not count it.
 */
import type { DirectorConfig, IpvsService } from '../model/ipvs.js';
import type { DirectorSnapshot, ServiceState } from './model.js';
import { serviceKey } from './parse/service-key.js';

export type Reach = (service: IpvsService) => boolean;

/** `expected`: the suite's own director config (directorConfigFor). */
export function suiteReach(expected: DirectorConfig, vip: string): Reach {
  const marks = new Set(expected.services.flatMap((s) => (s.fwmark === undefined ? [] : [s.fwmark])));
  return (s) => (s.fwmark === undefined ? s.vip === vip : marks.has(s.fwmark));
}

/** The reading's service states (counters, rates) of the services the suite reaches. */
export function reachedStates(reading: DirectorSnapshot, reaches: Reach): ServiceState[] | null {
  if (reading.services === null) return null;
  const keys = new Set(reading.config.services.filter(reaches).map(serviceKey));
  return reading.services.filter((s) => keys.has(s.service));
}
