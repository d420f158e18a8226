/**
 * Stickiness analysis shared by the pcc, ppc and fwmark checks: group identified connections by a
 * persistence key (the masked client address, plus the port for per-port services) and find groups
 * that changed real server while their template must still have been alive.
 */
import type { Observation } from '../model/observation.js';
import type { VerdictExample } from '../model/verdict.js';

export interface Switch {
  key: string;
  from: string;
  to: string;
  /** The connection that landed elsewhere. */
  seq: number;
  probe: string;
  port: number;
  client: string;
  /** Idle time before it, in ms (from the end of the key's previous connections). */
  idleMs: number;
}

export interface StickinessReport {
  /** Keys with at least two identified connections: the only ones that can show stickiness. */
  judged: number;
  keys: number;
  /** Switches while the template must still have been alive. */
  violations: Switch[];
  /** Keys that changed server only after an idle longer than the template can live. */
  expiredSwitches: Switch[];
  /** The longest idle time, in ms, after which a key came back to the same server: how long stickiness was shown to last. */
  longestStayMs: number;
}

/**
 * `lifetimeMs` is how long a template certainly outlives the last new connection (persistence
 * timeout); a switch after a longer idle is allowed.
 */
export function analyseStickiness(
  observations: readonly Observation[],
  keyOf: (o: Observation) => string,
  lifetimeMs: number,
): StickinessReport {
  const byKey = new Map<string, Observation[]>();
  for (const o of observations) {
    if (o.realServer === null) continue;
    const k = keyOf(o);
    const list = byKey.get(k);
    if (list) list.push(o);
    else byKey.set(k, [o]);
  }
  const violations: Switch[] = [];
  const expiredSwitches: Switch[] = [];
  let judged = 0;
  let longestStayMs = 0;
  for (const [key, list] of byKey) {
    if (list.length >= 2) judged++;
    list.sort((a, b) => a.startMs - b.startMs);
    let current = list[0]!.realServer!;
    let lastStart = list[0]!.startMs;
    let lastEnd = list[0]!.endMs;
    for (const o of list.slice(1)) {
      if (o.realServer !== current) {
        const idleMs = o.startMs - lastEnd;
        const s: Switch = {
          key,
          from: current,
          to: o.realServer!,
          seq: o.seq,
          probe: o.probe,
          port: o.target.port,
          client: o.client.address,
          idleMs: Math.round(idleMs),
        };
        // The template timer restarts at each new connection and waits for open connections.
        const expired = o.startMs > lastStart + lifetimeMs && o.startMs > lastEnd;
        (expired ? expiredSwitches : violations).push(s);
        current = o.realServer!;
      } else if (o.startMs <= lastStart + lifetimeMs || o.startMs <= lastEnd) {
        // Only a return within the template's life shows it lasted; after it, fresh scheduling may pick the same server.
        longestStayMs = Math.max(longestStayMs, o.startMs - lastEnd);
      }
      lastStart = o.startMs;
      lastEnd = Math.max(lastEnd, o.endMs);
    }
  }
  return { judged, keys: byKey.size, violations, expiredSwitches, longestStayMs: Math.round(longestStayMs) };
}

export function switchExamples(switches: readonly Switch[], limit = 5): VerdictExample[] {
  return switches.slice(0, limit).map((s) => ({
    client: s.client,
    detail: `connection #${s.seq} (${s.probe}, port ${s.port}) went to ${s.to} after ${s.from}, ${s.idleMs} ms after the previous one ended`,
  }));
}
