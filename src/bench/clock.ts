/**
 * Microsecond clock for request timings. ab uses apr_time_now() (wall clock, µs); we use the monotonic
 * performance.now() so NTP steps cannot produce negative intervals, and keep the epoch only for `-g`
 * start times. Whole microseconds keep ab's integer arithmetic (integer means, medians) exact.
 */
import { performance } from 'node:perf_hooks';

/** Monotonic time in whole microseconds. */
export function nowUs(): number {
  return Math.floor(performance.now() * 1000);
}

/** Converts a `nowUs()` reading to epoch microseconds (for gnuplot start times and ISO dates). */
export function toEpochUs(monoUs: number): number {
  return Math.floor(performance.timeOrigin * 1000) + monoUs;
}
