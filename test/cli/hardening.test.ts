/** Issue 13's bad inputs through the real command line: exit code, first line, no traffic, no hang. */
import { expect } from 'chai';
import { CASES, caseContext, runCli } from './hardening-cases.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('hardening: bad input through the command line', function () {
  this.timeout(60_000);
  let setup: Awaited<ReturnType<typeof caseContext>>;
  before(async () => {
    setup = await caseContext(tempDir('lvs-harness-hardening-'));
  });
  after(() => setup.close());

  for (const c of CASES) {
    it(`point ${c.point}: ${c.name} -> exit ${c.code}`, async () => {
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
