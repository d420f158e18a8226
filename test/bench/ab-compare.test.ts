/**
 * Runs the real ApacheBench and our engine against the same loopback server and compares the reports
 * field by field: counts and sizes must be equal, times within a tolerance, and the layout (every label,
 * in order) identical apart from the timing-dependent SANE warnings.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import type http from 'node:http';
import { benchCommand } from '../../src/cli/bench-command.js';
import { close, httpServer, reportLayout, sink } from './helpers.js';

function runAb(args: string[]): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile('ab', args, { maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
      else if (err) reject(err);
      else resolve(stdout);
    });
  });
}

/** The report part of ab's stdout (from "Server Software:"), like ours. */
const reportPart = (text: string): string => text.slice(text.indexOf('Server Software:'));
const fields = (report: string): Map<string, string> =>
  new Map(report.split('\n').filter((l) => /^[A-Z][\w ./-]+: {2,}/.test(l)).map((l) => [l.slice(0, 24).trim(), l.slice(24)]));
const layout = reportLayout;

async function ours(args: string[]): Promise<string> {
  const out = sink();
  const code = await benchCommand(args, { stdout: out, stderr: sink(), signal: new AbortController().signal });
  expect(code).to.equal(0);
  return out.text();
}

describe('comparison with the real ab (apache2-utils)', function () {
  this.timeout(60000);
  let server: http.Server;
  let url = '';
  let count = 0;
  let variable = false;

  before(async function () {
    if ((await runAb(['-V'])) === null) {
      this.skip(); // ab missing: install apache2-utils (apt-get install apache2-utils); CI installs it
    }
    const s = await httpServer((_req, res) => {
      const n = count++;
      res.setHeader('Content-Length', variable && n % 5 === 0 ? '7' : '12');
      res.end(variable && n % 5 === 0 ? 'short!\n' : 'hello world\n');
    });
    server = s.server;
    url = s.url;
  });
  after(async () => {
    if (server) await close(server);
  });

  for (const [title, args, isVariable] of [
    ['ab -n 2000 -c 10', ['-n', '2000', '-c', '10'], false],
    ['ab -k -n 2000 -c 10', ['-k', '-n', '2000', '-c', '10'], false],
    ['ab -n 500 -c 5 with varying lengths (Length failures)', ['-n', '500', '-c', '5'], true],
    // Enough requests for the defaults to split the run over threads (and warm them up) on 2+ CPUs.
    ['ab -n 10000 -c 10, lvs-harness with its default threads', ['-n', '10000', '-c', '10'], false],
  ] as const) {
    it(`matches ${title} field by field`, async () => {
      variable = isVariable;
      count = 0;
      const abText = await runAb([...args, url]);
      if (abText === null) throw new Error('ab disappeared');
      const theirs = reportPart(abText);
      count = 0;
      const mine = await ours([...args, url]);
      const a = fields(theirs);
      const b = fields(mine);
      for (const key of [
        'Server Software:', 'Server Hostname:', 'Server Port:', 'Document Path:', 'Document Length:',
        'Concurrency Level:', 'Complete requests:', 'Failed requests:', 'Non-2xx responses:',
        'Keep-Alive requests:', 'Total transferred:', 'HTML transferred:',
      ]) {
        expect(b.get(key), key).to.equal(a.get(key));
      }
      const breakdown = (t: string): string | undefined => t.split('\n').find((l) => l.startsWith('   (Connect:'));
      expect(breakdown(mine)).to.equal(breakdown(theirs));
      expect(layout(mine)).to.deep.equal(layout(theirs.trimEnd() + '\n'));
      // Times: the same order of magnitude on a loaded CI box (both share the CPU with the server).
      const rps = (m: Map<string, string>): number => Number.parseFloat(m.get('Requests per second:') ?? '0');
      expect(rps(b)).to.be.greaterThan(rps(a) / 5);
      const p100 = (t: string): number => Number(/ 100% +(\d+)/.exec(t)?.[1] ?? NaN);
      expect(p100(mine)).to.be.below(Math.max(50, p100(theirs) * 10));
    });
  }
});
