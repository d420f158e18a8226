import type { ConnectionEntry, Endpoint } from '../model.js';
import { isKernelState, kernelStates, TEMPLATE_STATES } from './connection-states.js';
import type { Fail } from './lines.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'IP'];

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
  if (!isKernelState(protocol, state)) fail(`${protocol === 'TCP' || protocol === 'UDP' ? 'a' : 'an'} ${protocol} connection state as the kernel names it (${kernelStates(protocol).join(', ')}), not ${state}`);
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
