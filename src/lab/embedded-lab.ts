import { createBadArgumentError } from '../core/errors.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { Clock, Lab, LabSnapshot } from './lab.js';
import { realServerAddresses } from './director-config.js';
import { startDirector, type RunningDirector } from './sim/director.js';
import { IpvsTable } from './sim/ipvs-table.js';
import { formatConnections, formatListing } from '../director/ipvsadm-views.js';
import type { DirectorSnapshot } from '../director/model.js';
import { readTableState } from './sim/table-reading.js';
import { startRealServer, type RunningRealServer } from './sim/real-server.js';
import { withTelnetServers, type TelnetPort } from './sim/telnet-server.js';
import { withFtpServers, type FtpServerSpec } from './sim/ftp-server.js';

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

class RunningEmbeddedLab implements EmbeddedLab {
  readonly kind = 'embedded' as const;
  private readonly stopped = new Set<string>();

  constructor(
    readonly table: IpvsTable,
    private readonly director: RunningDirector,
    private readonly realServers: ReadonlyMap<string, RunningRealServer>,
  ) {}

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
    return { kind: this.kind, listing: formatListing(reading), connections: formatConnections(reading), history: this.table.history() };
  }

  async stopRealServer(name: string): Promise<void> {
    const rs = this.realServers.get(name);
    if (rs === undefined) throw createBadArgumentError('real server', `one of ${[...this.realServers.keys()].join(', ')}`);
    this.stopped.add(name);
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
  try {
    for (const [name, address] of realServerAddresses(options.config)) {
      const http = await startRealServer({ name, address, ports: options.httpPorts, bodyBytes: options.bodyBytes ?? 0 });
      const telnet = await withTelnetServers(http, options.telnetPorts ?? []);
      realServers.set(name, await withFtpServers(telnet, options.ftpServers ?? []));
    }
    const director = await startDirector(options.config, table, options.listenPorts);
    return new RunningEmbeddedLab(table, director, realServers);
  } catch (err) {
    await Promise.all([...realServers.values()].map((rs) => rs.kill()));
    throw err;
  }
}
