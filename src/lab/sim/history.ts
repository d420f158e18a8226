import type { ScheduleRecord } from '../lab.js';
import { Interned } from '../../core/interned.js';

/** A decision as recorded on the hot path: the client's address and port are joined only when listed. */
export interface ScheduleDecision extends Omit<ScheduleRecord, 'client' | 'seq'> {
  caddr: string;
  cport: number;
}

const NONE = -1;

/**
 * The last `limit` scheduling decisions; seq keeps counting, so a reader can see what was dropped.
 * Kept as columns (27 bytes a decision, strings stored once) rather than an object and a template
 * key string each: a full history of 100,000 decisions took about 20 MB as objects.
 */
export class ScheduleHistory {
  private capacity = 0;
  private count = 0;
  /** Where the oldest is once the ring is full. */
  private start = 0;
  private nextSeq = 1;
  private atMs = new Float64Array(0);
  /** service, caddr, templateKey and realServer indexes, four a decision. */
  private refs = new Int32Array(0);
  private cports = new Uint16Array(0);
  private scheduled = new Uint8Array(0);
  private readonly strings = new Interned<string>();

  constructor(private readonly limit: number) {}

  add(decision: ScheduleDecision): void {
    let at: number;
    if (this.count < this.limit) {
      if (this.count === this.capacity) this.grow();
      at = this.count++;
    } else {
      at = this.start;
      this.start = (this.start + 1) % this.limit;
    }
    this.nextSeq++;
    this.atMs[at] = decision.atMs;
    this.refs[at * 4] = this.strings.of(decision.service);
    this.refs[at * 4 + 1] = this.strings.of(decision.caddr);
    this.refs[at * 4 + 2] = decision.templateKey === null ? NONE : this.strings.of(decision.templateKey);
    this.refs[at * 4 + 3] = decision.realServer === null ? NONE : this.strings.of(decision.realServer);
    this.cports[at] = decision.cport;
    this.scheduled[at] = decision.scheduled ? 1 : 0;
  }

  list(): ScheduleRecord[] {
    const s = this.strings.values;
    const text = (i: number): string | null => (i === NONE ? null : s[i]!);
    const firstSeq = this.nextSeq - this.count;
    return Array.from({ length: this.count }, (_, k) => {
      const at = (this.start + k) % this.count;
      return {
        seq: firstSeq + k,
        atMs: this.atMs[at]!,
        service: s[this.refs[at * 4]!]!,
        client: `${s[this.refs[at * 4 + 1]!]!}:${this.cports[at]!}`,
        templateKey: text(this.refs[at * 4 + 2]!),
        realServer: text(this.refs[at * 4 + 3]!),
        scheduled: this.scheduled[at] === 1,
      };
    });
  }

  private grow(): void {
    const capacity = Math.min(this.limit, Math.max(1024, this.capacity * 2));
    const atMs = new Float64Array(capacity);
    atMs.set(this.atMs);
    const refs = new Int32Array(capacity * 4);
    refs.set(this.refs);
    const cports = new Uint16Array(capacity);
    cports.set(this.cports);
    const scheduled = new Uint8Array(capacity);
    scheduled.set(this.scheduled);
    this.capacity = capacity;
    this.atMs = atMs;
    this.refs = refs;
    this.cports = cports;
    this.scheduled = scheduled;
  }
}
