/**
 * Builds the per-second, per-real-server timeline of a suite (see src/model/timeline.ts for the
 * shape). A failed connection that named no server is put on the server the director sent it to when
 * the lab's scheduling history says (matched by client address and port), else under UNKNOWN_SERVER.
 */
import type { ChangeEvent, SessionRecord } from '../model/change-window.js';
import type { Observation } from '../model/observation.js';
import { UNKNOWN_SERVER, type Timeline, type TimelineRow } from '../model/timeline.js';

export interface TimelineInput {
  connections: TimelineTally;
  sessions: readonly SessionRecord[];
  changes: readonly ChangeEvent[];
  /** Row order: the suite's servers, then any added by changes. */
  servers: readonly string[];
  /** `addr:port` of a client connection -> the real server the director chose (from the lab's history). */
  directorChoice?: ReadonlyMap<string, string>;
}

const BUCKET_MS = 1000;

/**
 * The connections' part of the timeline, kept as they arrive in seq order: per server and second,
 * new connections and failures. Connections that named no server wait (by address and port) for
 * the director's history read after the traffic: that list grows with such failures only.
 */
export class TimelineTally {
  maxStartMs = 0;
  /** Per server named by the connections: counts per second, and the seq that first named it (row order). */
  readonly named = new Map<string, { firstSeq: number; newConnections: number[]; failures: number[] }>();
  readonly unnamed: Array<{ seq: number; startMs: number; key: string | null; failed: boolean }> = [];

  add(o: Observation): void {
    this.maxStartMs = Math.max(this.maxStartMs, o.startMs);
    if (o.realServer === null) {
      this.unnamed.push({ seq: o.seq, startMs: o.startMs, key: o.client.port === null ? null : `${o.client.address}:${o.client.port}`, failed: o.error !== null });
      return;
    }
    let r = this.named.get(o.realServer);
    if (!r) this.named.set(o.realServer, (r = { firstSeq: o.seq, newConnections: [], failures: [] }));
    const k = Math.max(0, Math.floor(o.startMs / BUCKET_MS));
    r.newConnections[k] = (r.newConnections[k] ?? 0) + 1;
    if (o.error !== null) r.failures[k] = (r.failures[k] ?? 0) + 1;
  }
}

export function buildTimeline(input: TimelineInput): Timeline {
  const tally = input.connections;
  const ends = [tally.maxStartMs, ...input.sessions.map((s) => s.closedMs), ...input.changes.map((c) => c.effectiveMs ?? c.plannedMs)];
  const seconds = Math.max(1, Math.floor(Math.max(0, ...ends) / BUCKET_MS) + 1);
  const rows: Record<string, TimelineRow> = {};
  const row = (server: string): TimelineRow =>
    (rows[server] ??= { newConnections: new Array<number>(seconds).fill(0), failures: new Array<number>(seconds).fill(0), sessionsOpen: new Array<number>(seconds).fill(0) });
  for (const s of input.servers) row(s);
  const bucket = (ms: number): number => Math.min(seconds - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));

  // Rows are made in the order the connections first named their server, as one pass over them in seq order would.
  const unnamed = tally.unnamed.map((u) => ({ ...u, server: (u.key === null ? undefined : input.directorChoice?.get(u.key)) ?? UNKNOWN_SERVER }));
  const firstSeq = new Map<string, number>();
  for (const [server, r] of tally.named) firstSeq.set(server, r.firstSeq);
  for (const u of unnamed) firstSeq.set(u.server, Math.min(firstSeq.get(u.server) ?? Infinity, u.seq));
  for (const [server] of [...firstSeq].sort(([, a], [, b]) => a - b)) row(server);
  for (const [server, r] of tally.named) {
    const target = row(server);
    r.newConnections.forEach((n, k) => (target.newConnections[bucket(k * BUCKET_MS)]! += n));
    r.failures.forEach((n, k) => (target.failures[bucket(k * BUCKET_MS)]! += n));
  }
  for (const u of unnamed) {
    const r = row(u.server);
    const k = bucket(u.startMs);
    r.newConnections[k]!++;
    if (u.failed) r.failures[k]!++;
  }
  for (const s of input.sessions) {
    if (s.realServer === null) continue;
    const r = row(s.realServer);
    // Open until it broke or was closed; a session counts in every second it was open at all.
    const until = s.brokenMs ?? s.closedMs;
    for (let k = bucket(s.openedMs); k <= bucket(until); k++) r.sessionsOpen[k]!++;
  }
  const known = new Set(input.servers);
  const extra = Object.keys(rows).filter((s) => !known.has(s) && s !== UNKNOWN_SERVER).sort();
  const servers = [...input.servers, ...extra, ...(rows[UNKNOWN_SERVER] ? [UNKNOWN_SERVER] : [])];
  return {
    bucketMs: BUCKET_MS,
    seconds,
    servers,
    rows,
    changes: input.changes.map((c) => {
      const atMs = c.effectiveMs ?? c.plannedMs;
      return { index: c.index, label: c.label, second: bucket(atMs), atMs, failed: c.error !== null };
    }),
  };
}
