/** Issue 13's bad inputs through the real command line: exit code, first line, no traffic, no hang. */
import { expect } from 'chai';
import { CASES, canRunUnprivileged, caseContext, runCli } from './hardening-cases.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('hardening: bad input through the command line', function () {
  this.timeout(60_000);
  let setup: Awaited<ReturnType<typeof caseContext>>;
  let unprivileged = true;
  before(async () => {
    setup = await caseContext(tempDir('lvs-harness-hardening-'));
    unprivileged = canRunUnprivileged();
  });
  after(() => setup.close());

  for (const c of CASES) {
    it(`point ${c.point}: ${c.name} -> exit ${c.code}`, async function () {
      // Root writes into any folder; as nobody the permission counts. Skipped (shown as pending) when nobody cannot read the clone.
      if (c.unprivileged && !unprivileged) this.skip();
      const before = setup.connections();
      const r = await runCli(c.args(setup.ctx), { unprivileged: c.unprivileged });
      expect(r.code, `killed after ${Math.round(r.ms)} ms (a hang)\n${r.stderr}`).to.not.equal(null);
      expect(r.code, r.stdout + r.stderr).to.equal(c.code);
      expect(r.firstLine).to.match(c.first);
      expect(r.stderr).to.not.match(/internal error|\n\s+at /);
      if (c.code !== 0) {
        expect(r.stderr.split('\n').filter(Boolean).length, r.stderr).to.be.at.most(2);
        // Nothing was sent: the counting server (the suites' VIP, the bench URL) saw no connection.
        expect(setup.connections() - before).to.equal(0);
      }
    });
  }
});
