/**
 * What a lab did around a suite's changes, in terms both labs share (client numbers, server names,
 * session ids), so the kernel tier can put the kernel's and the embedded lab's side by side:
 * per client the server it had before the change and what it got after (a server, or `failed`), per
 * held session its server and whether it broke, and failed connections per server (a failure counts
 * for the server its client had before it). Clients are keyed by their last octet, which the guest's
 * address mapping keeps (127.a.b.c -> 10.a.b.c).
 *
 * Each lab is read on its own clock: a change takes longer to make on the kernel lab (ipvsadm through
 * `ip netns exec` under TCG, ~50x slower), so the same arrival may fall before the change on one lab
 * and after it on the other. Per client, what it had before its lab's change and what it got once
 * that lab had made it is compared; arrivals in the moment of a change (asked for, not yet made), and
 * later outcomes of clients first seen in that moment, are left out.
 */
import type { ChangeEvent, SessionRecord } from '../../src/model/change-window.js';
import type { Observation } from '../../src/model/observation.js';

/** A change settled on both labs this long after the slower one's ipvsadm returned. */
const SETTLE_MS = 150;

export interface LabRun {
  observations: readonly Observation[];
  changes: readonly ChangeEvent[];
  sessions: readonly SessionRecord[];
}

export interface Behaviour {
  /** Client -> its server at its last success before the first change (sysctls aside). */
  before: Record<string, string>;
  /** Per phase after each change (sysctls aside): client -> its first outcome in that phase. */
  phases: Array<{ change: string; outcomes: Record<string, string> }>;
  sessions: Record<string, { server: string | null; broken: boolean }>;
  /**
   * Failed connections per server their client was on before (`new` for a client never served). How
   * many depends on how long a change took to make (a stop under TCG takes longer), so the labs are
   * compared on which servers' clients failed, and the counts are shown.
   */
  failures: Record<string, number>;
}

const client = (o: Observation): string => o.client.address.split('.').at(-1)!;
const outcome = (o: Observation): string => (o.error === null ? o.realServer ?? '?' : 'failed');

/** The changes that move traffic (sysctls only change how later ones act), with when each had settled on this lab. */
export function phaseTimes(run: LabRun): Array<{ change: string; plannedMs: number; settledMs: number }> {
  return run.changes
    .filter((c) => c.action.kind !== 'sysctl')
    .map((c) => ({ change: c.label, plannedMs: c.plannedMs, settledMs: (c.effectiveMs ?? Infinity) + SETTLE_MS }));
}

export function behaviour(run: LabRun): Behaviour {
  const phases = phaseTimes(run);
  const traffic = run.observations;
  const firstChange = phases[0]?.plannedMs ?? Infinity;
  const before: Record<string, string> = {};
  for (const o of traffic) if (o.startMs < firstChange && o.error === null && o.realServer !== null) before[client(o)] = o.realServer;
  // A client first seen while a change was being made got its template before or after it, depending
  // on how long that lab took: what it has later tells nothing about the change.
  const firstSeen = new Map<string, number>();
  for (const o of traffic) firstSeen.set(client(o), Math.min(firstSeen.get(client(o)) ?? Infinity, o.startMs));
  const seenInMoment = (c: string): boolean => phases.some((p) => firstSeen.get(c)! >= p.plannedMs && firstSeen.get(c)! < p.settledMs);
  const result: Behaviour['phases'] = phases.map((p, i) => {
    const end = phases[i + 1]?.plannedMs ?? Infinity;
    const outcomes: Record<string, string> = {};
    for (const o of traffic) {
      if (o.startMs >= p.settledMs && o.endMs < end && !(client(o) in outcomes) && !seenInMoment(client(o))) outcomes[client(o)] = outcome(o);
    }
    return { change: p.change, outcomes };
  });
  const failures: Record<string, number> = {};
  const lastServer: Record<string, string> = {};
  const inMoment = (o: Observation): boolean => phases.some((p) => o.startMs < p.settledMs && o.endMs >= p.plannedMs);
  for (const o of [...traffic].sort((x, y) => x.startMs - y.startMs)) {
    if (o.error === null && o.realServer !== null) lastServer[client(o)] = o.realServer;
    else if (o.error !== null && !inMoment(o)) {
      const on = lastServer[client(o)] ?? 'new';
      failures[on] = (failures[on] ?? 0) + 1;
    }
  }
  const sessions = Object.fromEntries(run.sessions.map((s) => [s.id, { server: s.realServer, broken: s.brokenMs !== null }]));
  return { before, phases: result, sessions, failures };
}

/** Every way `kernel` and `embedded` differ, one line each (`what: kernel X, embedded Y`); empty when they agree. */
export function differences(kernel: Behaviour, embedded: Behaviour): string[] {
  const out: string[] = [];
  const each = (what: string, k: Record<string, unknown>, e: Record<string, unknown>, onlyShared: boolean): void => {
    for (const key of [...new Set([...Object.keys(k), ...Object.keys(e)])].sort((x, y) => Number(x) - Number(y) || x.localeCompare(y))) {
      if (onlyShared && (!(key in k) || !(key in e))) continue;
      const kv = JSON.stringify(k[key] ?? null);
      const ev = JSON.stringify(e[key] ?? null);
      if (kv !== ev) out.push(`${what} ${key}: kernel ${kv}, embedded ${ev}`);
    }
  };
  each('before the change, client', kernel.before, embedded.before, true);
  kernel.phases.forEach((p, i) => each(`after ${p.change}, client`, p.outcomes, embedded.phases[i]?.outcomes ?? {}, true));
  each('session', kernel.sessions, embedded.sessions, false);
  const failedOn = (f: Record<string, number>): Record<string, string> => Object.fromEntries(Object.keys(f).map((server) => [server, 'some']));
  for (const d of differencesOf(failedOn(kernel.failures), failedOn(embedded.failures))) {
    out.push(`failed connections of clients on ${d}: kernel ${kernel.failures[d] ?? 0}, embedded ${embedded.failures[d] ?? 0}`);
  }
  return out;
}

function differencesOf(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** How many clients each side compared: a comparison of nothing must not pass as agreement. */
export function compared(kernel: Behaviour, embedded: Behaviour): { before: number; after: number[] } {
  const shared = (a: Record<string, string>, b: Record<string, string>): number => Object.keys(a).filter((k) => k in b).length;
  return { before: shared(kernel.before, embedded.before), after: kernel.phases.map((p, i) => shared(p.outcomes, embedded.phases[i]?.outcomes ?? {})) };
}
