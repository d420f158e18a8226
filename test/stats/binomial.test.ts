import { expect } from 'chai';
import { binomialUpperTail, clopperPearson, incompleteBeta, normalQuantile } from '../../src/stats/binomial.js';
import { confirmChance, equivalenceTest, neededSample, PLANNED_POWER, smallestFitting } from '../../src/stats/equivalence.js';

// Reference values from scipy.stats (beta.cdf, beta.ppf, binom.sf).
describe('binomial bounds', () => {
  it('computes the regularised incomplete beta function', () => {
    expect(incompleteBeta(0.3, 2.5, 7)).to.be.closeTo(0.6412224629717214, 1e-10);
    expect(incompleteBeta(0.9, 50, 3)).to.be.closeTo(0.09663328513725222, 1e-10);
    expect(binomialUpperTail(12, 24, 1 / 3)).to.be.closeTo(0.06765877903243141, 1e-10);
  });

  it('gives exact Clopper-Pearson bounds', () => {
    const a = clopperPearson(8, 24, 0.01);
    expect(a.lower).to.be.closeTo(0.13320462685481319, 1e-9);
    expect(a.upper).to.be.closeTo(0.5896498385544644, 1e-9);
    const b = clopperPearson(133, 200, 0.01);
    expect(b.lower).to.be.closeTo(0.5821290189661847, 1e-9);
    expect(b.upper).to.be.closeTo(0.7411543886533969, 1e-9);
    expect(clopperPearson(0, 10, 0.05).lower).to.equal(0);
    expect(clopperPearson(10, 10, 0.05).upper).to.equal(1);
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.99)).to.be.closeTo(2.3263478740408408, 1e-8);
    expect(normalQuantile(0.005)).to.be.closeTo(-2.5758293035489004, 1e-8);
  });
});

describe('equivalence test (two one-sided tests per share)', () => {
  const cells = (a: number, b: number) => [
    { name: 'web1', count: a, share: 1 / 3 },
    { name: 'web2', count: b, share: 2 / 3 },
  ];

  it('confirms 1:2 only when the sample rules out more than the tolerance', () => {
    expect(equivalenceTest(cells(67, 133), 0.1, 0.01).verdict).to.equal('equivalent');
    // 24 units fit 1:2 exactly, yet cannot exclude a 10-point deviation.
    const small = equivalenceTest(cells(8, 16), 0.1, 0.01);
    expect(small.verdict).to.equal('inconclusive');
    expect(small.resolution).to.be.greaterThan(0.1);
    expect(small.neededSample).to.be.within(100, 400);
  });

  it('tells a spread that differs from the weights from a sample too small to tell', () => {
    expect(equivalenceTest(cells(100, 100), 0.1, 0.01).verdict).to.equal('different');
    expect(equivalenceTest(cells(12, 12), 0.1, 0.01).verdict).to.equal('inconclusive');
  });

  it('has the size it states: a spread just past the tolerance is confirmed at most alpha of the time', function () {
    this.timeout(60_000); // 300 exact tests: seconds alone, more on a loaded machine
    // Shares 0.445/0.555 against 1/3:2/3 are 11.2 points off; exact enumeration over Binomial(n, 0.445).
    const n = 300;
    let confirmed = 0;
    const p = 1 / 3 + 0.112;
    for (let k = 0; k <= n; k++) {
      if (equivalenceTest(cells(k, n - k), 0.1, 0.05).verdict === 'equivalent') {
        confirmed += Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
      }
    }
    expect(confirmed).to.be.below(0.05);
  });
});

describe('the sample a weights check plans for', () => {
  const shares = [1 / 3, 2 / 3];
  /** The chance of confirming at n by enumerating every count, as the check itself would judge it. */
  const enumerated = (n: number, alpha: number): number => {
    let chance = 0;
    for (let k = 0; k <= n; k++) {
      const cells = [{ name: 'web1', count: k, share: 1 / 3 }, { name: 'web2', count: n - k, share: 2 / 3 }];
      if (equivalenceTest(cells, 0.1, alpha, false).verdict === 'equivalent') chance += Math.exp(logChoose(n, k) + k * Math.log(1 / 3) + (n - k) * Math.log(2 / 3));
    }
    return chance;
  };

  it('computes the chance that a director exactly at the weights confirms, as enumeration does', () => {
    for (const n of [60, 141, 220, 364]) expect(confirmChance(shares, n, 0.1, 0.01)).to.be.closeTo(enumerated(n, 0.01), 1e-9);
  });

  it('plans for that chance to be 90%, not the coin toss of a sample sized for exact shares', () => {
    const n = neededSample(shares, 0.1, 0.01);
    expect(enumerated(n, 0.01)).to.be.at.least(PLANNED_POWER);
    expect(enumerated(Math.floor(n * 0.9), 0.01)).to.be.below(PLANNED_POWER);
    // 136 units fit the shares' intervals when the counts come out exact (the least that can confirm at
    // all, below which a suite is refused); a right director confirms there 7% of the time.
    expect(smallestFitting(shares, shares, 0.1, 0.01)).to.equal(136);
    expect(enumerated(136, 0.01)).to.be.below(0.2);
  });

  it('with three servers, stays below the chance found by enumerating every split', () => {
    const three = [0.25, 0.25, 0.5];
    const n = 60;
    let chance = 0;
    for (let a = 0; a <= n; a++) {
      for (let b = 0; a + b <= n; b++) {
        const c = n - a - b;
        const cells = [{ name: 'a', count: a, share: 0.25 }, { name: 'b', count: b, share: 0.25 }, { name: 'c', count: c, share: 0.5 }];
        if (equivalenceTest(cells, 0.2, 0.05, false).verdict !== 'equivalent') continue;
        chance += Math.exp(logChoose(n, a) + logChoose(n - a, b) + (a + b) * Math.log(0.25) + c * Math.log(0.5));
      }
    }
    const bound = confirmChance(three, n, 0.2, 0.05);
    expect(bound).to.be.at.most(chance);
    expect(bound).to.be.above(chance - 0.1);
  });
});

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}
