/**
 * What the runner and checks may know of a lab: JSON-safe snapshots, never its internals.
 */
import type { Director, DirectorSnapshot } from '../director/model.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { ChangeTarget } from '../changes/change-target.js';

/** One scheduling decision of the director, in the order the director made them. */
export interface ScheduleRecord {
  /** From 1, in the order the director decided; a history that starts later has dropped its oldest. */
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

/**
 * How many `-Lcn` entries a snapshot's text keeps: it is for people and for results.json, and a table
 * of 100,000 closed entries printed whole would be held as text beside the reading the checks use.
 */
export const SNAPSHOT_ENTRIES = 1000;

/** The lab's director after the traffic, for people: ipvsadm's texts (views of its reading) and history. */
export interface LabSnapshot {
  kind: 'embedded' | 'kernel';
  /** `ipvsadm -Ln` as text. */
  listing: string;
  /** `ipvsadm -Lcn` as text. */
  connections: string;
  /** Set when `connections` lists only the first SNAPSHOT_ENTRIES entries: how many the table had. */
  connectionLines?: number;
  /** `ipvsadm -Ln --stats` as text (kernel lab). */
  stats?: string;
  /** Empty on the kernel lab: the kernel does not say in which order it scheduled. */
  history: ScheduleRecord[];
}

/** A lab is a director the harness built; checks read it through `read()`, like any director. */
export interface Lab extends Director {
  readonly kind: 'embedded' | 'kernel';
  /** Addresses and ports to show a user who wants to reach the lab by hand. */
  describe(): string;
  /** For people and results, from `reading` when the caller has just read the director. */
  snapshot(reading?: DirectorSnapshot): Promise<LabSnapshot>;
  close(): Promise<void>;
  /** How the suite's `changes:` are made on this lab; absent where none can be. */
  readonly changes?: ChangeTarget;
}

/** Milliseconds; injectable so template timers can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };

/** Starts the lab a suite runs against, or returns null to use the suite's VIP as it is. */
export type LabFactory = (suite: LoadedSuite) => Promise<Lab | null>;
