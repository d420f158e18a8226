import type { ServiceSpec } from '../suite/schema.js';

/**
 * Longest time, in seconds, a template can outlive a client's last connection: its own timeout, or
 * the lifetime of the closed connection's entry if longer (the kernel keeps a template while it
 * controls any entry; after that its timer may still run a 60 s step).
 */
export function templateLifetimeSeconds(service: ServiceSpec): number {
  const timeout = service.persistence?.timeout ?? 0;
  // In NAT the director sees the server's FIN too and holds the entry in TIME_WAIT, fixed at 120 s.
  const entry = service.forward === 'masq' ? 120 : service.timeouts.tcpfin;
  return entry < timeout ? timeout : entry + 60;
}
