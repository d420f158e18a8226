/**
 * Closed connection entries (FIN_WAIT, TIME_WAIT, CLOSE, UDP) sharing one timeout, oldest first, kept
 * as columns: the kernel keeps every closed entry for its state timeout, so a table holds about
 * rate x 120 s of them, and as objects with their strings each took about 300 bytes where a row here
 * takes 43. Addresses and destinations are stored once and referred to by index. A row is named by
 * its position counted from the queue's first push, which stays valid while the ring grows; a new
 * connection from the same client port finds its ended entry by it (conn_reuse_mode).
 */
import type { Interned } from '../../core/interned.js';
import { FORWARDS } from '../../model/ipvs.js';
import type { ConnectionFields, ConnStateName, CountedDest } from './connections.js';

/** A closed entry as the table lists it. */
export type ClosedEntry<D extends CountedDest> = Pick<ConnectionFields<D, unknown>, 'protocol' | 'caddr' | 'cport' | 'vaddr' | 'vport' | 'daddr' | 'dport' | 'dest'> & {
  seq: number;
  state: ConnStateName;
  expiresAt: number;
};

/** A closed entry with what deciding a reused client port needs: its forwarding and its template. */
export type EndedEntry<D extends CountedDest, T> = ClosedEntry<D> & Pick<ConnectionFields<D, T>, 'forward' | 'template'>;

