/**
 * What a scheduler may see of a destination, and the kernel's scheduler hooks
 * (struct ip_vs_scheduler: add_dest / del_dest / upd_dest / schedule).
 */

export interface SchedDest {
  readonly address: string;
  readonly weight: number;
  readonly activeConns: number;
  readonly inactConns: number;
}

export interface SchedClient {
  address: string;
  port: number;
}

/**
 * A scheduler bound to one service. `dests` is the service's live list in kernel order (head
 * insertion: most recently added first); hooks run after the list was changed, as the kernel calls
 * them.
 */
export interface Scheduler<D extends SchedDest> {
  schedule(client: SchedClient): D | null;
  destAdded(dest: D): void;
  /** `formerIndex` is where the dest was before it was unlinked. */
  destDeleted(dest: D, formerIndex: number): void;
  destEdited(dest: D): void;
}

/** Called when the service is created or its scheduler switched (the kernel's init_service). */
export type SchedulerFactory = <D extends SchedDest>(dests: readonly D[]) => Scheduler<D>;

/** ip_vs_dest_conn_overhead(): the lc.c comment saying "<<5" is stale, the code uses 256. */
export function connOverhead(dest: SchedDest): number {
  return dest.activeConns * 256 + dest.inactConns;
}
