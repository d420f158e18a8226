import type {
  ConnectionTimeouts,
  DirectorConfig,
  FwmarkRule,
  IpvsService,
  Persistence,
  RealServer,
  KernelSchedulerName,
  SchedulerName,
} from '../../model/ipvs.js';
import { createBadArgumentError, createLabStartError } from '../../core/errors.js';
import { systemClock, type Clock, type ScheduleRecord } from '../lab.js';
import { ConnectionTable, DEFAULT_TIMEOUTS, type Connection, type FoundEntry } from './connections.js';
import { ScheduleHistory } from './history.js';
import { schedulerFactories, type Scheduler, type SchedulerFactory } from './schedulers/index.js';
import { findService, FTP_PORT, serviceName, type Destination, type ServiceRef } from './service-lookup.js';
import type { EntryState, TableState } from './table-state.js';
import { SYSCTL_DEFAULTS, type Sysctls } from '../../model/change-window.js';
import { formatTemplateKey, templateKeyFor, TemplateStore, type Template } from './templates.js';

/** A director read from a dump may use a kernel scheduler this lab does not implement: refused before any traffic. */
function labScheduler(name: SchedulerName | KernelSchedulerName, service: string): SchedulerFactory {
  if (Object.hasOwn(schedulerFactories, name)) return schedulerFactories[name as SchedulerName];
  const known = Object.keys(schedulerFactories).join(', ');
  throw createLabStartError(`service ${service}`, new Error(`the embedded lab has no ${name} scheduler (it implements ${known})`), 'Try this director with --lab kernel, or change the scheduler in the dump.');
}

export type ServiceSpec = Omit<IpvsService, 'realServers'> & { realServers?: RealServer[] };

export interface ServiceChanges {
  scheduler?: KernelSchedulerName;
  persistence?: Persistence | null;
}

export interface DestChanges {
  weight: number;
}

/** The first packet of a connection, as the director sees it. */
export interface Packet extends Destination {
  caddr: string;
  cport: number;
}

export type { ServiceRef };

export interface IpvsTableOptions {
  clock?: Clock;
  /** The expire_quiescent_template sysctl: a template to a weight-0 dest dies at its next use. */
  expireQuiescentTemplate?: boolean;
  /** `ipvsadm --set tcp tcpfin udp`; the kernel's 900 120 300 by default. */
  timeouts?: ConnectionTimeouts;
  /** How many ScheduleRecords to keep (oldest dropped first); default 100000. */
  historyLimit?: number;
  /** How many closed connection entries to keep before dropping the oldest early; default 100000. */
  maxClosedConnections?: number;
  /**
   * The port treated as the kernel treats 21 (FTP service: data to VIP:20 or an unprivileged port
   * falls back to it and shares its template). Userspace cannot listen on 21 without privileges, so
   * the embedded lab names the suite's FTP control port here; default 21.
   */
  ftpServicePort?: number;
}

export class Dest {
  available = true;
  activeConns = 0;
  inactConns = 0;
  /** Connections scheduled to this dest since it was added: the Conns column of `--stats`. */
  connections = 0;

  constructor(
    public name: string,
    readonly address: string,
    readonly port: number,
    public weight: number,
  ) {}
}

export type LabTemplate = Template<Dest>;
export type LabConnection = Connection<Dest, LabTemplate>;

/** Where the director must send a scheduled connection. */
export interface Scheduled {
  conn: LabConnection;
  realServer: string;
  address: string;
  port: number;
}

interface Service {
  readonly name: string;
  readonly spec: ServiceSpec;
  /** Kernel order: head insertion, most recently added first. */
  readonly dests: Dest[];
  /** Deleted dests, revived with their templates and connections if re-added (ip_vs_trash_get_dest). */
  readonly trash: Map<string, Dest>;
  scheduler: Scheduler<Dest>;
}

const INVALID_PORT = 65535;

