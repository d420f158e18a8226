/**
 * `bench --shard i/N --json` on loopback, then `merge` of the files: the whole run's ab report and
 * per-real-server table, each figure the sum or the union of the shards', ab's table from every
 * request's record.
 */
import { expect } from 'chai';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { computeAbStats } from '../../src/bench/ab-stats.js';
import { decodeHistogram } from '../../src/bench/histograms.js';
import { recordsFrom } from '../../src/bench/records.js';
import type { BenchResult } from '../../src/bench/types.js';
import { benchCommand } from '../../src/cli/bench-command.js';
import { mergeCommand } from '../../src/cli/merge-command.js';
import type { ShardedBenchResult } from '../../src/shard/bench-shard.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('merge: bench shards', function () {
  this.timeout(60_000);
  let server: http.Server;
  let url: string;

  before(async () => {
    let n = 0;
    // Two "real servers" behind one listener: every third response is web1's.
    server = http.createServer((_req, res) => {
      res.setHeader('x-real-server', n++ % 3 === 0 ? 'web1' : 'web2');
      res.end('hello');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.61.2.1', resolve));
    url = `http://127.61.2.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('merges 3 shards of -n 900 -c 6 into the whole run\'s report and table', async () => {
    const dir = tempDir('lvs-bench-shards-');
    const files = [0, 1, 2].map((i) => path.join(dir, `shard${i}.json`));
    const startAt = new Date(Date.now() + 1000).toISOString();
    const codes = await Promise.all(
      files.map((f, i) => benchCommand(['-q', '-n', '900', '-c', '6', '--workers', '1', '--shard', `${i}/3`, '--start-at', startAt, '--json', f, url], { stdout: new PassThrough(), stderr: new PassThrough(), signal: new AbortController().signal })),
    );
    expect(codes).to.deep.equal([0, 0, 0]);
    const parts = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as ShardedBenchResult);
    expect(parts.map((p) => [p.requests, p.concurrency])).to.deep.equal([[300, 2], [300, 2], [300, 2]]);

    const stdout = new PassThrough();
    let report = '';
    stdout.on('data', (c: Buffer) => (report += c.toString()));
    const out = path.join(dir, 'merged.json');
    expect(await mergeCommand([...files, '--json', out], { stdout, stderr: new PassThrough() })).to.equal(0);
    const whole = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    expect(whole.counts.done).to.equal(900);
    expect([whole.requests, whole.concurrency]).to.deep.equal([900, 6]);
    expect(whole.bytes.totalRead).to.equal(parts.reduce((n, p) => n + p.bytes.totalRead, 0));
    const rows = parts.flatMap((p) => p.records.ctime.map((ctime, i) => ({ ctime, time: p.records.time[i]!, wait: p.records.wait[i]! })));
    expect(whole.ab).to.deep.equal(computeAbStats(recordsFrom(rows)));
    expect(decodeHistogram(whole.histograms.total).totalCount).to.equal(900);
    const served = Object.fromEntries(whole.servers.map((s) => [s.name, s.requests]));
    expect(served).to.deep.equal({ web1: 300, web2: 600 });
    expect(report).to.match(/Complete requests:\s+900\n/).and.match(/Concurrency Level:\s+6\n/).and.match(/web1\s+300\s+33\.3%/);
  });

  it('refuses --shard without --json, and more shards than connections (exit 11)', async () => {
    const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough(), signal: new AbortController().signal });
    expect(await benchCommand(['-n', '10', '-c', '2', '--shard', '0/2', url], io())).to.equal(11);
    expect(await benchCommand(['-n', '10', '-c', '2', '--shard', '0/3', '--json', path.join(tempDir('lvs-b-'), 'x.json'), url], io())).to.equal(11);
  });
});
