/**
 * A suite's `changes:` made on a real director with real commands through a prefix: `ipvsadm` edits
 * and `sysctl -w net.ipv4.vs.*`, run without a shell as `--director CMD` reads the director
 * (`ssh root@lvs1`, `ip netns exec lvs-director`). Each edit is built from the director's own table
 * as it is at that moment (`ipvsadm -S -n`): the services that hold the server, its port, forwarding
 * method, thresholds and tunnel options, so `-e` keeps everything but the weight. Only the suite's
 * own services are touched (its VIP's, or its fwmark's): a live director serves others, which a
 * drain of a shared real server or an `apply:` must leave as they are. What is not the director's to do
 * (stopping and starting a real server's daemons, a keepalived reload) is done by the `servers` and
 * `reload` a lab hands in; without them it is refused before any traffic.
 */
import { HarnessError } from '../core/errors.js';
import { shellLine } from '../core/shell-words.js';
import { runDirectorCommand } from '../director/director-command.js';
import { parseIpvsadmSaveText } from '../director/parse/ipvsadm-save.js';
import { serviceKey } from '../director/parse/service-key.js';
import type { ChangeAction, StopMode } from '../model/change-window.js';
import type { DirectorConfig, IpvsService, RealServer } from '../model/ipvs.js';
import { destOptionWords, serviceOptionWords } from '../director/ipvsadm-views.js';
import { FORWARD_FLAG, serviceArgs } from '../lab/kernel/ipvsadm-commands.js';
import type { ChangeRequest, ChangeTarget } from './change-target.js';

/** What a lab does to its real servers' daemons; each resolves once done, with what an operator would type. */
export interface DaemonControl {
  stop(server: string, mode: StopMode): Promise<string[]>;
  start(server: string): Promise<string[]>;
}

export interface CommandTargetOptions {
  /** The words before `ipvsadm` / `sysctl`; empty: this host. */
  prefix: readonly string[];
  /** Real server name -> address, for the names a suite's changes use. */
  addresses: ReadonlyMap<string, string>;
  /** The suite's services: those of its VIP (any port and protocol), and its fwmark if it has one. */
  scope: { vip: string; fwmark?: number };
  /** Called with each command, prefix included, just before it runs. */
  announce?(command: string): void;
  /** Absent: `stop`/`start` are refused (a live director does not own its real servers). */
  daemons?: DaemonControl;
  /** Absent: `reload` is refused (no keepalived programs this director). */
  reload?(): Promise<string[]>;
}

const NOT_THE_DIRECTORS =
  'stopping or starting a real server is not the director\'s to do: run the suite with --manual and do it by hand at the prompt, or use the embedded or kernel lab';
const NO_KEEPALIVED = 'reload needs keepalived programming the director (a suite whose service is a keepalived.conf, on the kernel lab; or --manual)';

function changeFailed(command: string, status: string, output: string): Error {
  const said = output.trim();
  return new Error(`\`${command}\` ${status}${said ? `: ${said}` : ''}`);
}

/** `ADDR:PORT` of a dest as its service holds it. */
function destEndpoint(service: IpvsService, rs: Pick<RealServer, 'address' | 'port'>): string {
  const address = rs.address.includes(':') ? `[${rs.address}]` : rs.address;
  return `${address}:${rs.port ?? (service.fwmark === undefined ? (service.port ?? 0) : 0)}`;
}

/** `-r ADDR:PORT -g -w W [-x -y --tun-*]`: a dest as its service holds it, at weight `weight`. */
function destArgs(service: IpvsService, rs: Pick<RealServer, 'address' | 'port' | 'forward' | 'upperThreshold' | 'lowerThreshold' | 'tunnel'>, weight: number): string[] {
  return ['-r', destEndpoint(service, rs), FORWARD_FLAG[rs.forward ?? service.forward], '-w', String(weight), ...destOptionWords(rs as RealServer)];
}

function inScope(scope: CommandTargetOptions['scope'], s: IpvsService): boolean {
  return s.fwmark === undefined ? s.vip === scope.vip : s.fwmark === scope.fwmark;
}

export class CommandChangeTarget implements ChangeTarget {
  constructor(private readonly o: CommandTargetOptions) {}

  unsupported(action: ChangeAction): string | null {
    if ((action.kind === 'stop' || action.kind === 'start') && this.o.daemons === undefined) return NOT_THE_DIRECTORS;
    if (action.kind === 'reload' && this.o.reload === undefined) return NO_KEEPALIVED;
    return null;
  }

