/**
 * The per-second timeline of a suite's traffic, per real server, with the changes marked: what the
 * spec reporter prints one row per server and what results.json carries for the HTML report.
 *
 * Shape (results.json: `suites[i].window.timeline`):
 * - `seconds`: the number of one-second buckets; bucket k covers [k*1000, (k+1)*1000) ms on the
 *   traffic clock (0 = traffic start).
 * - `servers`: row keys in display order: the real servers by name, then `UNKNOWN_SERVER` when some
 *   connection could be put on no server.
 * - `rows[server]`: arrays of length `seconds`:
 *   - `newConnections[k]`: connections started in bucket k that reached that server (failed or not);
 *   - `failures[k]`: of those, the ones that failed (a failed connection the director sent to a server
 *     counts for that server; with no server known it counts under UNKNOWN_SERVER);
 *   - `sessionsOpen[k]`: held sessions on that server open at any time during bucket k.
 * - `changes`: each change with the bucket it took effect in (`second`) and its exact time.
 */

/** The row for failures nobody can place on a real server. */
export const UNKNOWN_SERVER = '?';

export interface TimelineRow {
  newConnections: number[];
  failures: number[];
  sessionsOpen: number[];
}

export interface TimelineMark {
  /** ChangeEvent.index. */
  index: number;
  label: string;
  /** Bucket it took effect in (or was planned for, if it failed). */
  second: number;
  atMs: number;
  failed: boolean;
}

export interface Timeline {
  bucketMs: 1000;
  seconds: number;
  servers: string[];
  rows: Record<string, TimelineRow>;
  changes: TimelineMark[];
}
