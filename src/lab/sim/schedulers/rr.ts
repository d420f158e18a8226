import type { SchedDest, Scheduler, SchedulerFactory } from './types.js';

/**
 * ip_vs_rr.c. The cursor is the last picked dest, or null for the list head; a new dest goes in
 * at the head, so it is reached only after the cursor wraps.
 */
export const createRr: SchedulerFactory = <D extends SchedDest>(dests: readonly D[]): Scheduler<D> => {
  let cursor: D | null = null;
  return {
    schedule() {
      const n = dests.length;
      const start = cursor === null ? 0 : dests.indexOf(cursor) + 1;
      for (let step = 0; step < n; step++) {
        const dest = dests[(start + step) % n];
        if (dest !== undefined && dest.weight > 0) {
          cursor = dest;
          return dest;
        }
      }
      return null;
    },
    destAdded() {},
    destDeleted(dest, formerIndex) {
      // ip_vs_rr_del_dest steps the cursor back to the unlinked dest's predecessor.
      if (cursor === dest) cursor = formerIndex > 0 ? (dests[formerIndex - 1] ?? null) : null;
    },
    destEdited() {},
  };
};