/**
 * The kernel's IPVS tables for one director, without sockets: services and their dests, the
 * schedulers, persistence templates and connection entries, all timed by an injectable clock.
 */
export class IpvsTable {
  private readonly clock: Clock;
  private readonly services = new Map<string, Service>();
  private fwmarkRules: FwmarkRule[] = [];
  private seq = 0;
  private readonly nextSeq = (): number => ++this.seq;
  private readonly templates: TemplateStore<Dest>;
  private readonly conns: ConnectionTable<Dest, LabTemplate>;
  private readonly records: ScheduleHistory;
  private readonly ftpPort: number;
  private readonly sysctlValues: Sysctls = { ...SYSCTL_DEFAULTS };
  private readonly timeouts: ConnectionTimeouts;

  constructor(options: IpvsTableOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    this.ftpPort = options.ftpServicePort ?? FTP_PORT;
    this.templates = new TemplateStore(this.clock, options.expireQuiescentTemplate ?? false, this.nextSeq);
    this.conns = new ConnectionTable(this.clock, this.nextSeq, options.timeouts, options.maxClosedConnections);
    this.records = new ScheduleHistory(options.historyLimit ?? 100_000);
    this.sysctlValues.expire_quiescent_template = options.expireQuiescentTemplate ? 1 : 0;
  }

  /** /proc/sys/net/ipv4/vs/*: takes effect for the next packet, as in the kernel. */
  setSysctls(values: Partial<Sysctls>): void {
    Object.assign(this.sysctlValues, values);
    this.templates.expireQuiescent = this.sysctlValues.expire_quiescent_template === 1;
  }

  sysctls(): Sysctls {
    return { ...this.sysctlValues };
  }

  /**
   * What ip_vs_in_hook does with a packet of an existing connection: passes it, or, when its dest was
   * removed, drops it silently (expire_nodest_conn=0: the connection hangs) or expires the entry so the
   * client's stack gets a reset (expire_nodest_conn=1).
   */
  packetVerdict(conn: LabConnection): 'pass' | 'drop' | 'expire' {
    if (conn.dest.available) return 'pass';
    return this.sysctlValues.expire_nodest_conn === 1 ? 'expire' : 'drop';
  }

  /** Every service with a dest at `address`, as refs for editDest/deleteDest. */
  servicesWith(address: string): ServiceRef[] {
    return [...this.services.values()].filter((s) => s.dests.some((d) => d.address === address)).map((s) => s.spec);
  }

  /** Every service, as refs. */
  serviceRefs(): ServiceRef[] {
    return [...this.services.values()].map((s) => s.spec);
  }

  /** Services and their dests are added in config order, as ipvsadm -R or keepalived would. */
  static fromConfig(config: DirectorConfig, options: IpvsTableOptions = {}): IpvsTable {
    const table = new IpvsTable({ timeouts: config.timeouts, ...options });
    for (const service of config.services) table.addService(service);
    table.setFwmarkRules(config.fwmarkRules);
    return table;
  }

  setFwmarkRules(rules: readonly FwmarkRule[]): void {
    this.fwmarkRules = [...rules];
  }

  /** ipvsadm -A, then -a for each of `spec.realServers` in order. */
  addService(spec: ServiceSpec): void {
    const name = serviceName(spec);
    if (this.services.has(name)) throw createBadArgumentError(name, 'a service that does not exist yet');
    if (spec.fwmark === undefined && (spec.vip === undefined || spec.port === undefined)) {
      throw createBadArgumentError(name, 'either a fwmark or a VIP and port');
    }
    if (spec.port === 0 && spec.persistence === null) {
      throw createBadArgumentError(name, 'persistence (ipvsadm: "Zero port specified for non-persistent service")');
    }
    const dests: Dest[] = [];
    const { realServers, ...rest } = spec;
    this.services.set(name, {
      name,
      spec: { ...rest },
      dests,
      trash: new Map(),
      scheduler: labScheduler(spec.scheduler, name)(dests),
    });
    for (const rs of realServers ?? []) this.addDest(spec, rs);
  }

