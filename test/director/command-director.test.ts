/**
 * The command director (`--director CMD`) against a recorded director: a script printing the
 * embedded lab's own ipvsadm and sysctl texts. What it reads through the parsers must be what the
 * lab read from its table; and a whole run through it must judge the director like a lab's.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommandDirector } from '../../src/director/command-director.js';
import type { Director, DirectorSnapshot, ReadMoment } from '../../src/director/model.js';
import { directorConfigFor } from '../../src/lab/director-config.js';
import { embeddedLabFactory } from '../../src/lab/embedded-lab-factory.js';
import type { EmbeddedLab } from '../../src/lab/embedded-lab.js';
import { liveTargetFactory } from '../../src/lab/live-target.js';
import { readTableState } from '../../src/lab/sim/table-reading.js';
import { readDirectorConfig } from '../../src/lab/director-config-file.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { recordedDirector, recordedKernelDirector } from '../helpers/recorded-director.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const SUITE = 'test/fixtures/suites/pcc-config.yaml';

/** What the parsers must give back of a reading: everything but names (ipvsadm prints addresses). */
function comparable(r: DirectorSnapshot) {
  const byAddress = <T extends { address: string }>(list: readonly T[]) => [...list].sort((a, b) => a.address.localeCompare(b.address));
  return {
    services: r.config.services.map((s) => ({ ...s, realServers: byAddress(s.realServers).map(({ address, weight }) => ({ address, weight })) })),
    counters: (r.services ?? []).map((s) => ({ ...s, realServers: byAddress(s.realServers) })),
    connections: r.connections,
    timeouts: r.timeouts,
    sysctls: r.sysctls,
  };
}

async function startLab(file: string, dump?: string): Promise<EmbeddedLab> {
  const suite = await loadSuite(file, resolveCheck);
  const override = dump === undefined ? undefined : await readDirectorConfig(dump);
  return (await embeddedLabFactory(override && ((s) => override(s)))(suite)) as EmbeddedLab;
}

/** The lab read as a live director through a recorded script, recorded as each read starts: what a live director would print then. */
function liveReadOf(lab: EmbeddedLab): Director {
  const recorded = recordedDirector(tempDir('lvs-harness-recorded-'));
  const command = new CommandDirector([recorded.script], 0);
  return {
    kind: 'live',
    describe: () => command.describe(),
    read: (moment?: ReadMoment) => {
      recorded.record(readTableState(lab.table.state(), Date.now()));
      return command.read(moment);
    },
  };
}

