/**
 * The kernel lab for one suite, inside the guest: the DR topology around the client namespace the
 * harness already runs in, the director configured with real ipvsadm (and nftables for fwmarks) or
 * programmed by a real keepalived when the config is a keepalived.conf, real daemons on the real
 * servers. Snapshots are the director's own ipvsadm output.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeepalivedVirtualServer } from '../../director/keepalived/model.js';
import { CommandDirector } from '../../director/command-director.js';
import type { DirectorSnapshot, ReadMoment } from '../../director/model.js';
import type { DirectorConfig } from '../../model/ipvs.js';
import type { ProbeSpec } from '../../suite/schema.js';
import { realServerAddresses } from '../director-config.js';
import type { Lab, LabSnapshot } from '../lab.js';
import { runAll, runCommand } from './command.js';
import type { Daemon, DaemonPlan } from './daemons/daemon.js';
import { ftpDaemon } from './daemons/ftp.js';
import { httpDaemon } from './daemons/http.js';
import { telnetDaemon } from './daemons/telnet.js';
import { GUEST_TMP } from './guest-job.js';
import { ipvsadmCommands, nftRuleset } from './ipvsadm-commands.js';
import { reloadKeepalived, startKeepalived, type KeepalivedDirector } from './keepalived-director.js';
import { KernelServerDaemons, killNamespace } from './server-daemons.js';
import { CommandChangeTarget } from '../../changes/command-target.js';
import { shardRange } from '../../shard/shard-spec.js';
import {
  CLIENT_NS,
  DIRECTOR_NS,
  clientAddressBatch,
  clientBatch,
  realServerNamespace,
  shardClientNamespace,
  suiteTeardown,
  suiteTopology,
  type SuiteTopology,
} from './topology.js';

/** The daemon each probe type needs on every real server; each is handed that type's probes only. */
const DAEMONS: Record<ProbeSpec['type'], Daemon> = {
  http: httpDaemon as Daemon,
  telnet: telnetDaemon as Daemon,
  ftp: ftpDaemon as Daemon,
};
const WORK_DIR = path.join(GUEST_TMP, 'lvs-lab');

export interface KernelLabOptions {
  config: DirectorConfig;
  vip: string;
  sources: readonly string[];
  probes: readonly ProbeSpec[];
  /** On guest addresses; when set, keepalived programs the director (and `config` is what it should program). */
  keepalived?: readonly KeepalivedVirtualServer[];
  /**
   * Real servers the suite's changes add later: their namespaces and daemons are up from the start,
   * out of the director's table until the change adds them (as a new host stands ready).
   */
  laterServers?: ReadonlyArray<{ name: string; address: string }>;
  /**
   * `--shards N`: the sources go to N shard client namespaces, block i (as `--shard i/N` cuts the
   * pool) to shard i's, instead of to the harness's own client namespace.
   */
  shardClients?: number;
}

/** Which client namespace holds which of the sources. */
function clientPlacement(sources: readonly string[], shards: number | undefined): Array<[string, readonly string[]]> {
  if (shards === undefined) return [[CLIENT_NS, sources]];
  return Array.from({ length: shards }, (_, index) => {
    const { start, end } = shardRange(sources.length, { index, count: shards });
    return [shardClientNamespace(index), sources.slice(start, end)];
  });
}

function inDirector(...argv: string[]): string[] {
  return ['ip', 'netns', 'exec', DIRECTOR_NS, ...argv];
}

/** One real server per name, as the embedded lab does; the ones changes add later among them. */
function realServersOf(config: DirectorConfig, later: KernelLabOptions['laterServers'] = []): SuiteTopology['realServers'] {
  const servers = realServerAddresses(config);
  for (const rs of later) if (!servers.has(rs.name)) servers.set(rs.name, rs.address);
  return [...servers].map(([name, address]) => ({ name, address }));
}

type ServerDaemon = { server: string; ns: string; plan: DaemonPlan };

