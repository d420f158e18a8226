/**
 * The bench's progress bar on stderr (a terminal only; stdout stays the report). It appears once a
 * run has lasted DELAY_MS, so short runs print exactly ab's lines, and redraws one line in place a
 * few times a second; ab's heartbeat and diagnostic lines are printed above it.
 */

export interface ProgressState {
  done: number;
  /** -n (the run may end earlier on -t). */
  total: number;
  elapsedSec: number;
  timeLimitSec?: number | undefined;
}

/** A run is shown once it has lasted this long. */
export const DELAY_MS = 2000;
const INTERVAL_MS = 250;
const CLEAR_LINE = '\r\x1b[K';

const clock = (sec: number): string => {
  const s = Math.max(0, Math.round(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One line, at most `width` characters: bar, percentage, requests, rate, time left. */
export function formatProgress(p: ProgressState, width: number): string {
  const byCount = p.total > 0 ? p.done / p.total : 0;
  const byTime = p.timeLimitSec ? p.elapsedSec / p.timeLimitSec : 0;
  const fraction = Math.min(1, Math.max(byCount, byTime));
  const rate = p.elapsedSec > 0 ? p.done / p.elapsedSec : 0;
  const left = byTime >= byCount && p.timeLimitSec ? p.timeLimitSec - p.elapsedSec : rate > 0 ? (p.total - p.done) / rate : null;
  const text = ` ${String(Math.floor(fraction * 100)).padStart(3)}% ${p.done}/${p.total} requests ${Math.round(rate)} req/s ${clock(p.elapsedSec)} elapsed ${left === null ? '-:--' : clock(left)} left`;
  const barWidth = Math.max(0, Math.min(40, width - text.length - 2));
  if (barWidth < 10) return text.trimStart().slice(0, Math.max(0, width)).trimEnd();
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${text}`;
}

export interface ProgressOutput {
  write(text: string): unknown;
  columns?: number;
}

export class ProgressBar {
  private done = 0;
  private shown = false;
  private stopped = false;
  private readonly started: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly out: ProgressOutput,
    private readonly run: { total: number; timeLimitSec?: number | undefined },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.timer = setInterval(() => this.tick(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Requests completed so far. */
  update(done: number): void {
    this.done = done;
  }

  /** Prints a whole line (a heartbeat, a diagnostic) above the bar. */
  line(text: string): void {
    this.out.write(`${this.shown ? CLEAR_LINE : ''}${text}\n`);
    if (this.shown) this.tick();
  }

  /** Removes the bar; nothing is drawn after this. */
  stop(): void {
    clearInterval(this.timer);
    this.stopped = true;
    if (this.shown) this.out.write(CLEAR_LINE);
    this.shown = false;
  }

  /** Redraws the bar (the timer calls this a few times a second). */
  tick(): void {
    const elapsedMs = this.now() - this.started;
    if (this.stopped || elapsedMs < DELAY_MS) return;
    this.shown = true;
    const state = { done: this.done, total: this.run.total, elapsedSec: elapsedMs / 1000, timeLimitSec: this.run.timeLimitSec };
    this.out.write(`${CLEAR_LINE}${formatProgress(state, (this.out.columns || 80) - 1)}`);
  }
}