describe('--director: a live director read through a command prefix', function () {
  this.timeout(60_000);

  it("reads back through ipvsadm's and sysctl's texts what the lab read from its table", async () => {
    const lab = await startLab(SUITE);
    try {
      const recorded = recordedDirector(tempDir('lvs-harness-recorded-'));
      // Some traffic first, so counters, templates and connections are not empty.
      await runSuites([SUITE], { startLab: liveTargetFactory() });
      const direct = readTableState(lab.table.state(), Date.now());
      recorded.record(direct);
      const read = await new CommandDirector([recorded.script], 0).read();
      expect(read.source).to.deep.equal({ kind: 'live', description: recorded.script });
      expect(Object.keys(read.texts)).to.deep.equal(['ipvsadm -S -n', 'ipvsadm -Ln', 'ipvsadm -Ln --stats --exact', 'ipvsadm -Lcn', 'ipvsadm -L --timeout', 'sysctl net.ipv4.vs']);
      expect(comparable(read)).to.deep.equal(comparable(direct));
      expect(direct.connections!.length).to.be.greaterThan(240);
    } finally {
      await lab.close();
    }
  });

  it('judges a drifted director read through --director as it judges a lab: config names the differences, connections reconciles', async () => {
    const lab = await startLab(SUITE, 'test/fixtures/director/pcc-config-drifted.txt');
    try {
      const director = liveReadOf(lab);
      const c = await runSuites([SUITE], { startLab: liveTargetFactory(), director });
      expect(verdictOf(c, 'config').data!.differences).to.deep.equal([
        'scheduler rr, expected wrr',
        'persistence 300 s, expected 1000 s',
        'web2 weight 100, expected 200',
        'real server 127.0.17.9 not expected',
      ]);
      const v = verdictOf(c, 'connections');
      expect(v.status, v.seen).to.equal('pass');
      expect(v.data!.counters).to.deep.include({ judged: true, short: [], others: 0 });
      expect(v.seen).to.match(/rs_127_0_17_9 \d+\/\d+/);
    } finally {
      await lab.close();
    }
  });

  it("judges only the suite's part of a shared director: another VIP's service is neither a drift nor counted", async () => {
    const suite = await loadSuite(SUITE, resolveCheck);
    const own = directorConfigFor(suite.spec.vip, suite.spec.service);
    // Another VIP on the same director and the same real servers, as keepalived directors carry many.
    const other = { ...own.services[0]!, vip: '127.0.0.171', port: 443, persistence: null, scheduler: 'rr' as const };
    const lab = (await embeddedLabFactory(() => ({ ...own, services: [other, ...own.services] }))(suite)) as EmbeddedLab;
    try {
      const director = liveReadOf(lab);
      const c = await runSuites([SUITE], { startLab: liveTargetFactory(), director });
      const config = verdictOf(c, 'config');
      expect(config.status, config.seen).to.equal('pass');
      expect(config.seen).to.match(/no difference \(1 other service\(s\) on the director, which the suite's traffic does not reach: not compared\)$/);
      const v = verdictOf(c, 'connections');
      expect(v.status, v.seen).to.equal('pass');
      expect(v.data!.counters).to.deep.include({ judged: true, short: [], others: 0 });
    } finally {
      await lab.close();
    }
  });

  it('fails connections when the director read is not the one the traffic went through (its table and counters show none of it)', async () => {
    const lab = await startLab(SUITE);
    try {
      const recorded = recordedDirector(tempDir('lvs-harness-recorded-'));
      // Both reads print the director as it was before the traffic: a node that did not hold the VIP.
      recorded.record(readTableState(lab.table.state(), Date.now()));
      const c = await runSuites([SUITE], { startLab: liveTargetFactory(), director: new CommandDirector([recorded.script], 0) });
      const v = verdictOf(c, 'connections');
      expect(v.status).to.equal('fail');
      expect(v.seen).to.match(/0 agree, 0 disagree \(240 no longer listed\); the director's table lists none of the harness's connections/);
      expect(v.data!.counters).to.deep.include({ judged: true, short: ['web1', 'web2'] });
    } finally {
      await lab.close();
    }
  });

  it('stops the run with exit 15 naming the command when a read fails', async () => {
    const dir = tempDir('lvs-harness-recorded-');
    const recorded = recordedDirector(dir);
    // Nothing recorded yet: the script's cat fails for the first command.
    const lab = await startLab(SUITE);
    try {
      const c = await runSuites([SUITE], { startLab: liveTargetFactory(), director: new CommandDirector([recorded.script], 0) });
      expect(c.exitCode).to.equal(15);
      expect(c.results.error!.message).to.match(/^reading the director: `\S+recorded-director ipvsadm -S -n` exited with status 1:\ncat: /);
      expect(c.results.suites).to.have.length(0);
    } finally {
      await lab.close();
    }
  });

  it("says in an unreadable live output's hint whether traffic was sent: read before the traffic, after it, or by director show", async () => {
    // A state no kernel table has: the parsers refuse it (exit 11) wherever it comes from.
    const unreadable = 'TCP 00:59  SYN_ACKED   127.9.0.1:40000    127.0.17.100:80    127.0.17.1:80\n';
    const lab = await startLab(SUITE);
    try {
      for (const broken of ['before-traffic', 'after-traffic'] as const) {
        const dir = tempDir('lvs-harness-recorded-');
        const recorded = recordedDirector(dir);
        const command = new CommandDirector([recorded.script], 0);
        const moments: Array<ReadMoment | undefined> = [];
        const director: Director = {
          kind: 'live',
          describe: () => command.describe(),
          read: (moment) => {
            moments.push(moment);
            recorded.record(readTableState(lab.table.state(), Date.now()));
            if (moment === broken) appendFileSync(path.join(dir, 'connections.txt'), unreadable);
            return command.read(moment);
          },
        };
        const c = await runSuites([SUITE], { startLab: liveTargetFactory(), director });
        expect(c.exitCode, broken).to.equal(11);
        expect(moments).to.deep.equal(broken === 'before-traffic' ? ['before-traffic'] : ['before-traffic', 'after-traffic']);
        const error = c.results.error!;
        expect(error.message).to.match(/recorded-director ipvsadm -Lcn:\d+: TCP 00:59 {2}SYN_ACKED .*expected a TCP connection state as the kernel names it/);
        expect(error.hint).not.to.match(/The file is read as/);
        expect(error.hint).to.match(broken === 'before-traffic' ? /read before the suite's traffic: nothing was sent\.$/ : /read after the suite's traffic: the traffic was sent, and the suite was not judged\.$/);
      }
    } finally {
      await lab.close();
    }
    const dir = tempDir('lvs-harness-recorded-');
    const script = recordedDirector(dir).script;
    for (const [file, text] of [['save.txt', ''], ['listing.txt', ''], ['stats.txt', ''], ['timeout.txt', ''], ['sysctl.txt', ''], ['connections.txt', `IPVS connection entries\npro expire state       source             virtual            destination\n${unreadable}`]]) writeFileSync(path.join(dir, file!), text!);
    const shown = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'director', 'show', '--director', script], { encoding: 'utf8', timeout: 60_000 });
    expect(shown.status).to.equal(11);
    expect(shown.stderr).to.match(/^ERROR BAD_DIRECTOR_CONFIG: \S+recorded-director ipvsadm -Lcn:3: /);
    expect(shown.stderr).to.match(/\nhint: The line is what that command printed on the director: .* Nothing was sent\.\n$/);
  });

  it('director show --director prints a recorded kernel director in the ipvsadm layouts, and its model as JSON', () => {
    const script = recordedKernelDirector(tempDir('lvs-harness-recorded-'));
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
    const fixture = (file: string) => readFileSync(`test/fixtures/director/kernel-6.1/${file}`, 'utf8');
    const shown = cli('director', 'show', '--director', script);
    expect(shown.status, shown.stderr).to.equal(0);
    expect(shown.stdout).to.equal(`${fixture('ipvsadm-Ln.txt')}\n${fixture('ipvsadm-Lcn.txt')}\n${fixture('ipvsadm-Ln-timeout.txt')}`);
    const json = cli('director', 'show', '--json', '--director', script);
    const model = JSON.parse(json.stdout) as DirectorSnapshot;
    expect(model.source).to.deep.equal({ kind: 'live', description: script });
    expect(model.sysctls).to.include({ expire_quiescent_template: '0' });
    expect(model.services!.find((s) => s.service === 'TCP  100.64.0.100:80')!.counters!.connections).to.be.greaterThan(0);
  });
});
