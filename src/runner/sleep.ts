/**
 * The sleeps waiting on each signal, woken by one abort listener per signal: gap traffic sleeps once
 * per client on the run's signal, and a listener each would pass Node's leak warning (52 listeners)
 * at a few dozen clients.
 */
const sleepers = new WeakMap<AbortSignal, Set<() => void>>();

/** Waits `ms`, or less if `signal` aborts first (no wait if it already has); never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  let waiting = sleepers.get(signal);
  if (waiting === undefined) {
    const set = new Set<() => void>();
    sleepers.set(signal, (waiting = set));
    signal.addEventListener('abort', () => [...set].forEach((wake) => wake()), { once: true });
  }
  const set = waiting;
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      set.delete(done);
      resolve();
    }
    set.add(done);
  });
}
