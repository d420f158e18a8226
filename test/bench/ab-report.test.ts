import { expect } from 'chai';
import { formatAbReport, saneWarning } from '../../src/bench/ab-report.js';
import { cFixed } from '../../src/bench/c-format.js';
import { fixedResult } from './fixtures.js';

describe('ab report formatter', () => {
  it('prints ab 2.4 output_results() line for line', () => {
    const text = formatAbReport(fixedResult());
    expect(text).to.equal(
      [
        'Server Software:        nginx/1.22.1',
        'Server Hostname:        127.0.0.1',
        'Server Port:            30101',
        '',
        'Document Path:          /',
        'Document Length:        12 bytes',
        '',
        'Concurrency Level:      10',
        'Time taken for tests:   0.221 seconds',
        'Complete requests:      2000',
        'Failed requests:        0',
        'Total transferred:      214000 bytes',
        'HTML transferred:       24000 bytes',
        'Requests per second:    9049.77 [#/sec] (mean)',
        'Time per request:       1.105 [ms] (mean)',
        'Time per request:       0.111 [ms] (mean, across all concurrent requests)',
        'Transfer rate:          945.63 [Kbytes/sec] received',
        '',
        'Connection Times (ms)',
        '              min  mean[+/-sd] median   max',
        'Connect:        0    0   0.1      0       2',
        'Processing:     0    1   0.6      1       6',
        'Waiting:        0    1   0.5      1       6',
        'Total:          0    1   0.6      1       6',
        '',
        'Percentage of the requests served within a certain time (ms)',
        '  50%      1',
        '  66%      1',
        '  75%      1',
        '  80%      1',
        '  90%      2',
        '  95%      2',
        '  98%      3',
        '  99%      4',
        ' 100%      6 (longest request)',
        '',
      ].join('\n'),
    );
  });

  it('prints the Failed breakdown, Write errors and Non-2xx only when non-zero', () => {
    const base = fixedResult();
    const text = formatAbReport(
      fixedResult({ counts: { ...base.counts, bad: 120, errReceive: 60, errLength: 60, errResponse: 7, epipe: 2 } }),
    );
    expect(text).to.contain('Failed requests:        120\n   (Connect: 0, Receive: 60, Length: 60, Exceptions: 0)\n');
    expect(text).to.contain('Write errors:           2\n');
    expect(text).to.contain('Non-2xx responses:      7\n');
    const clean = formatAbReport(base);
    expect(clean).not.to.contain('(Connect:');
    expect(clean).not.to.contain('Write errors');
    expect(clean).not.to.contain('Non-2xx');
  });

  it('prints Keep-Alive requests with -k, Variable with -l, body lines when posting', () => {
    const text = formatAbReport(
      fixedResult({ keepAlive: true, variableLength: true, sendBody: true, counts: { ...fixedResult().counts, doneKeepAlive: 1990 } }),
    );
    expect(text).to.contain('Document Length:        Variable\n');
    expect(text).to.contain('Keep-Alive requests:    1990\n');
    expect(text).to.contain('Total transferred:      214000 bytes\nTotal body sent:        164000\nHTML transferred:');
    expect(text).to.contain('Transfer rate:          945.63 [Kbytes/sec] received\n                        724.69 kb/s sent\n                        1670.32 kb/s total\n');
  });

  it('prints the short table with -S (missing space before max) and no percentiles with -d', () => {
    const text = formatAbReport(fixedResult(), { confidence: false, percentiles: false });
    expect(text).to.contain('              min   avg   max\nConnect:        0     0    2\nProcessing:     0     1    6\nWaiting:        0     1    6\nTotal:          0     1    6\n');
    expect(text).not.to.contain('Percentage');
    expect(text).not.to.contain('WARNING');
  });

  it('omits rate lines when no time elapsed and tables when nothing completed', () => {
    const none = fixedResult({ timeTakenSec: 0, ab: null, counts: { ...fixedResult().counts, done: 0 } });
    const text = formatAbReport(none);
    expect(text).not.to.contain('Requests per second');
    expect(text).not.to.contain('Connection Times');
    expect(text.endsWith('HTML transferred:       24000 bytes\n')).to.equal(true);
  });

  it('warns like the SANE macro (rounded ms mean/median against the sd)', () => {
    // mean 3 ms, median 1 ms: d = 2 > 2 * 0.5 → ERROR
    expect(saneWarning('the total time', { min: 0, mean: 3000, sd: 500, median: 1000, max: 9000 })).to.deep.equal([
      'ERROR: The median and mean for the total time are more than twice the standard',
      '       deviation apart. These results are NOT reliable.',
    ]);
    // d = 2, sd = 1.5 → WARNING
    expect(saneWarning('the waiting time', { min: 0, mean: 3000, sd: 1500, median: 1000, max: 9000 })).to.deep.equal([
      'WARNING: The median and mean for the waiting time are not within a normal deviation',
      '        These results are probably not that reliable.',
    ]);
    expect(saneWarning('x', { min: 0, mean: 1400, sd: 0, median: 1000, max: 2000 })).to.deep.equal([]);
    const text = formatAbReport(fixedResult({ ab: { ...fixedResult().ab!, connect: { min: 0, mean: 600, sd: 100, median: 0, max: 900 } } }));
    expect(text).to.contain('Total:          0    1   0.6      1       6\nERROR: The median and mean for the initial connection time');
  });

  it('formats fixed-point like printf, including exact ties', () => {
    expect(cFixed(0.125, 2)).to.equal('0.12'); // glibc rounds the exact tie to even
    expect(cFixed(0.375, 2)).to.equal('0.38');
    expect(cFixed(2.5, 0)).to.equal('2');
    expect(cFixed(3.5, 0)).to.equal('4');
    expect(cFixed(0.221 * 1000 / 2000, 3)).to.equal('0.111'); // 0.1105 is above the tie in binary
    expect(cFixed(1.005, 2)).to.equal('1.00'); // 1.005 is below the tie in binary
    expect(cFixed(112.4 / 1000, 1, 5)).to.equal('  0.1');
  });
});
