import { expect } from 'chai';
import { chiSquareGoodnessOfFit, upperGammaRegularized } from '../../src/stats/chi-square.js';

describe('chi-square goodness of fit', () => {
  it('matches tabulated critical values', () => {
    // Upper-tail probabilities of the chi-square distribution (standard tables).
    expect(upperGammaRegularized(0.5, 3.841 / 2)).to.be.closeTo(0.05, 1e-4);
    expect(upperGammaRegularized(0.5, 6.635 / 2)).to.be.closeTo(0.01, 1e-4);
    expect(upperGammaRegularized(1, 9.21 / 2)).to.be.closeTo(0.01, 1e-4);
    expect(upperGammaRegularized(5, 18.307 / 2)).to.be.closeTo(0.05, 1e-4);
    expect(upperGammaRegularized(50, 124.342 / 2)).to.be.closeTo(0.05, 1e-4);
  });

  it('passes counts that follow the shares and fails a 1:1 spread against 1:2', () => {
    const fits = chiSquareGoodnessOfFit([67, 133], [1 / 3, 2 / 3]);
    expect(fits.pValue).to.be.greaterThan(0.9);
    const even = chiSquareGoodnessOfFit([100, 100], [1 / 3, 2 / 3]);
    expect(even.statistic).to.be.closeTo(25, 0.01);
    expect(even.pValue).to.be.lessThan(1e-5);
  });

  it('states the minimum sample from the smallest share', () => {
    expect(chiSquareGoodnessOfFit([1, 2], [1 / 3, 2 / 3]).minimumSample).to.equal(15);
    expect(chiSquareGoodnessOfFit([1, 2, 3], [1 / 6, 2 / 6, 3 / 6]).minimumSample).to.equal(30);
  });
});
