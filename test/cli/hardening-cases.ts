/**
 * Bad and unusual command lines a new user tries (issue 13), each with the exit code and the first
 * line of stderr it must give. The mocha test (hardening.test.ts) asserts them through the real
 * command line; scripts/cli-cases-table.ts prints them as the table of the closing note.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';

export interface CaseContext {
  /** A scratch folder: `file` is a plain file in it, `readonly` a folder nobody but root may write. */
  dir: string;
  file: string;
  readonly: string;
  /** http://127.0.0.1:PORT/ of a server that counts the connections it is offered (it must see none). */
  url: string;
  /** A suite run with --lab none against that server: any traffic would reach it. */
  suite: string;
  /** A suite file with `text` written into the scratch folder. */
  suiteFile(name: string, text: string): string;
}

export interface CliCase {
  point: number;
  name: string;
  args(ctx: CaseContext): string[];
  code: number;
  /** Must match the first line of stderr (or of stdout for a 0 exit). */
  first: RegExp;
  /** The case needs a user whose permissions count (root writes everywhere). */
  unprivileged?: boolean;
}

export interface CliOutcome {
  code: number | null;
  /** The signal that killed it, when one did (code is then null). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  firstLine: string;
  ms: number;
}

/** A suite whose VIP is the counting server (port from its URL): a run with --lab none would connect to it. */
export function targetSuite(url: string, extra = ''): string {
  const port = new URL(url).port;
  return `vip: 127.0.0.1
service:
  kind: ppc
  ports: [${port}]
  scheduler: rr
  realServers:
    - { name: web1, address: 127.0.13.1, weight: 1 }
probes:
  - { name: http, type: http, port: ${port}, identify: { header: x-real-server } }
clients:
  sources: 127.0.13.10-127.0.13.12
${extra}`;
}

const GOOD = (ctx: CaseContext): string => ctx.suite;

const FWMARK_BAD_PORT = `vip: 127.0.0.160
service:
  kind: fwmark
  fwmark: 3
  ports: [2121, "10001-10010"]
  persistence: { timeout: 100 }
  realServers:
    - { name: ftp1, address: 127.0.13.21, weight: 1 }
probes:
  - { name: http, type: http, port: 8080, identify: { header: x-real-server } }
clients:
  sources: 127.0.13.30-127.0.13.40
checks:
  - fwmark
`;

const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`)].join('\n');

export const CASES: CliCase[] = [
  // 1. outputs checked before traffic
  { point: 1, name: '--results is a file', args: (c) => ['run', '--lab', 'none', '--results', c.file, GOOD(c)], code: 11, first: /--results .*plain-file: .* is a file, not a folder/ },
  { point: 1, name: '--results under a file', args: (c) => ['run', '--lab', 'none', '--results', path.join(c.file, 'r'), GOOD(c)], code: 11, first: /--results .*plain-file\/r: .*plain-file is a file, not a folder/ },
  { point: 1, name: '--results unwritable folder', args: (c) => ['run', '--lab', 'none', '--results', c.readonly, GOOD(c)], code: 11, first: /--results .*read-only: cannot write in this folder \(EACCES\)/, unprivileged: true },
  { point: 1, name: '--results under /proc', args: (c) => ['run', '--lab', 'none', '--results', '/proc/lvs-harness-results', GOOD(c)], code: 11, first: /--results \/proc\/lvs-harness-results: cannot create the folder \/proc\/lvs-harness-results \(ENOENT\)/ },
  { point: 1, name: 'junit: folder is a file', args: (c) => ['run', '--lab', 'none', '--results', c.dir, '--reporter', `junit:${c.file}/j.xml`, GOOD(c)], code: 11, first: /--reporter junit: .*plain-file\/j\.xml: .*plain-file is a file, not a folder/ },
  { point: 1, name: 'junit: folder unwritable', args: (c) => ['run', '--lab', 'none', '--results', path.join(c.dir, 'nobody-results'), '--reporter', `junit:${c.readonly}/j.xml`, GOOD(c)], code: 11, first: /--reporter junit: .*read-only\/j\.xml: cannot write this file \(EACCES\)/, unprivileged: true },
  { point: 1, name: 'ndjson: folder is a file', args: (c) => ['run', '--lab', 'none', '--results', c.dir, '--reporter', `ndjson:${c.file}/e.ndjson`, GOOD(c)], code: 11, first: /--reporter ndjson: .*plain-file\/e\.ndjson: .*is a file, not a folder/ },
  { point: 1, name: 'ndjson: folder unwritable', args: (c) => ['run', '--lab', 'none', '--results', path.join(c.dir, 'nobody-results'), '--reporter', `ndjson:${c.readonly}/e.ndjson`, GOOD(c)], code: 11, first: /--reporter ndjson: .*read-only\/e\.ndjson: cannot write this file \(EACCES\)/, unprivileged: true },
  { point: 1, name: 'bench --json folder is a file', args: (c) => ['bench', '-n', '5', '--json', `${c.file}/x.json`, c.url], code: 11, first: /--json .*plain-file\/x\.json: .*is a file, not a folder/ },
  { point: 1, name: 'bench --json is a folder', args: (c) => ['bench', '-n', '5', '--json', c.dir, c.url], code: 11, first: /--json .*: is a folder, not a file/ },
  { point: 1, name: 'bench -g under /proc', args: (c) => ['bench', '-n', '5', '-g', '/proc/lvs-harness/plot.tsv', c.url], code: 11, first: /-g \/proc\/lvs-harness\/plot\.tsv: cannot create the folder \/proc\/lvs-harness \(ENOENT\)/ },
  { point: 1, name: 'bench -e unwritable folder', args: (c) => ['bench', '-n', '5', '-e', `${c.readonly}/p.csv`, c.url], code: 11, first: /-e .*read-only\/p\.csv: cannot write this file \(EACCES\)/, unprivileged: true },
  // 3. logically wrong suites
  { point: 3, name: 'sources overlap a real server', args: (c) => ['run', '--results', c.dir, c.suiteFile('overlap-rs.yaml', targetSuite(c.url).replace('127.0.13.10-127.0.13.12', '127.0.13.1-127.0.13.3'))], code: 11, first: /overlap-rs\.yaml:11:12: clients\.sources: expected source addresses apart from the VIP and the real servers \(127\.0\.13\.1 is real server web1\)/ },
  { point: 3, name: 'sources include the VIP', args: (c) => ['run', '--results', c.dir, c.suiteFile('overlap-vip.yaml', targetSuite(c.url).replace('127.0.13.10-127.0.13.12', '[127.0.13.10, 127.0.0.1]'))], code: 11, first: /overlap-vip\.yaml:11:26: clients\.sources\[1\]: expected .*\(127\.0\.0\.1 is the VIP\)/ },
  { point: 3, name: 'probe port outside the fwmark', args: (c) => ['run', '--results', c.dir, c.suiteFile('fwmark-port.yaml', FWMARK_BAD_PORT)], code: 11, first: /fwmark-port\.yaml:10:37: probes\[0\]\.port: expected a port fwmark 3 covers \(2121, 10001-10010\), not 8080/ },
  { point: 3, name: 'persistence check, no persistence', args: (c) => ['run', '--lab', 'none', '--results', c.dir, c.suiteFile('no-persistence.yaml', targetSuite(c.url, 'checks:\n  - weights\n  - pcc\n'))], code: 11, first: /no-persistence\.yaml:14:5: checks\[1\]: expected a check that applies to a non-persistent service: pcc judges persistence/ },
  { point: 3, name: 'every weight 0', args: (c) => ['run', '--lab', 'none', '--results', c.dir, c.suiteFile('zero-weights.yaml', targetSuite(c.url).replace('weight: 1', 'weight: 0'))], code: 11, first: /zero-weights\.yaml:7:5: service\.realServers: expected at least one real server with a weight above 0/ },
  { point: 3, name: 'YAML alias bomb', args: (c) => ['run', '--lab', 'none', '--results', c.dir, c.suiteFile('bomb.yaml', BOMB)], code: 11, first: /bomb\.yaml:2:8: \(yaml\): expected YAML whose aliases expand to at most 100 nodes each/ },
  { point: 3, name: 'wrong type (string for number)', args: (c) => ['run', '--lab', 'none', '--results', c.dir, c.suiteFile('wrong-type.yaml', targetSuite(c.url, 'traffic: { connections: "2" }\n'))], code: 11, first: /wrong-type\.yaml:12:25: traffic\.connections: expected a value of type number, not string "2"/ },
  { point: 3, name: 'wrong type (empty value)', args: (c) => ['run', '--lab', 'none', '--results', c.dir, c.suiteFile('empty-value.yaml', targetSuite(c.url, 'traffic:\n  connections:\n'))], code: 11, first: /empty-value\.yaml:13:15: traffic\.connections: expected a value of type number, not null/ },
  { point: 3, name: 'missing field says required', args: (c) => ['run', '--lab', 'none', '--results', c.dir, c.suiteFile('no-vip.yaml', targetSuite(c.url).replace('vip: 127.0.0.1\n', ''))], code: 11, first: /no-vip\.yaml:1:1: vip: expected a value \(string\); the field is required/ },
  // 5. conventions
  { point: 5, name: '--version', args: () => ['--version'], code: 0, first: /^lvs-harness \d+\.\d+\.\d+$/ },
  { point: 5, name: 'run --help', args: () => ['run', '--help'], code: 0, first: /^Usage:$/ },
  { point: 5, name: 'lab up --help', args: () => ['lab', 'up', '--help'], code: 0, first: /^Usage:$/ },
  { point: 5, name: 'bench --help', args: () => ['bench', '--help'], code: 0, first: /^Usage: lvs-harness bench/ },
  { point: 5, name: 'init --help', args: () => ['init', '--help'], code: 0, first: /^Usage: lvs-harness init/ },
  { point: 5, name: 'run: unknown option', args: (c) => ['run', '--frobnicate', GOOD(c)], code: 11, first: /^ERROR BAD_ARGUMENT: run: unknown option --frobnicate$/ },
  { point: 5, name: 'bench: unknown option', args: (c) => ['bench', '--frobnicate', c.url], code: 11, first: /^ERROR BAD_ARGUMENT: bench: unknown option --frobnicate$/ },
  { point: 5, name: 'run: option without its value', args: () => ['run', '--results'], code: 11, first: /^ERROR BAD_ARGUMENT: --results: expected a value after it$/ },
  { point: 5, name: '--address-offset out of range', args: (c) => ['run', '--address-offset', '300', GOOD(c)], code: 11, first: /--address-offset: expected a whole number from 0 to 254 \(not 300\)/ },
  { point: 5, name: '--address-offset with --lab none', args: (c) => ['run', '--lab', 'none', '--address-offset', '2', GOOD(c)], code: 11, first: /--address-offset: expected the embedded lab/ },
];

/** Folders, files and the counting server the cases refer to. */
export async function caseContext(dir: string): Promise<{ ctx: CaseContext; connections: () => number; close: () => Promise<void> }> {
  const file = path.join(dir, 'plain-file');
  writeFileSync(file, 'not a folder\n');
  const readonly = path.join(dir, 'read-only');
  mkdirSync(readonly);
  chmodSync(readonly, 0o555);
  chmodSync(dir, 0o777);
  let connections = 0;
  const server: Server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/`;
  const suiteFile = (name: string, text: string): string => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    chmodSync(f, 0o644);
    return f;
  };
  const ctx: CaseContext = { dir, file, readonly, url, suite: suiteFile('target.yaml', targetSuite(url)), suiteFile };
  return { ctx, connections: () => connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export interface StartedCli {
  child: ChildProcess;
  output: () => string;
  done: Promise<CliOutcome>;
}

/**
 * The real command line, bounded in time: a hang ends in SIGKILL and a null code. `group` starts it
 * in a process group of its own, so a test can signal the group as `timeout` and terminals do.
 */
export function startCli(args: string[], opts: { unprivileged?: boolean; timeoutMs?: number; cwd?: string; group?: boolean; command?: string[] } = {}): StartedCli {
  const started = performance.now();
  const asNobody = opts.unprivileged === true && process.getuid?.() === 0;
  const [exe, ...pre] = opts.command ?? [process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/bin.ts')];
  const child = spawn(exe!, [...pre, ...args], {
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group === true,
    ...(asNobody ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } } : {}),
  });
  let stdout = '';
  let stderr = '';
  let both = '';
  child.stdout!.on('data', (d: Buffer) => ((stdout += d.toString()), (both += d.toString())));
  child.stderr!.on('data', (d: Buffer) => ((stderr += d.toString()), (both += d.toString())));
  const timer = setTimeout(() => (opts.group ? process.kill(-child.pid!, 'SIGKILL') : child.kill('SIGKILL')), opts.timeoutMs ?? 30_000);
  const done = new Promise<CliOutcome>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = code === 0 ? stdout : stderr;
      resolve({ code, signal, stdout, stderr, firstLine: text.split('\n').find((l) => l.trim() !== '') ?? '', ms: performance.now() - started });
    }),
  );
  return { child, output: () => both, done };
}

/**
 * Whether the unprivileged cases can run: as root they run as nobody (root writes anywhere), which
 * needs the clone readable by others (not so under a 0700 home folder).
 */
export function canRunUnprivileged(): boolean {
  if (process.getuid?.() !== 0) return true;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', ''], { cwd: ROOT, uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' }, timeout: 30_000 });
  return r.status === 0;
}

export function runCli(args: string[], opts: { unprivileged?: boolean; timeoutMs?: number; cwd?: string } = {}): Promise<CliOutcome> {
  return startCli(args, opts).done;
}

export async function waitFor(output: () => string, pattern: RegExp, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(output())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
