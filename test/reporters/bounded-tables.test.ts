/**
 * A suite whose director table outgrows results.json's sample, run for real on the embedded lab: the
 * checks judge every connection against the whole table, the file keeps the first entries and counts
 * of the whole, and the HTML report is written from the ndjson read a chunk at a time.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/core/exit-codes.js';
import { writeReport } from '../../src/reporters/html-report-writer.js';
import { TABLE_SAMPLE } from '../../src/reporters/bounded-tables.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';

interface Snapshot {
  connections: unknown[];
  connectionTable?: { entries: number; templates: number; byState: Record<string, number>; byDestination: Record<string, number>; sampled: number };
}

describe('results.json with a director table larger than its sample', function () {
  this.timeout(120_000);

  it('keeps the first entries and the counts of the whole table, while the checks saw all of it', async () => {
    const c = await runSuites(['test/fixtures/suites/pcc-1200.yaml']);
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts, null, 1)).to.equal(ExitCode.Passed);
    expect(c.results.suites[0]!.summary.connections).to.equal(1200);
    expect(verdictOf(c, 'connections').seen).to.match(/director's connection table: 1200 agree, 0 disagree/);
    expect(verdictOf(c, 'pcc').seen).to.match(/^all 600 clients with 2\+ connections stayed on one real server/);

    const doc = JSON.parse(readFileSync(path.join(c.resultsDir, 'results.json'), 'utf8')) as {
      suites: Array<{ director: { after: Snapshot }; lab: { connections: string; connectionLines: number; history: unknown[]; historyRecords: number } }>;
    };
    const { director, lab } = doc.suites[0]!;
    expect(director.after.connections).to.have.length(TABLE_SAMPLE);
    const table = director.after.connectionTable!;
    // 1,200 connections and one template per client.
    expect(table).to.deep.include({ entries: 1800, templates: 600, sampled: TABLE_SAMPLE });
    expect(Object.values(table.byState).reduce((a, b) => a + b, 0)).to.equal(1800);
    expect(Object.keys(table.byDestination).sort()).to.deep.equal(['127.0.57.1:0', '127.0.57.1:20290', '127.0.57.1:20291', '127.0.57.2:0', '127.0.57.2:20290', '127.0.57.2:20291']);
    expect(lab.connectionLines).to.equal(1800);
    expect(lab.connections.trimEnd().split('\n')).to.have.length(TABLE_SAMPLE + 2);
    // One record per connection the director placed (by template or by the scheduler).
    expect(lab.historyRecords).to.equal(1200);
    expect(lab.history).to.have.length(TABLE_SAMPLE);

    const html = readFileSync(await writeReport(c.resultsDir), 'utf8');
    expect(html).to.contain('127.0.64.88');
  });
});
