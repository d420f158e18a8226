import { LegLog } from '../../src/director/leg-log.js';
import type { Observation } from '../../src/model/observation.js';
import type { CheckHooks, VerdictInput } from '../../src/model/plugin.js';
import type { CheckOutcome } from '../../src/model/verdict.js';

/** A check's verdict on `observations`, fed to its hook in seq order as the runner feeds them. */
export async function judge(hooks: CheckHooks, observations: readonly Observation[], input: Omit<VerdictInput, 'legs'>): Promise<CheckOutcome> {
  const legs = new LegLog();
  for (const o of [...observations].sort((a, b) => a.seq - b.seq)) {
    hooks.observation?.(o);
    legs.add(o);
  }
  return hooks.verdict({ ...input, legs });
}
