/**
 * Carries out a suite's `changes:` on the lab's ChangeTarget at their times on the traffic clock, one
 * after the other in `at` order (two changes at the same time keep the suite's order), and records
 * when each had taken effect. A change that fails is recorded with its error; the others still run.
 */
import type { ChangeTarget } from '../changes/change-target.js';
import type { SuiteProblem } from '../core/errors.js';
import type { ChangeEvent } from '../model/change-window.js';
import { changeLabel } from '../changes/change-label.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { PlannedChange } from '../suite/changes.js';
import { sleep } from './sleep.js';

/**
 * The changes `target` cannot make, as suite problems at each change (`locations[i]` is where change i
 * is written); every change when there is no target at all.
 */
export function unsupportedChanges(
  changes: readonly PlannedChange[],
  target: ChangeTarget | undefined,
  locations: readonly Omit<SuiteProblem, 'expected'>[],
  labName: string,
): SuiteProblem[] {
  const problems: SuiteProblem[] = [];
  changes.forEach((c, i) => {
    const why = target === undefined ? `the ${labName} lab cannot make changes` : target.unsupported(c.action);
    if (why !== null && locations[i] !== undefined) problems.push({ ...locations[i]!, expected: `a change this lab can make (${why})` });
  });
  return problems;
}

export interface ChangeRunOptions {
  t0: number;
  signal: AbortSignal;
  applyConfigs: Readonly<Record<string, DirectorConfig>>;
  onChange(e: ChangeEvent): void;
}

export async function runChanges(changes: readonly PlannedChange[], target: ChangeTarget, opts: ChangeRunOptions): Promise<ChangeEvent[]> {
  const done: ChangeEvent[] = [];
  const order = changes.map((c, index) => ({ c, index })).sort((a, b) => a.c.at - b.c.at || a.index - b.index);
  for (const { c, index } of order) {
    await sleep(opts.t0 + c.at * 1000 - performance.now(), opts.signal);
    if (opts.signal.aborted) break;
    const event: ChangeEvent = { index, action: c.action, label: changeLabel(c.action), plannedMs: c.at * 1000, effectiveMs: null, commands: [], error: null };
    try {
      const a = c.action;
      event.commands = await target.apply(a.kind === 'apply' ? { ...a, config: opts.applyConfigs[a.file]! } : a, opts.signal);
      event.effectiveMs = performance.now() - opts.t0;
    } catch (e) {
      event.error = e instanceof Error ? e.message : String(e);
    }
    done.push(event);
    opts.onChange(event);
  }
  return done;
}
