import { expect } from 'chai';
import { autoBusyPoll, autoThreadCount, isLocalTarget } from '../../src/bench/auto-tune.js';
import { planRun } from '../../src/bench/run-plan.js';
import { parseBenchArgs } from '../../src/cli/bench-args.js';
import { availableParallelism } from 'node:os';

describe('bench --workers auto and --busy-poll auto (the defaults)', () => {
  it('gives connection-per-request runs a thread per CPU, within -c, 4 and one per 5000 requests', () => {
    expect(autoThreadCount({ requests: 20000, concurrency: 10 }, 2)).to.equal(2);
    expect(autoThreadCount({ requests: 200000, concurrency: 10 }, 16)).to.equal(4);
    expect(autoThreadCount({ requests: 12000, concurrency: 10 }, 16)).to.equal(2);
    expect(autoThreadCount({ requests: 20000, concurrency: 3 }, 16)).to.equal(3);
    expect(autoThreadCount({ requests: 4999, concurrency: 10 }, 16)).to.equal(1);
    expect(autoThreadCount({ requests: 20000, concurrency: 1 }, 16)).to.equal(1);
    expect(autoThreadCount({ requests: 20000, concurrency: 10 }, 1)).to.equal(1);
  });

  it('keeps keep-alive runs on one thread', () => {
    expect(autoThreadCount({ requests: 50000, concurrency: 10, keepAlive: true }, 16)).to.equal(1);
  });

  it('busy-polls closed-model keep-alive runs on one thread against this machine, with a CPU to spare', () => {
    const keepAlive = { requests: 50000, concurrency: 10, keepAlive: true };
    expect(autoBusyPoll(keepAlive, 1, true, 2)).to.equal(true);
    expect(autoBusyPoll(keepAlive, 1, false, 2)).to.equal(false);
    expect(autoBusyPoll(keepAlive, 1, true, 1)).to.equal(false);
    expect(autoBusyPoll(keepAlive, 2, true, 4)).to.equal(false);
    expect(autoBusyPoll({ ...keepAlive, rate: 1000 }, 1, true, 4)).to.equal(false);
    expect(autoBusyPoll({ requests: 50000, concurrency: 10 }, 1, true, 4)).to.equal(false);
    expect(['127.0.0.1', '127.9.8.7', '[::1]', '::1'].map(isLocalTarget)).to.deep.equal([true, true, true, true]);
    expect(['192.0.2.10', 'lvs.example', '[2001:db8::1]'].map(isLocalTarget)).to.deep.equal([false, false, false]);
  });

  it('is the default, and --workers takes auto or 1..64, --busy-poll on, off or auto', async () => {
    expect((await parseBenchArgs(['-n', '10', 'http://h/'])).workers).to.equal('auto');
    expect((await parseBenchArgs(['--workers', 'auto', '-n', '10', 'http://h/'])).workers).to.equal('auto');
    expect((await parseBenchArgs(['--workers', '64', '-n', '10', 'http://h/'])).workers).to.equal(64);
    expect((await parseBenchArgs(['-n', '10', 'http://h/'])).busyPoll).to.equal('auto');
    expect((await parseBenchArgs(['--busy-poll', 'on', '-n', '10', 'http://h/'])).busyPoll).to.equal(true);
    expect((await parseBenchArgs(['--busy-poll', 'off', '-n', '10', 'http://h/'])).busyPoll).to.equal(false);
    await parseBenchArgs(['--busy-poll', 'yes', 'http://h/']).then(
      () => expect.fail('--busy-poll yes accepted'),
      (e: Error) => expect(e.message).to.contain('on, off or auto, got "yes"'),
    );
    for (const bad of ['0', '65', '2.5', 'two']) {
      await parseBenchArgs(['--workers', bad, 'http://h/']).then(
        () => expect.fail(`--workers ${bad} accepted`),
        (e: Error) => expect(e.message).to.contain(`auto or an integer from 1 to 64, got "${bad}"`),
      );
    }
  });

  it('plans a run from the options and the user\'s choices, auto deciding only what was left to it', () => {
    const local = { url: 'http://127.0.0.1:8080/', requests: 20000, concurrency: 10 };
    expect(planRun(local, { workers: 3, busyPoll: 'auto' })).to.deep.equal({ threads: 3, busyPoll: false, warmUp: true });
    // No more threads than connections, whatever was asked.
    expect(planRun({ ...local, concurrency: 2 }, { workers: 8, busyPoll: 'auto' }).threads).to.equal(2);
    expect(planRun({ ...local, keepAlive: true }, { workers: 'auto', busyPoll: 'auto' })).to.deep.equal({
      threads: 1,
      busyPoll: availableParallelism() >= 2,
      warmUp: false,
    });
    const remote = { ...local, url: 'http://192.0.2.10/', keepAlive: true };
    expect(planRun(remote, { workers: 'auto', busyPoll: 'auto' }).busyPoll).to.equal(false);
    expect(planRun(remote, { workers: 'auto', busyPoll: true }).busyPoll).to.equal(true);
  });
});
