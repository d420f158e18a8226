/**
 * Runs `work` (a busy-polling run) with V8 stopped at its baseline compiler (Sparkplug) instead of
 * optimizing hot functions with TurboFan. The spinning thread has its core to itself, so optimized
 * code buys it little, while the compiles take CPU from a server on the same machine. Measured against
 * nginx on the 2-core VM, `-k -c 10 -t 5` (50,000 requests, medians of 5, interleaved): 65.3k req/s
 * with TurboFan, 67.3k without; warmed up first with 20,000 kept-alive requests, TurboFan still got
 * 72.9k against 76.2k. The flag is process-wide: V8's default comes back when the run ends,
 * and a --max-opt the user gave node is left alone.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's own default for --max-opt: every tier allowed. */
const V8_DEFAULT_MAX_OPT = 999;

function userSetMaxOpt(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--max-opt'));
}

export async function withBaselineJit<T>(work: () => Promise<T>): Promise<T> {
  if (userSetMaxOpt()) return work();
  setFlagsFromString('--max-opt=1');
  try {
    return await work();
  } finally {
    setFlagsFromString(`--max-opt=${V8_DEFAULT_MAX_OPT}`);
  }
}
