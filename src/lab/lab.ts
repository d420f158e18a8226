/**
 * What the runner and checks may know of a lab: JSON-safe snapshots, never its internals.
 */
import type { ConnectionTableCheck } from './kernel/connection-table.js';
import type { Observation } from '../model/observation.js';

/** One scheduling decision of the director, in the order the director made them. */
export interface ScheduleRecord {
  seq: number;
  /** Milliseconds on the lab's clock. */
  atMs: number;
  /** The IPVS service as ipvsadm names it: `TCP  127.0.0.100:0`, `FWM  1`. */
  service: string;
  /** Client address and port as the director saw them. */
  client: string;
  /** Persistence template key (`<proto> <caddr&mask>:0 <vaddr>:<vport>`), null when not persistent. */
  templateKey: string | null;
  /** Name of the real server the connection went to; null if no server was available. */
  realServer: string | null;
  /** True when the scheduler was consulted (no valid template existed). */
  scheduled: boolean;
}

export interface LabSnapshot {
  kind: 'embedded' | 'kernel';
  /** `ipvsadm -Ln` as text. */
  listing: string;
  /** `ipvsadm -Lcn` as text. */
  connections: string;
  /** `ipvsadm -Ln --stats` as text (kernel lab). */
  stats?: string;
  /** Each observed connection against the director's connection table (kernel lab). */
  connectionTable?: ConnectionTableCheck;
  /** Empty on the kernel lab: the kernel does not say in which order it scheduled. */
  history: ScheduleRecord[];
}

export interface Lab {
  readonly kind: 'embedded' | 'kernel';
  /** Addresses and ports to show a user who wants to reach the lab by hand. */
  describe(): string;
  /** `observations`, when given, are checked against the director's own record of them. */
  snapshot(observations?: readonly Observation[]): Promise<LabSnapshot>;
  close(): Promise<void>;
}

/** Milliseconds; injectable so template timers can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };
