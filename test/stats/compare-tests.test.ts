import { expect } from 'chai';
import { chiSquareHomogeneity } from '../../src/stats/chi-square-homogeneity.js';
import { mannWhitney } from '../../src/stats/mann-whitney.js';

// Reference values from SciPy 1.17: mannwhitneyu(new, base, method='asymptotic', use_continuity=True)
// and chi2_contingency(..., correction=False).
describe('comparison tests against SciPy', () => {
  it('Mann-Whitney U with ties (buckets) and continuity correction', () => {
    const r = mannWhitney([[1, 3], [2, 5], [3, 4], [5, 2]], [[2, 2], [3, 6], [4, 5], [6, 3]])!;
    expect(r.u).to.equal(173);
    expect(r.pValue).to.be.closeTo(0.009653018722271792, 1e-6);
    expect(r.cliffsDelta).to.be.closeTo((2 * 173) / (14 * 16) - 1, 1e-12);
  });

  it('Mann-Whitney refuses fewer than 8 samples a side rather than report a p-value', () => {
    expect(mannWhitney([[1, 7]], [[2, 20]])).to.equal(null);
  });

  it('chi-square homogeneity on two and three servers, with Cramer\'s V', () => {
    const two = chiSquareHomogeneity([402, 798], [450, 750])!;
    expect(two.statistic).to.be.closeTo(4.192597445135932, 1e-9);
    expect(two.pValue).to.be.closeTo(0.040600845282665506, 1e-7);
    expect(two.cramersV).to.be.closeTo(Math.sqrt(4.192597445135932 / 2400), 1e-12);
    const three = chiSquareHomogeneity([10, 20, 30], [15, 15, 40])!;
    expect(three.degreesOfFreedom).to.equal(2);
    expect(three.pValue).to.be.closeTo(0.30304391468510006, 1e-7);
  });
});