const STATES: readonly ConnStateName[] = ['SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'UDP'];
const STATE_CODE = new Map(STATES.map((s, i) => [s, i]));
const STATE_MASK = 0x07;
const FORWARD_SHIFT = 3;
const FORWARD_MASK = 0x03 << FORWARD_SHIFT;
/** Expired early (ip_vs_conn_expire_now) for a new connection from its client port: no longer listed. */
const RETIRED_BIT = 0x40;
const UDP_BIT = 0x80;

export class ClosedQueue<D extends CountedDest, T> {
  /** Rows shifted out so far: row position p sits at offset p - shifted from the head. */
  private shifted = 0;
  private capacity = 0;
  private head = 0;
  private count = 0;
  private seq = new Float64Array(0);
  private expiresAt = new Float64Array(0);
  /** caddr, vaddr, daddr and dest indexes, four a row. */
  private refs = new Int32Array(0);
  /** cport, vport, dport, three a row. */
  private ports = new Uint16Array(0);
  /** State code, forwarding method, RETIRED_BIT and UDP_BIT. */
  private kinds = new Uint8Array(0);
  /** The template controlling each entry: the kernel's entry holds it too until the entry expires. */
  private templates: (T | null)[] = [];

  constructor(
    private readonly addresses: Interned<string>,
    private readonly dests: Interned<D>,
  ) {}

  get size(): number {
    return this.count;
  }

  /** The oldest row's position. */
  get first(): number {
    return this.shifted;
  }

  /** Adds the newest entry; returns its position. */
  push(e: EndedEntry<D, T>): number {
    if (this.count === this.capacity) this.grow();
    const at = (this.head + this.count) % this.capacity;
    this.seq[at] = e.seq;
    this.expiresAt[at] = e.expiresAt;
    this.refs[at * 4] = this.addresses.of(e.caddr);
    this.refs[at * 4 + 1] = this.addresses.of(e.vaddr);
    this.refs[at * 4 + 2] = this.addresses.of(e.daddr);
    this.refs[at * 4 + 3] = this.dests.of(e.dest);
    this.ports[at * 3] = e.cport;
    this.ports[at * 3 + 1] = e.vport;
    this.ports[at * 3 + 2] = e.dport;
    this.kinds[at] = STATE_CODE.get(e.state)! | (FORWARDS.indexOf(e.forward) << FORWARD_SHIFT) | (e.protocol === 'udp' ? UDP_BIT : 0);
    this.templates[at] = e.template;
    this.count++;
    return this.shifted + this.count - 1;
  }

  /** The oldest entry's expiry: -Infinity for a retired one (it goes at once), Infinity when empty. */
  firstExpiry(): number {
    if (this.count === 0) return Infinity;
    return this.kinds[this.head]! & RETIRED_BIT ? -Infinity : this.expiresAt[this.head]!;
  }

  /** Drops the oldest entry; returns its position, and its destination unless it was retired (already discounted). */
  shift(): { position: number; dest: D | null } {
    const at = this.head;
    const dest = this.kinds[at]! & RETIRED_BIT ? null : this.dests.values[this.refs[at * 4 + 3]!]!;
    this.templates[at] = null;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return { position: this.shifted++, dest };
  }

  /** The entry at a position, unless it has been shifted out or retired. */
  at(position: number): EndedEntry<D, T> | undefined {
    const offset = position - this.shifted;
    if (offset < 0 || offset >= this.count) return undefined;
    const at = (this.head + offset) % this.capacity;
    if (this.kinds[at]! & RETIRED_BIT) return undefined;
    return { ...this.row(at), forward: FORWARDS[(this.kinds[at]! & FORWARD_MASK) >> FORWARD_SHIFT]!, template: this.templates[at]! };
  }

  /** Marks the entry at a position gone; returns its destination, or null if it already was. */
  retire(position: number): D | null {
    const offset = position - this.shifted;
    if (offset < 0 || offset >= this.count) return null;
    const at = (this.head + offset) % this.capacity;
    if (this.kinds[at]! & RETIRED_BIT) return null;
    this.kinds[at]! |= RETIRED_BIT;
    this.templates[at] = null;
    return this.dests.values[this.refs[at * 4 + 3]!]!;
  }

  /** What is queued, oldest first. */
  list(): ClosedEntry<D>[] {
    const out: ClosedEntry<D>[] = [];
    for (let k = 0; k < this.count; k++) {
      const at = (this.head + k) % this.capacity;
      if (!(this.kinds[at]! & RETIRED_BIT)) out.push(this.row(at));
    }
    return out;
  }

  private row(at: number): ClosedEntry<D> {
    const a = this.addresses.values;
    const kind = this.kinds[at]!;
    return {
      seq: this.seq[at]!,
      protocol: kind & UDP_BIT ? 'udp' : 'tcp',
      caddr: a[this.refs[at * 4]!]!,
      cport: this.ports[at * 3]!,
      vaddr: a[this.refs[at * 4 + 1]!]!,
      vport: this.ports[at * 3 + 1]!,
      daddr: a[this.refs[at * 4 + 2]!]!,
      dport: this.ports[at * 3 + 2]!,
      dest: this.dests.values[this.refs[at * 4 + 3]!]!,
      state: STATES[kind & STATE_MASK]!,
      expiresAt: this.expiresAt[at]!,
    };
  }

  /** Doubles the rows, unrolling the ring so the oldest is first again. */
  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const order = Array.from({ length: this.count }, (_, k) => (this.head + k) % this.capacity);
    const seq = new Float64Array(capacity);
    const expiresAt = new Float64Array(capacity);
    const refs = new Int32Array(capacity * 4);
    const ports = new Uint16Array(capacity * 3);
    const kinds = new Uint8Array(capacity);
    const templates = order.map((from) => this.templates[from]!);
    order.forEach((from, to) => {
      seq[to] = this.seq[from]!;
      expiresAt[to] = this.expiresAt[from]!;
      refs.set(this.refs.subarray(from * 4, from * 4 + 4), to * 4);
      ports.set(this.ports.subarray(from * 3, from * 3 + 3), to * 3);
      kinds[to] = this.kinds[from]!;
    });
    this.capacity = capacity;
    this.head = 0;
    this.seq = seq;
    this.expiresAt = expiresAt;
    this.refs = refs;
    this.ports = ports;
    this.kinds = kinds;
    this.templates = templates;
  }
}
