/**
 * Checks size their evidence before any traffic, and judge a live director (labName none) that is
 * not read by an equivalence test rather than by counts only an exclusive scheduler makes predictable
 * (a live director read through `--director`: test/director/live-weights.test.ts).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/core/exit-codes.js';
import { embeddedLabFactory } from '../../src/lab/embedded-lab-factory.js';
import { liveTargetFactory } from '../../src/lab/live-target.js';
import { limitClients } from '../../src/suite/max-clients.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { suiteView } from '../../src/runner/run-suite.js';
import type { Observation } from '../../src/model/observation.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';
import { judge } from '../helpers/judge.js';

const FIX = 'test/fixtures/suites';

describe('evidence sized before traffic', function () {
  this.timeout(60_000);

  it('refuses a suite too small for weights to confirm, naming the clients it needs, before sending anything', async () => {
    const c = await runSuites(['suites/ppc.yaml'], { prepareSuite: limitClients(24) });
    expect(c.exitCode).to.equal(ExitCode.InvalidInput);
    expect(c.results.error!.code).to.equal('UNDERSIZED_SUITE');
    expect(c.results.error!.message).to.match(/weights: 24 clients give 48 new scheduling units, too few to rule out a deviation of 10 points even if every share came out exact; about \d+ clients are needed/);
    expect(c.events.filter((e) => e.type === 'observation')).to.have.length(0);
  });

  it('refuses pcc on one port, where per-port persistence would look the same', async () => {
    const dir = tempDir('lvs-sizing-');
    const file = path.join(dir, 'one-port.yaml');
    const suite = readFileSync(`${FIX}/pcc-two-ports.yaml`, 'utf8').replace(/ {2}- \{ name: b, .*\n/, '');
    writeFileSync(file, suite);
    const c = await runSuites([file]);
    expect(c.exitCode).to.equal(ExitCode.InvalidInput);
    expect(c.results.error!.message).to.match(/pcc: the probes reach 1 port\(s\) of the service: per-port and all-ports persistence look alike/);
  });

  it('refuses traffic that feeds every port in one order', async () => {
    const dir = tempDir('lvs-sizing-');
    const file = path.join(dir, 'lockstep.yaml');
    writeFileSync(file, readFileSync(`${FIX}/pcc-two-ports.yaml`, 'utf8').replace('  concurrency: 8\n', '  concurrency: 8\n  order: sequential\n'));
    const c = await runSuites([file]);
    expect(c.exitCode).to.equal(ExitCode.InvalidInput);
    expect(c.results.error!.message).to.match(/traffic.order sequential/);
  });

  it('exits 11 through the command line with the hint, and leaves results', () => {
    const root = tempDir('lvs-sizing-cli-');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', '--results', root, '--max-clients', '5', 'suites/pcc.yaml'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).to.equal(ExitCode.InvalidInput);
    expect(r.stdout + r.stderr).to.match(/UNDERSIZED_SUITE/).and.match(/nothing was sent/);
    const [dir] = readdirSync(root);
    const results = JSON.parse(readFileSync(path.join(root, dir!, 'results.json'), 'utf8'));
    expect(results.error.code).to.equal('UNDERSIZED_SUITE');
  });
});

describe('weights on a director the harness does not own', function () {
  this.timeout(60_000);

  it('uses the equivalence test when other clients may interleave, and passes a correct spread of enough clients', async () => {
    // The director behind the VIP is a lab the run did not start and does not read (no --director).
    // 400 clients: the equivalence test's planned sample for 1:2 within 10 points is 364.
    const file = path.join(tempDir('lvs-equivalence-'), 'weights-400.yaml');
    writeFileSync(file, readFileSync(`${FIX}/weights-200.yaml`, 'utf8').replace('127.0.7.1-127.0.7.200', '127.0.7.1-127.0.8.144'));
    const lab = (await embeddedLabFactory()(await loadSuite(file, resolveCheck)))!;
    const c = await runSuites([file], { labName: 'none', startLab: liveTargetFactory() }).finally(() => lab.close());
    const v = verdictOf(c, 'weights');
    expect(v.status, v.seen).to.equal('pass');
    expect(v.data!.method).to.equal('equivalence');
    expect(v.seen).to.match(/two one-sided tests; rules out deviations over \d+\.\d points/);
  });

  it('refuses a tolerance the sample cannot reach, naming the clients it would take', async () => {
    const dir = tempDir('lvs-tolerance-');
    const file = path.join(dir, 'tight.yaml');
    writeFileSync(file, readFileSync(`${FIX}/weights-200.yaml`, 'utf8').replace('  - weights\n', '  - weights: { tolerance: 3 }\n'));
    const small = await runSuites([file], { labName: 'none' });
    expect(small.exitCode).to.equal(ExitCode.InvalidInput);
    expect(small.results.error!.message).to.match(/weights: 200 clients give 200 new scheduling units, too few to rule out a deviation of 3 points even if every share came out exact; about \d{4} clients are needed/);
  });

  it('says "cannot confirm" rather than pass when the spread fits the weights but the sample is too small', async () => {
    const { plugin, options, view } = await weightsOn('none');
    const outcome = await judge(plugin.create(options, view), spread(8, 16), { suite: view, lab: null, director: { before: null, after: null } });
    expect(outcome.pass).to.equal(false);
    expect(outcome.seen).to.match(/^web1 8, web2 16 of 24 clients; cannot confirm: 24 clients fit the weights but only rule out deviations over \d+\.\d points; about \d+ clients are needed for 10/);
    const wrong = await judge(plugin.create(options, view), spread(40, 10), { suite: view, lab: null, director: { before: null, after: null } });
    expect(wrong.seen).to.match(/wrong: the shares differ from the weights'/);
  });

  it('says how far the shares strayed when a sample planned large enough could not confirm, and what those shares would need', async () => {
    const { plugin, options, view } = await weightsOn('none');
    // 380 units (the plan is 364), web1 4.8 points over its third: inside what chance gives a right director.
    const outcome = await judge(plugin.create(options, view), spread(145, 235), { suite: view, lab: null, director: { before: null, after: null } });
    expect(outcome.pass).to.equal(false);
    expect(outcome.data!.judgement).to.equal('cannot-confirm');
    expect(outcome.seen).to.match(/cannot confirm: 380 clients fit the weights but only rule out deviations over 10\.\d points: web1 came out 4\.8 points from its share \(38\.2% for 33\.3%\); at these shares about (\d+) clients would confirm 10/);
    const needed = Number(/about (\d+) clients would/.exec(outcome.seen)![1]);
    expect(needed).to.be.within(400, 700);
    // That many, at those shares, does confirm.
    const more = await judge(plugin.create(options, view), spread(Math.round(needed * 145 / 380), needed - Math.round(needed * 145 / 380)), { suite: view, lab: null, director: { before: null, after: null } });
    expect(more.pass, more.seen).to.equal(true);
  });
});

/** The weights check of weights-200.yaml, as the runner would configure it for a lab of that name. */
async function weightsOn(lab: string) {
  const suite = await loadSuite(`${FIX}/weights-200.yaml`, resolveCheck);
  const check = suite.checks.find((c) => c.plugin.name === 'weights')!;
  return { plugin: check.plugin, options: check.options, view: suiteView(suite, lab) };
}

/** One identified connection per client: `a` of them answered by web1, `b` by web2. */
function spread(a: number, b: number): Observation[] {
  return Array.from({ length: a + b }, (_, i) => ({
    seq: i, round: 0, probe: 'a', protocol: 'http', client: { address: `127.0.${7 + Math.floor(i / 250)}.${(i % 250) + 1}`, port: 40000 + i },
    target: { address: '127.0.0.151', port: 20090 }, realServer: i < a ? 'web1' : 'web2', startMs: i, endMs: i + 1,
    timings: { connectMs: 0.1, firstByteMs: 0.2, totalMs: 0.3 }, requests: 1, bytes: { sent: 10, received: 10 }, status: 200, error: null,
  }));
}