function daemonPlans(servers: SuiteTopology['realServers'], vip: string, probes: readonly ProbeSpec[]): ServerDaemon[] {
  const types = [...new Set(probes.map((p) => p.type))];
  return servers.flatMap((rs) =>
    types.flatMap((type) =>
      DAEMONS[type]({ name: rs.name, vip, probes: probes.filter((p) => p.type === type), dir: path.join(WORK_DIR, rs.name, type) }).map(
        (plan) => ({ server: rs.name, ns: realServerNamespace(rs.name), plan }),
      ),
    ),
  );
}

async function startDaemon(ns: string, plan: DaemonPlan): Promise<void> {
  for (const [file, { text, mode = 0o644 }] of Object.entries(plan.files)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text, { mode });
  }
  await runCommand(['ip', 'netns', 'exec', ns, ...plan.start], undefined, `starting ${plan.label}`);
}

class KernelLab implements Lab {
  readonly kind = 'kernel' as const;
  private readonly director = new CommandDirector(inDirector());
  /** The changes as a live director's through `ip netns exec`, plus what only a lab can do to its servers. */
  readonly changes: CommandChangeTarget;

  constructor(
    private readonly options: KernelLabOptions,
    private readonly topology: SuiteTopology,
    private readonly daemons: readonly ServerDaemon[],
    private readonly keepalived: KeepalivedDirector | null,
    /** False for a shard's view of the lab another process built (`attachKernelLab`): that process tears it down. */
    private readonly owned = true,
  ) {
    const k = keepalived;
    const vs = options.keepalived;
    const fwmark = options.config.services.find((s) => s.fwmark !== undefined)?.fwmark;
    this.changes = new CommandChangeTarget({
      prefix: inDirector(),
      addresses: new Map(topology.realServers.map((rs) => [rs.name, rs.address])),
      scope: { vip: options.vip, ...(fwmark === undefined ? {} : { fwmark }) },
      daemons: new KernelServerDaemons(daemons, startDaemon),
      ...(k && vs ? { reload: () => reloadKeepalived(k, vs) } : {}),
    });
  }

  describe(): string {
    if (!this.owned) return `Kernel LVS lab built by this boot's --shards run: director netns ${DIRECTOR_NS} holds VIP ${this.options.vip}; this shard's ${this.options.sources.length} client addresses are in its own client netns.`;
    const servers = this.topology.realServers.map((rs) => `  ${rs.name.padEnd(10)} ${rs.address.padEnd(15)} netns ${realServerNamespace(rs.name)}`);
    return [
      `Kernel LVS lab (qemu guest, DR): director netns ${DIRECTOR_NS} holds VIP ${this.options.vip}; ` +
        `${this.options.sources.length} client addresses in netns ${CLIENT_NS}.`,
      'Real servers (VIP on lo, arp_ignore=1, arp_announce=2):',
      ...servers,
      this.keepalived ? describeKeepalived(this.keepalived) : `Director: ${ipvsadmCommands(this.options.config).map((c) => `ipvsadm ${c.join(' ')}`).join('; ')}`,
    ].join('\n');
  }

  /** The director read as a live one is, through `ip netns exec`: ipvsadm and sysctl, then the parsers. */
  async read(moment?: ReadMoment): Promise<DirectorSnapshot> {
    return { ...(await this.director.read(moment)), source: { kind: 'kernel', description: `kernel lab: ${this.director.describe()}` } };
  }

