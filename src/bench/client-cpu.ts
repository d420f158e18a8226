/**
 * What the load cost this client: CPU time of the whole process (every thread) from the start of the
 * measured run to its last response, start-up and warm-up left out. It answers the question a load
 * test must ask of itself, whether the client or the target was the limit: threads busy for nearly
 * all of the run (busyShare near 1) mean the figures may be the client's ceiling. (Not the reverse: a
 * client starved of CPU by other processes has a low share and a low ceiling.)
 */
import { availableParallelism } from 'node:os';
import type { BenchEvents, ClientCpu } from './types.js';

/** At or above this busy share the client is the likely limit of the run. */
export const CLIENT_BOUND_SHARE = 0.9;
/** Shorter runs are judged by nothing: start-up effects (the ramp, V8's first compiles) dominate them. */
export const CLIENT_BOUND_MIN_SEC = 0.5;

/** The warning for a run whose client was the likely limit, or null. */
export function clientBoundWarning(
  run: { clientCpu?: ClientCpu | null | undefined; timeTakenSec: number },
  busyPoll: boolean,
): string | null {
  const cpu = run.clientCpu;
  // A busy-polling thread spins on purpose: its share says nothing about its load.
  if (!cpu || busyPoll || run.timeTakenSec < CLIENT_BOUND_MIN_SEC || cpu.busyShare < CLIENT_BOUND_SHARE) return null;
  const threads = cpu.threads === 1 ? 'its load thread was' : `its ${cpu.threads} load threads were`;
  return `lvs-harness: ${threads} busy ${Math.round(cpu.busyShare * 100)}% of the run: these figures may be this client's limit, not the target's (see --workers)`;
}

export class ClientCpuMeter {
  private atStart: NodeJS.CpuUsage | null = null;
  private used: NodeJS.CpuUsage | null = null;

  /** `events` with the meter started by `started` and stopped by `ended`. */
  wrap(events: BenchEvents): BenchEvents {
    return {
      ...events,
      started: () => {
        this.atStart = process.cpuUsage();
        events.started?.();
      },
      ended: () => {
        if (this.atStart && !this.used) this.used = process.cpuUsage(this.atStart);
        events.ended?.();
      },
    };
  }

  /**
   * The measurement, or null when the run never started or ended. The load could use one core per
   * thread, and no more cores than the machine has.
   */
  result(threads: number, timeTakenSec: number, cpus: number = availableParallelism()): ClientCpu | null {
    if (!this.used) return null;
    const { user, system } = this.used;
    const capacityUs = Math.min(threads, cpus) * timeTakenSec * 1e6;
    return { userUs: user, systemUs: system, threads, busyShare: capacityUs > 0 ? (user + system) / capacityUs : 0 };
  }
}
