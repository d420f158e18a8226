import type { ConnectionTimeouts, ForwardMethod } from '../../model/ipvs.js';
import type { Clock } from '../lab.js';
import { Interned } from '../../core/interned.js';
import { ClosedQueue, type ClosedEntry, type EndedEntry } from './closed-entries.js';

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

/** An ended entry a new connection from the same client port finds, and where it is kept. */
export type FoundEntry<D extends CountedDest, T> = EndedEntry<D, T> & { handle: number };

/** A handle is a row's position times this, plus its queue: there are at most five queues, one per closed state. */
const QUEUE_SLOTS = 8;

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
  private readonly queues: { timeout: number; queue: ClosedQueue<D, T> }[] = [];
  /**
   * The ended entries by the kernel's lookup key (ip_vs_conn_in_get): protocol, VIP:port and client
   * address, then client port, to the entry's handle: a map of ports per client, so a closed entry costs a
   * number pair here, not a string.
   */
  private readonly byClient = new Map<string, Map<number, number>>();
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
      let oldest = -1;
      for (let i = 0; i < this.queues.length; i++) {
        const queue = this.queues[i]!.queue;
        if (queue.size > 0 && (oldest < 0 || queue.firstExpiry() < this.queues[oldest]!.queue.firstExpiry())) oldest = i;
      }
      if (oldest < 0) return;
      if (this.queues[oldest]!.queue.firstExpiry() > now && this.closed <= this.maxClosed) return;
      this.dropOldest(oldest);
    }
  }

  private dropOldest(i: number): void {
    const queue = this.queues[i]!.queue;
    // Read before the shift: the index names the row by its position. A retired row is already unindexed.
    const entry = queue.at(queue.first);
    const { position, dest } = queue.shift();
    if (dest === null) return;
    dest.inactConns--;
    this.closed--;
    if (entry !== undefined) this.unindex(entry, position * QUEUE_SLOTS + i);
  }

  /** The ended entry a new connection from this client address:port to this VIP:port would hit, if any. */
  find(packet: { protocol: string; caddr: string; cport: number; vaddr: string; vport: number }): FoundEntry<D, T> | undefined {
    const handle = this.byClient.get(clientKey(packet))?.get(packet.cport);
    if (handle === undefined) return undefined;
    const entry = this.queues[handle % QUEUE_SLOTS]!.queue.at(Math.floor(handle / QUEUE_SLOTS));
    return entry === undefined ? undefined : { ...entry, handle };
  }

  /** ip_vs_conn_expire_now on an ended entry: gone at once, its place taken by the next connection. */
  retire(entry: FoundEntry<D, T>): void {
    const dest = this.queues[entry.handle % QUEUE_SLOTS]!.queue.retire(Math.floor(entry.handle / QUEUE_SLOTS));
    if (dest === null) return;
    dest.inactConns--;
    this.closed--;
    this.unindex(entry, entry.handle);
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
    let i = this.queues.findIndex((q) => q.timeout === timeout);
    if (i < 0) i = this.queues.push({ timeout, queue: new ClosedQueue(this.addresses, this.dests) }) - 1;
    const position = this.queues[i]!.queue.push(conn);
    const key = clientKey(conn);
    let ports = this.byClient.get(key);
    if (ports === undefined) this.byClient.set(key, (ports = new Map()));
    ports.set(conn.cport, position * QUEUE_SLOTS + i);
  }

  private unindex(entry: ClosedEntry<D>, handle: number): void {
    const key = clientKey(entry);
    const ports = this.byClient.get(key);
    if (ports?.get(entry.cport) !== handle) return;
    ports.delete(entry.cport);
    if (ports.size === 0) this.byClient.delete(key);
  }
}

/** The kernel's connection lookup key (ip_vs_conn_in_get) without the client port. */
function clientKey(c: { protocol: string; caddr: string; vaddr: string; vport: number }): string {
  return `${c.protocol} ${c.vaddr}:${c.vport} ${c.caddr}`;
}