  async snapshot(given?: DirectorSnapshot): Promise<LabSnapshot> {
    const reading = given ?? (await this.read());
    return {
      kind: this.kind,
      listing: reading.texts['ipvsadm -Ln']!,
      stats: reading.texts['ipvsadm -Ln --stats --exact']!,
      connections: reading.texts['ipvsadm -Lcn']!,
      history: [],
    };
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    // The namespaces must go even if a daemon will not stop, or they leak into the next suite.
    try {
      if (this.keepalived) await stopPids([this.keepalived.pidFile]);
      await stopDaemons(this.daemons);
      // A daemon still closing a connection keeps its namespace, and the veth in it, alive past
      // `ip netns del`: the next suite's servers would find their link names taken.
      for (const rs of this.topology.realServers) await killNamespace(realServerNamespace(rs.name), `stopping what runs on ${rs.name}`);
    } finally {
      await teardown(this.topology, this.options);
    }
  }
}

function describeKeepalived(k: KeepalivedDirector): string {
  const missing = k.missing.length > 0 ? `; not in the table after the wait: ${k.missing.join(', ')} (its log: ${k.log})` : '';
  return `Director: keepalived --check -f ${k.conf} (Debian's keepalived, health checkers on)${missing}`;
}

async function stopDaemons(daemons: ReadonlyArray<{ plan: DaemonPlan }>): Promise<void> {
  await stopPids(daemons.map((d) => d.plan.pidFile));
}

async function stopPids(pids: readonly string[]): Promise<void> {
  await runCommand(['sh', '-c', 'for f in "$@"; do [ -f "$f" ] && kill "$(cat "$f")"; done; true', 'stop', ...pids]);
}

/** Best effort: a half-built lab is torn down as far as it got, so the next suite starts clean. */
async function teardown(topology: SuiteTopology, options: KernelLabOptions): Promise<void> {
  for (const argv of suiteTeardown(topology)) await runCommand(argv).catch(() => undefined);
  for (const [ns, sources] of clientPlacement(options.sources, options.shardClients)) {
    await runCommand(clientBatch(ns), clientAddressBatch(sources, 'del')).catch(() => undefined);
  }
}

export async function startKernelLab(options: KernelLabOptions): Promise<Lab> {
  const topology: SuiteTopology = {
    vip: options.vip,
    realServers: realServersOf(options.config, options.laterServers),
    ...(options.shardClients === undefined ? {} : { shardClients: options.shardClients }),
  };
  const daemons = daemonPlans(topology.realServers, options.vip, options.probes);
  let keepalived: KeepalivedDirector | null = null;
  try {
    await runAll(suiteTopology(topology));
    for (const [ns, sources] of clientPlacement(options.sources, options.shardClients)) {
      await runCommand(clientBatch(ns), clientAddressBatch(sources, 'add'));
    }
    // keepalived programs the services itself; the timeouts (`--set`) are not its part.
    const commands = ipvsadmCommands(options.keepalived ? { ...options.config, services: [] } : options.config);
    await runAll(commands.map((args) => inDirector('ipvsadm', ...args)));
    const rules = nftRuleset(options.config.fwmarkRules);
    if (rules !== null) await runCommand(inDirector('nft', '-f', '-'), rules);
    // The previous suite's servers may have had the same names: their files (uploads too) go.
    await rm(WORK_DIR, { recursive: true, force: true });
    for (const { ns, plan } of daemons) await startDaemon(ns, plan);
    // After the daemons, so that keepalived's first checks find them up.
    if (options.keepalived) {
      const dir = path.join(WORK_DIR, 'keepalived');
      await mkdir(dir, { recursive: true });
      keepalived = await startKeepalived(options.keepalived, dir);
    }
  } catch (err) {
    if (keepalived) await stopPids([keepalived.pidFile]).catch(() => undefined);
    await stopDaemons(daemons).catch(() => undefined);
    await teardown(topology, options);
    throw err;
  }
  return new KernelLab(options, topology, daemons, keepalived);
}

/**
 * A shard's view of the lab that the `--shards` run in this guest built (or `lab up --kernel`'s):
 * the same director read the same way, nothing built, nothing torn down.
 */
export function attachKernelLab(options: KernelLabOptions): Lab {
  return new KernelLab(options, { vip: options.vip, realServers: realServersOf(options.config, options.laterServers) }, [], null, false);
}
