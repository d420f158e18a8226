import { expect } from 'chai';
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { createHistogram, decodeHistogram, encodeHistogram, FLAT_RANGE_US, FlatRecorder } from '../../src/bench/histograms.js';

/** A fixed spread of µs values: negatives, zero, the flat range's edges, and far beyond one hour. */
const VALUES = [-3, 0, 1, 2, 999, 1000, 1001, 2047, 2048, 2049, FLAT_RANGE_US - 1, FLAT_RANGE_US, FLAT_RANGE_US + 1, 123_456, 9_000_000_000];

describe('bench histograms', () => {
  it('FlatRecorder ends with the histogram that recording each value directly gives', () => {
    const direct = createHistogram();
    const flat = new FlatRecorder();
    for (let round = 0; round < 50; round++) {
      for (const v of VALUES) {
        direct.recordValue(Math.max(0, v));
        flat.record(v);
      }
      if (round === 10) expect(flat.histogram.totalCount).to.equal(11 * VALUES.length); // read midway, keep recording
    }
    const h = flat.histogram;
    expect(h.totalCount).to.equal(direct.totalCount);
    expect([h.maxValue, h.minNonZeroValue, h.mean]).to.deep.equal([direct.maxValue, direct.minNonZeroValue, direct.mean]);
    expect(encodeHistogram(h)).to.equal(encodeHistogram(direct));
  });

  it('encodes and decodes exactly as the hdr-histogram-js package index does', () => {
    const ours = createHistogram();
    const theirs = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
    for (const v of VALUES) {
      ours.recordValue(Math.max(0, v));
      theirs.recordValue(Math.max(0, v));
    }
    const encoded = encodeHistogram(ours);
    expect(encoded).to.equal(encodeIntoCompressedBase64(theirs));
    const back = decodeHistogram(encoded);
    const reference = decodeFromCompressedBase64(encoded);
    expect([back.totalCount, back.maxValue, back.getValueAtPercentile(50)]).to.deep.equal([
      reference.totalCount,
      reference.maxValue,
      reference.getValueAtPercentile(50),
    ]);
    expect(decodeHistogram(encoded).totalCount).to.equal(VALUES.length); // decoding leaves the string usable
  });
});
