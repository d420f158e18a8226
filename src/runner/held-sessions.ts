/**
 * Holds the suite's `sessions:` open for the whole traffic: each opens at the traffic's start from its
 * own client address (taken from the end of the pool, away from the first new clients) and is probed
 * every `everySeconds` until the traffic ends or the session breaks. Every probe is stamped on the
 * traffic clock, so the checks can put a break next to the change that caused it. An FTP session
 * ends by itself when its download does: its last probe is the moment it completed or broke.
 */
import type { SessionProbe, SessionRecord } from '../model/change-window.js';
import { openHeldSession } from '../probes/held-session.js';
import type { SuiteSpec } from '../suite/schema.js';
import { DEFAULT_FTP_BYTES_PER_SECOND, type SessionSpec } from '../suite/sessions.js';
import { sleep } from './sleep.js';

export interface HeldSessionsOptions {
  host: string;
  t0: number;
  signal: AbortSignal;
  /** Aborted when the traffic is over: the sessions are then closed. */
  trafficDone: AbortSignal;
}

function sessionClients(spec: SuiteSpec, sources: readonly string[]): string[] {
  const total = spec.sessions.reduce((n, s) => n + s.count, 0);
  return sources.slice(Math.max(0, sources.length - total)).reverse();
}

export async function holdSessions(spec: SuiteSpec, sources: readonly string[], opts: HeldSessionsOptions): Promise<SessionRecord[]> {
  const clients = sessionClients(spec, sources);
  const runs: Promise<SessionRecord>[] = [];
  let k = 0;
  for (const s of spec.sessions) {
    const probe = spec.probes.find((p) => p.name === s.probe)!;
    for (let n = 1; n <= s.count; n++) {
      const client = clients[k++ % clients.length]!;
      runs.push(holdOne(`${s.probe}#${n}`, probe, client, s, opts));
    }
  }
  return Promise.all(runs);
}

async function holdOne(
  id: string,
  probeSpec: SuiteSpec['probes'][number],
  client: string,
  spec: SessionSpec,
  opts: HeldSessionsOptions,
): Promise<SessionRecord> {
  const now = (): number => performance.now() - opts.t0;
  const openedMs = now();
  const session = await openHeldSession(probeSpec, opts.host, client, opts.signal, spec.bytesPerSecond ?? DEFAULT_FTP_BYTES_PER_SECOND);
  const probes: SessionProbe[] = [{ atMs: now(), ok: session.opened.error === null, ...session.opened }];
  const record: SessionRecord = {
    id,
    probe: probeSpec.name,
    protocol: probeSpec.type,
    client: { address: client, port: session.clientPort },
    realServer: session.opened.realServer,
    openedMs,
    closedMs: openedMs,
    brokenMs: session.opened.error === null ? null : probes[0]!.atMs,
    error: session.opened.error,
    probes,
  };
  let completedMs: number | null = null;
  // A sleep ends early when the traffic does or the session ended by itself (its download is over).
  const wake = session.ended === undefined ? opts.trafficDone : AbortSignal.any([opts.trafficDone, session.ended]);
  // Bounded by the traffic's end (or an abort): one probe per period until then, or until a failure.
  while (record.brokenMs === null && completedMs === null && !opts.trafficDone.aborted && !opts.signal.aborted) {
    await sleep(spec.everySeconds * 1000, wake);
    const over = session.ended?.aborted === true;
    // A user's abort ends a download too: that is not the change breaking it.
    if (opts.signal.aborted || (!over && opts.trafficDone.aborted)) break;
    const answer = await session.probe();
    const atMs = now();
    const moved = answer.realServer !== record.realServer;
    const error = answer.error ?? (moved ? { code: 'SERVER_CHANGED', message: `the session moved from ${record.realServer ?? '?'} to ${answer.realServer ?? '?'}` } : null);
    probes.push({ atMs, ok: error === null, realServer: answer.realServer, error, ...(answer.bytes === undefined ? {} : { bytes: answer.bytes }) });
    if (error !== null) {
      record.brokenMs = atMs;
      record.error = error;
    } else if (over) completedMs = atMs;
  }
  await session.close();
  record.closedMs = now();
  if (session.progress) record.transfer = { ...session.progress(), completedMs };
  return record;
}
