import type { RunEvent } from '../model/events.js';

/**
 * A reporter sees the run's events and nothing else. `onEvent` is called synchronously in event
 * order and must not block; `close` runs once after `run:end`, for reporters that write files.
 */
export interface Reporter {
  name: string;
  onEvent(e: RunEvent): void;
  close?(): Promise<void>;
}
