import { expect } from 'chai';
import { parseAb, parseAutocannon, parseHarness, parseWrk } from '../../scripts/compare/measure.js';

// Outputs as the tools print them (trimmed to the lines read), once with good responses, once not.
const abReport = (extra: string): string =>
  [
    'Complete requests:      20000',
    'Failed requests:        0',
    extra,
    'Total transferred:      4960000 bytes',
    'Requests per second:    21305.21 [#/sec] (mean)',
  ].join('\n');

const perServer = (rows: string[]): string =>
  ['', 'Per real server (ms, p50/p99 and mean; connect and first byte from the start of the connection, total to its last byte)', 'Real server  Requests   Share      Connect   First byte        Total  Total mean  Errors', ...rows].join('\n');

const wrkOutput = (extra: string): string =>
  [
    'Running 5s test @ http://127.0.77.1:8080/',
    '  1 threads and 10 connections',
    '  367200 requests in 5.00s, 91.04MB read',
    extra,
    'Requests/sec:  73440.11',
    'Transfer/sec:     18.21MB',
  ].join('\n');

const autocannonJson = (non2xx: number, errors: number): string =>
  JSON.stringify({ duration: 5.01, errors, timeouts: 0, non2xx, requests: { total: 350000, average: 70000 } });

describe('bench:compare reads each tool and refuses figures made of bad responses', () => {
  it('reads ab report figures', () => {
    expect(parseAb(abReport(''))).to.deep.equal({ rps: 21305.21, requests: 20000 });
  });

  it('refuses an ab report with non-2xx responses or failed requests', () => {
    expect(() => parseAb(abReport('Non-2xx responses:      20000'))).to.throw(/20000 non-2xx responses/);
    expect(() => parseAb(abReport('').replace('Failed requests:        0', 'Failed requests:        3'))).to.throw(/3 failed requests/);
  });

  it('reads lvs-harness only when its per-real-server table names every response', () => {
    const named = abReport('') + perServer(['web1            20000  100.0%  0.081/0.312  0.290/1.130  0.372/2.627       0.476       0']);
    expect(parseHarness(named)).to.deep.equal({ rps: 21305.21, requests: 20000 });
    const partly = abReport('') + perServer([
      'web1            19990   99.9%  0.081/0.312  0.290/1.130  0.372/2.627       0.476       0',
      '(unidentified)      8    0.1%  0.081/0.312  0.290/1.130  0.372/2.627       0.476       0',
      '(no response)       2    0.0%  0.081/0.312            -  0.372/2.627       0.476       2',
    ]);
    expect(() => parseHarness(partly)).to.throw(/10 responses, no real server identified/);
    // No server named at all: the table is left out of the report.
    expect(() => parseHarness(abReport(''))).to.throw(/20000 responses, no real server identified/);
  });

  it('reads wrk and refuses error responses and socket errors', () => {
    expect(parseWrk(wrkOutput(''))).to.deep.equal({ rps: 73440.11, requests: 367200 });
    expect(() => parseWrk(wrkOutput('  Non-2xx or 3xx responses: 367200'))).to.throw(/367200 4xx or 5xx responses/);
    expect(() => parseWrk(wrkOutput('  Socket errors: connect 0, read 2, write 0, timeout 1'))).to.throw(/3 socket errors/);
  });

  it('reads autocannon --json and refuses non-2xx responses and errors', () => {
    expect(parseAutocannon(autocannonJson(0, 0)).requests).to.equal(350000);
    expect(parseAutocannon(autocannonJson(0, 0)).rps).to.be.closeTo(350000 / 5.01, 1e-6);
    expect(() => parseAutocannon(autocannonJson(350000, 0))).to.throw(/350000 non-2xx responses/);
    expect(() => parseAutocannon(autocannonJson(0, 4))).to.throw(/4 errors/);
  });
});
