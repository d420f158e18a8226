/**
 * `stop` and `start` of a kernel-lab real server, as they happen to a real one. `reset`: every process
 * in the server's namespace is killed (SIGKILL: the daemons and their sessions' children crash), so
 * the kernel closes their sockets and answers further packets with RST, and connects find no
 * listener. `blackhole`: the server's link goes down, so nothing it would answer reaches it (a dead
 * host). `start` runs the same daemons again, or brings the link back.
 */
import type { DaemonControl } from '../../changes/command-target.js';
import type { StopMode } from '../../model/change-window.js';
import { runAll, runCommand } from './command.js';
import type { DaemonPlan } from './daemons/daemon.js';
import { realServerNamespace, serverLink } from './topology.js';

/**
 * Kills every process in the namespace ($1) and returns once all are gone (bounded: 10 s). A process
 * is gone when its /proc entry no longer names a network namespace (a zombie's does not either).
 */
const KILL_ALL = [
  'pids=$(ip netns pids "$1"); [ -n "$pids" ] || exit 0; kill -KILL $pids',
  'for p in $pids; do i=0; while readlink "/proc/$p/ns/net" >/dev/null 2>&1; do [ "$i" -lt 500 ] || exit 1; sleep 0.02; i=$((i + 1)); done; done',
].join('\n');

/** Every process of a real server's namespace killed, returning once none is left. */
export async function killNamespace(ns: string, what: string): Promise<void> {
  await runCommand(['sh', '-c', KILL_ALL, 'kill', ns], undefined, what);
}

export class KernelServerDaemons implements DaemonControl {
  private readonly stopped = new Map<string, StopMode>();

  constructor(
    private readonly plans: ReadonlyArray<{ server: string; plan: DaemonPlan }>,
    /** Starts one daemon in its server's namespace, returning once it listens. */
    private readonly startOne: (ns: string, plan: DaemonPlan) => Promise<void>,
  ) {}

  async stop(server: string, mode: StopMode): Promise<string[]> {
    const ns = realServerNamespace(server);
    if (this.stopped.has(server)) throw new Error(`${server} is stopped already`);
    if (mode === 'blackhole') {
      await runAll(serverLink(server, 'down'));
      this.stopped.set(server, mode);
      return [`(on ${server}) ip link set eth0 down`];
    }
    await killNamespace(ns, `killing the daemons on ${server}`);
    this.stopped.set(server, mode);
    return [`(on ${server}) kill -KILL ${this.labels(server)}`];
  }

  async start(server: string): Promise<string[]> {
    const mode = this.stopped.get(server);
    if (mode === undefined) throw new Error(`${server} is not stopped`);
    if (mode === 'blackhole') await runAll(serverLink(server, 'up'));
    else for (const { plan } of this.plans.filter((p) => p.server === server)) await this.startOne(realServerNamespace(server), plan);
    this.stopped.delete(server);
    return [mode === 'blackhole' ? `(on ${server}) ip link set eth0 up` : `(on ${server}) start ${this.labels(server)}`];
  }

  private labels(server: string): string {
    return this.plans.filter((p) => p.server === server).map((p) => p.plan.label.replace(/ on \S+/, '')).join(', ');
  }
}
