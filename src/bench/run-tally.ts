/**
 * What the threads of one run must count together to keep ab's rules for the run as a whole: the
 * requests taken (ab never starts more than -n), the bad requests (ab stops the run when a connect
 * fails with more than 10 bad ones so far), the Document Length (the first good response's body,
 * against which every other response is checked), and the ramp (ab opens one connection until the
 * first response header arrives, then all of them). One engine keeps them itself; --workers threads
 * keep them in shared memory, so they also finish together: a thread that gets through requests
 * faster takes more of them (with a fixed split, the last thread ran on alone with part of the
 * connections for 5-10% of the run).
 */
export interface RunTally {
  /** Takes one request; false when none is left. */
  take(): boolean;
  /** Returns a request that never reached the server (a failed connect) for any slot to issue. */
  giveBack(): void;
  /** Whether a request could be taken now. */
  hasLeft(): boolean;
  /** Counts one bad request; returns the run's bad requests before it (ab's `bad++`). */
  addBad(): number;
  /**
   * The run's Document Length, asked while this engine has one good response. ab sets it from every
   * response closed while its good count is 1 (so a failure right after the first good response
   * resets it); one engine does the same. Threads cannot see a run-wide "good is 1", so the first
   * thread's answer stands for all.
   */
  documentLength(bodyLength: number): number;
  /** Whether this engine opens the run's first connection (the others wait for `whenRamped`). */
  claimFirst(): boolean;
  /** The run's first response header arrived, or the engine that claimed the first connection ended. */
  rampDone(): void;
  /** Resolves once `rampDone` was called by any engine of the run. */
  whenRamped(): Promise<void>;
}

export class LocalTally implements RunTally {
  private taken = 0;
  private bad = 0;

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

  addBad(): number {
    return this.bad++;
  }

  documentLength(bodyLength: number): number {
    return bodyLength;
  }

  claimFirst(): boolean {
    return true;
  }

  rampDone(): void {}

  whenRamped(): Promise<void> {
    return Promise.resolve();
  }
}

const TAKEN = 0;
const BAD = 1;
const DOC_LENGTH = 2;
/** 0: no connection yet; FIRST_CLAIMED: one engine opened the first; RAMPED: every engine may connect. */
const RAMP = 3;
const FIRST_CLAIMED = 1;
const RAMPED = 2;

/** Atomics.waitAsync (ES2024, in Node since 16), which the ES2022 library types lack. */
const waitAsync = (Atomics as unknown as {
  waitAsync(cells: Int32Array, index: number, value: number): { value: Promise<string> | string };
}).waitAsync;

/** The same counts in an Int32Array on a SharedArrayBuffer that every thread of the run holds. */
export class SharedTally implements RunTally {
  constructor(
    private readonly cells: Int32Array,
    private readonly total: number,
  ) {}

  take(): boolean {
    // Compare-and-swap, not add-then-undo: an undone add would briefly hide a request given back.
    for (;;) {
      const taken = Atomics.load(this.cells, TAKEN);
      if (taken >= this.total) return false;
      if (Atomics.compareExchange(this.cells, TAKEN, taken, taken + 1) === taken) return true;
    }
  }

  giveBack(): void {
    Atomics.sub(this.cells, TAKEN, 1);
  }

  hasLeft(): boolean {
    return Atomics.load(this.cells, TAKEN) < this.total;
  }

  addBad(): number {
    return Atomics.add(this.cells, BAD, 1);
  }

  documentLength(bodyLength: number): number {
    const first = Atomics.compareExchange(this.cells, DOC_LENGTH, -1, bodyLength);
    return first === -1 ? bodyLength : first;
  }

  claimFirst(): boolean {
    return Atomics.compareExchange(this.cells, RAMP, 0, FIRST_CLAIMED) === 0;
  }

  rampDone(): void {
    if (Atomics.exchange(this.cells, RAMP, RAMPED) !== RAMPED) Atomics.notify(this.cells, RAMP);
  }

  async whenRamped(): Promise<void> {
    for (;;) {
      const state = Atomics.load(this.cells, RAMP);
      if (state === RAMPED) return;
      await waitAsync(this.cells, RAMP, state).value;
    }
  }
}

/** The shared cells for a run's threads (workers.ts passes them to each in its options). */
export function sharedTallyCells(): Int32Array {
  const cells = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  cells[DOC_LENGTH] = -1;
  return cells;
}
