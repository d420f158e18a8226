/**
 * Connections finish in any order; checks and summaries are fed in the order they started (by seq),
 * as the whole list sorted by seq once was. Holds only the finished connections whose earlier ones are
 * still in flight: that grows with concurrency and connection time, not with the traffic's size.
 */
import type { Observation } from '../model/observation.js';

export class SeqOrder {
  private next = 0;
  private readonly waiting = new Map<number, Observation>();

  constructor(private readonly deliver: (o: Observation) => void) {}

  push(o: Observation): void {
    if (o.seq !== this.next) {
      this.waiting.set(o.seq, o);
      return;
    }
    this.deliver(o);
    this.next++;
    for (let w = this.waiting.get(this.next); w !== undefined; w = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.deliver(w);
      this.next++;
    }
  }

  /** After the traffic: every connection started has finished, so nothing should wait; deliver any that do, in order. */
  flush(): void {
    for (const seq of [...this.waiting.keys()].sort((a, b) => a - b)) this.deliver(this.waiting.get(seq)!);
    this.waiting.clear();
  }
}
