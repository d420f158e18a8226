/**
 * The servers bench:compare runs against, each from a temporary config in a temporary prefix so
 * nothing outside /tmp is touched: nginx (one worker, a small static file, `X-Real-Server` so the
 * harness identifies every response) and HAProxy in TCP mode in front of two nginx backends.
 * Loopback addresses only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Backend {
  name: string;
  address: string;
}

export interface RunningProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 now (the kernel's pick), for the temporary configs. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/** Resolves once host:port accepts a connection, or rejects after `ms`. */
async function waitForPort(host: string, port: number, ms: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${String(child.spawnfile)} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} did not open within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Servers run in a session of their own, as daemons and systemd services do. With the scheduler's
 * autogroups (on by default), a server in the load tool's session shares one scheduling group with
 * the tool's threads: measured here, lvs-harness on two threads then got 17.9k new connections/s
 * out of nginx instead of 20.7k (medians of 5 interleaved), while ab (one thread, never short of a
 * CPU) was unchanged. A detached child no longer gets the terminal's Ctrl-C, so bench-compare.ts
 * stops it on SIGINT.
 */
function start(command: string, args: string[], stderrLines: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  child.stderr?.on('data', (d: Buffer) => stderrLines.push(d.toString()));
  return child;
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
}

/** Resolves once http://address:port/ answers 200 with `body`, naming itself `name`; rejects otherwise. */
function checkServes(address: string, port: number, name: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = get({ host: address, port, path: '/', agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        const got = `${res.statusCode} from ${String(res.headers['x-real-server'])}`;
        if (res.statusCode === 200 && res.headers['x-real-server'] === name && text === body) resolve();
        else reject(new Error(`http://${address}:${port}/ answered ${got} (${JSON.stringify(text.slice(0, 80))}), not 200 from ${name}`));
      });
    });
    req.once('error', reject).once('timeout', () => req.destroy(new Error(`http://${address}:${port}/ did not answer within 5 s`)));
  });
}

/** nginx with one worker serving `body` on every backend address, each naming itself. */
export async function startNginx(backends: readonly Backend[], port: number, body: string): Promise<RunningProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'lvs-harness-nginx-'));
  // mkdtemp makes the folder 0700; run as root, nginx's workers are `nobody` and would answer 403.
  await chmod(dir, 0o755);
  await mkdir(join(dir, 'html'));
  await mkdir(join(dir, 'tmp'));
  await writeFile(join(dir, 'html', 'index.html'), body);
  const servers = backends.map(
    (b) => `  server { listen ${b.address}:${port}; root ${dir}/html; add_header X-Real-Server ${b.name}; }`,
  );
  const tmp = join(dir, 'tmp');
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      // The default keeps a connection for 1000 requests; a keep-alive run makes millions.
      '  keepalive_requests 100000000;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${tmp};`),
      ...servers,
      '}',
      '',
    ].join('\n'),
  );
  const errors: string[] = [];
  const child = start('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], errors);
  const stop = stopper(child, dir);
  try {
    for (const b of backends) {
      await waitForPort(b.address, port, 5000, child);
      await checkServes(b.address, port, b.name, body);
    }
  } catch (e) {
    await stop();
    throw new Error(`nginx did not start or does not serve the page: ${(e as Error).message} ${errors.join('')}`);
  }
  return { pid: child.pid ?? 0, stop };
}

/**
 * HAProxy in TCP mode, one thread (the lab director is one Node thread too), balance roundrobin over
 * the backends, listening on vip:port.
 */
export async function startHaproxy(vip: string, port: number, backends: readonly Backend[], backendPort: number): Promise<RunningProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'lvs-harness-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  await writeFile(
    config,
    [
      'global',
      '  nbthread 1',
      '  maxconn 4000',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 30s',
      '  timeout server 30s',
      'frontend vip',
      `  bind ${vip}:${port}`,
      '  default_backend real_servers',
      'backend real_servers',
      '  balance roundrobin',
      ...backends.map((b) => `  server ${b.name} ${b.address}:${backendPort}`),
      '',
    ].join('\n'),
  );
  const errors: string[] = [];
  const child = start('haproxy', ['-db', '-f', config], errors);
  const stop = stopper(child, dir);
  try {
    await waitForPort(vip, port, 5000, child);
  } catch (e) {
    await stop();
    throw new Error(`haproxy did not start: ${(e as Error).message} ${errors.join('')}`);
  }
  return { pid: child.pid ?? 0, stop };
}

/** The embedded lab's director alone (scripts/compare/lab-director.ts), in its own process. */
export async function startLabDirector(vip: string, port: number, backends: readonly Backend[]): Promise<RunningProcess> {
  const errors: string[] = [];
  const child = start(
    process.execPath,
    [...process.execArgv, new URL('./lab-director.ts', import.meta.url).pathname, vip, String(port), ...backends.map((b) => `${b.name}=${b.address}`)],
    errors,
  );
  const stop = stopper(child, '');
  try {
    await waitForPort(vip, port, 10000, child);
  } catch (e) {
    await stop();
    throw new Error(`the lab director did not start: ${(e as Error).message} ${errors.join('')}`);
  }
  return { pid: child.pid ?? 0, stop };
}
