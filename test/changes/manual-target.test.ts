import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { ManualChangeTarget } from '../../src/changes/manual-target.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import type { ChangeWindow } from '../../src/model/change-window.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';

/** A terminal stand-in: what the harness prints, and a keyboard. */
function fakeTty(): { input: PassThrough; output: PassThrough; printed(): string } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  return { input: new PassThrough(), output, printed: () => text };
}

describe('--manual: the operator makes the changes', () => {
  it('shows the commands for the suite director, waits for Enter, and gives up when the traffic ends', async () => {
    const suite = await loadSuite('suites/drain.yaml', resolveCheck);
    const tty = fakeTty();
    const target = new ManualChangeTarget(suite, tty.input, tty.output);
    expect(target.unsupported()).to.equal(null);
    let done = false;
    const applied = target.apply({ kind: 'weight', server: 'web2', to: 0 }).then((c) => ((done = true), c));
    await new Promise((r) => setTimeout(r, 50));
    expect(tty.printed()).to.contain('>>> change now: weight web2 -> 0\n    ipvsadm -e -t 127.0.0.140:0 -r 127.0.1.62 -w 0\n>>> press Enter');
    expect(done, 'resolved before Enter').to.equal(false);
    tty.input.write('\n');
    expect(await applied).to.deep.equal(['(by the operator) ipvsadm -e -t 127.0.0.140:0 -r 127.0.1.62 -w 0']);

    const ended = new AbortController();
    const waiting = target.apply({ kind: 'reload' }, ended.signal);
    ended.abort();
    let error: unknown = null;
    await waiting.catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('did not confirm it before the traffic ended');
  });

  it('marks the change when the operator confirms, and the checks judge what the operator did', async function () {
    this.timeout(20_000);
    const tty = fakeTty();
    const CONFIRM_AFTER_MS = 400;
    const c = await runSuites(['suites/drain.yaml'], {
      changeTarget: (suite, lab) => {
        // The operator reads the prompt, makes the change on the (embedded) director, then presses Enter.
        tty.output.on('data', (d: Buffer) => {
          if (!d.toString().includes('press Enter')) return;
          setTimeout(() => {
            void lab()!.changes!.apply({ kind: 'weight', server: 'web2', to: 0 }).then(() => tty.input.write('\n'));
          }, CONFIRM_AFTER_MS);
        });
        return new ManualChangeTarget(suite, tty.input, tty.output);
      },
    });
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts)).to.equal(ExitCode.Passed);
    const change = (c.results.suites[0] as unknown as { window: ChangeWindow }).window.changes[0]!;
    // Marked at Enter, not at the prompt (timers may fire a few ms either side of their delay on this clock).
    expect(change.effectiveMs! - change.plannedMs).to.be.within(CONFIRM_AFTER_MS - 20, CONFIRM_AFTER_MS + 600);
    expect(change.commands).to.deep.equal(['(by the operator) ipvsadm -e -t 127.0.0.140:0 -r 127.0.1.62 -w 0']);
    expect(verdictOf(c, 'drain').data).to.include({ newOnDrained: 0, drainedAtMs: change.effectiveMs });
  });
});
