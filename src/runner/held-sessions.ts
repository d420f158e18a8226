/**
 * Holds the suite's `sessions:` open for the whole traffic: each opens at the traffic's start from its
 * own client address (taken from the end of the pool, away from the first new clients) and is probed
 * every `everySeconds` until the traffic ends or the session breaks. Every probe is stamped on the
 * traffic clock, so the checks can put a break next to the change that caused it.
 */
import type { SessionProbe, SessionRecord } from '../model/change-window.js';
import { openHeldSession } from '../probes/held-session.js';
import type { SuiteSpec } from '../suite/schema.js';
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
      runs.push(holdOne(`${s.probe}#${n}`, probe, client, s.everySeconds, opts));
    }
  }
  return Promise.all(runs);
}

async function holdOne(
  id: string,
  probeSpec: SuiteSpec['probes'][number],
  client: string,
  everySeconds: number,
  opts: HeldSessionsOptions,
): Promise<SessionRecord> {
  const now = (): number => performance.now() - opts.t0;
  const openedMs = now();
  const session = await openHeldSession(probeSpec, opts.host, client, opts.signal);
  const probes: SessionProbe[] = [{ atMs: now(), ok: session.opened.error === null, ...session.opened }];
  const record: SessionRecord = {
    id,
    probe: probeSpec.name,
    protocol: probeSpec.type === 'telnet' ? 'telnet' : 'http',
    client: { address: client, port: session.clientPort },
    realServer: session.opened.realServer,
    openedMs,
    closedMs: openedMs,
    brokenMs: session.opened.error === null ? null : probes[0]!.atMs,
    error: session.opened.error,
    probes,
  };
  // Bounded by the traffic's end (or an abort): one probe per period until then, or until a failure.
  while (record.brokenMs === null && !opts.trafficDone.aborted && !opts.signal.aborted) {
    await sleep(everySeconds * 1000, opts.trafficDone);
    if (opts.trafficDone.aborted || opts.signal.aborted) break;
    const answer = await session.probe();
    const atMs = now();
    const moved = answer.realServer !== record.realServer;
    const error = answer.error ?? (moved ? { code: 'SERVER_CHANGED', message: `the session moved from ${record.realServer ?? '?'} to ${answer.realServer ?? '?'}` } : null);
    probes.push({ atMs, ok: error === null, realServer: answer.realServer, error });
    if (error !== null) {
      record.brokenMs = atMs;
      record.error = error;
    }
  }
  await session.close();
  record.closedMs = now();
  return record;
}
