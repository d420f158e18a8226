/**
 * The embedded lab's side of a change window: each change carried out with the kernel's semantics on
 * the lab's own IpvsTable (ipvsadm edits, sysctls) or on its real servers (stop and start), returning
 * the commands an operator would have typed for the same change on a real director.
 */
import type { ChangeRequest, ChangeTarget } from '../../changes/change-target.js';
import type { ChangeAction, StopMode } from '../../model/change-window.js';
import type { DirectorConfig } from '../../model/ipvs.js';
import { persistenceFlags, serviceFlag } from '../../changes/ipvsadm-flags.js';
import type { IpvsTable } from './ipvs-table.js';
import { serviceName } from './service-lookup.js';

/** What the lab does to its real servers' daemons. */
export interface RealServerControl {
  /** The address of a real server the lab knows (running or not). */
  addressOf(name: string): string | undefined;
  /** The name of the real server the lab knows at `address`. */
  nameAt(address: string): string | undefined;
  /** `reset`: its daemons die (listeners closed, connections reset); `blackhole`: it goes silent. */
  stop(name: string, mode: StopMode): Promise<void>;
  /** Undoes stop: the daemons run again, or the host answers again. */
  start(name: string): Promise<void>;
  /** Starts the daemons of a server the lab did not have yet. */
  provide(name: string, address: string): Promise<void>;
}

const NO_RELOAD = 'the embedded lab has no keepalived: reload is only meaningful where keepalived programs the director (use weight/remove/add/apply here)';

export class EmbeddedChanges implements ChangeTarget {
  constructor(
    private readonly table: IpvsTable,
    private readonly servers: RealServerControl,
  ) {}

  unsupported(action: ChangeAction): string | null {
    return action.kind === 'reload' ? NO_RELOAD : null;
  }

  async apply(change: ChangeRequest): Promise<string[]> {
    switch (change.kind) {
      case 'weight':
        return this.table.servicesWith(this.address(change.server)).map((ref) => {
          this.table.editDest(ref, this.address(change.server), { weight: change.to });
          return `ipvsadm -e ${serviceFlag(ref)} -r ${this.address(change.server)} -w ${change.to}`;
        });
      case 'remove':
        return this.table.servicesWith(this.address(change.server)).map((ref) => {
          this.table.deleteDest(ref, this.address(change.server));
          return `ipvsadm -d ${serviceFlag(ref)} -r ${this.address(change.server)}`;
        });
      case 'add': {
        await this.servers.provide(change.server, change.address);
        return this.table.serviceRefs().map((ref) => {
          this.table.addDest(ref, { name: change.server, address: change.address, weight: change.weight });
          return `ipvsadm -a ${serviceFlag(ref)} -r ${change.address} -w ${change.weight}`;
        });
      }
      case 'stop':
        await this.servers.stop(change.server, change.mode);
        return [change.mode === 'reset' ? `(on ${change.server}) kill its daemons` : `(on ${change.server}) drop every packet (host down)`];
      case 'start':
        await this.servers.start(change.server);
        return [`(on ${change.server}) start its daemons`];
      case 'sysctl':
        this.table.setSysctls(change.values);
        return Object.entries(change.values).map(([k, v]) => `sysctl -w net.ipv4.vs.${k}=${String(v)}`);
      case 'apply':
        return this.applyConfig(change.config);
      case 'reload':
        throw new Error(NO_RELOAD);
    }
  }

  private address(name: string): string {
    const address = this.servers.addressOf(name);
    if (address === undefined) throw new Error(`no real server ${name} in the lab`);
    return address;
  }

  /** What `ipvsadm -C; ipvsadm -R` would end with, made by edits so that kept dests keep their connections. */
  private async applyConfig(config: DirectorConfig): Promise<string[]> {
    const commands: string[] = [];
    const wanted = new Map(config.services.map((s) => [serviceName(s), s]));
    for (const ref of this.table.serviceRefs()) {
      if (wanted.has(serviceName(ref))) continue;
      this.table.deleteService(ref);
      commands.push(`ipvsadm -D ${serviceFlag(ref)}`);
    }
    const current = new Map(this.table.state().services.map((s) => [serviceName(s), s]));
    for (const service of wanted.values()) {
      const have = current.get(serviceName(service));
      if (have === undefined) {
        this.table.addService({ ...service, realServers: [] });
        commands.push(`ipvsadm -A ${serviceFlag(service)} -s ${service.scheduler}${persistenceFlags(service)}`);
      } else if (have.scheduler !== service.scheduler || JSON.stringify(have.persistence) !== JSON.stringify(service.persistence)) {
        this.table.editService(service, { scheduler: service.scheduler, persistence: service.persistence });
        commands.push(`ipvsadm -E ${serviceFlag(service)} -s ${service.scheduler}${persistenceFlags(service)}`);
      }
      const dests = new Map((have?.dests ?? []).map((d) => [d.address, d]));
      for (const rs of service.realServers) {
        const name = this.nameOf(rs.address);
        const dest = dests.get(rs.address);
        dests.delete(rs.address);
        if (dest === undefined) {
          await this.servers.provide(name, rs.address);
          this.table.addDest(service, { name, address: rs.address, weight: rs.weight });
          commands.push(`ipvsadm -a ${serviceFlag(service)} -r ${rs.address} -w ${rs.weight}`);
        } else if (dest.weight !== rs.weight) {
          this.table.editDest(service, rs.address, { weight: rs.weight });
          commands.push(`ipvsadm -e ${serviceFlag(service)} -r ${rs.address} -w ${rs.weight}`);
        }
      }
      for (const gone of dests.keys()) {
        this.table.deleteDest(service, gone);
        commands.push(`ipvsadm -d ${serviceFlag(service)} -r ${gone}`);
      }
    }
    return commands;
  }

  /** A dump names servers by address; the lab knows them by the names the suite gave. */
  private nameOf(address: string): string {
    return this.servers.nameAt(address) ?? address;
  }
}
