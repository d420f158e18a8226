/** `lvs-harness compare` on results of real runs: bench --json files and runs of a suite. */
import { expect } from 'chai';
import path from 'node:path';
import { benchCommand } from '../../src/cli/bench-command.js';
import { compareCommand } from '../../src/cli/compare-command.js';
import type { Comparison } from '../../src/compare/compare-runs.js';
import { ErrorCode, type HarnessError } from '../../src/core/errors.js';
import { close, httpServer, sink } from '../bench/helpers.js';
import { runSuites } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

async function benchJson(delayMs: number, file: string): Promise<void> {
  const { server, url } = await httpServer((_req, res, n) => {
    setTimeout(() => res.writeHead(200, { 'x-real-server': n % 2 ? 'web2' : 'web1' }).end('ok'), delayMs);
  });
  try {
    const io = { stdout: sink(), stderr: sink(), signal: new AbortController().signal };
    expect(await benchCommand(['-q', '--workers', '1', '-n', '300', '-c', '3', '--json', file, url], io)).to.equal(0);
  } finally {
    await close(server);
  }
}

describe('compare', function () {
  this.timeout(60_000);
  const dir = tempDir('lvs-harness-compare-');

  it('finds a real latency regression beyond noise and exits 10 on the p50 budget', async () => {
    const fast = path.join(dir, 'fast.json');
    const slow = path.join(dir, 'slow.json');
    await benchJson(0, fast);
    await benchJson(30, slow);
    const out = sink();
    const code = await compareCommand([fast, slow, '--json', '--max-regression', 'p50=100%', '--max-regression', 'share=5pp'], { stdout: out });
    expect(code).to.equal(10);
    const c = JSON.parse(out.text()) as Comparison;
    const bench = c.suites[0]!.sections[0]!;
    const total = bench.latency.find((r) => r.kind === 'total' && r.scope === 'all')!;
    expect(total.base!.p50).to.be.below(10);
    expect(total.new!.p50).to.be.above(30);
    expect(total.test!.pValue).to.be.below(1e-10);
    expect(total.test!.effect.value).to.be.above(0.5); // large, whatever else loads the machine
    expect(total.test!.beyondNoise).to.equal(true);
    // Alternating servers: the same 50/50 spread both times, within noise.
    expect(bench.shares.rows.map((r) => r.new.requests)).to.deep.equal([150, 150]);
    expect(bench.shares.test!.beyondNoise).to.equal(false);
    expect(c.budgets.map((b) => [b.budget, b.breached])).to.deep.equal([['p50=100%', true], ['share=5pp', false]]);
  });

  it('compares two runs of a suite: spread, latency, throughput and each check side by side, text on stdout', async () => {
    const a = await runSuites(['test/fixtures/suites/pcc-two-ports.yaml']);
    const b = await runSuites(['test/fixtures/suites/pcc-two-ports.yaml']);
    const stdout = sink();
    const code = await compareCommand([a.resultsDir, path.join(b.resultsDir, 'results.json'), '--max-regression', 'failed=1pp'], { stdout });
    expect(code).to.equal(0);
    const text = stdout.text();
    expect(text).to.match(/Suite pcc-two-ports\n  Traffic \(connections of the checks\)/);
    const web1 = a.results.suites[0]!.summary.byRealServer['web1']!;
    expect(text).to.match(new RegExp(`web1\\s+${web1}\\s+[\\d.]+%\\s+${b.results.suites[0]!.summary.byRealServer['web1']}`));
    expect(text).to.match(/spread: chi-square homogeneity \(df 1\), chi2 [\d.]+, p = [\d.e+-]+, Cramer's V [\d.]+: (within|beyond) noise/);
    expect(text).to.match(/total web2\s+[\d.]+/);
    expect(text).to.match(/weights\s+pass\s+pass\n\s+counts.web1/);
    expect(text).to.match(/failed=1pp\s+pcc-two-ports\s+traffic\s+0.000\s+0.000\s+\+0.00 pp\s+ok/);
    expect(text).to.match(/PASSED: every budget held\n$/);
  });

  it('refuses a bad budget and a missing folder as input errors', async () => {
    const refused = async (args: string[]): Promise<HarnessError> => {
      try {
        await compareCommand(args, { stdout: sink() });
      } catch (e) {
        return e as HarnessError;
      }
      throw new Error('not refused');
    };
    const budget = await refused([dir, dir, '--max-regression', 'p99=10']);
    expect([budget.code, budget.exitCode]).to.deep.equal([ErrorCode.BAD_ARGUMENT, 11]);
    expect(budget.message).to.match(/--max-regression p99=10: expected \[connect\.\|firstByte\.\|total\.\]p50/);
    const missing = await refused([path.join(dir, 'nope'), dir]);
    expect(missing.message).to.match(/BASE: expected a results folder, results.json or bench --json file/);
  });
});
