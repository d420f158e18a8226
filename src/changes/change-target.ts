/**
 * What a lab (or a live director) must offer for a suite's `changes:` to be carried out on it. The
 * runner asks `unsupported` for every change before any traffic, so a change a target cannot make
 * stops the suite as invalid input instead of half-way through its window; `apply` is then called at
 * each change's time and resolves once the change has taken effect.
 */
import type { ChangeAction } from '../model/change-window.js';
import type { DirectorConfig } from '../model/ipvs.js';

/** A change as handed to a target: `apply` carries the config its file held (read when the suite loaded). */
export type ChangeRequest = Exclude<ChangeAction, { kind: 'apply' }> | { kind: 'apply'; file: string; config: DirectorConfig };

export interface ChangeTarget {
  /** Why this target cannot carry out `action`, or null when it can. Must not block. */
  unsupported(action: ChangeAction): string | null;
  /**
   * Carries the change out with the director's semantics; resolves when it has taken effect with the
   * commands it amounts to (as an operator would type them). Rejects if it could not be made, or if
   * `signal` (the traffic's end) aborts while it waits.
   */
  apply(change: ChangeRequest, signal?: AbortSignal): Promise<string[]>;
}
