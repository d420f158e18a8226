import { expect } from 'chai';
import { cycleCountBounds } from '../../src/analysis/cycle-bounds.js';
import { predictWrr } from '../../src/analysis/wrr-order.js';

describe('rr and wrr count bounds from the weights', () => {
  it('gives 1:2 exactly 8:16 of 24 new units, whatever the order', () => {
    const b = cycleCountBounds('wrr', [{ name: 'web1', weight: 100 }, { name: 'web2', weight: 200 }], 24);
    expect(b.bounds).to.deep.equal({ web1: { min: 8, max: 8 }, web2: { min: 16, max: 16 } });
    expect(b.cycle).to.equal(3);
    expect(b.everyOrder).to.equal(true);
  });

  it('bounds a partial cycle by its best and worst windows', () => {
    // 1:2:3 cycles C,C,B,C,B,A (list C,B,A): 4 picks hold 2-3 of C, 1-2 of B, 0-1 of A.
    const servers = [{ name: 'A', weight: 1 }, { name: 'B', weight: 2 }, { name: 'C', weight: 3 }];
    const b = cycleCountBounds('wrr', servers, 4);
    expect(b.bounds.A).to.deep.equal({ min: 0, max: 1 });
    expect(b.bounds.C!.max).to.equal(3);
    expect(b.bounds.C!.min).to.be.at.least(1);
  });

  it('contains what the kernel\'s wrr does from a fresh service, for every count', () => {
    const servers = [{ name: 'a', weight: 5 }, { name: 'b', weight: 3 }, { name: 'c', weight: 2 }];
    const picks = predictWrr(servers, 60);
    for (let n = 1; n <= 60; n++) {
      const b = cycleCountBounds('wrr', servers, n);
      for (const s of servers) {
        const c = picks.slice(0, n).filter((x) => x === s.name).length;
        expect(c, `${s.name} after ${n}`).to.be.within(b.bounds[s.name]!.min, b.bounds[s.name]!.max);
      }
    }
  });

  it('gives rr an even spread and nothing to a weight-0 server', () => {
    const b = cycleCountBounds('rr', [{ name: 'a', weight: 100 }, { name: 'b', weight: 200 }, { name: 'q', weight: 0 }], 24);
    expect(b.bounds).to.deep.equal({ a: { min: 12, max: 12 }, b: { min: 12, max: 12 }, q: { min: 0, max: 0 } });
  });
});
