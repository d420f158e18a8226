/**
 * A live status line on stderr while a suite's traffic runs, on a terminal only: the suite, connections
 * done and failures so far. It is wiped before anything else is printed (listed before the spec
 * reporter, it sees each event first), so verdicts never share a line with it.
 */
import type { RunEvent } from '../model/events.js';
import type { Reporter } from './reporter.js';

/** Redraws at most this often: a fast suite makes thousands of connections a second. */
const REDRAW_MS = 100;

export class ProgressReporter implements Reporter {
  readonly name = 'progress';
  private suite = '';
  private done = 0;
  private failed = 0;
  private shown = false;
  private lastDraw = -Infinity;

  constructor(private readonly err: NodeJS.WritableStream, private readonly now: () => number = () => performance.now()) {}

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'suite:begin':
        this.suite = e.suite;
        this.done = 0;
        this.failed = 0;
        this.lastDraw = -Infinity;
        break;
      case 'observation':
        this.done++;
        if (e.observation.error) this.failed++;
        if (this.now() - this.lastDraw >= REDRAW_MS) this.draw();
        break;
      default:
        this.clear();
    }
  }

  async close(): Promise<void> {
    this.clear();
  }

  private draw(): void {
    this.lastDraw = this.now();
    this.shown = true;
    this.err.write(`\r\x1b[K${this.suite}: ${this.done} connections done, ${this.failed} failed`);
  }

  private clear(): void {
    if (!this.shown) return;
    this.shown = false;
    this.err.write('\r\x1b[K');
  }
}
