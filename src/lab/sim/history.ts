import type { ScheduleRecord } from '../lab.js';

/** The last `limit` scheduling decisions; seq keeps counting, so a reader can see what was dropped. */
export class ScheduleHistory {
  private readonly records: ScheduleRecord[] = [];
  private start = 0;
  private nextSeq = 1;

  constructor(private readonly limit: number) {}

  add(record: Omit<ScheduleRecord, 'seq'>): ScheduleRecord {
    const full = { seq: this.nextSeq++, ...record };
    if (this.records.length < this.limit) this.records.push(full);
    else {
      this.records[this.start] = full;
      this.start = (this.start + 1) % this.limit;
    }
    return full;
  }

  list(): ScheduleRecord[] {
    return [...this.records.slice(this.start), ...this.records.slice(0, this.start)];
  }
}
