import type { ScheduleRecord } from '../lab.js';

/**
 * A decision as recorded on the hot path: the client's address and port are joined only when listed,
 * and `seq` is given by add() (in place: the record is the caller's fresh object, kept as it is).
 */
export interface ScheduleDecision extends Omit<ScheduleRecord, 'client'> {
  caddr: string;
  cport: number;
}

/** The last `limit` scheduling decisions; seq keeps counting, so a reader can see what was dropped. */
export class ScheduleHistory {
  private readonly records: ScheduleDecision[] = [];
  private start = 0;
  private nextSeq = 1;

  constructor(private readonly limit: number) {}

  add(decision: ScheduleDecision): void {
    decision.seq = this.nextSeq++;
    if (this.records.length < this.limit) this.records.push(decision);
    else {
      this.records[this.start] = decision;
      this.start = (this.start + 1) % this.limit;
    }
  }

  list(): ScheduleRecord[] {
    return [...this.records.slice(this.start), ...this.records.slice(0, this.start)].map((r) => ({
      seq: r.seq,
      atMs: r.atMs,
      service: r.service,
      client: `${r.caddr}:${r.cport}`,
      templateKey: r.templateKey,
      realServer: r.realServer,
      scheduled: r.scheduled,
    }));
  }
}
