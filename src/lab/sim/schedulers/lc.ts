import { connOverhead, type SchedDest, type Scheduler, type SchedulerFactory } from './types.js';

/** ip_vs_lc.c: least overhead among weight != 0; strict `<` gives ties to the first in list order. */
export const createLc: SchedulerFactory = <D extends SchedDest>(dests: readonly D[]): Scheduler<D> => ({
  schedule() {
    let least: D | null = null;
    let loh = 0;
    for (const dest of dests) {
      if (dest.weight === 0) continue;
      const doh = connOverhead(dest);
      if (least === null || doh < loh) {
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
