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
  /** Switches while the template must still have been alive (a tracker keeps the first few of each key). */
  violations: Switch[];
  /** Keys with a switch while the template must still have been alive. */
  violatedKeys: number;
  /** Switches after an idle longer than the template can live (a tracker keeps the first few of each key). */
  expiredSwitches: Switch[];
  /** All such switches, counted. */
  expiredCount: number;
  /** The longest idle time, in ms, after which a key came back to the same server: how long stickiness was shown to last. */
  longestStayMs: number;
}

/** One key's connections folded in start order: where it is now, and what it showed so far. */
class KeyFold {
  count = 0;
  private current = '';
  private lastStart = 0;
  private lastEnd = 0;
  longestStayMs = 0;
  /** Up to `keep` switches while the template lived, in start order. */
  readonly violations: Switch[] = [];
  violated = 0;
  expired = 0;
  readonly expiredSwitches: Switch[] = [];

  constructor(
    private readonly key: string,
    private readonly lifetimeMs: number,
    private readonly keep: number,
  ) {}

  step(o: Observation): void {
    if (this.count++ === 0) {
      this.current = o.realServer!;
      this.lastStart = o.startMs;
      this.lastEnd = o.endMs;
      return;
    }
    if (o.realServer !== this.current) {
      const idleMs = o.startMs - this.lastEnd;
      const s: Switch = {
        key: this.key,
        from: this.current,
        to: o.realServer!,
        seq: o.seq,
        probe: o.probe,
        port: o.target.port,
        client: o.client.address,
        idleMs: Math.round(idleMs),
      };
      if (!this.certainlyAlive(o)) {
        this.expired++;
        if (this.expiredSwitches.length < this.keep) this.expiredSwitches.push(s);
      } else {
        this.violated++;
        if (this.violations.length < this.keep) this.violations.push(s);
      }
      this.current = o.realServer!;
    } else if (this.certainlyAlive(o)) {
      // Only a return within the template's life shows it lasted; after it, fresh scheduling may pick the same server.
      this.longestStayMs = Math.max(this.longestStayMs, o.startMs - this.lastEnd);
    }
    this.lastStart = o.startMs;
    this.lastEnd = Math.max(this.lastEnd, o.endMs);
  }

  /**
   * Whether the key's template certainly still lived when this connection reached the director. Its
   * timer restarts at each new connection and waits for open ones. The director saw the previous SYN
   * no earlier than the client sent it, and this one no later than the client saw it connected (or the
   * connection end), so that span, on the client's clock, bounds the director's: a return at the
   * timeout's edge is not a violation just because the director saw it a few ms later.
   */
  private certainlyAlive(o: Observation): boolean {
    const arrivedBy = o.timings.connectMs !== null ? o.startMs + o.timings.connectMs : o.endMs;
    return arrivedBy <= this.lastStart + this.lifetimeMs || o.startMs <= this.lastEnd;
  }
}

function reportOf(folds: Iterable<KeyFold>, keys: number): StickinessReport {
  const violations: Switch[] = [];
  const expiredSwitches: Switch[] = [];
  let judged = 0;
  let longestStayMs = 0;
  let violatedKeys = 0;
  let expiredCount = 0;
  for (const f of folds) {
    if (f.count >= 2) judged++;
    if (f.violated > 0) violatedKeys++;
    expiredCount += f.expired;
    violations.push(...f.violations);
    expiredSwitches.push(...f.expiredSwitches);
    longestStayMs = Math.max(longestStayMs, f.longestStayMs);
  }
  return { judged, keys, violations, violatedKeys, expiredSwitches, expiredCount, longestStayMs: Math.round(longestStayMs) };
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
  const folds: KeyFold[] = [];
  for (const [key, list] of byKey) {
    const fold = new KeyFold(key, lifetimeMs, Infinity);
    for (const o of list.sort((a, b) => a.startMs - b.startMs)) fold.step(o);
    folds.push(fold);
  }
  return reportOf(folds, byKey.size);
}

/**
 * The same analysis kept as the connections arrive in seq order (a connection's FTP data connections
 * right after it), one fold per key. A key's connections must be folded in start order: a later
 * connection never starts before an earlier one (seq is taken as it starts), but a session's data
 * connection may start after the next session of the same key did; such connections wait in their
 * key's `pending` until no connection still to come can start before them. The report keeps the first
 * few switches of each key (the examples) and counts the rest: memory grows with keys, not connections.
 */
export class StickinessTracker {
  private readonly folds = new Map<string, { fold: KeyFold; pending: Observation[] }>();
  private watermark = -Infinity;

  constructor(
    private readonly lifetimeMs: number,
    private readonly keep = 5,
  ) {}

  /** A connection (not an FTP data connection) started at `startMs`: none still to come starts before it. */
  advance(startMs: number): void {
    this.watermark = startMs;
  }

  add(o: Observation, key: string): void {
    if (o.realServer === null) return;
    let k = this.folds.get(key);
    if (!k) this.folds.set(key, (k = { fold: new KeyFold(key, this.lifetimeMs, this.keep), pending: [] }));
    // Nothing waits and nothing still to come starts before it: folded at once (every connection but an FTP data one).
    if (k.pending.length === 0 && o.startMs <= this.watermark) {
      k.fold.step(o);
      return;
    }
    // Stable: after the pending ones that started at the same time.
    let i = k.pending.length;
    while (i > 0 && k.pending[i - 1]!.startMs > o.startMs) i--;
    k.pending.splice(i, 0, o);
    let ready = 0;
    while (ready < k.pending.length && k.pending[ready]!.startMs <= this.watermark) k.fold.step(k.pending[ready++]!);
    if (ready > 0) k.pending.splice(0, ready);
  }

  /** Connections per key (identified ones), in the order keys first appeared. */
  *picks(): Generator<number> {
    for (const { fold, pending } of this.folds.values()) yield fold.count + pending.length;
  }

  report(): StickinessReport {
    for (const k of this.folds.values()) {
      for (const o of k.pending) k.fold.step(o);
      k.pending.length = 0;
    }
    return reportOf([...this.folds.values()].map((k) => k.fold), this.folds.size);
  }
}

export function switchExamples(switches: readonly Switch[], limit = 5): VerdictExample[] {
  return switches.slice(0, limit).map((s) => ({
    client: s.client,
    detail: `connection #${s.seq} (${s.probe}, port ${s.port}) went to ${s.to} after ${s.from}, ${s.idleMs} ms after the previous one ended`,
  }));
}
