/**
 * The embedded lab's director read straight from its IPVS table into the director model: no text
 * is printed and parsed back. Real servers keep the names the lab gave them and the kernel's list
 * order (most recently added first), which the table keeps as the kernel does.
 */
import type { ConnectionEntry, Counters, DirectorSnapshot, Endpoint, ServiceState as ServiceReading } from '../../director/model.js';
import type { IpvsService } from '../../model/ipvs.js';
import { serviceKey } from '../../director/parse/service-key.js';
import type { EntryState, ServiceState, TableState } from './table-state.js';

function endpoint(text: string): Endpoint {
  const at = text.lastIndexOf(':');
  return { address: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

function configOf(service: ServiceState): IpvsService {
  return {
    protocol: service.protocol,
    ...(service.vip === undefined ? {} : { vip: service.vip }),
    ...(service.port === undefined ? {} : { port: service.port }),
    ...(service.fwmark === undefined ? {} : { fwmark: service.fwmark }),
    scheduler: service.scheduler,
    persistence: service.persistence === null ? null : { ...service.persistence },
    forward: service.forward,
    realServers: service.dests.map((d) => ({ name: d.name, address: d.address, weight: d.weight })),
  };
}

/** Userspace relays connections, not packets: those counters stay 0 (see src/lab/sim/director.ts). */
function counters(connections: number): Counters {
  return { connections, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0 };
}

function readingOf(service: ServiceState): ServiceReading {
  return {
    service: serviceKey(service),
    counters: counters(service.dests.reduce((n, d) => n + d.connections, 0)),
    realServers: service.dests.map((d) => ({
      address: d.address,
      port: d.port,
      activeConnections: d.activeConns,
      inactiveConnections: d.inactConns,
      counters: counters(d.connections),
    })),
  };
}

/** Each distinct endpoint read once: a table of 100,000 entries has a handful of virtual and real-server ones. */
function sharedEndpoints(): (text: string) => Endpoint {
  const seen = new Map<string, Endpoint>();
  return (text) => {
    let e = seen.get(text);
    if (e === undefined) seen.set(text, (e = endpoint(text)));
    return e;
  };
}

function entryOf(entry: EntryState, shared: (text: string) => Endpoint): ConnectionEntry {
  const client = endpoint(entry.source);
  return {
    protocol: entry.protocol,
    client,
    virtual: shared(entry.virtual),
    destination: shared(entry.destination),
    state: entry.state,
    expiresSeconds: entry.expireSeconds,
    template: client.port === 0,
  };
}

export function readTableState(state: TableState, readAtMs: number): DirectorSnapshot {
  const services = state.services.map(readingOf);
  const endpoints = sharedEndpoints();
  return {
    source: { kind: 'embedded', description: 'embedded lab (its IPVS table, read directly)' },
    readAtMs,
    config: { services: state.services.map(configOf), fwmarkRules: state.fwmarkRules, timeouts: { ...state.timeouts } },
    services,
    connections: state.entries.map((e) => entryOf(e, endpoints)),
    totals: { counters: counters(services.reduce((n, s) => n + s.counters!.connections, 0)) },
    timeouts: { ...state.timeouts },
    sysctls: { expire_quiescent_template: state.expireQuiescentTemplate ? '1' : '0' },
    texts: {},
  };
}
