import { createBadArgumentError } from '../core/errors.js';
import type { DirectorConfig } from '../model/ipvs.js';
import { SNAPSHOT_ENTRIES, type Clock, type Lab, type LabSnapshot } from './lab.js';
import { realServerAddresses } from './director-config.js';
import { startDirector, type RunningDirector } from './sim/director.js';
import { IpvsTable } from './sim/ipvs-table.js';
import { formatConnections, formatListing } from '../director/ipvsadm-views.js';
import type { DirectorSnapshot } from '../director/model.js';
import { readTableState } from './sim/table-reading.js';
import { startRealServer, type RunningRealServer } from './sim/real-server.js';
import { withTelnetServers, type TelnetPort } from './sim/telnet-server.js';
import { withFtpServers, type FtpServerSpec } from './sim/ftp-server.js';
import type { ChangeTarget } from '../changes/change-target.js';
import type { StopMode } from '../model/change-window.js';
import { EmbeddedChanges, type RealServerControl } from './sim/embedded-changes.js';
import { Faults } from './sim/faults.js';

export interface EmbeddedLabOptions {
  config: DirectorConfig;
  /** Ports port-0 and fwmark services are reachable on (userspace cannot listen on every port). */
  listenPorts: readonly number[];
  /** Ports every real server answers HTTP on. */
  httpPorts: readonly number[];
  /** Ports every real server runs a telnetd on, with the credentials it accepts there. */
  telnetPorts?: readonly TelnetPort[];
  /** FTP servers every real server runs, one per control port. */
  ftpServers?: readonly FtpServerSpec[];
  /** The port the director treats as the kernel treats 21 (see IpvsTableOptions.ftpServicePort). */
  ftpServicePort?: number;
  clock?: Clock;
  /** Size of each HTTP answer body; the real server's name line is padded up to it. */
  bodyBytes?: number;
  /** The expire_quiescent_template sysctl (default off, as in the kernel). */
  expireQuiescentTemplate?: boolean;
}

export interface EmbeddedLab extends Lab {
  readonly kind: 'embedded';
  /** The director's IPVS table, for ipvsadm-like edits (`table.editDest(...)`) while the lab runs. */
  readonly table: IpvsTable;
  /** Kills a real server abruptly, as if it crashed. */
  stopRealServer(name: string): Promise<void>;
}

type StartServer = (name: string, address: string) => Promise<RunningRealServer>;

class RunningEmbeddedLab implements EmbeddedLab, RealServerControl {
  readonly kind = 'embedded' as const;
  readonly changes: ChangeTarget;
  /** Stopped servers and how: their daemons killed (reset) or their host silenced (blackhole). */
  private readonly stopped = new Map<string, StopMode>();
  private readonly addresses = new Map<string, string>();

  constructor(
    readonly table: IpvsTable,
    private readonly director: RunningDirector,
    private readonly realServers: Map<string, RunningRealServer>,
    private readonly startServer: StartServer,
    private readonly faults: Faults,
  ) {
    for (const rs of realServers.values()) this.addresses.set(rs.name, rs.address);
    this.changes = new EmbeddedChanges(table, this);
  }

  addressOf(name: string): string | undefined {
    return this.addresses.get(name);
  }

  nameAt(address: string): string | undefined {
    for (const [name, a] of this.addresses) if (a === address) return name;
    return undefined;
  }

  async stop(name: string, mode: StopMode): Promise<void> {
    if (mode === 'reset') await this.stopRealServer(name);
    else {
      this.faults.silence(this.addressOf(name) ?? name);
      this.stopped.set(name, mode);
    }
  }

  async start(name: string): Promise<void> {
    const mode = this.stopped.get(name);
    const address = this.addressOf(name);
    if (mode === undefined || address === undefined) return;
    if (mode === 'blackhole') this.faults.restore(address);
    else this.realServers.set(name, await this.startServer(name, address));
    this.stopped.delete(name);
  }

  async provide(name: string, address: string): Promise<void> {
    if (this.addresses.has(name)) return;
    this.realServers.set(name, await this.startServer(name, address));
    this.addresses.set(name, address);
  }

  describe(): string {
    const servers = [...this.realServers.values()].map(
      (rs) =>
        `  ${rs.name.padEnd(10)} ${rs.address.padEnd(15)} ports ${rs.ports.join(', ')}` +
        (this.stopped.has(rs.name) ? '  (stopped)' : ''),
    );
    const example = this.director.listeners[0];
    return [
      'Embedded LVS lab on loopback: a userspace director with the kernel IPVS semantics.',
      `Virtual services: ${this.director.listeners.join(', ') || '(none)'}`,
      'Real servers:',
      ...servers,
      ...(example === undefined ? [] : [`Try: curl -s --interface 127.0.0.2 http://${example}/`]),
      '',
      formatListing(readTableState(this.table.state(), Date.now())),
    ].join('\n');
  }

  read(): Promise<DirectorSnapshot> {
    return Promise.resolve(readTableState(this.table.state(), Date.now()));
  }

  async snapshot(given?: DirectorSnapshot): Promise<LabSnapshot> {
    const reading = given ?? (await this.read());
    const entries = reading.connections ?? [];
    const cut = entries.length > SNAPSHOT_ENTRIES;
    return {
      kind: this.kind,
      listing: formatListing(reading),
      connections: formatConnections(cut ? { ...reading, connections: entries.slice(0, SNAPSHOT_ENTRIES) } : reading),
      ...(cut ? { connectionLines: entries.length } : {}),
      history: this.table.history(),
    };
  }

  async stopRealServer(name: string): Promise<void> {
    const rs = this.realServers.get(name);
    if (rs === undefined) throw createBadArgumentError('real server', `one of ${[...this.realServers.keys()].join(', ')}`);
    this.stopped.set(name, 'reset');
    await rs.kill();
  }

  async close(): Promise<void> {
    await Promise.all([this.director.close(), ...[...this.realServers.values()].map((rs) => rs.kill())]);
  }
}

/** Starts the real servers, then the director in front of them; all on loopback. */
export async function startEmbeddedLab(options: EmbeddedLabOptions): Promise<EmbeddedLab> {
  const table = IpvsTable.fromConfig(options.config, {
    clock: options.clock,
    expireQuiescentTemplate: options.expireQuiescentTemplate ?? false,
    ftpServicePort: options.ftpServicePort,
  });
  const realServers = new Map<string, RunningRealServer>();
  const startServer: StartServer = async (name, address) => {
    const http = await startRealServer({ name, address, ports: options.httpPorts, bodyBytes: options.bodyBytes ?? 0 });
    const telnet = await withTelnetServers(http, options.telnetPorts ?? []);
    return withFtpServers(telnet, options.ftpServers ?? []);
  };
  const faults = new Faults();
  try {
    for (const [name, address] of realServerAddresses(options.config)) realServers.set(name, await startServer(name, address));
    const director = await startDirector(options.config, table, options.listenPorts, faults);
    return new RunningEmbeddedLab(table, director, realServers, startServer, faults);
  } catch (err) {
    await Promise.all([...realServers.values()].map((rs) => rs.kill()));
    throw err;
  }
}
