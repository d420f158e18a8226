/**
 * What must still happen when a second signal ends the process at once: a results.json that says
 * the run was aborted and keeps the suites finished so far. Each entry runs synchronously, once.
 */
const words = new Set<(signal: string) => void>();

export function onQuitAtOnce(fn: (signal: string) => void): () => void {
  words.add(fn);
  return () => words.delete(fn);
}

export function sayLastWords(signal: string): void {
  for (const fn of words) {
    try {
      fn(signal);
    } catch {
      // The process is ending on the user's word; one writer failing must not stop the others.
    }
  }
  words.clear();
}
