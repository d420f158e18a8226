/** The terminal output: colour only on a TTY without NO_COLOR, the progress line, headings and suite summaries. */
import { expect } from 'chai';
import type { RunEvent } from '../../src/model/events.js';
import type { Observation } from '../../src/model/observation.js';
import { createReporters } from '../../src/reporters/create-reporters.js';
import { ProgressReporter } from '../../src/reporters/progress-reporter.js';
import { SpecReporter } from '../../src/reporters/spec-reporter.js';
import { colourWanted } from '../../src/reporters/terminal-colour.js';
import { sink } from '../bench/helpers.js';
import { runSuites } from '../helpers/run-helpers.js';

/** A stream that says it is a terminal (the only mock here: what a TTY is). */
function tty() {
  return Object.assign(sink(), { isTTY: true, columns: 100 });
}

const ESC = '\x1b[';

function observation(error: boolean): Observation {
  return {
    seq: 0, round: 0, probe: 'http', protocol: 'http', client: { address: '127.0.0.2', port: 1 }, target: { address: '127.0.0.100', port: 80 },
    realServer: 'web1', startMs: 0, endMs: 1, timings: { connectMs: 0.1, firstByteMs: 0.2, totalMs: 0.3 }, requests: 1,
    bytes: { sent: 1, received: 1 }, status: error ? null : 200, error: error ? { code: 'ECONNRESET', message: 'reset' } : null,
  };
}

describe('terminal output', function () {
  this.timeout(60_000);

  it('colours only a TTY, and not when NO_COLOR is set', () => {
    expect(colourWanted(tty(), {})).to.equal(true);
    expect(colourWanted(tty(), { NO_COLOR: '1' })).to.equal(false);
    expect(colourWanted(tty(), { NO_COLOR: '' })).to.equal(true);
    expect(colourWanted(sink(), {})).to.equal(false);
  });

  it('draws progress on a terminal stderr (suite, connections, failures), throttled, and wipes it before other output', () => {
    const err = tty();
    let now = 0;
    const p = new ProgressReporter(err, () => now);
    p.onEvent({ type: 'suite:begin', suite: 'pcc', file: 'pcc.yaml', lab: 'embedded' });
    p.onEvent({ type: 'observation', suite: 'pcc', observation: observation(false) });
    now = 50;
    p.onEvent({ type: 'observation', suite: 'pcc', observation: observation(true) });
    now = 150;
    p.onEvent({ type: 'observation', suite: 'pcc', observation: observation(true) });
    p.onEvent({ type: 'check', suite: 'pcc', verdict: { check: 'x', status: 'pass', expected: '', seen: '', examples: [] } });
    expect(err.text()).to.equal(`\r${ESC}Kpcc: 1 connections done, 0 failed\r${ESC}Kpcc: 3 connections done, 2 failed\r${ESC}K`);
    expect(createReporters([], sink(), false, tty()).map((r) => r.name)).to.deep.equal(['progress', 'spec']);
    expect(createReporters([], sink(), false, sink()).map((r) => r.name)).to.deep.equal(['spec']);
  });

  it('prints a heading above the ab report, one summary line per suite, in colour on a TTY and plain in a pipe', async () => {
    const run = await runSuites(['test/fixtures/suites/report.yaml']);
    const replay = (out: NodeJS.WritableStream, colour: boolean): void => {
      const spec = new SpecReporter(out, false, colour);
      for (const e of run.events as RunEvent[]) spec.onEvent(e);
    };
    const plain = sink();
    replay(plain, false);
    const text = plain.text();
    expect(text).not.to.contain(ESC);
    expect(text).to.match(/\nab report: probe a -> http:\/\/127\.0\.0\.152:20280\/\nThis is ApacheBench|\nab report: probe a -> http:\/\/127\.0\.0\.152:20280\/\nServer Software/);
    expect(text).to.match(/\n  => report: passed, 3\/3 checks passed, 160 connections \(0 failed\), [\d.]+ s; a \(http\) 80 at [\d.]+\/s, b \(http\) 80 at [\d.]+\/s\n/);
    const coloured = tty();
    replay(coloured, true);
    expect(coloured.text()).to.contain(`${ESC}32mPASS${ESC}39m pcc:`);
    expect(coloured.text()).to.contain(`${ESC}1mab report: probe a -> http://127.0.0.152:20280/${ESC}22m`);
    expect(coloured.text()).to.contain(`=> report: ${ESC}32mpassed${ESC}39m, 3/3 checks passed`);
  });
});