  /** ipvsadm -E: switching the scheduler re-initialises it; templates keep their old timeout. */
  editService(ref: ServiceRef, changes: ServiceChanges): void {
    const service = this.service(ref);
    if (changes.scheduler !== undefined && changes.scheduler !== service.spec.scheduler) {
      service.scheduler = labScheduler(changes.scheduler, serviceName(ref))(service.dests);
      service.spec.scheduler = changes.scheduler;
    }
    if (changes.persistence !== undefined) service.spec.persistence = changes.persistence;
  }

  /** ipvsadm -D: its dests become unavailable, which invalidates their templates. */
  deleteService(ref: ServiceRef): void {
    const service = this.service(ref);
    for (const dest of service.dests) dest.available = false;
    this.services.delete(service.name);
  }

  /** ipvsadm -a: the dest goes to the head of the list. */
  addDest(ref: ServiceRef, rs: RealServer): void {
    const service = this.service(ref);
    if (service.dests.some((d) => d.address === rs.address)) {
      throw createBadArgumentError(`${service.name} -r ${rs.address}`, 'a destination not yet in the service');
    }
    const revived = service.trash.get(rs.address);
    service.trash.delete(rs.address);
    const dest = revived ?? new Dest(rs.name, rs.address, service.spec.port ?? 0, rs.weight);
    dest.name = rs.name;
    dest.weight = rs.weight;
    dest.available = true;
    service.dests.unshift(dest);
    service.scheduler.destAdded(dest);
  }

  /** ipvsadm -e: always signals the scheduler, even if nothing changed (wrr then resets its cursor). */
  editDest(ref: ServiceRef, address: string, changes: DestChanges): void {
    const service = this.service(ref);
    const dest = this.dest(service, address);
    dest.weight = changes.weight;
    service.scheduler.destEdited(dest);
  }

  /** ipvsadm -d: the dest goes to the trash; its templates die at their next lookup. */
  deleteDest(ref: ServiceRef, address: string): void {
    const service = this.service(ref);
    const dest = this.dest(service, address);
    const index = service.dests.indexOf(dest);
    service.dests.splice(index, 1);
    dest.available = false;
    service.trash.set(address, dest);
    service.scheduler.destDeleted(dest, index);
  }

  /** The name of the service a packet to `vaddr:vport` would hit, by the kernel's lookup order. */
  lookup(packet: Destination): string | null {
    return findService(this.services, this.fwmarkRules, packet, this.ftpPort)?.name ?? null;
  }

  /**
   * A new connection: finds its service, uses or creates the persistence template, consults the
   * scheduler when needed, records the decision and opens a connection entry. Null when the kernel
   * would answer with ICMP/RST (no service, no dest, or a non-persistent service on another port).
   */
  schedule(packet: Packet): Scheduled | null {
    this.conns.purge();
    this.templates.sweepIfDue();
    const old = this.conns.find(packet);
    if (old !== undefined && old.protocol === 'tcp') {
      if (!this.reschedules(old)) return this.reuse(old, packet);
      this.conns.retire(old);
    }
    const service = findService(this.services, this.fwmarkRules, packet, this.ftpPort);
    if (service === undefined) return null;
    const persistence = service.spec.persistence;
    const outcome =
      persistence === null ? this.scheduleDirect(service, packet) : this.schedulePersistent(service, packet, persistence);
    const dest = outcome.dest;
    this.records.add({
      atMs: this.clock.now(),
      service: service.name,
      caddr: packet.caddr,
      cport: packet.cport,
      templateKey: outcome.templateKey,
      realServer: dest?.name ?? null,
      scheduled: outcome.scheduled,
    });
    if (dest === null) return null;
    dest.connections += 1;
    const conn = this.conns.open({
      protocol: packet.protocol,
      caddr: packet.caddr,
      cport: packet.cport,
      vaddr: packet.vaddr,
      vport: packet.vport,
      daddr: dest.address,
      dport: outcome.dport,
      forward: service.spec.forward,
      dest,
      template: outcome.template,
    });
    if (outcome.template !== null) this.templates.attach(outcome.template, conn.expiresAt);
    return { conn, realServer: dest.name, address: dest.address, port: conn.dport };
  }