  async apply(change: ChangeRequest): Promise<string[]> {
    switch (change.kind) {
      case 'weight':
        return this.onDests(change.server, (s, rs) => ['-e', ...serviceArgs(s), ...destArgs(s, rs, change.to)]);
      case 'remove':
        return this.onDests(change.server, (s, rs) => ['-d', ...serviceArgs(s), '-r', destEndpoint(s, rs)]);
      case 'add': {
        const services = (await this.table()).services;
        if (services.length === 0) throw new Error(`the director has no service of ${this.describeScope()} to add ${change.server} to`);
        return this.runAll(services.map((s) => ['-a', ...serviceArgs(s), ...destArgs(s, { address: change.address }, change.weight)]));
      }
      case 'sysctl':
        return this.runAll(Object.entries(change.values).map(([k, v]) => ['sysctl', '-w', `net.ipv4.vs.${k}=${String(v)}`]), false);
      case 'apply':
        return this.runAll(configEdits(await this.table(), { ...change.config, services: change.config.services.filter((sv) => inScope(this.o.scope, sv)) }));
      case 'stop':
        if (!this.o.daemons) throw new Error(NOT_THE_DIRECTORS);
        return this.o.daemons.stop(change.server, change.mode);
      case 'start':
        if (!this.o.daemons) throw new Error(NOT_THE_DIRECTORS);
        return this.o.daemons.start(change.server);
      case 'reload':
        if (!this.o.reload) throw new Error(NO_KEEPALIVED);
        return this.o.reload();
    }
  }

  /** The suite's services on the director now, as `ipvsadm -S -n` saves them. */
  private async table(): Promise<DirectorConfig> {
    const text = await this.run(['ipvsadm', '-S', '-n']);
    let config: DirectorConfig;
    try {
      config = parseIpvsadmSaveText(text, 'ipvsadm -S -n').config;
    } catch (e) {
      throw new Error(`the director's \`ipvsadm -S -n\` could not be read: ${e instanceof HarnessError ? e.message : String(e)}`);
    }
    return { ...config, services: config.services.filter((s) => inScope(this.o.scope, s)) };
  }

  private describeScope(): string {
    return this.o.scope.fwmark === undefined ? `VIP ${this.o.scope.vip}` : `fwmark ${this.o.scope.fwmark}`;
  }

  /** One ipvsadm per service that holds `server` now; none holding it is an error (the change would do nothing). */
  private async onDests(server: string, edit: (s: IpvsService, rs: RealServer) => string[]): Promise<string[]> {
    const address = this.o.addresses.get(server) ?? server;
    const table = await this.table();
    const edits = table.services.flatMap((s) => s.realServers.filter((rs) => rs.address === address).map((rs) => edit(s, rs)));
    if (edits.length === 0) throw new Error(`no service of ${this.describeScope()} on the director holds ${server} (${address}) now`);
    return this.runAll(edits);
  }

  /** Runs each in turn (ipvsadm's own arguments unless `ipvsadm` is false); returns them as typed. */
  private async runAll(commands: readonly string[][], ipvsadm = true): Promise<string[]> {
    const typed: string[] = [];
    for (const args of commands) {
      const argv = ipvsadm ? ['ipvsadm', ...args] : args;
      await this.run(argv);
      typed.push(shellLine(argv));
    }
    return typed;
  }

  private run(argv: readonly string[]): Promise<string> {
    const full = [...this.o.prefix, ...argv];
    if (argv[0] !== 'ipvsadm' || argv[1] !== '-S') this.o.announce?.(shellLine(full));
    return runDirectorCommand(full, changeFailed);
  }
}

/**
 * The ipvsadm edits that turn `have` into `want`, as `ipvsadm -C; ipvsadm -R` would end but without
 * clearing: a kept service keeps its connections and templates, a kept dest is edited in place. A
 * dest is its address and port (a NAT service may hold one address on two ports).
 */
export function configEdits(have: DirectorConfig, want: DirectorConfig): string[][] {
  const edits: string[][] = [];
  const wanted = new Map(want.services.map((s) => [serviceKey(s), s]));
  const current = new Map(have.services.map((s) => [serviceKey(s), s]));
  const serviceWords = (s: IpvsService): string[] => ['-s', s.scheduler, ...serviceOptionWords(s)];
  for (const [key, s] of current) if (!wanted.has(key)) edits.push(['-D', ...serviceArgs(s)]);
  for (const [key, s] of wanted) {
    const old = current.get(key);
    if (old === undefined) edits.push(['-A', ...serviceArgs(s), ...serviceWords(s)]);
    else if (serviceWords(old).join(' ') !== serviceWords(s).join(' ')) edits.push(['-E', ...serviceArgs(s), ...serviceWords(s)]);
    const dests = new Map((old?.realServers ?? []).map((rs) => [destEndpoint(old!, rs), rs]));
    for (const rs of s.realServers) {
      const endpoint = destEndpoint(s, rs);
      const had = dests.get(endpoint);
      dests.delete(endpoint);
      const args = destArgs(s, rs, rs.weight);
      if (had === undefined) edits.push(['-a', ...serviceArgs(s), ...args]);
      else if (destArgs(old!, had, had.weight).join(' ') !== args.join(' ')) edits.push(['-e', ...serviceArgs(s), ...args]);
    }
    for (const [endpoint] of dests) edits.push(['-d', ...serviceArgs(s), '-r', endpoint]);
  }
  return edits;
}
