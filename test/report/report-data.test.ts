import { expect } from 'chai';
import { reportData, type ResultsDocument } from '../../src/report/report-data.js';
import { wilsonInterval } from '../../src/stats/wilson.js';

describe('report data', () => {
  it('Wilson intervals match SciPy (binomtest(...).proportion_ci(method="wilson")), also at a count of 0', () => {
    const a = wilsonInterval(13, 40);
    expect(a.low).to.be.closeTo(0.20084502231782703, 1e-9);
    expect(a.high).to.be.closeTo(0.4798225381012233, 1e-9);
    const b = wilsonInterval(0, 25);
    expect(b.low).to.be.closeTo(0, 1e-12);
    expect(b.high).to.be.closeTo(0.1331922509390485, 1e-9);
  });

  it('takes the change window\'s timeline and its change marks when results.json has one', () => {
    const results: ResultsDocument = {
      runId: 'r', outcome: 'passed', exitCode: 0, startedAt: '2026-12-03T00:00:00Z',
      suites: [{
        name: 'drain', outcome: 'passed', verdicts: [], bench: null,
        summary: { byRealServer: { web1: 3, web2: 1 }, expectedShares: { web1: 0.5, web2: 0.5 } },
        window: { timeline: { seconds: 3, servers: ['web1', 'web2'], rows: { web1: { newConnections: [1, 1, 1] }, web2: { newConnections: [1, 0, 0] } }, changes: [{ second: 1, label: 'weight web2 -> 0' }] } },
      }],
    };
    const [suite] = reportData(results, []).suites;
    expect(suite!.timeline).to.deep.equal({ seconds: 3, rows: { web1: [1, 1, 1], web2: [1, 0, 0] }, changes: [{ second: 1, label: 'weight web2 -> 0' }] });
    // Without a weights verdict the spread counts connections.
    expect(suite!.spread.unit).to.equal('connections');
    expect(suite!.spread.rows.map((r) => [r.server, r.count, r.expected])).to.deep.equal([['web1', 3, 0.5], ['web2', 1, 0.5]]);
  });
});
