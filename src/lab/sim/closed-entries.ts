/**
 * Closed connection entries (FIN_WAIT, TIME_WAIT, CLOSE, UDP) sharing one timeout, oldest first, kept
 * as columns: the kernel keeps every closed entry for its state timeout, so a table holds about
 * rate x 120 s of them, and as objects with their strings each took about 300 bytes where a row here
 * takes 39. Addresses and destinations are stored once and referred to by index.
 */
import type { Interned } from '../../core/interned.js';
import type { ConnectionFields, ConnStateName, CountedDest } from './connections.js';

/** A closed entry as the table lists it. */
export type ClosedEntry<D extends CountedDest> = Pick<ConnectionFields<D, unknown>, 'protocol' | 'caddr' | 'cport' | 'vaddr' | 'vport' | 'daddr' | 'dport' | 'dest'> & {
  seq: number;
  state: ConnStateName;
  expiresAt: number;
};

const STATES: readonly ConnStateName[] = ['SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'UDP'];
const STATE_CODE = new Map(STATES.map((s, i) => [s, i]));
const UDP_BIT = 0x80;

export class ClosedQueue<D extends CountedDest> {
  private capacity = 0;
  private head = 0;
  private count = 0;
  private seq = new Float64Array(0);
  private expiresAt = new Float64Array(0);
  /** caddr, vaddr, daddr and dest indexes, four a row. */
  private refs = new Int32Array(0);
  /** cport, vport, dport, three a row. */
  private ports = new Uint16Array(0);
  /** State code, with UDP_BIT for UDP. */
  private kinds = new Uint8Array(0);

  constructor(
    private readonly addresses: Interned<string>,
    private readonly dests: Interned<D>,
  ) {}

  get size(): number {
    return this.count;
  }

  push(e: ClosedEntry<D>): void {
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
    this.kinds[at] = STATE_CODE.get(e.state)! | (e.protocol === 'udp' ? UDP_BIT : 0);
    this.count++;
  }

  /** The oldest entry's expiry, or Infinity when empty. */
  firstExpiry(): number {
    return this.count === 0 ? Infinity : this.expiresAt[this.head]!;
  }

  /** Drops the oldest entry and returns its destination. */
  shift(): D {
    const dest = this.dests.values[this.refs[this.head * 4 + 3]!]!;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return dest;
  }

  /** What is queued, oldest first. */
  list(): ClosedEntry<D>[] {
    const out: ClosedEntry<D>[] = [];
    const a = this.addresses.values;
    for (let k = 0; k < this.count; k++) {
      const at = (this.head + k) % this.capacity;
      const kind = this.kinds[at]!;
      out.push({
        seq: this.seq[at]!,
        protocol: kind & UDP_BIT ? 'udp' : 'tcp',
        caddr: a[this.refs[at * 4]!]!,
        cport: this.ports[at * 3]!,
        vaddr: a[this.refs[at * 4 + 1]!]!,
        vport: this.ports[at * 3 + 1]!,
        daddr: a[this.refs[at * 4 + 2]!]!,
        dport: this.ports[at * 3 + 2]!,
        dest: this.dests.values[this.refs[at * 4 + 3]!]!,
        state: STATES[kind & ~UDP_BIT]!,
        expiresAt: this.expiresAt[at]!,
      });
    }
    return out;
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
  }
}
