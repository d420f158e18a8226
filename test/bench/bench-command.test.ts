import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type net from 'node:net';
import { runBenchStep } from '../../src/bench/bench-step.js';
import type { BenchResult } from '../../src/bench/types.js';
import { parseBenchArgs } from '../../src/cli/bench-args.js';
import { benchCommand } from '../../src/cli/bench-command.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { isHarnessError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { close, closedPort, httpServer, sink } from './helpers.js';

const io = () => ({ stdout: sink(), stderr: sink(), signal: new AbortController().signal });

describe('bench command', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => close(s)));
  });

  it('rejects bad options before sending anything, with InvalidInput', async () => {
    let hits = 0;
    const { server, url } = await httpServer((_q, r) => {
      hits++;
      r.end('x');
    });
    servers.push(server);
    for (const argv of [
      ['-n', '0', url],
      ['-n', '5', '-c', '10', url],
      ['-c', '20001', '-n', '30000', url],
      ['-Z', 'x', url],
      ['--sources', '10.0.0.9-10.0.0.1', url],
      ['--rate', '-3', url],
      ['-p', '/nonexistent/file', url],
      ['-i', '-p', '/etc/hostname', url],
      ['https://127.0.0.1/'],
      ['http://127.0.0.1'],
      [],
    ]) {
      const s = io();
      const code = await benchCommand(argv, s);
      expect(code, argv.join(' ')).to.equal(ExitCode.InvalidInput);
      expect(s.stderr.text()).to.match(/^ERROR BAD_ARGUMENT: /);
      expect(s.stdout.text()).to.equal('');
    }
    expect(hits).to.equal(0);
  });

  it('follows ab: -t sets -n 50000 unless a later -n overrides; flags group like getopt', async () => {
    expect((await parseBenchArgs(['-n', '10', '-t', '5', 'http://h/'])).options.requests).to.equal(50000);
    expect((await parseBenchArgs(['-t', '5', '-n', '10', 'http://h/'])).options.requests).to.equal(10);
    const a = await parseBenchArgs(['-kq', '-n1000', '-c', '4', '-H', 'X-A: 1', 'h:8080/p']);
    expect(a.options.keepAlive).to.equal(true);
    expect(a.quiet).to.equal(true);
    expect(a.options.heartbeatEvery).to.equal(0);
    expect(a.options.url).to.equal('http://h:8080/p');
    expect(a.options.headers).to.deep.equal(['X-A: 1']);
    const b = await parseBenchArgs(['--sources', '10.1.0.0/30,10.2.0.1-10.2.0.2', '-n', '200', 'http://h/']);
    expect(b.options.sources).to.deep.equal(['10.1.0.1', '10.1.0.2', '10.2.0.1', '10.2.0.2']);
    expect(b.options.heartbeatEvery).to.equal(100);
  });

  it("refuses a request header at ab's 8192-byte limit, counting the query and the -H lines", async () => {
    // Besides the query's n bytes: `GET /p?q= HTTP/1.0` 20, `Host: h` 9, ab's User-Agent 29, Accept 13, blank line 2.
    const query = (n: number): string => `http://h/p?q=${'x'.repeat(n)}`;
    const fixed = 73;
    await parseBenchArgs([query(8191 - fixed)]); // one byte short of ab's buffer: accepted
    const long = await parseBenchArgs([query(8192 - fixed)]).catch((e: unknown) => e);
    expect(isHarnessError(long) && long.message).to.match(/URL: .*got 8192 \(Request too long\)/);
    // A short header beside an overlong URL: the URL is still the one named.
    const both = await parseBenchArgs(['-H', 'X-A: 1', query(8192 - fixed)]).catch((e: unknown) => e);
    expect(isHarnessError(both) && both.message).to.match(/^URL: .*Request too long/);
    const byHeader = await parseBenchArgs(['-H', `X-Pad: ${'y'.repeat(8192)}`, 'http://h/']).catch((e: unknown) => e);
    expect(isHarnessError(byHeader) && byHeader.message).to.match(/-H: .*Request too long/);
  });

  it('prints only the report (and server table) on stdout, progress on stderr, and writes -e/-g/--json', async () => {
    const { server, url } = await httpServer((_q, r, n) => {
      r.setHeader('X-Real-Server', n % 2 ? 'rs2' : 'rs1');
      r.end('hello');
    });
    servers.push(server);
    const dir = tempDir('lvs-harness-bench-');
    const files = ['csv', 'tsv', 'json'].map((e) => path.join(dir, `bench.${e}`));
    const s = io();
    const code = await benchCommand(['-n', '200', '-c', '4', '-e', files[0]!, '-g', files[1]!, '--json', files[2]!, '--weights', 'rs1=1,rs2=1', url], s);
    expect(code).to.equal(ExitCode.Passed);
    const out = s.stdout.text();
    // ab finds "Server:" inside "X-Real-Server:" too (case-insensitive substring), and so do we.
    expect(out.startsWith('Server Software:        rs1\n')).to.equal(true);
    expect(out).to.contain('Complete requests:      200\n');
    expect(out).to.match(/\nReal server +Requests +Share +Expected/);
    expect(out).to.match(/\nrs1 +100 +50\.0% +50\.0%/);
    expect(s.stderr.text()).to.equal(`Benchmarking 127.0.0.1 (be patient)\nCompleted 100 requests\nCompleted 200 requests\nFinished 200 requests\n`);
    expect((await readFile(files[0]!, 'utf8')).split('\n')).to.have.length(103);
    expect((await readFile(files[1]!, 'utf8')).split('\n')).to.have.length(202);
    const json = JSON.parse(await readFile(files[2]!, 'utf8')) as BenchResult;
    expect(json.counts.done).to.equal(200);
    expect(json.clientCpu?.threads).to.equal(1);
    expect((json.clientCpu?.userUs ?? 0) + (json.clientCpu?.systemUs ?? 0)).to.be.greaterThan(0);
  });

  it('warns on stderr when its load thread was busy for 90% of a run of half a second or more', async () => {
    // The server runs on the client's own thread here, so that thread is rarely idle; on a machine
    // busy with other work it may get less CPU than that, and then it must not warn.
    const { server, url } = await httpServer((_q, r) => r.end('hello'));
    servers.push(server);
    const json = path.join(tempDir('lvs-harness-bench-'), 'bench.json');
    const s = io();
    expect(await benchCommand(['-q', '--workers', '1', '-c', '2', '-t', '1', '--json', json, url], s)).to.equal(ExitCode.Passed);
    const result = JSON.parse(await readFile(json, 'utf8')) as BenchResult;
    expect(result.timeTakenSec).to.be.at.least(0.5);
    const warning = /\nlvs-harness: its load thread was busy (\d+)% of the run: these figures may be this client's limit/.exec(s.stderr.text());
    expect(Boolean(warning), `busy share ${result.clientCpu?.busyShare}`).to.equal((result.clientCpu?.busyShare ?? 0) >= 0.9);
    if (warning) expect(Number(warning[1])).to.equal(Math.round((result.clientCpu?.busyShare ?? 0) * 100));
  });

  it('exits with the unreachable code when every connection is refused', async () => {
    const port = await closedPort();
    const s = io();
    const code = await benchCommand(['-n', '20', `http://127.0.0.1:${port}/`], s);
    expect(code).to.equal(ExitCode.TargetUnreachable);
    expect(s.stderr.text()).to.contain('Test aborted after 10 failures');
    expect(s.stderr.text()).to.contain('Connection refused (111)');
  });

  it('reports what completed and exits Aborted when the signal fires', async () => {
    const ac = new AbortController();
    // Ctrl-C once the measured run is under way (on the default threads, after their warm-up).
    const { server, url } = await httpServer((_q, r, n) => {
      if (n === 20) ac.abort();
      setTimeout(() => r.end('x'), 10);
    });
    servers.push(server);
    const s = { stdout: sink(), stderr: sink(), signal: ac.signal };
    const code = await benchCommand(['-n', '100000', '-c', '2', url], s);
    expect(code).to.equal(ExitCode.Aborted);
    expect(s.stdout.text()).to.match(/Complete requests: +[1-9]\d*\n/);
  });

  it('runs a suite bench step with shares and a body regex given as a string', async () => {
    const { server, url } = await httpServer((_q, r, n) => r.end(`node=${n % 4 === 0 ? 'b' : 'a'};`));
    servers.push(server);
    const { result, report } = await runBenchStep({
      url, requests: 40, concurrency: 4, keepAlive: false, identifyBodyRegex: 'node=(\\w+);',
      expectedShares: { a: 0.75, b: 0.25 }, signal: new AbortController().signal,
    });
    expect(result.servers.map((x) => [x.name, x.requests])).to.deep.equal([['a', 30], ['b', 10]]);
    expect(report).to.contain('Complete requests:      40\n');
    expect(report).to.match(/\na +30 +75\.0% +75\.0%/);
    const port = await closedPort();
    try {
      await runBenchStep({ url: `http://127.0.0.1:${port}/`, requests: 3, concurrency: 1, keepAlive: false, signal: new AbortController().signal });
      expect.fail('should throw');
    } catch (e) {
      expect(isHarnessError(e) && e.exitCode).to.equal(ExitCode.TargetUnreachable);
    }
  });
});
