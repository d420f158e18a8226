/**
 * Lines for a file written as a run goes, in batches: a WriteStream that is idle sends each write to
 * the thread pool as a write(2) of its own, ~20 µs per connection at thousands of connections a
 * second. Lines wait at most WAIT_MS (the file still follows the run) or until BATCH_BYTES gather.
 */
import type { WriteStream } from 'node:fs';

const BATCH_BYTES = 64 * 1024;
const WAIT_MS = 200;

export class LineBatch {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly stream: WriteStream) {}

  /** `line` ends with its newline. */
  add(line: string): void {
    this.pending += line;
    if (this.pending.length >= BATCH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), WAIT_MS).unref();
  }

  /** Hands the waiting lines to the stream now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === '') return;
    this.stream.write(this.pending);
    this.pending = '';
  }

  /** Flushes and closes the stream; resolves once the file has every line. */
  end(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
