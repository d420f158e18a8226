import type { SchedDest, Scheduler, SchedulerFactory } from './types.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * ip_vs_wrr.c, state machine and all: `cl` (cursor, null = list head), `cw` current weight,
 * `mw` max weight - (di - 1), `di` gcd of the positive weights. Sequences depend on whether the
 * service was created with wrr (cw = mw) or got its dests later (dest_changed), as on a real kernel.
 */
export const createWrr: SchedulerFactory = <D extends SchedDest>(dests: readonly D[]): Scheduler<D> => {
  let cl: D | null = null;
  let di = 1;
  let mw = 0;

  const recompute = (): void => {
    let g = 0;
    let max = 0;
    for (const dest of dests) {
      if (dest.weight > 0) g = g > 0 ? gcd(dest.weight, g) : dest.weight;
      if (dest.weight > max) max = dest.weight;
    }
    di = g > 0 ? g : 1;
    mw = max - (di - 1);
  };

  recompute();
  let cw = mw;

  const destChanged = (): void => {
    cl = null;
    recompute();
    if (cw > mw || cw === 0) cw = mw;
    else if (di > 1) cw = Math.floor(cw / di) * di + 1;
  };

  return {
    schedule() {
      if (mw === 0) return null;
      const last = cl;
      let stop: D | null = null;
      let lastPass = false;
      let restarted = false;
      let from = cl === null ? 0 : dests.indexOf(cl) + 1;
      // Each traversal lowers cw by di; the kernel gives up after a full pass at cw <= di.
      const maxTraversals = 2 * (Math.ceil(mw / di) + 1);
      for (let traversal = 0; traversal <= maxTraversals; traversal++) {
        for (let i = from; i < dests.length; i++) {
          const dest = dests[i]!;
          if (dest.weight >= cw) {
            cl = dest;
            return dest;
          }
          if (dest === stop) {
            cl = dest;
            return null;
          }
        }
        from = 0;
        cw -= di;
        if (cw <= 0) {
          cw = mw;
          if (lastPass || last === null) {
            cl = null;
            return null;
          }
          restarted = true;
        }
        lastPass = cw <= di;
        if (lastPass && restarted && last !== null) stop = last;
      }
      return null;
    },
    destAdded: destChanged,
    destDeleted: destChanged,
    destEdited: destChanged,
  };
};
