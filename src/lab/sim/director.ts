/**
 * The embedded lab's director: a userspace TCP proxy on loopback that takes every scheduling
 * decision from an IpvsTable, so it picks real servers exactly as the kernel would.
 *
 * Known limits and deviations from a kernel LVS director:
 * - TCP only. UDP services are scheduled by the table but nothing listens for them.
 * - It proxies instead of forwarding packets: the client's handshake completes with the director
 *   before scheduling (the kernel schedules on the SYN), so "no dest" or a refusing real server shows
 *   as a reset of an accepted connection, not as ICMP or a refused connect.
 * - The real server sees the client's address (the director connects out from it) but not its port.
 * - Port-0 and fwmark services listen only on the `listenPorts` given (at most MAX_LISTENERS in
 *   all); services added to the table after start get no listener.
 * - The FTP service port may be other than 21 (IpvsTableOptions.ftpServicePort). Active-mode FTP data
 *   goes from the real server's own address straight to the client, never through the director (in
 *   LVS-DR it comes from VIP:20 and the client's answers pass the director). So a fwmark without
 *   port 20 passes active FTP here but fails on a kernel, as the kernel tier found.
 * - Connections already open to a quiescent real server keep flowing, as in the kernel. To a deleted
 *   one, the client's bytes are dropped (expire_nodest_conn=0) or the client is reset at its next
 *   packet (1); the real server's own bytes still reach the client, as in LVS-DR. The kernel (5.9+)
 *   with expire_nodest_conn=1 also flushes those entries at once; here they go at their next packet.
 * - A stopped real server in blackhole mode is silenced in the director (its bytes lost both ways, new
 *   connections to it held unanswered), since a loopback address cannot be made to vanish.
 * - conn_reuse_mode is modelled in IpvsTable.schedule (a reused client port takes its ended entry over
 *   or is rescheduled, as ip_vs_in_hook decides), but the kernel's NF_DROP of such a SYN when the old
 *   entry uses conntrack (net.ipv4.vs.conntrack=1: the client's retransmission a second later, the
 *   "1 s connect spike") is not: the lab has no conntrack, and a dropped SYN cannot be shown on an
 *   accepted connection. A reused port whose entry points at a removed dest with expire_nodest_conn=1
 *   is rescheduled at once (the kernel drops that SYN and schedules its retransmission).
 * - Packets do not refresh connection timers: an open connection never expires, and its -Lcn expiry
 *   counts down from its state timeout. Entries are listed in creation order, not hash order, and
 *   templates are always NONE (never ASSURED).
 * - No thresholds (-x/-y, overload), no sed/nq/dh/lblc/mh schedulers, no sh flags, IPv4 only. A dest's
 *   port is the service port (0 for port-0 and fwmark services) and its forward method the service's.
 * - `--stats` counts connections only: a relay sees no packets, so packet and byte counters read 0.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { DirectorConfig } from '../../model/ipvs.js';
import type { IpvsTable } from './ipvs-table.js';
import { createLabStartError } from '../../core/errors.js';
import { listen, stopListening } from './listen.js';
import { listenRaw, rawSpliceAvailable } from './raw-splice.js';
import { Transform } from 'node:stream';
import type { Faults } from './faults.js';

/** One listener per VIP:port: a bound on sockets and on the time the lab takes to start. */
export const MAX_LISTENERS = 256;

export interface RunningDirector {
  /** `vip:port` of every listener. */
  readonly listeners: readonly string[];
  close(): Promise<void>;
}

/**
 * Where a kernel director would catch TCP traffic among the addresses userspace can listen on:
 * each port service's own VIP:port, and every VIP (of a service or fwmark rule) on `listenPorts`
 * when the table's lookup finds a service there.
 */
export function listenAddresses(config: DirectorConfig, table: IpvsTable, listenPorts: readonly number[]): string[] {
  const tcpServices = config.services.filter((s) => s.protocol === 'tcp');
  const addresses = new Set<string>();
  for (const service of tcpServices) {
    if (service.vip !== undefined && service.port !== undefined && service.port !== 0) {
      addresses.add(`${service.vip}:${service.port}`);
    }
  }
  const vips = new Set([
    ...tcpServices.flatMap((s) => (s.vip === undefined ? [] : [s.vip])),
    ...config.fwmarkRules.filter((r) => r.protocol === 'tcp').map((r) => r.vip),
  ]);
  for (const vip of vips) {
    for (const port of listenPorts) {
      if (table.lookup({ protocol: 'tcp', vaddr: vip, vport: port }) !== null) addresses.add(`${vip}:${port}`);
    }
  }
  return [...addresses];
}

