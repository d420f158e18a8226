import { expect } from 'chai';
import type http from 'node:http';
import { autoWarmUp } from '../../src/bench/auto-tune.js';
import { quietUntilOpen, WARM_UP_ROUND_REQUESTS, WARM_UP_ROUNDS, warmUp, warmUpSources } from '../../src/bench/warm-up.js';
import { benchCommand } from '../../src/cli/bench-command.js';
import { close, httpServer, sink } from './helpers.js';

describe('bench JIT warm-up', function () {
  this.timeout(30000);

  // The run's own options: the warm-up replaces the target, the count and the limits.
  const run = { url: 'http://127.0.0.1:9/', requests: 1_000_000, concurrency: 10 };
  const perRound = WARM_UP_ROUND_REQUESTS;

  it('drives the engine through its own responder, round after round', async () => {
    let progress = 0;
    expect(await warmUp(run, { progress: () => progress++ })).to.include({ done: perRound, good: perRound, bad: 0 });
    // The run's events are called (silenced by quietUntilOpen in real use): every 100 requests of every round.
    expect(progress).to.equal(WARM_UP_ROUNDS * Math.floor(perRound / 100));
  });

  it('binds as the run does: its loopback sources, else 127.0.0.1', async () => {
    expect(warmUpSources(undefined)).to.equal(undefined);
    expect(warmUpSources(['127.0.0.7', '127.0.0.8'])).to.deep.equal(['127.0.0.7', '127.0.0.8']);
    expect(warmUpSources(['127.0.0.7', '192.0.2.1'])).to.deep.equal(['127.0.0.1']);
    // Bound to 192.0.2.1 (not on this machine) every connect would fail.
    expect(await warmUp({ ...run, sources: ['192.0.2.1'] })).to.include({ done: perRound, bad: 0 });
  });

  it('stops at once with the run\'s signal', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await warmUp({ ...run, signal: ac.signal })).to.equal(null);
  });

  it('silences the run\'s events until the run opens them', () => {
    const seen: [unknown, number][] = [];
    const events = { progress(this: unknown, done: number) { seen.push([this, done]); } };
    const quiet = quietUntilOpen(events);
    quiet.events.progress?.(1);
    quiet.events.progress?.(2);
    quiet.open();
    quiet.events.progress?.(3);
    expect(seen).to.deep.equal([[events, 3]]);
    expect(quiet.events).to.have.all.keys('progress');
  });

  it('is on for connection-per-request runs of 5000+ requests per thread', () => {
    expect(autoWarmUp({ requests: 20000, concurrency: 10 }, 2)).to.equal(true);
    expect(autoWarmUp({ requests: 9999, concurrency: 10 }, 2)).to.equal(false);
    expect(autoWarmUp({ requests: 20000, concurrency: 10, keepAlive: true }, 1)).to.equal(false);
    expect(autoWarmUp({ requests: 20000, concurrency: 10, rate: 500 }, 1)).to.equal(false);
  });

  it('sends the target only the counted requests, and the user only the run\'s heartbeat', async () => {
    let seen = 0;
    const { server, url }: { server: http.Server; url: string } = await httpServer((_req, res) => {
      seen++;
      res.end('counted\n');
    });
    try {
      const stdout = sink();
      const stderr = sink();
      const code = await benchCommand(['--workers', '1', '-n', '5000', '-c', '4', url], { stdout, stderr, signal: new AbortController().signal });
      expect(code).to.equal(0);
      expect(stdout.text()).to.match(/^Complete requests: {6}5000$/m);
      expect(seen).to.equal(5000);
      // The warm-up called the run's heartbeat too (silenced): the user sees the run's ten beats only.
      const beats = stderr.text().split('\n').filter((l) => l.startsWith('Completed'));
      expect(beats).to.deep.equal(Array.from({ length: 10 }, (_, i) => `Completed ${(i + 1) * 500} requests`));
    } finally {
      await close(server);
    }
  });
});
