/**
 * Builds the per-second, per-real-server timeline of a suite (see src/model/timeline.ts for the
 * shape). A failed connection that named no server is put on the server the director sent it to when
 * the lab's scheduling history says (matched by client address and port), else under UNKNOWN_SERVER.
 */
import type { ChangeEvent, SessionRecord } from '../model/change-window.js';
import type { Observation } from '../model/observation.js';
import { UNKNOWN_SERVER, type Timeline, type TimelineRow } from '../model/timeline.js';

export interface TimelineInput {
  observations: readonly Observation[];
  sessions: readonly SessionRecord[];
  changes: readonly ChangeEvent[];
  /** Row order: the suite's servers, then any added by changes. */
  servers: readonly string[];
  /** `addr:port` of a client connection -> the real server the director chose (from the lab's history). */
  directorChoice?: ReadonlyMap<string, string>;
}

const BUCKET_MS = 1000;

export function buildTimeline(input: TimelineInput): Timeline {
  const ends = [
    ...input.observations.map((o) => o.startMs),
    ...input.sessions.map((s) => s.closedMs),
    ...input.changes.map((c) => c.effectiveMs ?? c.plannedMs),
  ];
  const seconds = Math.max(1, Math.floor(Math.max(0, ...ends) / BUCKET_MS) + 1);
  const rows: Record<string, TimelineRow> = {};
  const row = (server: string): TimelineRow =>
    (rows[server] ??= { newConnections: new Array<number>(seconds).fill(0), failures: new Array<number>(seconds).fill(0), sessionsOpen: new Array<number>(seconds).fill(0) });
  for (const s of input.servers) row(s);
  const bucket = (ms: number): number => Math.min(seconds - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));

  for (const o of input.observations) {
    const chosen = o.client.port === null ? undefined : input.directorChoice?.get(`${o.client.address}:${o.client.port}`);
    const server = o.realServer ?? chosen ?? UNKNOWN_SERVER;
    const r = row(server);
    const k = bucket(o.startMs);
    r.newConnections[k]!++;
    if (o.error !== null) r.failures[k]!++;
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
