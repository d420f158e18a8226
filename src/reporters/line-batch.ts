/**
 * Lines for a file written as a run goes, in batches: a write per line cost ~20 µs per connection at
 * thousands of connections a second. Lines wait at most WAIT_MS (the file still follows the run) or
 * until BATCH_BYTES gather, then go out in one synchronous write: a batch is a few tens of µs of
 * page-cache copy, and nothing is left in a stream's queue when the process exits at once (a second
 * Ctrl-C), so the file has every line handed over before it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const BATCH_BYTES = 64 * 1024;
const WAIT_MS = 200;

export class LineBatch {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private fd: number | null;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  /** `line` ends with its newline. */
  add(line: string): void {
    this.pending += line;
    if (this.pending.length >= BATCH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), WAIT_MS).unref();
  }

  /** Writes the waiting lines now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === '' || this.fd === null) return;
    writeSync(this.fd, this.pending);
    this.pending = '';
  }

  /** Writes what waits and closes the file. */
  end(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
