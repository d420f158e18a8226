import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import type { ChangeWindow } from '../../src/model/change-window.js';
import type { SuiteSummary } from '../../src/model/summary.js';
import { formatTimeline } from '../../src/reporters/format-timeline.js';
import { SpecReporter } from '../../src/reporters/spec-reporter.js';

const WINDOW: ChangeWindow = {
  changes: [
    {
      index: 0,
      action: { kind: 'stop', server: 'web2', mode: 'reset' },
      label: 'stop web2 (reset)',
      plannedMs: 1000,
      effectiveMs: 1012,
      commands: ['(on web2) kill its daemons'],
      error: null,
    },
  ],
  sessions: [],
  timeline: {
    bucketMs: 1000,
    seconds: 3,
    servers: ['web1', 'web2', '?'],
    rows: {
      web1: { newConnections: [5, 6, 12], failures: [0, 0, 0], sessionsOpen: [1, 1, 1] },
      web2: { newConnections: [4, 7, 0], failures: [0, 7, 0], sessionsOpen: [2, 0, 0] },
      '?': { newConnections: [0, 2, 0], failures: [0, 2, 0], sessionsOpen: [0, 0, 0] },
    },
    changes: [{ index: 0, label: 'stop web2 (reset)', second: 1, atMs: 1012, failed: false }],
  },
};

describe('timeline in the spec output', () => {
  it('prints one row per server, a cell per second, the change marked and listed', () => {
    expect(formatTimeline(WINDOW.timeline)).to.equal(
      [
        '  timeline, per second (new connections, !failures, ~sessions open):',
        '  second   0   1    2',
        '  change       1',
        '  web1   5~1 6~1 12~1',
        '  web2   4~2 7!7    .',
        '  ?        . 2!2    .',
        '    (1) 1.01 s stop web2 (reset)',
        '',
      ].join('\n'),
    );
  });

  it('is written at the end of a suite with a change window, after each change as it is made', () => {
    const out = new PassThrough();
    const spec = new SpecReporter(out);
    spec.onEvent({ type: 'change', suite: 's', change: WINDOW.changes[0]! });
    spec.onEvent({
      type: 'suite:end',
      suite: 's',
      outcome: 'passed',
      summary: { byProbe: {} } as unknown as SuiteSummary,
      verdicts: [],
      lab: null,
      director: { before: null, after: null },
      durationMs: 3000,
      window: WINDOW,
    });
    const text = String(out.read());
    expect(text).to.contain('  change 1 at 1.01 s: stop web2 (reset) ((on web2) kill its daemons)\n');
    expect(text).to.contain('  web2   4~2 7!7    .\n');
  });
});
