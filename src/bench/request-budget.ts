/**
 * How many requests a run may still start. One engine counts them itself. The --workers threads of a
 * closed-model run share one count in shared memory, so a thread that gets through its requests faster
 * takes more of them and all threads finish together; with a fixed split, the last thread ran on alone
 * with part of the connections for 5-10% of the run (measured with two threads against nginx).
 */
export interface RequestBudget {
  /** Takes one request; false when none is left. */
  take(): boolean;
  /** Returns a request that never reached the server (a failed connect) for any slot to issue. */
  giveBack(): void;
  /** Whether a request could be taken now. */
  hasLeft(): boolean;
}

export class LocalBudget implements RequestBudget {
  private taken = 0;

  constructor(private readonly total: number) {}

  take(): boolean {
    if (this.taken >= this.total) return false;
    this.taken++;
    return true;
  }

  giveBack(): void {
    this.taken--;
  }

  hasLeft(): boolean {
    return this.taken < this.total;
  }
}

/** A count of taken requests in `cell[0]`, on a SharedArrayBuffer every thread of the run holds. */
export class SharedBudget implements RequestBudget {
  constructor(
    private readonly cell: Int32Array,
    private readonly total: number,
  ) {}

  take(): boolean {
    if (Atomics.add(this.cell, 0, 1) < this.total) return true;
    Atomics.sub(this.cell, 0, 1);
    return false;
  }

  giveBack(): void {
    Atomics.sub(this.cell, 0, 1);
  }

  hasLeft(): boolean {
    return Atomics.load(this.cell, 0) < this.total;
  }
}

/** The shared cell for a run's threads (workers.ts passes it to each in its options). */
export function sharedBudgetCell(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}
