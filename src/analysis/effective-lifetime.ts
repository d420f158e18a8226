/**
 * How long a persistence template really lives after a client's last new connection, by the kernel's
 * rules (ip_vs_conn.c): its timer fires `-p` seconds after that connection; if a connection it
 * controls is still listed then (a closed one sits in FIN_WAIT for the tcpfin timeout in DR/TUN, in
 * TIME_WAIT for 120 s in NAT), it is re-armed 60 s at a time until none is. This is why operators see
 * affinity outlive a short -p by minutes (kubernetes #89358).
 */
import type { ServiceSpec } from '../suite/schema.js';

/** ip_vs_conn_expire's expire_later step. */
const EXTEND_SECONDS = 60;
/** NAT: the director sees the server's FIN too and holds the entry in TIME_WAIT, fixed at 120 s. */
const TIME_WAIT_SECONDS = 120;

/** Seconds a closed connection's entry stays listed. */
export function closedEntrySeconds(service: Pick<ServiceSpec, 'forward' | 'timeouts'>): number {
  return service.forward === 'masq' ? TIME_WAIT_SECONDS : service.timeouts.tcpfin;
}

/**
 * Seconds from a short connection's start until its template dies, given that connection was the
 * client's last; `connectionSeconds` is how long the connection itself lasted.
 */
export function effectiveLifetimeSeconds(service: Pick<ServiceSpec, 'forward' | 'timeouts' | 'persistence'>, connectionSeconds = 0.05): number {
  const timeout = service.persistence?.timeout ?? 0;
  const entryGone = connectionSeconds + closedEntrySeconds(service);
  if (entryGone <= timeout) return timeout;
  return timeout + EXTEND_SECONDS * Math.ceil((entryGone - timeout) / EXTEND_SECONDS);
}

/** Idle gaps that bracket `lifetime` closely on both sides, plus one well inside and one well past it. */
export function defaultGaps(lifetime: number): number[] {
  return [0.5, 0.85, 1.2, 1.6].map((f) => Math.round(lifetime * f * 100) / 100);
}
