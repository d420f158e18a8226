import type { IpvsService } from '../../model/ipvs.js';
import type { Clock } from '../lab.js';
import { formatIpv4, maskAddress } from '../../net/ipv4.js';
import { FTP_PORT } from './service-lookup.js';

/** /proc shows fwmark templates with protocol IPPROTO_IP, named "IP". */
export type TemplateProtocol = 'TCP' | 'UDP' | 'IP';

/** <protocol, caddr & mask, cport = 0, vaddr, vport>, as ip_vs_sched_persist builds it. */
export interface TemplateKey {
  protocol: TemplateProtocol;
  caddr: string;
  vaddr: string;
  vport: number;
}

export interface PersistedPacket {
  protocol: 'tcp' | 'udp';
  caddr: string;
  vaddr: string;
  vport: number;
}

/** Dead templates not looked up again are dropped at most this often, to bound memory. */
const SWEEP_EVERY_MS = 10_000;
/** ip_vs_conn_expire's expire_later: a template still controlling connections lives on 60 s at a time. */
const EXTEND_MS = 60_000;

export function templateKeyFor(
  service: Pick<IpvsService, 'port' | 'fwmark'>,
  packet: PersistedPacket,
  netmask: string,
  ftpPort = FTP_PORT,
): TemplateKey {
  const caddr = maskAddress(packet.caddr, netmask);
  const protocol = packet.protocol === 'tcp' ? 'TCP' : 'UDP';
  if (packet.vport === (service.port ?? 0)) {
    return { protocol, caddr, vaddr: packet.vaddr, vport: service.port === ftpPort ? 0 : packet.vport };
  }
  if (service.fwmark !== undefined) return { protocol: 'IP', caddr, vaddr: formatIpv4(service.fwmark), vport: 0 };
  // Port-0 services and FTP data to a port-21 service: both key on vport 0, so they share templates.
  return { protocol, caddr, vaddr: packet.vaddr, vport: 0 };
}

/** The form ScheduleRecord.templateKey uses: `<proto> <caddr&mask>:0 <vaddr>:<vport>`. */
export function formatTemplateKey(key: TemplateKey): string {
  return `${key.protocol} ${key.caddr}:0 ${key.vaddr}:${key.vport}`;
}

export interface TemplateDest {
  /** Cleared when the dest is deleted (IP_VS_DEST_F_AVAILABLE). */
  readonly available: boolean;
  readonly weight: number;
}

export interface Template<D extends TemplateDest> {
  readonly seq: number;
  readonly key: TemplateKey;
  /** formatTemplateKey(key), made once: every connection the template controls names it in the history. */
  readonly id: string;
  readonly dest: D;
  /** RIP port the template records: dest port for per-port services, 0 otherwise. */
  readonly dport: number;
  timeoutMs: number;
  expiresAt: number;
  /** Invalidated templates stay listed, rehashed with vport/dport 65535, until their timer fires. */
  invalidated: boolean;
  /** Controlled connections still open (no expiry yet). */
  openControlled: number;
  /** Latest expiry among controlled connections that have closed. */
  controlledUntil: number;
}

/** Persistence templates with lazy timers: every read first replays the timer firings up to now. */
export class TemplateStore<D extends TemplateDest> {
  private readonly byKey = new Map<string, Template<D>>();
  private readonly invalidated = new Set<Template<D>>();
  private lastSweep = -Infinity;

  constructor(
    private readonly clock: Clock,
    /** The expire_quiescent_template sysctl; it may change while the lab runs. */
    public expireQuiescent: boolean,
    private readonly nextSeq: () => number,
  ) {}

  /** ip_vs_ct_in_get + ip_vs_check_template: the template whose key formats as `id`, if it is still usable. */
  findValid(id: string): Template<D> | null {
    const template = this.byKey.get(id);
    if (template === undefined) return null;
    const now = this.clock.now();
    if (!this.fireTimers(template, now)) {
      this.byKey.delete(id);
      return null;
    }
    const dest = template.dest;
    if (dest.available && !(this.expireQuiescent && dest.weight === 0)) return template;
    this.byKey.delete(id);
    template.invalidated = true;
    this.invalidated.add(template);
    return null;
  }

  /** `id` is formatTemplateKey(key). */
  create(key: TemplateKey, id: string, dest: D, dport: number, timeoutMs: number): Template<D> {
    const template: Template<D> = {
      seq: this.nextSeq(),
      key,
      id,
      dest,
      dport,
      timeoutMs,
      expiresAt: this.clock.now() + timeoutMs,
      invalidated: false,
      openControlled: 0,
      controlledUntil: 0,
    };
    this.byKey.set(id, template);
    return template;
  }

  /**
   * A new connection now uses the template: ip_vs_conn_put re-arms its timer with its own timeout
   * (which stays 60 s once it has been extended). `connExpiresAt` is Infinity for an open connection.
   */
  attach(template: Template<D>, connExpiresAt: number): void {
    const now = this.clock.now();
    this.fireTimers(template, now);
    template.expiresAt = now + template.timeoutMs;
    if (connExpiresAt === Infinity) template.openControlled++;
    else template.controlledUntil = Math.max(template.controlledUntil, connExpiresAt);
  }

  /** An open controlled connection closed and now expires at `connExpiresAt`. */
  release(template: Template<D>, connExpiresAt: number): void {
    this.fireTimers(template, this.clock.now());
    template.openControlled--;
    template.controlledUntil = Math.max(template.controlledUntil, connExpiresAt);
  }

  /** Live templates, valid and invalidated, oldest first; dead ones are dropped. */
  list(): Template<D>[] {
    this.sweep();
    return [...this.byKey.values(), ...this.invalidated].sort((a, b) => a.seq - b.seq);
  }

  sweepIfDue(): void {
    if (this.clock.now() - this.lastSweep >= SWEEP_EVERY_MS) this.sweep();
  }

  private sweep(): void {
    const now = this.clock.now();
    this.lastSweep = now;
    for (const [id, template] of this.byKey) if (!this.fireTimers(template, now)) this.byKey.delete(id);
    for (const template of this.invalidated) if (!this.fireTimers(template, now)) this.invalidated.delete(template);
  }

  /**
   * Replays the timer firings due by `now`; false when the template has died. Between two calls
   * the controlled connections do not change (every change goes through attach/release, which
   * replay first), so the firings have a closed form and no loop is needed.
   */
  private fireTimers(template: Template<D>, now: number): boolean {
    const firedAt = template.expiresAt;
    if (firedAt > now) return true;
    const controlsUntil = template.openControlled > 0 ? Infinity : template.controlledUntil;
    if (controlsUntil <= firedAt) return false;
    template.timeoutMs = EXTEND_MS;
    const death = firedAt + EXTEND_MS * Math.ceil((controlsUntil - firedAt) / EXTEND_MS);
    if (death <= now) return false;
    template.expiresAt = firedAt + EXTEND_MS * (Math.floor((now - firedAt) / EXTEND_MS) + 1);
    return true;
  }
}
