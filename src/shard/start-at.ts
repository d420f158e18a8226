/**
 * `--start-at TIME`: shards started on different hosts begin their traffic together. TIME is an ISO
 * 8601 time with a zone (2026-12-03T14:00:00Z) or epoch seconds. A time far off is a mistake (a wrong
 * zone, milliseconds for seconds), so it is refused before anything starts rather than waited for.
 */
import { createBadArgumentError } from '../core/errors.js';

/** How far from now a start time may be, either way: late pods start at once, within this bound. */
export const START_AT_WINDOW_MS = 60 * 60 * 1000;

export function parseStartAt(text: string | undefined, nowMs = Date.now()): number | undefined {
  if (text === undefined) return undefined;
  const expected = 'an ISO time with a zone (2026-12-03T14:00:00Z) or epoch seconds, within an hour of now';
  let at: number;
  if (/^\d+(\.\d+)?$/.test(text)) at = Number(text) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) at = Date.parse(text);
  else throw createBadArgumentError('--start-at', `${expected} (not ${text})`);
  if (!Number.isFinite(at)) throw createBadArgumentError('--start-at', `${expected} (not ${text})`);
  const off = at - nowMs;
  if (Math.abs(off) > START_AT_WINDOW_MS) {
    const minutes = Math.round(off / 60_000);
    throw createBadArgumentError('--start-at', `${expected} (${text} is ${Math.abs(minutes)} min ${minutes > 0 ? 'ahead' : 'ago'})`);
  }
  return at;
}

/** Resolves at `epochMs` (at once if it has passed), or when `signal` aborts. */
export function waitUntil(epochMs: number, signal: AbortSignal): Promise<void> {
  const delay = epochMs - Date.now();
  if (delay <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, delay);
    signal.addEventListener('abort', done, { once: true });
  });
}
