import { expect } from 'chai';
import { abMedian, abRow, computeAbStats, formatGnuplot, formatPercentileCsv, roundMs } from '../../src/bench/ab-stats.js';
import { recordsFrom } from '../../src/bench/records.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('ab statistics (ab 2.4 rules)', () => {
  it('rounds µs to ms half up like ap_round_ms', () => {
    expect(roundMs(0)).to.equal(0);
    expect(roundMs(499)).to.equal(0);
    expect(roundMs(500)).to.equal(1);
    expect(roundMs(1499)).to.equal(1);
    expect(roundMs(1500)).to.equal(2);
  });

  it('reproduces the inverted median: odd counts average the two above the middle', () => {
    // sorted [10,20,30,40,50]: textbook median 30; ab averages a[2] and a[3] = 35
    expect(abMedian(f64([10, 20, 30, 40, 50]))).to.equal(35);
    // integer division of the sum: (20 + 31) / 2 = 25
    expect(abMedian(f64([10, 20, 31]))).to.equal(25);
  });

  it('reproduces the inverted median: even counts take the upper middle', () => {
    expect(abMedian(f64([10, 20, 30, 40]))).to.equal(30);
    expect(abMedian(f64([7]))).to.equal(7);
  });

  it('uses an integer mean and the sample standard deviation around it', () => {
    const row = abRow(f64([1000, 2000, 4000]));
    expect(row.mean).to.equal(2333); // 7000/3 truncated
    const expected = Math.sqrt(((1000 - 2333) ** 2 + (2000 - 2333) ** 2 + (4000 - 2333) ** 2) / 2);
    expect(row.sd).to.equal(expected);
    expect(row.min).to.equal(1000);
    expect(row.max).to.equal(4000);
    expect(abRow(f64([5000])).sd).to.equal(0);
  });

  it('takes percentile rows at index done*p/100 truncated, 100% at done-1', () => {
    // 7 requests with totals 1..7 ms
    const records = recordsFrom([1, 2, 3, 4, 5, 6, 7].map((ms) => ({ ctime: 0, time: ms * 1000, wait: 0 })));
    const stats = computeAbStats(records);
    const byP = Object.fromEntries((stats?.percentiles ?? []).map((p) => [p.percent, p.us]));
    // index = floor(7*p/100): 50→3, 66→4, 75→5, 80→5, 90→6, 95→6, 98→6, 99→6
    expect(byP[50]).to.equal(4000);
    expect(byP[66]).to.equal(5000);
    expect(byP[75]).to.equal(6000);
    expect(byP[80]).to.equal(6000);
    expect(byP[99]).to.equal(7000);
    expect(byP[100]).to.equal(7000);
  });

  it('computes Processing as time - ctime with its own median', () => {
    const records = recordsFrom([
      { ctime: 100, time: 1100, wait: 900 },
      { ctime: 300, time: 600, wait: 200 },
      { ctime: 200, time: 2200, wait: 1900 },
    ]);
    const s = computeAbStats(records);
    // processing values 1000, 300, 2000 → sorted 300,1000,2000 → odd: (1000+2000)/2
    expect(s?.processing.median).to.equal(1500);
    expect(s?.connect.median).to.equal(250);
    expect(s?.total.median).to.equal(Math.floor((1100 + 2200) / 2));
  });

  it('prints no percentile rows for a single request and null for none', () => {
    expect(computeAbStats(recordsFrom([{ ctime: 1, time: 2, wait: 1 }]))?.percentiles).to.deep.equal([]);
    expect(computeAbStats(recordsFrom([]))).to.equal(null);
  });

  it('writes the -e CSV with 101 rows and ab index rule (past the end reads 0)', () => {
    const records = recordsFrom([{ ctime: 0, time: 1234, wait: 0 }, { ctime: 0, time: 5678, wait: 0 }]);
    const lines = formatPercentileCsv(records).trimEnd().split('\n');
    expect(lines[0]).to.equal('Percentage served,Time in ms');
    expect(lines).to.have.length(102);
    expect(lines[1]).to.equal('0,1.234');
    expect(lines[2]).to.equal('1,1.234'); // floor(0.5 + 0.02) = 0
    expect(lines[100]).to.equal('99,0.000'); // floor(0.5 + 1.98) = 2 = done → zeroed slot, like ab
    expect(lines[101]).to.equal('100,5.678');
  });

  it('writes the -g gnuplot rows sorted by total time', () => {
    const start = Date.UTC(2026, 10, 25, 8, 7, 10) * 1000;
    const records = recordsFrom([
      { start, ctime: 400, time: 3600, wait: 2000 },
      { start, ctime: 0, time: 1000, wait: 500 },
    ]);
    const lines = formatGnuplot(records).trimEnd().split('\n');
    expect(lines[0]).to.equal('starttime\tseconds\tctime\tdtime\tttime\twait');
    expect(lines[1]?.split('\t').slice(1)).to.deep.equal([String(start / 1e6), '0', '1', '1', '1']);
    expect(lines[2]?.split('\t').slice(1)).to.deep.equal([String(start / 1e6), '0', '3', '4', '2']);
    expect(lines[1]?.split('\t')[0]).to.match(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \d{4}$/);
  });
});
