import { expect } from 'chai';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { shardSuite } from '../../src/shard/shard-suite.js';
import { PassThrough } from 'node:stream';
import { runCommand } from '../../src/cli/run-command.js';
import { isHarnessError } from '../../src/core/errors.js';
import { parseShard, shardPart, shardRange } from '../../src/shard/shard-spec.js';
import { parseStartAt, waitUntil } from '../../src/shard/start-at.js';
import { tempDir } from '../helpers/temp-dir.js';

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return isHarnessError(e) ? `${e.exitCode} ${e.message}` : String(e);
  }
}

describe('--shard i/N and --start-at', () => {
  it('splits any length into contiguous, disjoint blocks that cover it and differ by at most 1', () => {
    for (const length of [1, 7, 100, 241, 65_000]) {
      for (const count of [1, 2, 3, 4, 7]) {
        if (count > length) continue;
        let next = 0;
        const sizes: number[] = [];
        for (let index = 0; index < count; index++) {
          const { start, end } = shardRange(length, { index, count });
          expect(start).to.equal(next);
          next = end;
          sizes.push(end - start);
          expect(shardPart(length, { index, count })).to.equal(end - start);
        }
        expect(next).to.equal(length);
        expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
      }
    }
  });

  it('reads i/N, 0-based as JOB_COMPLETION_INDEX, and refuses anything else with exit 11', () => {
    expect(parseShard('3/4')).to.deep.equal({ index: 3, count: 4 });
    for (const bad of ['4/4', '1', '-1/4', '0/0', 'a/b', '1/4/2', '0/5000']) expect(code(() => parseShard(bad)), bad).to.match(/^11 --shard: expected i\/N/);
  });

  it('reads ISO times with a zone and epoch seconds within an hour of now; says how far off a bad one is', () => {
    const now = Date.parse('2026-12-03T14:00:00Z');
    expect(parseStartAt('2026-12-03T14:05:00Z', now)).to.equal(now + 300_000);
    expect(parseStartAt('2026-12-03T15:05:00+01:00', now)).to.equal(now + 300_000);
    expect(parseStartAt(String(now / 1000 + 1.5), now)).to.equal(now + 1500);
    expect(parseStartAt('2026-12-03T13:30:00Z', now)).to.equal(now - 1_800_000);
    expect(code(() => parseStartAt('2026-12-03T16:00:00Z', now))).to.match(/^11 --start-at: expected .* \(2026-12-03T16:00:00Z is 120 min ahead\)/);
    expect(code(() => parseStartAt(String(now), now))).to.match(/min ahead/);
    for (const bad of ['2026-12-03T14:05:00', 'tomorrow', '', '14:05']) expect(code(() => parseStartAt(bad, now)), bad).to.match(/^11 --start-at: expected an ISO time/);
  });

  it('waits until the time, or until aborted', async () => {
    const t0 = Date.now();
    await waitUntil(t0 + 150, new AbortController().signal);
    expect(Date.now() - t0).to.be.at.least(140);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const t1 = Date.now();
    await waitUntil(t1 + 10_000, stop.signal);
    expect(Date.now() - t1).to.be.below(1000);
  });

  it('run refuses a shard of a suite with changes, or more shards than clients, before any traffic (exit 11)', async () => {
    const results = tempDir('lvs-shard-args-');
    const exit = async (args: string[]): Promise<string> => {
      const io = { stdout: new PassThrough(), stderr: new PassThrough() };
      let said = '';
      io.stderr.on('data', (c: Buffer) => (said += c.toString()));
      try {
        const n = await runCommand(['--results', results, ...args], io, new AbortController().signal);
        return `${n} ${said.replace(/^ERROR \w+: /, '')}`;
      } catch (e) {
        return isHarnessError(e) ? `${e.exitCode} ${e.message}` : String(e);
      }
    };
    expect(await exit(['--address-offset', '62', '--shard', '0/2', 'suites/drain.yaml'])).to.match(/^11 --shard: expected a suite without changes: or sessions:/);
    expect(await exit(['--address-offset', '62', '--shard', '0/500', 'suites/pcc.yaml'])).to.match(/^11 --shard: expected at most as many shards as .* \(200\)/);
    expect(await exit(['--lab', 'kernel', '--shard', '0/2', 'suites/pcc.yaml'])).to.match(/^11 --shard: expected --lab embedded or none .*--shards N/);
    // --shards is the kernel lab's own: one suite, shards it starts itself, against the suite's director.
    expect(await exit(['--shards', '3', 'suites/pcc.yaml'])).to.match(/^11 --shards: expected --lab kernel beside it/);
    expect(await exit(['--lab', 'kernel', '--shards', '1', 'suites/pcc.yaml'])).to.match(/^11 --shards: expected a shard count from 2/);
    expect(await exit(['--lab', 'kernel', '--shards', '2', 'suites/pcc.yaml', 'suites/ppc.yaml'])).to.match(/^11 --shards: expected one suite file \(got 2\)/);
    expect(await exit(['--lab', 'kernel', '--shards', '2', '--start-at', String(Date.now() / 1000), 'suites/pcc.yaml'])).to.match(/^11 --start-at: expected --lab embedded or none/);
    expect(await exit(['--lab', 'kernel', '--shards', '2', '--director-config', 'test/fixtures/director/pcc-rr.txt', 'suites/pcc.yaml'])).to.match(/^11 --shards: expected no --director-config/);
  });

  it("refuses to split an open-model suite: its arrival rate is the whole run's", async () => {
    const drain = await loadSuite('suites/drain.yaml', resolveCheck);
    const open = { ...drain, spec: { ...drain.spec, changes: [], sessions: [] } };
    expect(() => shardSuite(open, { index: 0, count: 2 })).to.throw(/--shard: expected a suite whose traffic is not mode: continuous/);
  });
});
