import { expect } from 'chai';
import { ClientCpuMeter, clientBoundWarning } from '../../src/bench/client-cpu.js';

describe('client CPU of a measured run', () => {
  it('meters the process CPU between started and ended only, and the share of the load threads it was', () => {
    const meter = new ClientCpuMeter();
    const seen: string[] = [];
    const events = meter.wrap({ started: () => seen.push('started'), ended: () => seen.push('ended') });
    const spin = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    spin(30); // before the run: not counted
    events.started?.();
    const t0 = performance.now();
    spin(60);
    const wallSec = (performance.now() - t0) / 1000;
    events.ended?.();
    spin(30); // after the run: not counted
    expect(seen).to.deep.equal(['started', 'ended']);
    const cpu = meter.result(1, wallSec);
    // One thread spinning throughout: busy for (about) all of it; the process's other threads add little.
    expect(cpu?.threads).to.equal(1);
    expect(cpu?.busyShare).to.be.within(0.8, 1.3);
    expect((cpu?.userUs ?? 0) + (cpu?.systemUs ?? 0)).to.be.within(0.8 * wallSec * 1e6, 1.3 * wallSec * 1e6);
    expect(meter.result(2, wallSec)?.busyShare).to.be.within(0.4, 0.65);
  });

  it('has nothing to say of a run that never started', () => {
    expect(new ClientCpuMeter().result(1, 1)).to.equal(null);
  });

  it('warns when the load threads were busy for 90% of a run of half a second or more, unless busy-polling', () => {
    const run = (busyShare: number, threads = 1, timeTakenSec = 2) => ({
      clientCpu: { userUs: 1, systemUs: 1, threads, busyShare },
      timeTakenSec,
    });
    expect(clientBoundWarning(run(0.95), false)).to.equal(
      "lvs-harness: its load thread was busy 95% of the run: these figures may be this client's limit, not the target's (see --workers)",
    );
    expect(clientBoundWarning(run(0.9, 2), false)).to.match(/^lvs-harness: its 2 load threads were busy 90% of the run/);
    expect(clientBoundWarning(run(0.89), false)).to.equal(null);
    expect(clientBoundWarning(run(1), true)).to.equal(null);
    expect(clientBoundWarning(run(1, 1, 0.4), false)).to.equal(null);
    expect(clientBoundWarning({ clientCpu: null, timeTakenSec: 2 }, false)).to.equal(null);
  });
});
