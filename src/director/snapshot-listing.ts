/**
 * A DirectorSnapshot in ipvsadm's own layouts, sorted as ipvsadm sorts them, through the embedded
 * lab's formatters (the one printer of the -Ln and -Lcn layouts in the project): the config with the
 * live active/inactive counts, then the connection table and the timeouts when the snapshot has them.
 */
import { formatConnections, formatListing } from '../lab/sim/listing.js';
import type { DestState, EntryState, TableState } from '../lab/sim/table-state.js';
import type { ConnectionEntry, DirectorSnapshot } from './model.js';
import { endpointText, serviceKey } from './parse/service-key.js';

export function snapshotListing(snapshot: DirectorSnapshot): string {
  const live = new Map((snapshot.services ?? []).map((s) => [s.service, s]));
  const state: TableState = {
    services: snapshot.config.services.map(({ realServers, forward, ...service }) => {
      const counts = live.get(serviceKey(service))?.realServers ?? [];
      return {
        ...service,
        dests: realServers.map((rs): DestState => {
          const port = rs.port ?? service.port ?? 0;
          const seen = counts.find((c) => c.address === rs.address && c.port === port);
          return {
            name: rs.name,
            address: rs.address,
            port,
            forward: rs.forward ?? forward,
            ...(rs.local === true ? { local: true } : {}),
            weight: rs.weight,
            activeConns: seen?.activeConnections ?? 0,
            inactConns: seen?.inactiveConnections ?? 0,
          };
        }),
      };
    }),
    entries: (snapshot.connections ?? []).map(entryState),
  };
  const parts = [formatListing(state)];
  if (snapshot.connections !== null) parts.push(formatConnections(state));
  const t = snapshot.timeouts;
  if (t !== null) parts.push(`Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`);
  return parts.join('\n');
}

function entryState(e: ConnectionEntry): EntryState {
  return {
    protocol: e.protocol as EntryState['protocol'],
    expireSeconds: e.expiresSeconds,
    state: e.state,
    source: endpointText(e.client.address, e.client.port),
    virtual: endpointText(e.virtual.address, e.virtual.port),
    destination: endpointText(e.destination.address, e.destination.port),
  };
}
