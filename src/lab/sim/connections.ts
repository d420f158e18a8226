import type { ConnectionTimeouts, ForwardMethod } from '../../model/ipvs.js';
import type { Clock } from '../lab.js';

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
  /** Expired early (ip_vs_conn_expire_now), for a new connection from the same client port. */
  retired: boolean;
}

/** The kernel's connection lookup key (ip_vs_conn_in_get): protocol, client and virtual address:port. */
function clientKey(c: { protocol: string; caddr: string; cport: number; vaddr: string; vport: number }): string {
  return `${c.protocol} ${c.caddr}:${c.cport} ${c.vaddr}:${c.vport}`;
}

/** Entries expiring after the same timeout, hence in expiry order. */
class ExpiryQueue<E extends { expiresAt: number }> {
  private items: E[] = [];
  private head = 0;

  push(item: E): void {
    this.items.push(item);
  }

  peek(): E | undefined {
    return this.items[this.head];
  }

  /** What is queued, oldest first. */
  list(): E[] {
    return this.items.slice(this.head);
  }

  shift(): E | undefined {
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

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
  private readonly queues: { timeout: number; queue: ExpiryQueue<Connection<D, T>> }[] = [];
  private readonly timeouts: Readonly<Record<ConnStateName, number>>;
  /** The newest entry of each client address:port and VIP:port, as a new SYN from it would find it. */
  private readonly byClient = new Map<string, Connection<D, T>>();
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
      retired: false,
    };
    this.byClient.set(clientKey(conn), conn);
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
      let oldest: ExpiryQueue<Connection<D, T>> | undefined;
      for (const { queue } of this.queues) {
        const head = queue.peek();
        if (head !== undefined && (oldest === undefined || head.expiresAt < oldest.peek()!.expiresAt)) oldest = queue;
      }
      const conn = oldest?.peek();
      if (conn === undefined || (!conn.retired && conn.expiresAt > now && this.closed <= this.maxClosed)) return;
      oldest!.shift();
      if (conn.retired) continue;
      this.forget(conn);
    }
  }

  /** The entry a new connection from this client address:port to this VIP:port would hit, if any. */
  find(packet: { protocol: string; caddr: string; cport: number; vaddr: string; vport: number }): Connection<D, T> | undefined {
    return this.byClient.get(clientKey(packet));
  }

  /** ip_vs_conn_expire_now on an ended entry: gone at once, its place taken by the next connection. */
  retire(conn: Connection<D, T>): void {
    if (ACTIVE_STATES.has(conn.state) || conn.retired) return;
    conn.retired = true;
    this.forget(conn);
  }

  private forget(conn: Connection<D, T>): void {
    conn.dest.inactConns--;
    this.closed--;
    const key = clientKey(conn);
    if (this.byClient.get(key) === conn) this.byClient.delete(key);
  }

  /** Every entry, in creation order. */
  list(): Connection<D, T>[] {
    this.purge();
    const closed = this.queues.flatMap(({ queue }) => queue.list().filter((c) => !c.retired));
    return [...this.active, ...closed].sort((a, b) => a.seq - b.seq);
  }

  /** Seconds left as /proc shows them; an open entry shows its state timeout counting down. */
  secondsLeft(conn: Connection<D, T>): number {
    const now = this.clock.now();
    const until = conn.expiresAt === Infinity ? conn.changedAt + this.timeouts[conn.state] * 1000 : conn.expiresAt;
    return Math.max(0, Math.floor((until - now) / 1000));
  }

  private startExpiry(conn: Connection<D, T>, now: number): void {
    const timeout = this.timeouts[conn.state];
    conn.changedAt = now;
    conn.expiresAt = now + timeout * 1000;
    conn.dest.inactConns++;
    this.closed++;
    let entry = this.queues.find((q) => q.timeout === timeout);
    if (entry === undefined) this.queues.push((entry = { timeout, queue: new ExpiryQueue() }));
    entry.queue.push(conn);
  }
}
