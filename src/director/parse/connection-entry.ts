import type { ConnectionEntry, Endpoint } from '../model.js';
import type { Fail } from './lines.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'IP'];
const STATE = /^[A-Z][A-Z_]{1,15}$/;
/** Template states: NONE, and ASSURED since kernel 5.x (ip_vs_ctpl_state_name_table). */
const TEMPLATE_STATES = ['NONE', 'ASSURED'];

/** One connection-table entry, from either ipvsadm -Lcn or /proc/net/ip_vs_conn. */
export function connectionEntry(
  protocol: string,
  state: string,
  expiresSeconds: number,
  client: Endpoint,
  virtual: Endpoint,
  destination: Endpoint,
  fail: Fail,
): ConnectionEntry {
  if (!PROTOCOLS.includes(protocol)) fail(`a protocol (${PROTOCOLS.join(', ')}), not ${protocol}`);
  if (!STATE.test(state)) fail(`a connection state (ESTABLISHED, FIN_WAIT, NONE, ...), not ${state}`);
  const strip = (e: Endpoint): Endpoint => ({ address: e.address, port: e.port });
  return {
    protocol,
    client: strip(client),
    virtual: strip(virtual),
    destination: strip(destination),
    state,
    expiresSeconds,
    // A template has no client port; FTP data entries expected by ip_vs_ftp have none either, but are in LISTEN.
    template: client.port === 0 && TEMPLATE_STATES.includes(state),
  };
}
