/**
 * weights on a live director (`--lab none --director CMD`): rr and wrr are judged against the
 * weights' cycle only when the director's readings show that the harness's clients were the only
 * ones scheduled during the traffic; otherwise the equivalence test judges, and at the kernel tier's
 * 24 clients it cannot confirm, saying why. The director is an embedded lab read through a recorded
 * `--director` script, as in command-director.test.ts.
 */
import { expect } from 'chai';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/core/exit-codes.js';
import { CommandDirector } from '../../src/director/command-director.js';
import type { Director } from '../../src/director/model.js';
import { readDirectorConfig } from '../../src/lab/director-config-file.js';
import { embeddedLabFactory } from '../../src/lab/embedded-lab-factory.js';
import type { EmbeddedLab } from '../../src/lab/embedded-lab.js';
import { liveTargetFactory } from '../../src/lab/live-target.js';
import { readTableState } from '../../src/lab/sim/table-reading.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { recordedDirector } from '../helpers/recorded-director.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const SUITE = 'test/fixtures/suites/pcc-live-weights.yaml';
const VIP = '127.0.0.172';

async function startLab(weights?: [number, number]): Promise<EmbeddedLab> {
  const suite = await loadSuite(SUITE, resolveCheck);
  if (weights === undefined) return (await embeddedLabFactory()(suite)) as EmbeddedLab;
  const dump = path.join(tempDir('lvs-harness-dump-'), 'director.txt');
  writeFileSync(
    dump,
    [`-A -t ${VIP}:0 -s wrr -p 1000`, `-a -t ${VIP}:0 -r 127.0.27.1:0 -g -w ${weights[0]}`, `-a -t ${VIP}:0 -r 127.0.27.2:0 -g -w ${weights[1]}`, ''].join('\n'),
  );
  const override = await readDirectorConfig(dump);
  return (await embeddedLabFactory((s) => override(s)))(suite) as Promise<EmbeddedLab>;
}

/** Someone else's request through the VIP, from an address outside the suite's pool. */
function strangerRequest(source: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get({ host: VIP, port: 20270, localAddress: source, agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject);
  });
}

/** The lab read as a live director; `beforeSecondRead` runs as the reading after the traffic starts. */
function liveDirector(lab: EmbeddedLab, beforeSecondRead?: () => Promise<void>): Director {
  const recorded = recordedDirector(tempDir('lvs-harness-recorded-'));
  const command = new CommandDirector([recorded.script], 0);
  let reads = 0;
  return {
    kind: 'live',
    describe: () => command.describe(),
    read: async () => {
      if (++reads === 2) await beforeSecondRead?.();
      recorded.record(readTableState(lab.table.state(), Date.now()));
      return command.read();
    },
  };
}

async function weightsOn(director: Director) {
  const c = await runSuites([SUITE], { startLab: liveTargetFactory(), director, labName: 'none' });
  return verdictOf(c, 'weights');
}

describe('weights on a live director: the cycle only when its readings show no one else was scheduled', function () {
  this.timeout(60_000);

  it('a correct wrr 100:200 director passes at 24 clients by the cycle, its counters showing only the harness', async () => {
    const lab = await startLab();
    try {
      const v = await weightsOn(liveDirector(lab));
      expect(v.status, v.seen).to.equal('pass');
      expect(v.data!.method).to.equal('predictable');
      expect(v.data!.onlyHarnessClients).to.equal("the director's counters grew by exactly the harness's 96 connections");
      // The check that the VIP answers placed the first client before the traffic: its template is left out.
      expect(v.data!.keptFromBefore).to.equal(1);
      expect(v.seen).to.match(/^web1 \d+, web2 \d+ of 23 clients \(1 more kept a template from before the traffic: not judged\); as web1 7-8, web2 15-16 predicted from the weights/);
    } finally {
      await lab.close();
    }
  });

  it('equal weights where 100:200 was meant fail at 24 clients (12/12 once passed chi-square)', async () => {
    const lab = await startLab([100, 100]);
    try {
      const v = await weightsOn(liveDirector(lab));
      expect(v.status, v.seen).to.equal('fail');
      expect(v.seen).to.match(/wrong: web1 got 1[12], the weights allow 7-8/);
    } finally {
      await lab.close();
    }
  });

  it("another client's connection during the traffic: judged by the equivalence test, which cannot confirm at 24 clients, and says why", async () => {
    const lab = await startLab();
    try {
      const v = await weightsOn(liveDirector(lab, () => strangerRequest('127.0.28.200')));
      expect(v.status, v.seen).to.equal('fail');
      expect(v.data!.method).to.equal('equivalence');
      expect(v.data!.onlyHarnessClients).to.deep.equal({ no: "the director counted 1 connections beyond the harness's identified ones during the traffic" });
      expect(v.seen).to.match(/cannot confirm: 24 clients fit the weights but only rule out deviations over [\d.]+ points; about \d+ clients are needed for 10 \(a director exactly at the weights then confirms 90% of the time\); judged without the weights' cycle: the director counted 1 connections/);
    } finally {
      await lab.close();
    }
  });

  it("templates an earlier run left: the second run's clients were not scheduled anew, so there is nothing to judge", async () => {
    const lab = await startLab();
    try {
      expect((await weightsOn(liveDirector(lab))).status).to.equal('pass');
      const v = await weightsOn(liveDirector(lab));
      expect(v.status, v.seen).to.equal('fail');
      expect(v.seen).to.equal(
        'no client was scheduled during the traffic: all 24 went back to the server a template from before it named, so there is no spread to judge (wait for the templates to expire, or use other source addresses)',
      );
    } finally {
      await lab.close();
    }
  });

  it('sizes for the cycle only when the director will be read: without --director, 24 clients are refused before traffic', async () => {
    const lab = await startLab();
    try {
      const c = await runSuites([SUITE], { startLab: liveTargetFactory(), labName: 'none' });
      expect(c.exitCode).to.equal(ExitCode.InvalidInput);
      expect(c.results.error!.message).to.match(/weights: 24 clients give 24 new scheduling units, too few to rule out a deviation of 10 points even if every share came out exact; about \d+ clients are needed/);
      expect(c.events.filter((e) => e.type === 'observation')).to.have.length(0);
    } finally {
      await lab.close();
    }
  });
});
