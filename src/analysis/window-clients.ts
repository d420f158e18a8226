/**
 * What a change did to clients, from the observations alone: per client (persistence key), its first
 * failure after a moment, how long until it was served again, and whether it ended on another server.
 * Shared by the failover and disruption checks.
 */
import type { ChangeAction, ChangeEvent, ChangeWindow } from '../model/change-window.js';
import type { Observation } from '../model/observation.js';

export interface ClientOutcome {
  key: string;
  /** Last server that served it before `fromMs`; null if none did. */
  before: string | null;
  /** First server that served it at or after `fromMs`. */
  after: string | null;
  /** Every server that served it, in order, from `before` on (each once). */
  servers: string[];
  firstFailureMs: number | null;
  /** First success after the first failure; null if it never came. */
  recoveredMs: number | null;
  failures: number;
  /** It made another connection after its first failure (without one, its recovery cannot be known). */
  retried: boolean;
}

/** Each client (by `keyOf`) that made a connection at or after `fromMs`. */
export function clientOutcomes(observations: readonly Observation[], fromMs: number, keyOf: (o: Observation) => string): ClientOutcome[] {
  const byKey = new Map<string, ClientOutcome>();
  const sorted = [...observations].sort((a, b) => a.startMs - b.startMs);
  const before = new Map<string, string>();
  for (const o of sorted) {
    const key = keyOf(o);
    const ok = o.error === null && o.realServer !== null;
    if (o.startMs < fromMs) {
      if (ok) before.set(key, o.realServer!);
      continue;
    }
    let c = byKey.get(key);
    if (c === undefined) {
      const was = before.get(key) ?? null;
      c = { key, before: was, after: null, servers: was === null ? [] : [was], firstFailureMs: null, recoveredMs: null, failures: 0, retried: false };
      byKey.set(key, c);
    }
    if (c.firstFailureMs !== null) c.retried = true;
    if (ok && !c.servers.includes(o.realServer!)) c.servers.push(o.realServer!);
    if (!ok) {
      c.failures++;
      c.firstFailureMs ??= o.startMs;
    } else {
      c.after ??= o.realServer;
      if (c.firstFailureMs !== null) c.recoveredMs ??= o.endMs;
    }
  }
  return [...byKey.values()];
}

/**
 * Seconds from a client's first failure to its first success after it: 0 without a failure, Infinity
 * if it tried again and was never served, null if it never tried again (nothing to tell).
 */
export function recoverySeconds(c: ClientOutcome): number | null {
  if (c.firstFailureMs === null) return 0;
  if (c.recoveredMs !== null) return (c.recoveredMs - c.firstFailureMs) / 1000;
  return c.retried ? Infinity : null;
}

/** Clients served by more than one server (their last one before the window counts). */
export function movedClients(outcomes: readonly ClientOutcome[]): ClientOutcome[] {
  return outcomes.filter((c) => c.servers.length > 1);
}

/** The first change of `kind` that took effect (optionally naming `server`). */
export function firstChange<K extends ChangeAction['kind']>(
  window: ChangeWindow | undefined,
  kind: K,
  server?: string,
): (ChangeEvent & { action: Extract<ChangeAction, { kind: K }> }) | null {
  const found = window?.changes.find(
    (c) => c.effectiveMs !== null && c.action.kind === kind && (server === undefined || ('server' in c.action && c.action.server === server)),
  );
  return (found as (ChangeEvent & { action: Extract<ChangeAction, { kind: K }> }) | undefined) ?? null;
}

/** The value a sysctl had at `atMs`: the last change that set it before then, else the kernel default. */
export function sysctlAt(window: ChangeWindow | undefined, name: 'expire_quiescent_template' | 'expire_nodest_conn' | 'conn_reuse_mode', atMs: number, initial: number): number {
  let value = initial;
  for (const c of window?.changes ?? []) {
    if (c.effectiveMs === null || c.effectiveMs > atMs || c.action.kind !== 'sysctl') continue;
    const v = c.action.values[name];
    if (v !== undefined) value = v;
  }
  return value;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
