import { expect } from 'chai';
import type http from 'node:http';
import { runBench, runBenchDetailed } from '../../src/bench/engine.js';
import { sharedBudgetCell } from '../../src/bench/request-budget.js';
import { decodeHistogram } from '../../src/bench/histograms.js';
import { runBenchWorkers, shares, sharesBy, workerOptions } from '../../src/bench/workers.js';
import { benchCommand } from '../../src/cli/bench-command.js';
import { close, httpServer, reportLayout, sink } from './helpers.js';

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

  it('splits connections and sources equally, requests and rate in proportion to connections', () => {
    expect(shares(10, 3)).to.deep.equal([4, 3, 3]);
    expect(sharesBy(20000, [4, 3, 3])).to.deep.equal([8000, 6000, 6000]);
    expect(sharesBy(10, [1, 1, 1])).to.deep.equal([4, 3, 3]);
    expect(sharesBy(7, [1, 2])).to.deep.equal([2, 5]);
    const split = workerOptions({ url, requests: 7, concurrency: 3, rate: 30, sources: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] }, 2);
    expect(split.map((w) => [w.options.requests, w.options.concurrency, w.options.rate, w.options.sources])).to.deep.equal([
      [5, 2, 20, ['127.0.0.2', '127.0.0.4']],
      [2, 1, 10, ['127.0.0.3']],
    ]);
  });

  it('gives closed-model workers one shared budget of -n, so they finish together', async () => {
    const split = workerOptions({ url, requests: 1000, concurrency: 5 }, 2);
    expect(split.map((w) => [w.options.requests, w.options.concurrency])).to.deep.equal([[1000, 3], [1000, 2]]);
    const cell = split[0]?.options.sharedBudget;
    expect(cell?.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(split[1]?.options.sharedBudget).to.equal(cell);
    // A thread that finds the budget already spent ends at once, with nothing done.
    const spent = sharedBudgetCell();
    spent[0] = 5;
    const late = await runBench({ url, requests: 5, concurrency: 2, sharedBudget: spent });
    expect(late.counts).to.include({ done: 0, started: 0 });
    // Two engines on one budget: 30 requests in all, whichever takes more.
    const shared = sharedBudgetCell();
    const both = await Promise.all([0, 1].map(() => runBench({ url, requests: 30, concurrency: 2, sharedBudget: shared })));
    expect(both.reduce((n, r) => n + r.counts.done, 0)).to.equal(30);
    expect(shared[0]).to.equal(30);
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
