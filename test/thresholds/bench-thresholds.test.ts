/** `bench --threshold` against a real HTTP server on loopback: two real servers by header, one slow. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { benchCommand } from '../../src/cli/bench-command.js';
import { decodeHistogram } from '../../src/bench/histograms.js';
import { close, httpServer, sink } from '../bench/helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const io = () => ({ stdout: sink(), stderr: sink(), signal: new AbortController().signal });

describe('bench --threshold', function () {
  this.timeout(30_000);

  it('judges per-server latency from the result histograms, share against --weights, and exits 10 on a breach', async () => {
    // web2 answers every 4th request, 20 ms late: its p(50) is over 15 ms, web1's is not.
    const { server, url } = await httpServer((_req, res, n) => {
      const name = n % 4 === 3 ? 'web2' : 'web1';
      setTimeout(() => res.writeHead(200, { 'x-real-server': name }).end('ok'), name === 'web2' ? 20 : 0);
    });
    try {
      const json = path.join(tempDir('lvs-harness-bench-thr-'), 'r.json');
      const s = io();
      const code = await benchCommand(
        ['-q', '--workers', '1', '-n', '200', '-c', '1', '--weights', 'web1=3,web2=1', '--json', json,
          '--threshold', 'latency.total{server:web1}:p(50)<15', '--threshold', 'latency.total{server:web2}:p(50)<15',
          '--threshold', 'share:deviation<1', '--threshold', 'failed:rate==0', url],
        s,
      );
      expect(code, s.stderr.text()).to.equal(10);
      const out = s.stdout.text();
      expect(out).to.match(/PASS threshold latency.total\{server:web1\}: p\(50\)<15/);
      expect(out).to.match(/FAIL threshold latency.total\{server:web2\}: p\(50\)<15: p\(50\) = (2\d|3\d)\.\d+ ms \(50 samples, server web2\), limit < 15/);
      expect(out).to.match(/PASS threshold share: deviation<1: deviation = 0 pp/);
      expect(out).to.match(/PASS threshold failed: rate==0/);
      const result = JSON.parse(readFileSync(json, 'utf8'));
      const web2 = result.servers.find((x: { name: string }) => x.name === 'web2');
      expect(decodeHistogram(web2.histograms.total).totalCount).to.equal(50);
      expect(result.thresholds).to.have.length(4);
    } finally {
      await close(server);
    }
  });

  it('refuses a probe scope and a bad expression before sending anything', async () => {
    const s = io();
    expect(await benchCommand(['--threshold', 'latency.total{probe:x}:max<5', 'http://127.0.0.1:9/'], s)).to.equal(11);
    expect(s.stderr.text()).to.match(/--threshold 'latency.total\{probe:x\}:max<5': expected no \{probe:\} scope/);
    const t = io();
    expect(await benchCommand(['--threshold', 'rps:avg>5', 'http://127.0.0.1:9/'], t)).to.equal(11);
    expect(t.stderr.text()).to.match(/expected for rps an aggregation among value/);
  });
});
