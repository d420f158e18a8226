/** Issue 13's multi-process cases: signals, runs side by side, bench beside a lab. */
import { expect } from 'chai';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { SCENARIOS, type ScenarioResult } from './hardening-scenarios.js';

function scenario(name: RegExp): (dir: string) => Promise<ScenarioResult> {
  const s = SCENARIOS.find((x) => name.test(x.name));
  if (!s) throw new Error(`no scenario ${name}`);
  return (dir) => s.run(dir);
}

describe('hardening: signals, concurrent runs, bench warnings', function () {
  this.timeout(200_000);
  const dir = (name: string): string => path.join(tempDir('lvs-harness-scenario-'), name);

  it('a second SIGTERM quits at once and still leaves a complete results.json, exit 13', async () => {
    const r = await scenario(/SIGTERM to the group/)(dir('twice'));
    expect(r.code, r.outcomes[0]!.stderr).to.equal(13);
    expect(r.results).to.include({ outcome: 'aborted', exitCode: 13 });
    expect(r.results!.endedAt).to.be.a('string');
    expect(r.results!.error!.message).to.match(/aborted by SIGTERM twice/);
    expect(r.results!.suites.map((s) => s.name)).to.deep.equal(['pcc-two-ports']);
    // Without the second signal the slow check holds the run for 20 s.
    expect(r.outcomes[0]!.ms).to.be.below(15_000);
  });

  it('one Ctrl-C delivered twice 50 ms apart (terminal group, then npm) is one request: the run stops as for one', async () => {
    const r = await scenario(/twice, 50 ms apart/)(dir('once'));
    expect(r.code, r.outcomes[0]!.stderr).to.equal(13);
    expect(r.results!.error!.message).to.equal('run aborted by SIGINT');
    expect(r.results!.suites).to.have.length(1);
  });

  it('weights over 0 connections fails and says why', async () => {
    const r = await scenario(/^weights over 0/)(dir('weights'));
    expect(r.code, r.outcomes[0]!.stdout).to.equal(10);
    expect(r.outcomes[0]!.stdout).to.match(/FAIL weights: no identified connection: there is no spread to judge/);
  });

  it('connections fails when none succeeded, whatever maxFailed allows', async () => {
    const r = await scenario(/none succeeded/)(dir('connections'));
    expect(r.code, r.outcomes[0]!.stdout).to.equal(10);
    expect(r.line).to.match(/FAIL connections: 50 of 50 failed \(ECONNRESET x50\): none succeeded, so nothing was judged/);
  });

  it('a clash with a running lab names the address and the way out', async () => {
    const r = await scenario(/\(EADDRINUSE\)/)(dir('clash'));
    expect(r.code, r.outcomes[0]!.stderr).to.equal(15);
    expect(r.line).to.match(/127\.0\.5\.\d:200\d\d is taken by another process .* --address-offset N/);
  });

  it('--address-offset runs beside a lab of the same suite', async () => {
    const r = await scenario(/--address-offset 1 pcc-two-ports\.yaml beside/)(dir('offset'));
    expect(r.code, r.outcomes[0]!.stdout + r.outcomes[0]!.stderr).to.equal(0);
    expect(r.outcomes[0]!.stdout).to.match(/PASS pcc:/).and.to.match(/PASSED/);
  });

  it('two runs of the shipped suites at once do not collide with --address-offset', async () => {
    const r = await scenario(/two runs/)(dir('two'));
    for (const o of r.outcomes) expect(o.code, o.stdout + o.stderr).to.equal(0);
  });

  it('bench to a persistent VIP from one source warns and points at --sources; with sources it does not', async () => {
    const r = await scenario(/bench --director-config/)(dir('bench'));
    const [one, many] = r.outcomes;
    expect(one!.code, one!.stderr).to.equal(0);
    expect(one!.stderr).to.match(/warning: 127\.0\.0\.155:20130 is the persistent service 127\.0\.0\.155:0 \(-p 100, netmask 255\.255\.255\.255\) and every request comes from one source address: every request will follow one template to one real server\. Give --sources/);
    expect(many!.code, many!.stderr).to.equal(0);
    expect(many!.stderr).to.not.match(/warning/);
    expect(many!.stdout).to.match(/web1/).and.to.match(/web2/);
    expect(r.line).to.match(/lab up: The service is persistent/);
  });
});
