import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../model/events.js';
import type { Reporter } from './reporter.js';

/** Every event as one JSON line, for tools that follow a run as it happens. */
export class NdjsonReporter implements Reporter {
  readonly name = 'ndjson';
  private stream: WriteStream | null = null;

  constructor(private readonly file: string) {}

  onEvent(e: RunEvent): void {
    if (!this.stream) {
      mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
      this.stream = createWriteStream(this.file);
    }
    this.stream.write(`${JSON.stringify(e)}\n`);
  }

  async close(): Promise<void> {
    const s = this.stream;
    if (s) await new Promise<void>((resolve) => s.end(resolve));
  }
}
