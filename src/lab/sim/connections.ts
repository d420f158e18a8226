import type { ConnectionTimeouts, ForwardMethod } from '../../model/ipvs.js';
import type { Clock } from '../lab.js';
import { Interned } from '../../core/interned.js';
import { ClosedQueue, type ClosedEntry } from './closed-entries.js';

export type ConnStateName = 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'TIME_WAIT' | 'CLOSE' | 'UDP';

export const DEFAULT_TIMEOUTS: Readonly<ConnectionTimeouts> = { tcp: 900, tcpfin: 120, udp: 300 };

/**
 * Seconds, from tcp_timeouts[] / udp_timeouts[] (ip_vs_proto_tcp.c, ip_vs_proto_udp.c);
 * `ipvsadm --set tcp tcpfin udp` changes only ESTABLISHED, FIN_WAIT and UDP.
 */
function stateTimeouts(set: ConnectionTimeouts): Readonly<Record<ConnStateName, number>> {
  return { SYN_RECV: 60, ESTABLISHED: set.tcp, FIN_WAIT: set.tcpfin, TIME_WAIT: 120, CLOSE: 10, UDP: set.udp };
}

/** tcp_state_active_table: only these count in ActiveConn; UDP is always inactive. */
const ACTIVE_STATES: ReadonlySet<ConnStateName> = new Set(['SYN_RECV', 'ESTABLISHED']);

export interface CountedDest {
  activeConns: number;
  inactConns: number;
}

export interface ConnectionFields<D extends CountedDest, T> {
  protocol: 'tcp' | 'udp';
  caddr: string;
  cport: number;
  vaddr: string;
  vport: number;
  daddr: string;
  dport: number;
  forward: ForwardMethod;
  dest: D;
  /** The persistence template controlling this connection, if any. */
  template: T | null;
}

export interface Connection<D extends CountedDest, T> extends ConnectionFields<D, T> {
  readonly seq: number;
  state: ConnStateName;
  changedAt: number;
  /** Infinity while the connection is open: its sockets, not a timer, decide when it ends. */
  expiresAt: number;
}

/** An entry as listed: an open connection, or a closed one read back from its queue. */
export type ListedEntry<D extends CountedDest> = ClosedEntry<D> & { changedAt?: number };

/**
 * Connection entries as /proc/net/ip_vs_conn holds them, keeping each dest's ActiveConn/InActConn
 * counts (which lc/wlc read) exact. Closed entries stay, inactive, until their state timeout, or
 * until more than `maxClosed` are kept: then the oldest go first, as the kernel's drop_entry defence
 * drops entries under memory pressure.
 */
export class ConnectionTable<D extends CountedDest, T> {
  /** Open entries (SYN_RECV, ESTABLISHED); the others wait in `queues` for their timeout. */
  private readonly active = new Set<Connection<D, T>>();
  /** One queue per timeout (in seconds), so each is in expiry order. */
  private readonly queues: { timeout: number; queue: ClosedQueue<D> }[] = [];
  private readonly addresses = new Interned<string>();
  private readonly dests = new Interned<D>();
  private readonly timeouts: Readonly<Record<ConnStateName, number>>;
  private closed = 0;

  constructor(
    private readonly clock: Clock,
    private readonly nextSeq: () => number,
    timeouts: ConnectionTimeouts = DEFAULT_TIMEOUTS,
    private readonly maxClosed = 100_000,
  ) {
    this.timeouts = stateTimeouts(timeouts);
  }

  open(fields: ConnectionFields<D, T>): Connection<D, T> {
    const now = this.clock.now();
    // Field by field, not a spread: this runs for every connection and a spread copy is slow here.
    const conn: Connection<D, T> = {
      protocol: fields.protocol,
      caddr: fields.caddr,
      cport: fields.cport,
      vaddr: fields.vaddr,
      vport: fields.vport,
      daddr: fields.daddr,
      dport: fields.dport,
      forward: fields.forward,
      dest: fields.dest,
      template: fields.template,
      seq: this.nextSeq(),
      state: fields.protocol === 'tcp' ? 'SYN_RECV' : 'UDP',
      changedAt: now,
      expiresAt: Infinity,
    };
    if (conn.state === 'SYN_RECV') {
      this.active.add(conn);
      conn.dest.activeConns++;
    } else this.startExpiry(conn, now);
    return conn;
  }

  establish(conn: Connection<D, T>): void {
    if (conn.state !== 'SYN_RECV') return;
    conn.state = 'ESTABLISHED';
    conn.changedAt = this.clock.now();
  }

  /**
   * The connection ended, by FIN or by RST. A direct-routing/tunnel director sees only the client's
   * packets and parks the entry in FIN_WAIT; NAT sees both ways and reaches TIME_WAIT; RST -> CLOSE.
   * Returns false if it had already ended.
   */
  end(conn: Connection<D, T>, how: 'fin' | 'reset'): boolean {
    if (!ACTIVE_STATES.has(conn.state)) return false;
    conn.state = how === 'reset' ? 'CLOSE' : conn.forward === 'masq' ? 'TIME_WAIT' : 'FIN_WAIT';
    conn.dest.activeConns--;
    this.active.delete(conn);
    this.startExpiry(conn, this.clock.now());
    return true;
  }

  purge(): void {
    const now = this.clock.now();
    // Each round drops one entry, so this ends once the queues are empty at the latest.
    for (;;) {
      let oldest: ClosedQueue<D> | undefined;
      for (const { queue } of this.queues) {
        if (queue.size > 0 && (oldest === undefined || queue.firstExpiry() < oldest.firstExpiry())) oldest = queue;
      }
      if (oldest === undefined || (oldest.firstExpiry() > now && this.closed <= this.maxClosed)) return;
      oldest.shift().inactConns--;
      this.closed--;
    }
  }

  /** Every entry, in creation order. */
  list(): ListedEntry<D>[] {
    this.purge();
    return [...this.active, ...this.queues.flatMap(({ queue }) => queue.list())].sort((a, b) => a.seq - b.seq);
  }

  /** Seconds left as /proc shows them; an open entry shows its state timeout counting down. */
  secondsLeft(conn: ListedEntry<D>): number {
    const now = this.clock.now();
    const until = conn.expiresAt === Infinity ? conn.changedAt! + this.timeouts[conn.state] * 1000 : conn.expiresAt;
    return Math.max(0, Math.floor((until - now) / 1000));
  }

  private startExpiry(conn: Connection<D, T>, now: number): void {
    const timeout = this.timeouts[conn.state];
    conn.changedAt = now;
    conn.expiresAt = now + timeout * 1000;
    conn.dest.inactConns++;
    this.closed++;
    let entry = this.queues.find((q) => q.timeout === timeout);
    if (entry === undefined) this.queues.push((entry = { timeout, queue: new ClosedQueue(this.addresses, this.dests) }));
    entry.queue.push(conn);
  }
}
