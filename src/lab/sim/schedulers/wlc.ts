import { connOverhead, type SchedDest, type Scheduler, type SchedulerFactory } from './types.js';

/**
 * ip_vs_wlc.c: least overhead/weight, compared cross-multiplied with a strict `>`, so ties go to
 * the first candidate in list order. The second loop does not skip weight 0 (it can never win).
 */
export const createWlc: SchedulerFactory = <D extends SchedDest>(dests: readonly D[]): Scheduler<D> => ({
  schedule() {
    const first = dests.findIndex((dest) => dest.weight > 0);
    let least = dests[first];
    if (least === undefined) return null;
    let loh = connOverhead(least);
    for (let i = first + 1; i < dests.length; i++) {
      const dest = dests[i]!;
      const doh = connOverhead(dest);
      if (loh * dest.weight > doh * least.weight) {
        least = dest;
        loh = doh;
      }
    }
    return least;
  },
  destAdded() {},
  destDeleted() {},
  destEdited() {},
});