/** A connection the director holds open (a socket, or a raw-splice.ts pair); closed with the director. */
type Open = Set<{ destroy(): void }>;

/**
 * Schedules one accepted client and splices it to its real server on net.Sockets: the fallback when
 * raw-splice.ts cannot use Node's TCP binding.
 */
function proxy(table: IpvsTable, client: Socket, open: Open, faults: Faults | undefined): void {
  const { remoteAddress, remotePort, localAddress, localPort } = client;
  const scheduled =
    remoteAddress === undefined || remotePort === undefined || localAddress === undefined || localPort === undefined
      ? null
      : table.schedule({ protocol: 'tcp', caddr: remoteAddress, cport: remotePort, vaddr: localAddress, vport: localPort });
  if (scheduled === null) {
    client.resetAndDestroy();
    return;
  }
  const upstream = connect({
    host: scheduled.address,
    port: scheduled.port,
    localAddress: remoteAddress,
    noDelay: true,
    allowHalfOpen: true,
  });
  open.add(client).add(upstream);
  let ended = false;
  const end = (how: 'fin' | 'reset'): void => {
    if (ended) return;
    ended = true;
    table.ended(scheduled.conn, how);
  };
  upstream.once('connect', () => {
    table.established(scheduled.conn);
    // The same losses as raw-splice.ts's Splice.dropped: a silent server, a removed dest's packets.
    const fromClient = new Transform({
      transform(chunk, _encoding, done) {
        if (faults?.isSilent(scheduled.address)) return done();
        const verdict = table.packetVerdict(scheduled.conn);
        if (verdict === 'expire') {
          client.resetAndDestroy();
          upstream.destroy();
          end('reset');
        }
        done(null, verdict === 'pass' ? chunk : undefined);
      },
    });
    const fromServer = new Transform({
      transform(chunk, _encoding, done) {
        done(null, faults?.isSilent(scheduled.address) ? undefined : chunk);
      },
    });
    client.pipe(fromClient).pipe(upstream);
    upstream.pipe(fromServer).pipe(client);
  });
  // An error on one side (RST, refused connect) becomes an RST on the other, as a real LVS would relay.
  client.on('error', () => {
    upstream.resetAndDestroy();
    end('reset');
  });
  upstream.on('error', () => {
    client.resetAndDestroy();
    end('reset');
  });
  client.once('close', () => {
    open.delete(client);
    end('fin');
  });
  upstream.once('close', () => {
    open.delete(upstream);
    end('fin');
  });
}

export async function startDirector(
  config: DirectorConfig,
  table: IpvsTable,
  listenPorts: readonly number[],
  faults?: Faults,
): Promise<RunningDirector> {
  const open: Open = new Set();
  const stops: (() => Promise<void>)[] = [];
  const listeners = listenAddresses(config, table, listenPorts);
  if (listeners.length > MAX_LISTENERS) {
    const why = `it would listen on ${listeners.length} VIP:port pairs, more than ${MAX_LISTENERS}; use smaller passive ranges or fewer ports`;
    throw createLabStartError('the director', new Error(why));
  }
  const close = async (): Promise<void> => {
    const stopped = Promise.all(stops.map((stop) => stop()));
    for (const connection of open) connection.destroy();
    await stopped;
  };
  try {
    for (const address of listeners) {
      const at = address.lastIndexOf(':');
      const vaddr = address.slice(0, at);
      const vport = Number(address.slice(at + 1));
      if (rawSpliceAvailable) {
        try {
          stops.push(listenRaw({ table, vaddr, vport, open, ...(faults ? { faults } : {}) }));
        } catch (err) {
          throw createLabStartError(`director on ${vaddr}:${vport}`, err);
        }
        continue;
      }
      // allowHalfOpen: a client's FIN must not cut off the answer still coming from the real server.
      const server = createServer({ pauseOnConnect: true, noDelay: true, allowHalfOpen: true }, (client) =>
        proxy(table, client, open, faults),
      );
      stops.push(() => stopListening(server));
      await listen(server, vaddr, vport, 'director');
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { listeners, close };
}