  /**
   * ip_vs_in_hook (6.1) on a SYN that finds an ended entry of the same client address:port: it is
   * rescheduled when expire_nodest_conn is set and the entry's dest has weight 0, or when
   * conn_reuse_mode is set and is_new_conn_expected(): the entry is not controlled by a template and
   * is in TIME_WAIT or CLOSE, or (bit 2) in FIN_WAIT on a director that sees no replies (DR, TUN).
   * Otherwise the SYN takes the entry over and goes where it went, without scheduling; to a removed
   * dest it is then dropped (expire_nodest_conn=0: the connect hangs, here as dropped bytes) or the
   * entry expired (=1: the kernel schedules the SYN's retransmission a second later, here at once).
   * Only ended entries are looked up: a client cannot reuse a port whose connection is still open.
   */
  private reschedules(old: FoundEntry<Dest, LabTemplate>): boolean {
    const { expire_nodest_conn: nodest, conn_reuse_mode: mode } = this.sysctlValues;
    if (nodest === 1 && (old.dest.weight === 0 || !old.dest.available)) return true;
    if (mode === 0 || old.template !== null) return false;
    return old.state === 'TIME_WAIT' || old.state === 'CLOSE' || ((mode & 2) !== 0 && old.state === 'FIN_WAIT' && old.forward !== 'masq');
  }

  /** The SYN takes the old entry over: same dest, same template, no scheduling and no Conns count. */
  private reuse(old: FoundEntry<Dest, LabTemplate>, packet: Packet): Scheduled {
    this.conns.retire(old);
    this.records.add({
      atMs: this.clock.now(),
      service: this.lookup(packet) ?? `${packet.vaddr}:${packet.vport}`,
      caddr: old.caddr,
      cport: old.cport,
      templateKey: old.template === null ? null : old.template.id,
      realServer: old.dest.name,
      scheduled: false,
    });
    const conn = this.conns.open({ ...old });
    if (conn.template !== null) this.templates.attach(conn.template, conn.expiresAt);
    return { conn, realServer: conn.dest.name, address: conn.dest.address, port: conn.dport };
  }

  /** The real server accepted the connection. */
  established(conn: LabConnection): void {
    this.conns.establish(conn);
  }

  /** Either side closed (`fin`) or reset (`reset`) the connection. */
  ended(conn: LabConnection, how: 'fin' | 'reset'): void {
    if (this.conns.end(conn, how) && conn.template !== null) this.templates.release(conn.template, conn.expiresAt);
  }

  history(): ScheduleRecord[] {
    return this.records.list();
  }

  state(): TableState {
    this.conns.purge();
    const services = [...this.services.values()].map(({ spec, dests }) => ({
      forward: spec.forward,
      protocol: spec.protocol,
      ...(spec.vip === undefined ? {} : { vip: spec.vip }),
      ...(spec.port === undefined ? {} : { port: spec.port }),
      ...(spec.fwmark === undefined ? {} : { fwmark: spec.fwmark }),
      scheduler: spec.scheduler,
      persistence: spec.persistence === null ? null : { ...spec.persistence },
      dests: dests.map((d) => ({
        name: d.name,
        address: d.address,
        port: d.port,
        forward: spec.forward,
        weight: d.weight,
        activeConns: d.activeConns,
        inactConns: d.inactConns,
        connections: d.connections,
      })),
    }));
    return {
      services,
      entries: this.entries(),
      fwmarkRules: this.fwmarkRules.map((r) => ({ ...r, ports: r.ports.map((p) => ({ ...p })) })),
      timeouts: { ...this.timeouts },
      expireQuiescentTemplate: this.sysctlValues.expire_quiescent_template === 1,
    };
  }

