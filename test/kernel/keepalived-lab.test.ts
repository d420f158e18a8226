/**
 * The kernel tier with keepalived: Debian's real keepalived programs the guest's director from a
 * suite's keepalived.conf, its health checkers against the real servers' nginx. One boot runs two
 * suites: the tutorial's PCC from a keepalived.conf (must pass), and a config whose TCP_CHECK on
 * web2 finds nothing listening (with `alpha` keepalived never adds web2, so weights must fail and
 * the table must lack it). A second boot reads the director keepalived programmed from the outside,
 * as an operator reads a live one: `director show --director 'ip netns exec lvs-director'`.
 * Opt-in with LVS_KERNEL_LAB=1, as the rest of the tier.
 */
import { expect } from 'chai';
import type { DirectorSnapshot } from '../../src/director/model.js';
import type { ChangeWindow } from '../../src/model/change-window.js';
import { DIRECTOR_NS } from '../../src/lab/kernel/topology.js';
import { labUpSession, prepareKernelTier, runKernel } from './kernel-run.js';

describe('kernel lab with keepalived programming the director', function () {
  this.timeout(600_000);

  before(function () {
    prepareKernelTier(this);
  });

  it('runs a keepalived.conf suite on the table keepalived built, and keepalived\'s checker keeps a dead server out', async () => {
    const started = Date.now();
    const r = await runKernel('--verbose', '--max-clients', '24', 'suites/keepalived-pcc.yaml', 'test/fixtures/keepalived/checker-down.yaml');
    console.log(`    one boot, two suites: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const [pcc, down] = r.results.suites;
    expect(pcc!.outcome, r.stdout).to.equal('passed');
    // keepalived added web1 and web2 (config order) with the conf's weights, DR, persistence 1000.
    expect(pcc!.lab!.listing).to.include('TCP  100.64.0.100:0 wrr persistent 1000');
    expect(pcc!.lab!.listing).to.match(/-> 100\.64\.1\.1:0\s+Route\s+100\s/);
    expect(pcc!.lab!.listing).to.match(/-> 100\.64\.1\.2:0\s+Route\s+200\s/);
    expect(r.stdout).to.match(/Director: keepalived --check -f \S+keepalived\.conf/);
    // The second suite: web2's checker fails, so keepalived never put it in the table.
    expect(down!.lab!.listing).to.match(/-> 100\.64\.1\.1:0\s+Route\s+100\s/);
    expect(down!.lab!.listing).not.to.include('100.64.1.2');
    expect(r.stdout).to.include('not in the table after the wait: 100.64.1.2 weight 200');
    const weights = down!.verdicts.find((v) => v.check === 'weights')!;
    expect(weights.status, r.stdout).to.equal('fail');
    expect(r.exitCode, r.stdout).to.equal(10);
  });

  it("director show --director 'ip netns exec lvs-director' reads the table keepalived programmed", async () => {
    // From `lab up --kernel`'s shell, as a user would: the harness reaches the director only through
    // the command prefix, ipvsadm and sysctl, and the parsers.
    const bin = `${process.execPath} ${process.cwd()}/dist/src/cli/bin.js director show --director 'ip netns exec ${DIRECTOR_NS}'`;
    const { code, out } = await labUpSession('suites/keepalived-pcc.yaml', () => `${bin}; echo "SHOW-EXIT=$?"\n${bin} --json | tr -d '\\n' | sed 's/^/JSON=/'; echo`);
    expect(out, out).to.match(/Director: keepalived --check -f \S+keepalived\.conf/);
    expect(out, out).to.match(/SHOW-EXIT=0/);
    // The -Ln layout of what keepalived put in the kernel: its service, then both real servers.
    expect(out, out).to.match(/\nTCP {2}100\.64\.0\.100:0 wrr persistent 1000\r?\n/);
    expect(out, out).to.match(/\n {2}-> 100\.64\.1\.1:0\s+Route\s+100\s+\d+\s+\d+\s*\r?\n/);
    expect(out, out).to.match(/\n {2}-> 100\.64\.1\.2:0\s+Route\s+200\s+\d+\s+\d+\s*\r?\n/);
    const json = /JSON=(\{.*\})\r?\n/.exec(out);
    expect(json, out).to.not.equal(null);
    const snapshot = JSON.parse(json![1]!) as DirectorSnapshot;
    const service = snapshot.config.services.find((s) => s.vip === '100.64.0.100');
    expect(service, json![1]).to.not.equal(undefined);
    expect(service!.scheduler).to.equal('wrr');
    expect(service!.persistence?.timeout).to.equal(1000);
    const servers = service!.realServers.map((r) => [r.address, r.weight, r.forward ?? service!.forward]).sort();
    expect(servers).to.deep.equal([
      ['100.64.1.1', 100, 'route'],
      ['100.64.1.2', 200, 'route'],
    ]);
    // The sysctls and timeouts come from the same reading.
    expect(snapshot.sysctls).to.have.property('expire_nodest_conn');
    expect(code, out).to.equal(0);
  });

  it('reloads keepalived (SIGHUP) under traffic: the table and every template survive, nothing fails, breaks or moves', async () => {
    const r = await runKernel('suites/keepalived-reload.yaml');
    const suite = r.results.suites[0] as unknown as { window: ChangeWindow; verdicts: Array<{ check: string; status: string; seen: string; data?: Record<string, unknown> }> };
    const [reload] = suite.window.changes;
    expect(reload!.error, r.stdout).to.equal(null);
    expect(reload!.commands[0]).to.match(/^kill -HUP \$\(cat \S+keepalived\.pid\)/);
    const disruption = suite.verdicts.find((v) => v.check === 'disruption')!;
    expect(disruption.status, disruption.seen).to.equal('pass');
    // Returning clients crossed the reload, and sessions were held across it: the pass judged something.
    expect(suite.window.sessions.filter((s) => s.openedMs < reload!.effectiveMs! && s.closedMs > reload!.effectiveMs!)).to.have.length(2);
    expect(r.exitCode, r.stdout).to.equal(0);
  });
});
