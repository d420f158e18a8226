import { expect } from 'chai';
import type http from 'node:http';
import { Worker } from 'node:worker_threads';
import { runBench, runBenchDetailed } from '../../src/bench/engine.js';
import { sharedTallyCells } from '../../src/bench/run-tally.js';
import { decodeHistogram } from '../../src/bench/histograms.js';
import { runBenchWorkers, shares, sharesBy, workerOptions } from '../../src/bench/workers.js';
import { benchCommand } from '../../src/cli/bench-command.js';
import { close, closedPort, httpServer, reportLayout, sink } from './helpers.js';

/** ab's part of the report (the server table follows it). */
const layout = (report: string): string[] => reportLayout(report.slice(0, report.indexOf('Per real server')));

describe('bench --workers (worker threads, merged results)', function () {
  this.timeout(30000);
  let server: http.Server;
  let url = '';

  before(async () => {
    const s = await httpServer((_req, res, n) => {
      res.setHeader('Server', 'test/1.0'); // before X-Real-Server: ab's "Server:" search takes the first
      res.setHeader('X-Real-Server', n % 4 === 0 ? 'rs-a' : 'rs-b');
      res.end('hello world\n');
    });
    server = s.server;
    url = s.url;
  });
  after(async () => {
    await close(server);
  });

  it('splits connections and sources equally and the rate in proportion; all count against one -n', () => {
    expect(shares(10, 3)).to.deep.equal([4, 3, 3]);
    expect(sharesBy(20000, [4, 3, 3])).to.deep.equal([8000, 6000, 6000]);
    expect(sharesBy(7, [1, 2])).to.deep.equal([2, 5]);
    const split = workerOptions({ url, requests: 7, concurrency: 3, rate: 30, sources: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] }, 2);
    expect(split.map((w) => [w.options.requests, w.options.concurrency, w.options.rate, w.options.sources])).to.deep.equal([
      [7, 2, 20, ['127.0.0.2', '127.0.0.4']],
      [7, 1, 10, ['127.0.0.3']],
    ]);
    expect(split[0]?.options.sharedTally?.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(split[1]?.options.sharedTally).to.equal(split[0]?.options.sharedTally);
  });

  it('shares -n, the bad-request count and the Document Length between engines', async () => {
    // Two engines on one tally: 30 requests in all, whichever takes more.
    const shared = sharedTallyCells();
    const both = await Promise.all([0, 1].map(() => runBench({ url, requests: 30, concurrency: 2, sharedTally: shared })));
    expect(both.reduce((n, r) => n + r.counts.done, 0)).to.equal(30);
    expect(both.map((r) => r.documentLength)).to.deep.equal([12, 12]);
    // A thread that finds -n already taken ends at once, with nothing done.
    const spent = sharedTallyCells();
    spent[0] = 5;
    expect((await runBench({ url, requests: 5, concurrency: 2, sharedTally: spent })).counts).to.include({ done: 0, started: 0 });
    // Another thread saw a 3-byte first response: every 12-byte one here is a Length failure.
    const short = sharedTallyCells();
    short[2] = 3;
    const checked = await runBench({ url, requests: 5, concurrency: 1, sharedTally: short });
    expect([checked.documentLength, checked.counts.errLength, checked.counts.bad]).to.deep.equal([3, 5, 5]);
    // Other threads already had 11 bad requests: the next failed connect ends the run, and only the
    // thread crossing the line prints ab's message.
    const refused = `http://127.0.0.1:${await closedPort()}/`;
    for (const [before, lines] of [[11, 1], [12, 0]] as const) {
      const failing = sharedTallyCells();
      failing[1] = before;
      const said: string[] = [];
      const r = await runBench({ url: refused, requests: 100, concurrency: 1, sharedTally: failing }, { diagnostic: (l) => said.push(l) });
      expect(r.aborted?.kind).to.equal('connect-failures');
      expect(said.filter((l) => l === 'Test aborted after 10 failures')).to.have.length(lines);
    }
  });

  it('never lets threads take more than -n, nor show more taken, when they take and give back at once', async () => {
    const threads = 3;
    const total = 50;
    const cells = sharedTallyCells();
    const sync = new Int32Array(new SharedArrayBuffer(8));
    const hammer = new URL('../fixtures/threads/tally-hammer.ts', import.meta.url).href;
    // Workers get none of mocha's tsx hooks: the fixture is loaded through tsx's API (as workers.ts does).
    const workers: Worker[] = [];
    const start = (watch: boolean): Promise<{ held?: number; max?: number }> => {
      const boot = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(hammer)}, ${JSON.stringify(import.meta.url)}))`;
      const w = new Worker(boot, { eval: true, workerData: { cells, total, rounds: 20000, threads, sync, watch } });
      workers.push(w);
      return new Promise((resolve, reject) => {
        w.once('message', resolve).once('error', reject);
        w.once('exit', (code) => reject(new Error(`hammer thread exited (${code}) without a result`)));
      });
    };
    try {
      const watcher = start(true);
      const held = await Promise.all(Array.from({ length: threads }, () => start(false)));
      Atomics.store(sync, 1, 1);
      expect(held.reduce((n, h) => n + (h.held ?? 0), 0)).to.equal(total);
      expect((await watcher).max).to.be.at.most(total);
    } finally {
      // Whatever failed, the watching thread stops spinning and no thread outlives the test.
      Atomics.store(sync, 1, 1);
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it('ramps once for the run, as ab does: one connection in all until the first response header', async () => {
    let accepted = 0;
    let beforeFirstHeader = -1;
    const { server: slow, url: slowUrl } = await httpServer((_req, res, n) => {
      if (n > 0) return void res.end('hello');
      // Long enough for every thread to have connected, had each ramped on its own.
      setTimeout(() => {
        beforeFirstHeader = accepted;
        res.end('hello');
      }, 150);
    });
    slow.on('connection', () => accepted++);
    try {
      const { result } = await runBenchWorkers({ url: slowUrl, requests: 40, concurrency: 6 }, 3);
      expect(result.counts.done).to.equal(40);
      expect(beforeFirstHeader).to.equal(1);
      expect(accepted).to.equal(40);
    } finally {
      await close(slow);
    }
  });

  it('lets a thread that waits for the first header end when the thread holding it ends without one', async () => {
    // Two engines on one tally, nothing listening: the first fails connects until ab's limit and stops; the
    // other, let go, finds the run's bad count over the limit at its first failure.
    const shared = sharedTallyCells();
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const both = await Promise.all([0, 1].map(() => runBench({ url, requests: 5, concurrency: 2, sharedTally: shared })));
    expect(both.map((r) => r.aborted?.kind)).to.deep.equal(['connect-failures', 'connect-failures']);
    expect(both.map((r) => r.counts.errConnect)).to.deep.equal([12, 1]); // ab: `if (bad++ > 10)`
  });

  it('merges counts, bytes, records and histograms into the sum of the workers', async () => {
    const { result, records } = await runBenchWorkers({ url, requests: 401, concurrency: 6 }, 3);
    expect(result.counts.done).to.equal(401);
    expect(result.counts.good).to.equal(401);
    expect(result.counts.bad).to.equal(0);
    expect(result.concurrency).to.equal(6);
    expect(result.documentLength).to.equal(12);
    expect(result.bytes.htmlRead).to.equal(401 * 12);
    expect(records.length).to.equal(401);
    expect(result.recordsStored).to.equal(401);
    expect(result.statusCodes).to.deep.equal({ 200: 401 });
    expect(decodeHistogram(result.histograms.total).totalCount).to.equal(401);
    expect(result.servers.reduce((n, s) => n + s.requests, 0)).to.equal(401);
    expect(result.servers.map((s) => s.name)).to.deep.equal(['rs-a', 'rs-b']);
    expect(result.servers.reduce((n, s) => n + s.total.count, 0)).to.equal(401);
    const single = (await runBenchDetailed({ url, requests: 401, concurrency: 6 })).result;
    expect(result.bytes.totalRead).to.equal(single.bytes.totalRead);
    expect(result.bytes.totalPosted).to.equal(single.bytes.totalPosted);
  });

  it('prints ab\'s exact report layout and heartbeat, as without workers', async () => {
    const run = async (extra: string[]): Promise<{ out: string; err: string; code: number }> => {
      const stdout = sink();
      const stderr = sink();
      const code = await benchCommand([...extra, '-n', '1000', '-c', '4', url], { stdout, stderr, signal: new AbortController().signal });
      return { out: stdout.text(), err: stderr.text(), code };
    };
    const one = await run(['--workers', '1']);
    const two = await run(['--workers', '2']);
    expect(two.code).to.equal(0);
    expect(layout(two.out)).to.deep.equal(layout(one.out));
    expect(two.out).to.match(/^Complete requests: {6}1000$/m);
    expect(two.out).to.match(/^rs-a +250 +25\.0%/m);
    expect(two.err).to.equal(one.err);
    expect(two.err.match(/^Completed \d+ requests$/gm)).to.have.length(10);
  });
});