  /** Templates and connections merged in creation order: both lists come sorted by seq. */
  private entries(): EntryState[] {
    const now = this.clock.now();
    const templates = this.templates.list();
    const conns = this.conns.list();
    const out: EntryState[] = [];
    let t = 0;
    let c = 0;
    while (t < templates.length || c < conns.length) {
      if (c === conns.length || (t < templates.length && templates[t]!.seq < conns[c]!.seq)) {
        const tpl = templates[t++]!;
        out.push({
          protocol: tpl.key.protocol,
          expireSeconds: Math.max(0, Math.floor((tpl.expiresAt - now) / 1000)),
          state: 'NONE',
          source: `${tpl.key.caddr}:0`,
          virtual: `${tpl.key.vaddr}:${tpl.invalidated ? INVALID_PORT : tpl.key.vport}`,
          destination: `${tpl.dest.address}:${tpl.invalidated ? INVALID_PORT : tpl.dport}`,
        });
      } else {
        const conn = conns[c++]!;
        out.push({
          protocol: conn.protocol === 'tcp' ? 'TCP' : 'UDP',
          expireSeconds: this.conns.secondsLeft(conn),
          state: conn.state,
          source: `${conn.caddr}:${conn.cport}`,
          virtual: `${conn.vaddr}:${conn.vport}`,
          destination: `${conn.daddr}:${conn.dport}`,
        });
      }
    }
    return out;
  }

  private scheduleDirect(service: Service, packet: Packet): Outcome {
    const port = service.spec.port ?? 0;
    // ip_vs_schedule: a non-persistent service only schedules its own port (fwmark aside).
    if (service.spec.fwmark === undefined && packet.vport !== port) return NOTHING;
    const dest = service.scheduler.schedule({ address: packet.caddr, port: packet.cport });
    const dport = dest === null ? 0 : dest.port || packet.vport;
    return { dest, dport, template: null, templateKey: null, scheduled: true };
  }

  /** ip_vs_sched_persist. */
  private schedulePersistent(service: Service, packet: Packet, persistence: Persistence): Outcome {
    const key = templateKeyFor(service.spec, packet, persistence.netmask, this.ftpPort);
    const templateKey = formatTemplateKey(key);
    const svcPort = service.spec.port ?? 0;
    const onServicePort = packet.vport === svcPort;
    let template = this.templates.findValid(templateKey);
    const scheduled = template === null;
    if (template === null) {
      const dest = service.scheduler.schedule({ address: packet.caddr, port: packet.cport });
      if (dest === null) return { ...NOTHING, templateKey, scheduled };
      const templatePort = onServicePort && svcPort !== this.ftpPort ? dest.port : 0;
      template = this.templates.create(key, templateKey, dest, templatePort, persistence.timeout * 1000);
    }
    // Port-0 and fwmark services keep the client's destination port.
    const dport = onServicePort && template.dest.port !== 0 ? template.dest.port : packet.vport;
    // The template's own string (not this connection's copy): the history finds it by identity.
    return { dest: template.dest, dport, template, templateKey: template.id, scheduled };
  }

  private service(ref: ServiceRef): Service {
    const service = this.services.get(serviceName(ref));
    if (service === undefined) throw createBadArgumentError(serviceName(ref), 'an existing service');
    return service;
  }

  private dest(service: Service, address: string): Dest {
    const dest = service.dests.find((d) => d.address === address);
    if (dest === undefined) throw createBadArgumentError(`${service.name} -r ${address}`, 'an existing destination');
    return dest;
  }
}

interface Outcome {
  dest: Dest | null;
  dport: number;
  template: LabTemplate | null;
  templateKey: string | null;
  scheduled: boolean;
}

const NOTHING: Outcome = { dest: null, dport: 0, template: null, templateKey: null, scheduled: false };
