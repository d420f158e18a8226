import { expect } from 'chai';
import { ClientCpuMeter, clientBoundWarning } from '../../src/bench/client-cpu.js';

describe('client CPU of a measured run', () => {
  it('meters the process CPU between started and ended only, and its share of the cores the threads could use', () => {
    const meter = new ClientCpuMeter();
    const seen: string[] = [];
    const events = meter.wrap({ started: () => seen.push('started'), ended: () => seen.push('ended') });
    const spin = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    spin(60); // before the run: not counted
    events.started?.();
    const mine = process.cpuUsage();
    spin(60);
    const used = process.cpuUsage(mine);
    events.ended?.();
    events.ended?.(); // a second end changes nothing
    spin(60); // after the run: not counted
    expect(seen).to.deep.equal(['started', 'ended', 'ended']);
    const cpu = meter.result(1, 0.1, 2);
    // What this thread measured around the same span (the meter's span is a hair wider).
    const spent = (cpu?.userUs ?? 0) + (cpu?.systemUs ?? 0);
    expect(spent).to.be.at.least(used.user + used.system);
    expect(spent).to.be.below(used.user + used.system + 10_000);
    expect(cpu?.threads).to.equal(1);
    expect(cpu?.busyShare).to.be.closeTo(spent / 100_000, 1e-9);
    // Two threads could use two cores; four threads on two cores could still use only two.
    expect(meter.result(2, 0.1, 2)?.busyShare).to.be.closeTo(spent / 200_000, 1e-9);
    expect(meter.result(4, 0.1, 2)?.busyShare).to.be.closeTo(spent / 200_000, 1e-9);
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
