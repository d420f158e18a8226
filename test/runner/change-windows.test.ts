import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/core/exit-codes.js';
import type { ChangeWindow } from '../../src/model/change-window.js';
import { UNKNOWN_SERVER } from '../../src/model/timeline.js';
import { runSuites, verdictOf, type Captured } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A shipped suite with some text replaced, written next to nothing else (apply: files are not used here). */
function variant(suite: string, replacements: [string, string][]): string {
  let text = readFileSync(path.join('suites', suite), 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${suite} has no ${from}`);
    text = text.replace(from, to);
  }
  const file = path.join(tempDir('lvs-window-'), suite);
  writeFileSync(file, text);
  return file;
}

function windowOf(c: Captured): ChangeWindow {
  return (c.results.suites[0] as unknown as { window: ChangeWindow }).window;
}

describe('change windows against the embedded lab', function () {
  this.timeout(30_000);

  it('drain.yaml: new clients leave web2, sticky ones stay, sessions carry on; the timeline shows it', async () => {
    const c = await runSuites(['suites/drain.yaml']);
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts)).to.equal(ExitCode.Passed);
    const drain = verdictOf(c, 'drain');
    expect(drain.data).to.include({ server: 'web2', newOnDrained: 0, moved: 0, broken: 0 });
    expect(drain.data!['stayed']).to.be.above(0);
    const w = windowOf(c);
    expect(w.changes).to.have.length(1);
    expect(w.changes[0]!.effectiveMs).to.be.within(1450, 2000);
    expect(w.changes[0]!.commands[0]).to.equal('ipvsadm -e -t 127.0.0.140:0 -r 127.0.1.62 -w 0');
    const t = w.timeline;
    expect(t.servers).to.deep.equal(['web1', 'web2']);
    expect(t.changes).to.deep.equal([{ index: 0, label: 'weight web2 -> 0', second: 1, atMs: w.changes[0]!.effectiveMs, failed: false }]);
    for (const s of t.servers) for (const series of Object.values(t.rows[s]!)) expect(series).to.have.length(t.seconds);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(sum(t.rows['web1']!.newConnections) + sum(t.rows['web2']!.newConnections)).to.equal(c.results.suites[0]!.summary.connections);
    expect(w.sessions.every((s) => s.brokenMs === null && s.probes.length >= 6)).to.equal(true);
    expect(c.events.filter((e) => e.type === 'change')).to.have.length(1);
  });

  it("connections cross-checks a window that adds and removes servers: the added one by its add: name, the removed one's counters left out", async () => {
    const file = variant('drain.yaml', [
      ['changes:\n  - at: 1.5\n    weight: { server: web2, to: 0 }\n', 'changes:\n  - at: 1\n    add: { name: web3, address: 127.0.1.63, weight: 1 }\n  - at: 2\n    remove: web2\n'],
      ['  - drain\n  - disruption: { maxFailed: 0, maxBroken: 0 }\n', '  - connections: { maxFailed: 1000 }\n'],
    ]);
    const c = await runSuites([file]);
    const v = verdictOf(c, 'connections');
    expect(c.results.suites[0]!.summary.byRealServer).to.have.property('web3');
    expect(v.data!.counters, v.seen).to.deep.include({ judged: true, short: [], removed: ['web2'] });
    expect((v.data!.connectionTable as { disagreed: number }).disagreed, v.seen).to.equal(0);
    expect(v.seen).to.match(/web2 left the table during the traffic \(not compared\)/);
    expect(v.seen).not.to.match(/rs_127_0_1_63/);
  });

  it('drain fails when it expects expire_quiescent_template=1 semantics the director does not have', async () => {
    const c = await runSuites([variant('drain.yaml', [['  - drain\n', '  - drain: { quiescentTemplates: expired }\n']])]);
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    expect(verdictOf(c, 'drain').seen).to.match(/connection\(s\) stayed on web2 on a quiescent template \(expire_quiescent_template=1 expires it/);
  });

  it('drain with expire_quiescent_template=1 set first: sticky clients move at their next connection, and honoured semantics would fail', async () => {
    const sysctl: [string, string] = ['changes:\n', 'changes:\n  - at: 0\n    sysctl: { expire_quiescent_template: 1 }\n'];
    const c = await runSuites([variant('drain.yaml', [sysctl]), variant('drain.yaml', [sysctl, ['  - drain\n', '  - drain: { quiescentTemplates: honoured }\n']])]);
    const auto = verdictOf(c, 'drain', 0);
    expect(auto.status, auto.seen).to.equal('pass');
    expect(auto.data).to.include({ expireQuiescentTemplate: 1, templates: 'expired', stayed: 0 });
    expect(auto.data!['moved']).to.be.above(0);
    expect(verdictOf(c, 'drain', 1).seen).to.match(/client\(s\) left web2 while their template lived/);
  });

  it('drain of a service without persistence: no new connection at all on the drained server', async () => {
    const c = await runSuites([
      variant('drain.yaml', [
        ['  kind: pcc\n  port: 0\n', '  kind: ppc\n  ports: [8080]\n'],
        ['  persistence: { timeout: 30 }\n', ''],
      ]),
    ]);
    const drain = verdictOf(c, 'drain');
    expect(drain.status, drain.seen).to.equal('pass');
    expect(drain.data).to.include({ newOnDrained: 0, stayed: 0, moved: 0 });
    expect(drain.expected).to.match(/no new connection on it/);
    const web2 = windowOf(c).timeline.rows['web2']!.newConnections;
    expect(web2.slice(2).every((n) => n === 0), `web2 after the drain: ${web2.join(' ')}`).to.equal(true);
  });

  it('failover.yaml: failed clients are served again, sessions on the failed server break, it serves again once re-added', async () => {
    const c = await runSuites(['suites/failover.yaml']);
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts)).to.equal(ExitCode.Passed);
    const f = verdictOf(c, 'failover').data!;
    expect(f['affected']).to.be.above(0);
    expect(f['failed']).to.be.above(0);
    expect(f['unrecovered']).to.equal(0);
    expect(f['worstRecoverySeconds']).to.be.below(2.5);
    expect(f['servedByItAfterStart']).to.be.above(0);
    const w = windowOf(c);
    const onWeb2 = w.sessions.filter((s) => s.realServer === 'web2');
    expect(onWeb2.length).to.be.above(0);
    for (const s of onWeb2) expect(s.brokenMs, s.id).to.be.within(1500, 3000);
    for (const s of w.sessions.filter((x) => x.realServer === 'web1')) expect(s.brokenMs, s.id).to.equal(null);
    // Telnet shells held and probed (the one on web2 until it broke), beside the kept-alive HTTP connections.
    expect(w.sessions.filter((s) => s.protocol === 'telnet' && s.probes.length >= 3 && s.probes[0]!.ok)).to.have.length(2);
    // FTP downloads: broken on web2 (above), complete byte for byte on web1.
    const ftp = w.sessions.filter((s) => s.protocol === 'ftp');
    expect(ftp).to.have.length(2);
    for (const s of ftp.filter((x) => x.realServer === 'web1')) expect(s.transfer, s.id).to.include({ bytes: 196608, verifiedBy: 'content' }).and.have.property('completedMs').above(2500);
    for (const s of ftp.filter((x) => x.realServer === 'web2')) expect(s.transfer, s.id).to.include({ completedMs: null });
    // The failures after the stop are put on web2 (the director's choice), none on web1.
    const web2 = w.timeline.rows['web2']!;
    // The failures are web2's, from its stop on. The check counts every failed connection from the
    // stop on; the timeline puts each on the server the director sent it to, or under UNKNOWN_SERVER
    // when it failed before the client learnt its own port (nothing to look the director's choice up by).
    const sum = (row: { failures: number[] } | undefined): number => (row?.failures ?? []).slice(1).reduce((a, b) => a + b, 0);
    const onWeb2Failed = sum(web2);
    const rows = JSON.stringify(Object.fromEntries(Object.entries(w.timeline.rows).map(([rs, r]) => [rs, r.failures])));
    expect(onWeb2Failed + sum(w.timeline.rows[UNKNOWN_SERVER]), `failover counted ${f['failed']}; timeline failures ${rows}`).to.be.at.least(f['failed'] as number);
    expect(onWeb2Failed, rows).to.be.at.most((f['failed'] as number) + 2);
    expect(web2.failures[0]).to.equal(0);
    expect(w.timeline.rows['web1']!.failures.every((n) => n === 0)).to.equal(true);
  });

  it('failover fails when nobody takes the failed server out and it does not come back', async () => {
    const c = await runSuites([
      variant('failover.yaml', [
        ['  - at: 2.5\n    remove: web2\n', ''],
        ['  - at: 3.5\n    start: web2\n', ''],
        ['  - at: 4\n    add: { name: web2, address: 127.0.1.72, weight: 1 }\n', ''],
      ]),
    ]);
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    const f = verdictOf(c, 'failover');
    expect(f.seen).to.match(/^\d+ of \d+ affected client\(s\) were never served again after web2 stopped at 1\.5\d s$/);
    expect(f.data!['unrecovered']).to.be.above(0);
  });

  it('persistence-timeout measures the lifetime, and says when its gaps cannot tell it from a shorter one', async () => {
    const c = await runSuites([
      'suites/persistence-timeout.yaml',
      variant('persistence-timeout.yaml', [['  concurrency: 16\n', '  concurrency: 16\n  gapsSeconds: [0.5, 2.6]\n']]),
    ]);
    const measured = verdictOf(c, 'persistence-timeout', 0);
    expect(measured.status, measured.seen).to.equal('pass');
    expect(measured.data).to.include({ expectedSeconds: 2 });
    expect(measured.data!['lowerSeconds']).to.be.within(1.6, 1.95);
    expect(measured.data!['upperSeconds']).to.be.within(2.3, 2.6);
    const vague = verdictOf(c, 'persistence-timeout', 1);
    expect(vague.status).to.equal('fail');
    expect(vague.seen).to.match(/the gaps cannot tell 2 s from a shorter lifetime/);
  });

  it('a reload on the embedded lab is invalid input, pointed at, before any traffic', async () => {
    const c = await runSuites([variant('drain.yaml', [['    weight: { server: web2, to: 0 }\n', '    reload: true\n']])]);
    expect(c.exitCode).to.equal(ExitCode.InvalidInput);
    expect(c.error!.problems[0]).to.deep.include({ field: 'changes[0]', line: 34 });
    expect(c.error!.problems[0]!.expected).to.match(/no keepalived/);
    expect(c.events.filter((e) => e.type === 'observation')).to.have.length(0);
  });
});
