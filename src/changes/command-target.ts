/**
 * A suite's `changes:` made on a real director with real commands through a prefix: `ipvsadm` edits
 * and `sysctl -w net.ipv4.vs.*`, run without a shell as `--director CMD` reads the director
 * (`ssh root@lvs1`, `ip netns exec lvs-director`). Each edit is built from the director's own table
 * as it is at that moment (`ipvsadm -S -n`): the services that hold the server, its port and its
 * forwarding method, so `-e` keeps everything but the weight. What is not the director's to do
 * (stopping and starting a real server's daemons, a keepalived reload) is done by the `servers` and
 * `reload` a lab hands in; without them it is refused before any traffic.
 */
import { HarnessError } from '../core/errors.js';
import { runDirectorCommand } from '../director/director-command.js';
import { parseIpvsadmSaveText } from '../director/parse/ipvsadm-save.js';
import { serviceKey } from '../director/parse/service-key.js';
import type { ChangeAction, StopMode } from '../model/change-window.js';
import type { DirectorConfig, IpvsService, RealServer } from '../model/ipvs.js';
import { FORWARD_FLAG, serviceArgs, persistenceArgs } from '../lab/kernel/ipvsadm-commands.js';
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

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function line(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

function changeFailed(command: string, status: string, output: string): Error {
  const said = output.trim();
  return new Error(`\`${command}\` ${status}${said ? `: ${said}` : ''}`);
}

/** `-r ADDR:PORT -g`: a dest as its service holds it. */
function destArgs(service: IpvsService, rs: Pick<RealServer, 'address' | 'port' | 'forward'>): string[] {
  const address = rs.address.includes(':') ? `[${rs.address}]` : rs.address;
  const port = rs.port ?? (service.fwmark === undefined ? (service.port ?? 0) : 0);
  return ['-r', `${address}:${port}`, FORWARD_FLAG[rs.forward ?? service.forward]];
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
        return this.onDests(change.server, (s, rs) => ['-e', ...serviceArgs(s), ...destArgs(s, rs), '-w', String(change.to)]);
      case 'remove':
        return this.onDests(change.server, (s, rs) => ['-d', ...serviceArgs(s), '-r', destArgs(s, rs)[1]!]);
      case 'add': {
        const table = await this.table();
        return this.runAll(table.services.map((s) => ['-a', ...serviceArgs(s), ...destArgs(s, { address: change.address }), '-w', String(change.weight)]));
      }
      case 'sysctl':
        return this.runAll(Object.entries(change.values).map(([k, v]) => ['sysctl', '-w', `net.ipv4.vs.${k}=${String(v)}`]), false);
      case 'apply':
        return this.runAll(configEdits(await this.table(), change.config));
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

  /** The director's table now, as `ipvsadm -S -n` saves it. */
  private async table(): Promise<DirectorConfig> {
    const text = await this.run(['ipvsadm', '-S', '-n']);
    try {
      return parseIpvsadmSaveText(text, 'ipvsadm -S -n').config;
    } catch (e) {
      throw new Error(`the director's \`ipvsadm -S -n\` could not be read: ${e instanceof HarnessError ? e.message : String(e)}`);
    }
  }

  /** One ipvsadm per service that holds `server` now; none holding it is an error (the change would do nothing). */
  private async onDests(server: string, edit: (s: IpvsService, rs: RealServer) => string[]): Promise<string[]> {
    const address = this.o.addresses.get(server) ?? server;
    const table = await this.table();
    const edits = table.services.flatMap((s) => s.realServers.filter((rs) => rs.address === address).map((rs) => edit(s, rs)));
    if (edits.length === 0) throw new Error(`no service on the director holds ${server} (${address}) now`);
    return this.runAll(edits);
  }

  /** Runs each in turn (ipvsadm's own arguments unless `ipvsadm` is false); returns them as typed. */
  private async runAll(commands: readonly string[][], ipvsadm = true): Promise<string[]> {
    const typed: string[] = [];
    for (const args of commands) {
      const argv = ipvsadm ? ['ipvsadm', ...args] : args;
      await this.run(argv);
      typed.push(line(argv));
    }
    return typed;
  }

  private run(argv: readonly string[]): Promise<string> {
    const full = [...this.o.prefix, ...argv];
    if (argv[0] !== 'ipvsadm' || argv[1] !== '-S') this.o.announce?.(line(full));
    return runDirectorCommand(full, changeFailed);
  }
}

/**
 * The ipvsadm edits that turn `have` into `want`, as `ipvsadm -C; ipvsadm -R` would end but without
 * clearing: a kept service keeps its connections and templates, a kept dest its weight edited only.
 */
export function configEdits(have: DirectorConfig, want: DirectorConfig): string[][] {
  const edits: string[][] = [];
  const wanted = new Map(want.services.map((s) => [serviceKey(s), s]));
  const current = new Map(have.services.map((s) => [serviceKey(s), s]));
  for (const [key, s] of current) if (!wanted.has(key)) edits.push(['-D', ...serviceArgs(s)]);
  for (const [key, s] of wanted) {
    const old = current.get(key);
    if (old === undefined) edits.push(['-A', ...serviceArgs(s), '-s', s.scheduler, ...persistenceArgs(s)]);
    else if (old.scheduler !== s.scheduler || JSON.stringify(old.persistence) !== JSON.stringify(s.persistence)) {
      edits.push(['-E', ...serviceArgs(s), '-s', s.scheduler, ...persistenceArgs(s)]);
    }
    const dests = new Map((old?.realServers ?? []).map((rs) => [rs.address, rs]));
    for (const rs of s.realServers) {
      const had = dests.get(rs.address);
      dests.delete(rs.address);
      if (had === undefined) edits.push(['-a', ...serviceArgs(s), ...destArgs(s, rs), '-w', String(rs.weight)]);
      else if (had.weight !== rs.weight) edits.push(['-e', ...serviceArgs(s), ...destArgs(s, had), '-w', String(rs.weight)]);
    }
    for (const gone of dests.values()) edits.push(['-d', ...serviceArgs(s), '-r', destArgs(s, gone)[1]!]);
  }
  return edits;
}
