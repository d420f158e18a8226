import { ipv4ToInt } from '../../../net/ipv4.js';
import type { SchedDest, Scheduler, SchedulerFactory } from './types.js';

const TAB_BITS = 8;
const TAB_SIZE = 1 << TAB_BITS;

/** include/linux/hash.h hash_32() with GOLDEN_RATIO_32, kernels >= 4.7. */
export function hash32(value: number, bits: number): number {
  return Math.imul(value, 0x61c88647) >>> (32 - bits);
}

/** Bucket index of a client address (no sh-port flag, so the port counts as 0). */
export function shBucket(address: string): number {
  return hash32(ipv4ToInt(address), TAB_BITS);
}

/**
 * ip_vs_sh.c without flags: 256 buckets filled by walking the list from the head, each dest taking
 * `weight` consecutive buckets (at least one) and wrapping round; rebuilt on every dest change.
 * A bucket whose dest has weight 0 yields no dest (no sh-fallback).
 */
export const createSh: SchedulerFactory = <D extends SchedDest>(dests: readonly D[]): Scheduler<D> => {
  let buckets: (D | null)[] = [];

  const reassign = (): void => {
    buckets = new Array<D | null>(TAB_SIZE).fill(null);
    if (dests.length === 0) return;
    let index = 0;
    let count = 0;
    for (let b = 0; b < TAB_SIZE; b++) {
      const dest = dests[index]!;
      buckets[b] = dest;
      if (++count >= dest.weight) {
        index = (index + 1) % dests.length;
        count = 0;
      }
    }
  };

  reassign();
  return {
    schedule(client) {
      const dest = buckets[shBucket(client.address)] ?? null;
      return dest !== null && dest.weight > 0 ? dest : null;
    },
    destAdded: reassign,
    destDeleted: reassign,
    destEdited: reassign,
  };
};
